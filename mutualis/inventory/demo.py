"""Demo: the information systems of a few Sicoval communes (idempotent)."""

from datetime import date

from mutualis.inventory.models import Asset, BusinessSoftware
from mutualis.territory.models import Commune

ODARS_ASSETS = [
    ("site", "Mairie", "16 allée des Pyrénées", "", "", None),
    (
        "workstation",
        "PC-ACCUEIL",
        "Mairie — accueil",
        "Accueil",
        "Windows 10 Pro 22H2",
        date(2018, 9, 3),
    ),
    (
        "workstation",
        "PC-SECRETARIAT",
        "Mairie — secrétariat",
        "Secrétaire générale",
        "Windows 11 Pro 24H2",
        date(2023, 2, 14),
    ),
    (
        "workstation",
        "PC-MAIRE",
        "Mairie — bureau du maire",
        "Maire",
        "Windows 10 Professionnel",
        date(2017, 5, 22),
    ),
    (
        "workstation",
        "PORTABLE-ELUS",
        "Salle du conseil",
        "Élus",
        "Windows 11 Pro 23H2",
        date(2022, 11, 8),
    ),
    (
        "server",
        "NAS-MAIRIE",
        "Mairie — local technique",
        "Secrétaire générale",
        "Debian 11",
        date(2019, 6, 1),
    ),
    ("network", "Box fibre", "Mairie — local technique", "", "", date(2021, 3, 1)),
    ("printer", "Copieur multifonction", "Mairie — couloir", "", "", date(2020, 1, 15)),
    ("internet", "Fibre professionnelle 1 Gb/s", "Mairie", "", "", None),
    ("website", "odars.fr", "Hébergement mutualisé", "Secrétaire générale", "", None),
]
SOFTWARE = {
    "31402": [
        ("civil_status", "Horizon Villages", "JVS-Mairistem", "2024", date(2027, 3, 31), 4),
        ("finance", "Horizon Villages", "JVS-Mairistem", "2024", date(2027, 3, 31), 3),
        ("elections", "Horizon Villages", "JVS-Mairistem", "2024", date(2027, 3, 31), 4),
        ("cemetery", "Tableur", "", "", None, 2),
    ],
    "31254": [
        ("civil_status", "e.magnus", "Berger-Levrault", "7", date(2028, 12, 31), 3),
        ("finance", "e.magnus", "Berger-Levrault", "7", date(2028, 12, 31), 3),
        ("payroll", "e.magnus", "Berger-Levrault", "7", date(2028, 12, 31), 2),
        ("town_planning", "Cart@ds", "Business Geografic", "", date(2026, 12, 31), 4),
    ],
    "31036": [
        ("civil_status", "Coloris", "Cosoluce", "", date(2027, 6, 30), 4),
        ("finance", "Coloris", "Cosoluce", "", date(2027, 6, 30), 4),
    ],
    "31151": [
        ("civil_status", "Horizon Villages", "JVS-Mairistem", "", date(2026, 9, 30), 5),
        ("finance", "e.magnus", "Berger-Levrault", "", None, 2),
    ],
}


def load_inventory_demo(log) -> None:
    communes = Commune.objects.in_bulk(["31402", *SOFTWARE], field_name="insee_code")
    odars = communes["31402"]
    if not Asset.objects.filter(commune=odars).exists():
        Asset.objects.bulk_create(
            Asset(
                commune=odars,
                kind=k,
                name=n,
                location=loc,
                owner=o,
                operating_system=os,
                purchase_date=d,
            )
            for k, n, loc, o, os, d in ODARS_ASSETS
        )
    added = 0
    for insee, rows in SOFTWARE.items():
        for domain, software, vendor, version, end, satisfaction in rows:
            _, created = BusinessSoftware.objects.get_or_create(
                commune=communes[insee],
                domain=domain,
                software=software,
                defaults={
                    "vendor": vendor,
                    "version": version,
                    "contract_end": end,
                    "satisfaction": satisfaction,
                },
            )
            added += created
    log(f"systèmes d'information : {added} logiciels métiers ajoutés")
