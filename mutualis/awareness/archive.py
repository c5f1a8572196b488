"""The awareness part of a commune's archive: results, campaigns, sessions, attestations (PDF)."""

from django.utils.translation import gettext as _

from mutualis.awareness.models import (
    Attendee,
    Attestation,
    Campaign,
    OnsiteSession,
    Progress,
    QuizAttempt,
)
from mutualis.core.archive import ArchiveFile, records_csv, safe_name
from mutualis.core.pdf import render_pdf


def commune_archive(commune) -> list[ArchiveFile]:
    attestations = Attestation.objects.filter(commune=commune)
    files = [
        records_csv(
            "sensibilisation/parcours.csv",
            Progress.objects.filter(commune=commune),
            "Avancement de chaque agent dans chaque module",
        ),
        records_csv(
            "sensibilisation/quiz.csv",
            QuizAttempt.objects.filter(progress__commune=commune),
            "Chaque tentative de quiz et son résultat",
        ),
        records_csv("sensibilisation/attestations.csv", attestations, "Attestations délivrées"),
        records_csv(
            "sensibilisation/campagnes.csv",
            Campaign.objects.filter(commune=commune),
            "Campagnes de sensibilisation propres à la commune",
        ),
        records_csv(
            "sensibilisation/sessions.csv",
            OnsiteSession.objects.filter(commune=commune),
            "Sessions de sensibilisation sur place",
        ),
        records_csv(
            "sensibilisation/participants.csv",
            Attendee.objects.filter(session__commune=commune),
            "Inscrits et présents aux sessions sur place",
        ),
    ]
    for attestation in attestations.select_related("module_version").order_by("pk"):
        pdf = render_pdf(
            "awareness/attestation_pdf.html",
            {"attestation": attestation, "module": attestation.module_version},
        )
        files.append(
            ArchiveFile(
                f"sensibilisation/attestations/{safe_name(attestation.number)}.pdf",
                pdf,
                _("Attestation n° %(number)s (PDF)") % {"number": attestation.number},
            )
        )
    return files
