"""Storing referential versions: `load_referential`, and finished diagnostics that never change."""

import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from pdfminer.high_level import extract_text

from mutualis.cyber.models import Diagnostic, ReferentialVersion
from mutualis.cyber.referential import ReferentialError, parse_referential
from mutualis.cyber.services import load_referential_version

SHIPPED = Path(__file__).resolve().parent.parent / "referentials" / "diagnostic-2024.yaml"
TEXT = SHIPPED.read_text(encoding="utf-8")


def changed_text(version: str) -> str:
    # Every question of weight 3 now weighs 1: the same answers score differently.
    return TEXT.replace("    weight: 3\n", "    weight: 1\n").replace('"2024.1"', f'"{version}"')


def test_demo_stored_the_shipped_referential(db):
    stored = ReferentialVersion.objects.get(version="2024.1")
    assert stored.fingerprint == parse_referential(TEXT, source="x").fingerprint()
    assert stored.referential.version == "2024.1"


def test_loading_the_same_file_again_adds_nothing(db, capsys):
    before = ReferentialVersion.objects.count()

    call_command("load_referential", str(SHIPPED))

    assert ReferentialVersion.objects.count() == before
    assert "inchangé" in capsys.readouterr().out


def test_changed_file_under_the_same_version_is_refused(db, tmp_path):
    path = tmp_path / "referentiel.yaml"
    path.write_text(changed_text("2024.1"), encoding="utf-8")

    with pytest.raises(CommandError, match="changez la version"):
        call_command("load_referential", str(path))
    assert ReferentialVersion.objects.filter(version="2024.1").count() == 1


def test_bad_file_is_refused_with_its_line_and_nothing_stored(db, tmp_path):
    path = tmp_path / "referentiel.yaml"
    path.write_text(TEXT.replace("    weight: 2\n", "    weight: deux\n", 1), encoding="utf-8")
    before = ReferentialVersion.objects.count()

    with pytest.raises(CommandError, match=r"ligne \d+.*nombre entier"):
        call_command("load_referential", str(path))
    assert ReferentialVersion.objects.count() == before


def test_new_version_is_stored_and_old_ones_stay(db, tmp_path, capsys):
    path = tmp_path / "referentiel.yaml"
    path.write_text(changed_text("2025.1"), encoding="utf-8")

    call_command("load_referential", str(path))

    assert "2025.1 enregistrée" in capsys.readouterr().out
    assert ReferentialVersion.objects.current().version == "2025.1"
    assert ReferentialVersion.objects.filter(version="2024.1").exists()


def test_service_refuses_same_version_changed_content(db):
    with pytest.raises(ReferentialError):
        load_referential_version(
            referential=parse_referential(changed_text("2024.1"), source="x"), source="x"
        )


def test_finished_diagnostic_page_and_pdf_are_unchanged_by_a_new_version(client, referent, odars):
    diagnostic = Diagnostic.objects.completed().filter(commune=odars).first()
    client.force_login(referent)
    page_before = _main(client.get(f"/cybersecurite/diagnostics/{diagnostic.pk}/"))
    pdf_before = client.get(f"/cybersecurite/diagnostics/{diagnostic.pk}/rapport.pdf").content
    score_before = diagnostic.result()

    load_referential_version(
        referential=parse_referential(changed_text("2025.1"), source="x"), source="x"
    )
    diagnostic.refresh_from_db()

    assert ReferentialVersion.objects.current().version == "2025.1"
    assert diagnostic.result() == score_before
    assert _main(client.get(f"/cybersecurite/diagnostics/{diagnostic.pk}/")) == page_before
    assert "2024.1" in page_before
    pdf_after = client.get(f"/cybersecurite/diagnostics/{diagnostic.pk}/rapport.pdf").content
    assert _text(pdf_after) == _text(pdf_before)
    assert "2024.1" in _text(pdf_after)
    # And it would score differently under the new version: the test can fail.
    new = parse_referential(changed_text("2025.1"), source="x")
    from mutualis.cyber.scoring import score_diagnostic

    assert score_diagnostic(new, diagnostic.answers).overall != score_before.overall


def _main(response) -> str:
    """The page's main content without its per-request CSRF token."""
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", main)


def _text(pdf: bytes) -> str:
    import io

    return extract_text(io.BytesIO(pdf))
