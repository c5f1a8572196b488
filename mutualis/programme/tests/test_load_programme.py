import pytest
from django.core.management import CommandError, call_command

from mutualis.programme.models import Programme, ProgrammeVersion
from mutualis.programme.tests.test_schema import SICOVAL


@pytest.mark.django_db
def test_unchanged_file_adds_no_version(tmp_path, capsys):
    path = tmp_path / "p.toml"
    path.write_text(SICOVAL)
    call_command("load_programme", str(path))
    assert "inchangé" in capsys.readouterr().out
    assert ProgrammeVersion.objects.count() == 1


@pytest.mark.django_db
def test_changed_file_makes_a_new_version_and_old_stays_readable(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text(SICOVAL.replace('annual_cost = "52000.00"', 'annual_cost = "54000.00"'))
    call_command("load_programme", str(path))
    programme = Programme.objects.get(slug="sicoval-2024")
    versions = list(programme.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert str(versions[0].spec.referent.annual_cost) == "52000.00"
    assert str(programme.spec.referent.annual_cost) == "54000.00"


@pytest.mark.django_db
def test_bad_file_is_refused_and_nothing_is_stored(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text(SICOVAL.replace("end = 2027-06-30", "end = 2020-01-01"))
    with pytest.raises(CommandError, match="Rien n'a été enregistré"):
        call_command("load_programme", str(path))
    assert ProgrammeVersion.objects.count() == 1


@pytest.mark.django_db
def test_participation_csv_is_all_or_nothing(tmp_path):
    from mutualis.programme.models import Participation

    path = tmp_path / "p.csv"
    path.write_text(
        "insee_code,co_construction,commitment_letter_date\n31227,oui,2024-01-10\n31171,oui,10/01/2024\n"
    )
    with pytest.raises(CommandError, match="ligne 3, colonne commitment_letter_date"):
        call_command("import_participations", str(path))
    assert not Participation.objects.get(commune__insee_code="31227").co_construction
