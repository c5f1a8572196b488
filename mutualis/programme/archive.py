"""The programme's part of a commune's archive: its participation in each programme."""

from mutualis.core.archive import ArchiveFile, csv_file
from mutualis.programme.models import Participation


def commune_archive(commune) -> list[ArchiveFile]:
    rows = Participation.objects.filter(commune=commune).select_related("programme")
    return [
        csv_file(
            "programme/participations.csv",
            ["programme", "co-construction", "lettre d'engagement signée le"],
            ((p.programme.name, p.co_construction, p.commitment_letter_date) for p in rows),
            "Participation aux programmes (co-construction, lettre d'engagement)",
        )
    ]
