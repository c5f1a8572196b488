import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mutualis.inventory.csv_import import parse_inventory
from mutualis.inventory.models import Asset
from mutualis.territory.attributes import CsvFormatError

GOOD = (
    "kind;name;location;operating_system;purchase_date\n"
    "poste;PC-1;Mairie;Windows 10 Pro;12/03/2019\n"
    "serveur;NAS;Local technique;Debian 12;2021-06-01\n"
)


def test_it_reads_our_format_and_glpi_french_headers():
    assert [r.kind for r in parse_inventory(GOOD)] == ["workstation", "server"]
    glpi = "Nom,Type,Lieu,Système d'exploitation - Nom,Date d'achat,Fin de garantie\nPC-2,Ordinateur,Accueil,Windows 11 Pro,01/02/2023,01/02/2026\n"
    (row,) = parse_inventory(glpi)
    assert (row.kind, row.location, row.warranty_end.isoformat()) == (
        "workstation",
        "Accueil",
        "2026-02-01",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kind;name\nposte;PC-1\nfrigo;F-1\n", "ligne 3, colonne kind : type « frigo » inconnu"),
        ("kind;name\nposte;\n", "ligne 2, colonne name : le nom est vide"),
        (
            "kind;name;purchase_date\nposte;PC;31/02/2020\n",
            "ligne 2, colonne purchase_date : « 31/02/2020 » n'est pas une date",
        ),
        ("name\nPC\n", "colonnes « kind »"),
    ],
)
def test_bad_row_is_refused_naming_row_and_column(text, expected):
    with pytest.raises(CsvFormatError) as error:
        parse_inventory(text)
    assert expected in str(error.value)


@pytest.mark.django_db
def test_a_file_with_one_bad_row_imports_nothing(client, odars_manager, odars):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(odars_manager)
    before = Asset.objects.filter(commune=odars).count()
    bad = GOOD + "imprimante;;Couloir;;\n"
    response = client.post(
        "/systeme-information/communes/31402/import/",
        {"file": SimpleUploadedFile("inventaire.csv", bad.encode(), content_type="text/csv")},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "ligne 4, colonne name" in text and "rien n&#x27;a été importé" in text
    assert Asset.objects.filter(commune=odars).count() == before
    ok = client.post(
        "/systeme-information/communes/31402/import/",
        {"file": SimpleUploadedFile("inventaire.csv", GOOD.encode(), content_type="text/csv")},
    )
    assert ok.status_code == 302
    assert Asset.objects.filter(commune=odars).count() == before + 2


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_parser_never_crashes(text):
    with contextlib.suppress(CsvFormatError):
        parse_inventory(text)
