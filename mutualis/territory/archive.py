"""The territory's part of a commune's archive: its identity and legal populations."""

from mutualis.core.archive import ArchiveFile, csv_file, json_file


def commune_archive(commune) -> list[ArchiveFile]:
    identity = {
        "code_insee": commune.insee_code,
        "siren": commune.siren,
        "nom": commune.name,
        "département": commune.department,
        "epci": commune.epci.name if commune.epci_id else None,
        "en_activité": commune.is_active,
        "dispose_d_une_dsi": commune.has_it_department,
        "sièges_au_conseil": commune.council_seats,
        "adresse_de_la_mairie": commune.town_hall_address,
        "maire": commune.mayor_name,
    }
    return [
        json_file("commune/commune.json", identity, "Fiche de la commune"),
        csv_file(
            "commune/populations.csv",
            ["millésime", "population totale", "population municipale", "source"],
            (
                (p.vintage, p.total, p.municipal, p.get_source_display())
                for p in commune.populations.order_by("vintage")
            ),
            "Populations légales par millésime",
        ),
    ]
