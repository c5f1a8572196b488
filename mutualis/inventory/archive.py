"""The inventory part of a commune's archive: its equipment and its business software."""

from mutualis.core.archive import ArchiveFile, records_csv
from mutualis.inventory.models import Asset, BusinessSoftware


def commune_archive(commune) -> list[ArchiveFile]:
    return [
        records_csv(
            "inventaire/materiels.csv",
            Asset.objects.filter(commune=commune),
            "Matériels de la commune (y compris ceux retirés)",
        ),
        records_csv(
            "inventaire/logiciels-metier.csv",
            BusinessSoftware.objects.filter(commune=commune),
            "Logiciels métier de la commune",
        ),
    ]
