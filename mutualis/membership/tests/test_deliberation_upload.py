"""Uploading a deliberation fills the form from the reader; the confirmed values are checked again
and stored with their findings; the PDF read is kept; bad files are refused; no commune records
for another."""

from datetime import date
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from mutualis.core.models import AuditEvent
from mutualis.membership.models import Deliberation
from mutualis.membership.tests.pdf_helpers import text_pdf

pytestmark = pytest.mark.django_db

URL = "/adhesions/communes/31402/deliberations/nouvelle/"
SEED = Path(__file__).with_name("documents") / "odars-2024-05-04.txt"
# The same council, another deliberation: the seed renumbered (the seed itself is in the demo).
SEED_TEXT = SEED.read_text(encoding="utf-8").replace("N°2024-05-04", "N°2024-05-09")
PDF_LINES = [
    "MAIRIE D'ODARS",
    "DÉLIBÉRATION DU CONSEIL MUNICIPAL N° 2024-09-02",
    "Séance du 2 septembre 2024",
    "Date de convocation : 27 août 2024",
    "Présents : Patrice ARSÉGUEL, Jacques DECROIX, Cécile FAURE",
    "Secrétaire de séance : Jacques DECROIX",
    "Objet : Services avancés",
    "Pour : 3 Contre : 0 Abstention : 0",
]


def _upload(client, name, content, url=URL):
    return client.post(url, {"step": "read", "document": SimpleUploadedFile(name, content)})


def _confirm_data(form, **changes):
    """What the browser posts back: the form's initial values, as text, with the user's edits."""
    data = {"step": "confirm", "purpose": "join_base"}
    for name, value in form.initial.items():
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, date):
            data[name] = value.isoformat()
        else:
            data[name] = str(value)
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_a_text_upload_fills_the_form_and_shows_the_findings(client, odars_manager):
    client.force_login(odars_manager)
    before = Deliberation.objects.count()
    response = _upload(client, "odars.txt", SEED_TEXT.encode("utf-8"))
    assert response.status_code == 200
    initial = response.context["form"].initial
    assert initial["number"] == "2024-05-09"
    assert initial["session_date"] == date(2024, 5, 22)
    assert initial["convocation_date"] == date(2024, 5, 17)
    assert initial["president"] == "Patrice ARSÉGUEL"
    assert initial["members_in_office"] == 14 and initial["present_count"] == 10
    assert len(initial["present"].splitlines()) == 9
    assert "BERTHELOT Béatrice ; ARSEGUEL Patrice" in initial["represented"].splitlines()
    assert (initial["votes_for"], initial["votes_against"], initial["votes_abstention"]) == (
        13,
        0,
        0,
    )
    assert initial["subject"] == "MUTUALISATION DSI SICOVAL"
    # What the reader does not read stays empty, and a text file is not kept as the signed PDF.
    for unread in ("purpose", "publication_date", "prefecture_ack_number", "upload_token"):
        assert unread not in initial
    html = response.content.decode()
    assert "10 présents annoncés, 9 noms listés." in html and "(present_count_mismatch)" in html
    assert "(members_named_mismatch)" in html
    assert "Lu dans « odars.txt »" in html
    assert "semble être celui de" not in html
    assert Deliberation.objects.count() == before  # nothing written before confirmation


def test_confirmation_rechecks_the_corrected_values_and_stores_the_findings(
    client, odars_manager, odars
):
    client.force_login(odars_manager)
    form = _upload(client, "odars.txt", SEED_TEXT.encode("utf-8")).context["form"]
    # The user adds the tenth present member the document forgot to name.
    present = form.initial["present"] + "\nRIVIÈRE Paul"
    response = client.post(URL, _confirm_data(form, present=present))
    assert response.status_code == 302
    deliberation = Deliberation.objects.get(commune=odars, number="2024-05-09")
    assert len(deliberation.present) == 10
    assert deliberation.findings == []  # 10 announced, 10 named, 14 named in all
    assert not deliberation.pdf
    entry = AuditEvent.objects.filter(action="membership.deliberation_recorded").latest("pk")
    assert entry.actor == odars_manager and "2024-05-09" in entry.summary


