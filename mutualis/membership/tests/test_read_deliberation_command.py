import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command

DOCUMENTS = Path(__file__).parent / "documents"


def _run(path, capsys):
    call_command("read_deliberation", str(path), "--json")
    return json.loads(capsys.readouterr().out)


@pytest.mark.django_db
def test_the_seed_reads_as_the_issue_states(capsys):
    data = _run(DOCUMENTS / "odars-2024-05-04.txt", capsys)
    assert data["commune"] == "Odars"
    assert data["number"] == "2024-05-04"
    assert (data["session_date"], data["convocation_date"]) == ("2024-05-22", "2024-05-17")
    assert data["president"] == "Patrice ARSÉGUEL"
    assert data["secretary"] == "DECROIX Jacques"
    assert data["members_in_office"] == 14
    assert (len(data["present"]), data["present_count"]) == (9, 10)
    assert (len(data["represented"]), data["represented_count"]) == (3, 3)
    assert data["absent"] == ["MERLE Laure"]
    assert data["votes"] == {"for": 13, "against": 0, "abstention": 0}
    assert data["subject"] == "MUTUALISATION DSI SICOVAL"
    codes = {f["code"]: f["severity"] for f in data["findings"]}
    assert codes == {"present_count_mismatch": "warning", "members_named_mismatch": "warning"}


@pytest.mark.django_db
def test_commune_outside_the_database_is_skipped_not_guessed(capsys):
    data = _run(DOCUMENTS / "syndicat-eaux-comite-2022-10-12.txt", capsys)
    assert "commune_unknown" in {f["code"] for f in data["findings"]}


@pytest.mark.django_db
def test_known_commune_gets_the_population_checks(capsys, tmp_path):
    # A Sicoval commune of the demo, convened the day before the session: too late.
    text = (DOCUMENTS / "odars-2024-05-04.txt").read_text().replace("17 mai 2024", "21 mai 2024")
    path = tmp_path / "late.txt"
    path.write_text(text)
    data = _run(path, capsys)
    assert "convocation_too_late" in {f["code"] for f in data["findings"]}


def test_unreadable_file_exits_2_with_a_message(tmp_path, capsys):
    path = tmp_path / "image.bin"
    path.write_bytes(b"\x00\x01\x02\xff" * 50)
    with pytest.raises(SystemExit) as exit_info:
        call_command("read_deliberation", str(path), "--json")
    assert exit_info.value.code == 2
    assert "ni un texte ni un PDF" in capsys.readouterr().err


def test_corpus_of_a_folder_without_expected_files_or_no_folder_is_refused(tmp_path):
    from django.core.management.base import CommandError

    (tmp_path / "lone.txt").write_text("Présents : Anne ROUX")
    with pytest.raises(CommandError, match=r"expected\.json"):
        call_command("read_deliberation", "--corpus", str(tmp_path))
    with pytest.raises(CommandError, match="pas un dossier"):
        call_command("read_deliberation", "--corpus", str(tmp_path / "absent"))
    with pytest.raises(CommandError, match="--corpus"):
        call_command("read_deliberation")


def test_corpus_names_each_misread_field_with_what_was_read(tmp_path, capsys):
    (tmp_path / "d.txt").write_text("Présents : Anne ROUX, Paul BRU\nEn exercice : 3\n")
    expected = {
        "layout": "test", "commune": None, "number": None, "session_date": None,
        "convocation_date": None, "president": None, "secretary": None,
        "members_in_office": 4, "present": ["Paul BRU", "Anne ROUX"], "present_count": None,
        "represented": [], "represented_count": None, "absent": [], "voters": None,
        "expressed": None, "votes": {"for": None, "against": None, "abstention": None},
        "subject": None, "findings": ["field_unreadable"],
    }  # fmt: skip
    (tmp_path / "d.expected.json").write_text(json.dumps(expected))
    call_command("read_deliberation", "--corpus", str(tmp_path), "--errors")
    out = capsys.readouterr().out
    assert "members_in_office attendu 4, lu 3" in out
    assert re.search(r"present +100\.0%", out)
    assert "Exactitude globale : 94.7%" in out
