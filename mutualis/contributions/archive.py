"""The contributions' part of a commune's archive: calls, credit notes, payments, days, the PDFs."""

from django.utils.translation import gettext as _

from mutualis.contributions.models import (
    Call,
    CreditNote,
    DayEntry,
    Payment,
    PopulationConfirmation,
)
from mutualis.core.archive import ArchiveFile, records_csv, safe_name


def commune_archive(commune) -> list[ArchiveFile]:
    calls = Call.objects.filter(commune=commune)
    credit_notes = CreditNote.objects.filter(commune=commune)
    files = [
        records_csv("cotisations/appels.csv", calls, "Appels de contribution émis à la commune"),
        records_csv("cotisations/avoirs.csv", credit_notes, "Avoirs émis à la commune"),
        records_csv(
            "cotisations/paiements.csv",
            Payment.objects.filter(commune=commune),
            "Paiements reçus de la commune",
        ),
        records_csv(
            "cotisations/populations-confirmees.csv",
            PopulationConfirmation.objects.filter(membership__commune=commune),
            "Populations confirmées pour le calcul des appels",
        ),
        records_csv(
            "cotisations/jours.csv",
            DayEntry.objects.filter(commune=commune),
            "Jours d'intervention déclarés pour la commune",
        ),
    ]
    # The documents as issued: each keeps its number forever, so the number names the file.
    for description, folder, records in (
        (_("Appel n° %(number)s tel qu'émis (PDF)"), "cotisations/appels", calls),
        (_("Avoir n° %(number)s tel qu'émis (PDF)"), "cotisations/avoirs", credit_notes),
    ):
        for record in records.exclude(pdf=None).order_by("pk").only("pk", "number", "pdf"):
            if record.pdf:
                files.append(
                    ArchiveFile(
                        f"{folder}/{safe_name(record.number)}.pdf",
                        bytes(record.pdf),
                        description % {"number": record.number},
                    )
                )
    return files