def test_confirmation_keeps_the_errors_the_values_still_have(client, odars_manager, odars):
    client.force_login(odars_manager)
    form = _upload(client, "odars.txt", SEED_TEXT.encode("utf-8")).context["form"]
    response = client.post(URL, _confirm_data(form, votes_for="20", unanimous=None))
    assert response.status_code == 302
    deliberation = Deliberation.objects.get(commune=odars, number="2024-05-09")
    codes = [f["code"] for f in deliberation.findings]
    assert codes == ["present_count_mismatch", "members_named_mismatch", "votes_exceed_voters"]
    assert deliberation.errors[0]["message"].startswith("20 voix")


def test_an_uploaded_pdf_is_kept_as_the_signed_pdf(client, odars_manager, odars):
    client.force_login(odars_manager)
    content = text_pdf(PDF_LINES)
    response = _upload(client, "délibération signée.pdf", content)
    form = response.context["form"]
    assert form.initial["number"] == "2024-09-02"
    assert form.initial["session_date"] == date(2024, 9, 2)
    assert "upload_token" in form.initial
    assert "Ce PDF sera conservé" in response.content.decode()
    [pending] = client.session["membership_deliberation_uploads"].values()
    assert default_storage.exists(pending["name"])
    response = client.post(URL, _confirm_data(form, purpose="apply_advanced"))
    assert response.status_code == 302
    deliberation = Deliberation.objects.get(commune=odars, number="2024-09-02")
    with deliberation.pdf.open("rb") as handle:
        assert handle.read() == content
    assert not default_storage.exists(pending["name"])  # the pending copy is gone
    assert client.session["membership_deliberation_uploads"] == {}
    served = client.get(f"/adhesions/deliberations/{deliberation.pk}/document.pdf")
    assert b"".join(served.streaming_content) == content


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("scan.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "ni un texte ni un PDF"),
        ("vide.txt", b"", "est vide"),
        ("blancs.txt", b"   \n\n  ", "aucun texte"),
        ("casse.pdf", b"%PDF-1.4\nce n'est pas un PDF", "n'a pas pu être lu"),
    ],
)
def test_bad_files_are_refused_with_a_message_naming_them(
    client, odars_manager, name, content, problem
):
    client.force_login(odars_manager)
    before = Deliberation.objects.count()
    response = _upload(client, name, content)
    assert response.status_code == 200
    message = " ".join(response.context["upload"].errors["document"])
    assert f"« {name} »" in message and problem in message
    assert "membership_deliberation_uploads" not in client.session
    assert Deliberation.objects.count() == before


def test_a_document_of_another_commune_is_flagged(client, odars_manager):
    client.force_login(odars_manager)
    text = SEED_TEXT.replace("ODARS", "LABÈGE").replace("Odars", "Labège")
    html = _upload(client, "labege.txt", text.encode("utf-8")).content.decode()
    assert "semble être celui de « Labège », pas d&#x27;Odars" in html


def test_labege_cannot_upload_or_record_for_odars(client, labege_manager, odars):
    client.force_login(labege_manager)
    before = Deliberation.objects.count()
    assert _upload(client, "odars.txt", SEED_TEXT.encode("utf-8")).status_code == 404
    response = client.post(
        URL,
        {
            "step": "confirm",
            "purpose": "join_base",
            "number": "2024-05-09",
            "subject": "x",
            "session_date": "2024-05-22",
        },
    )
    assert response.status_code == 404
    assert b"Odars" not in response.content
    assert Deliberation.objects.count() == before


def test_an_agent_cannot_upload(client, odars_agent):
    client.force_login(odars_agent)
    assert _upload(client, "odars.txt", SEED_TEXT.encode("utf-8")).status_code == 403


def test_a_pdf_read_for_one_commune_cannot_be_attached_to_another(client, coordinator, odars):
    client.force_login(coordinator)
    labege_url = "/adhesions/communes/31254/deliberations/nouvelle/"
    form = _upload(client, "d.pdf", text_pdf(PDF_LINES), url=labege_url).context["form"]
    # The token is valid only for the commune it was read for.
    response = client.post(URL, _confirm_data(form, purpose="other"))
    assert response.status_code == 200
    assert "n'est plus disponible" in " ".join(response.context["form"].errors["pdf"])
    assert not Deliberation.objects.filter(commune=odars, number="2024-09-02").exists()


def test_a_file_with_the_pdf_magic_later_than_its_first_byte_is_not_a_pdf():
    from django import forms

    from mutualis.membership.forms import PdfField

    with pytest.raises(forms.ValidationError, match="n'est pas un PDF"):
        PdfField().clean(SimpleUploadedFile("faux.pdf", b"<html>%PDF-1.4 ...</html>"))
