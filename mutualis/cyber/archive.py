"""The cyber part of a commune's archive: first advice, diagnostics, plans, evidence files."""

from mutualis.core.archive import ArchiveFile, records_csv, stored_files
from mutualis.cyber.models import Diagnostic, Evidence, FirstAdviceRecord, PlanMeasure


def commune_archive(commune) -> list[ArchiveFile]:
    evidence = Evidence.objects.filter(plan_measure__diagnostic__commune=commune)
    return [
        records_csv(
            "cyber/premier-avis.csv",
            FirstAdviceRecord.objects.filter(commune=commune),
            "Questionnaires de premier avis cyber (réponses et score)",
        ),
        records_csv(
            "cyber/diagnostics.csv",
            Diagnostic.objects.filter(commune=commune),
            "Diagnostics de cybersécurité (réponses, scores, états, annulations)",
        ),
        records_csv(
            "cyber/plan-d-actions.csv",
            PlanMeasure.objects.filter(diagnostic__commune=commune),
            "Mesures du plan d'actions de chaque diagnostic",
        ),
        records_csv("cyber/preuves.csv", evidence, "Pièces justificatives déposées"),
        *stored_files(
            "cyber/preuves",
            evidence.order_by("pk"),
            field="file",
            name=lambda e: e.original_name,
            description="Pièce justificative d'une mesure du plan",
        ),
    ]
