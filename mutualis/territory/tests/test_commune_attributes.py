import contextlib

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from mutualis.territory.attributes import CsvFormatError, parse_attributes
from mutualis.territory.models import Commune


def test_it_reads_semicolon_csv_with_french_booleans():
    rows = parse_attributes(
        "insee_code;has_it_department;council_seats\n31402;non;15\n31254;oui;27\n"
    )
    assert [(r.insee_code, r.has_it_department, r.council_seats) for r in rows] == [
        ("31402", False, 15),
        ("31254", True, 27),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("insee_code,council_seats\n31402,quinze\n", "ligne 2, colonne council_seats"),
        ("insee_code,has_it_department\n31402,peut-être\n", "ligne 2, colonne has_it_department"),
        ("insee_code\n31402\n3140\n", "ligne 3, colonne insee_code"),
        ("insee_code\n31402\n31402\n", "en double"),
        ("code\n31402\n", "colonne obligatoire absente : insee_code"),
        ("insee_code,colour\n31402,red\n", "colonne inconnue : colour"),
    ],
)
def test_bad_csv_is_refused_naming_line_and_column(text, expected):
    with pytest.raises(CsvFormatError) as error:
        parse_attributes(text)
    assert expected in str(error.value)


@pytest.mark.django_db
def test_unknown_commune_refuses_whole_file(tmp_path):
    path = tmp_path / "attrs.csv"
    path.write_text("insee_code,council_seats\n31402,12\n99999,10\n")
    with pytest.raises(CommandError, match=r"ligne 3.*99999"):
        call_command("import_commune_attributes", str(path))
    assert Commune.objects.get(insee_code="31402").council_seats == 15


@pytest.mark.django_db
def test_import_records_each_change_in_the_audit_trail(tmp_path):
    from mutualis.core.models import AuditEvent

    path = tmp_path / "attrs.csv"
    path.write_text("insee_code,mayor_name\n31402,Nouveau Maire\n")
    call_command("import_commune_attributes", str(path))
    assert Commune.objects.get(insee_code="31402").mayor_name == "Nouveau Maire"
    assert (
        AuditEvent.objects.for_commune("31402").filter(action="commune.attributes_changed").exists()
    )


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_parser_never_crashes(text):
    with contextlib.suppress(CsvFormatError):
        parse_attributes(text)
