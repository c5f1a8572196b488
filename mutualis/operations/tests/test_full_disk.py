"""A full media disk: every upload answers a French message, never a 500, and the database change
and the files are all or nothing."""

import errno
from contextlib import contextmanager
from html import unescape
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile

from mutualis.core.models import AuditEvent
from mutualis.cyber.models import Diagnostic, Evidence, MeasureStatus, PlanMeasure
from mutualis.information.models import Document, Message, Thread
from mutualis.membership.models import Deliberation
from mutualis.membership.tests.pdf_helpers import text_pdf
from mutualis.purchasing.models import NegotiatedOffer, OfferDocument
from mutualis.support.models import SupportRequest

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
FULL = "n'a pas pu être enregistré (stockage indisponible ou plein)"


@contextmanager
def full_disk(*, after: int = 0):
    """The media storage fails with ENOSPC once `after` files have been saved."""
    original = FileSystemStorage._save
    saved = []

    def _save(self, name, content):
        if len(saved) >= after:
            raise OSError(errno.ENOSPC, "No space left on device")
        saved.append(name)
        return original(self, name, content)

    with mock.patch.object(FileSystemStorage, "_save", _save):
        yield


def _media_files() -> set[Path]:
    return {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}


def _pdf(name="piece.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _flashed(client, response) -> str:
    assert response.status_code == 302, response.status_code
    return unescape(client.get(response["Location"], follow=True).content.decode())


def test_a_message_whose_second_attachment_fails_leaves_no_thread_and_no_file(client, referent):
    client.force_login(referent)
    before, threads = _media_files(), Thread.objects.count()
    with full_disk(after=1):
        response = client.post(
            "/information/echanges/nouveau/",
            {"title": "Sauvegardes", "body": "Nos essais", "attachments": [_pdf("a.pdf"), _pdf()]},
            HTTP_REFERER="http://testserver/information/echanges/nouveau/",
        )
    assert FULL in _flashed(client, response)
    assert Thread.objects.count() == threads and not Message.objects.filter(body="Nos essais")
    assert _media_files() == before


def test_a_library_document_upload_on_a_full_disk_is_refused_in_french(client, coordinator):
    client.force_login(coordinator)
    documents = Document.objects.count()
    with full_disk():
        response = client.post(
            "/information/documents/nouveau/",
            {
                "title": "Guide",
                "kind": "guide",
                "audience": "all",
                "to_managers": "on",
                "file": _pdf(),
            },
            HTTP_REFERER="http://testserver/information/documents/nouveau/",
        )
    assert FULL in _flashed(client, response)
    assert Document.objects.count() == documents


def test_a_support_request_on_a_full_disk_is_refused_in_french(client, odars_manager, odars):
    client.force_login(odars_manager)
    requests = SupportRequest.objects.count()
    with full_disk():
        response = client.post(
            "/support/nouvelle/",
            {
                "commune": odars.pk,
                "category": "platform",
                "urgency": "normal",
                "subject": "Disque",
                "description": "x",
                "attachments": [_pdf()],
            },
        )
    assert FULL in _flashed(client, response)
    assert SupportRequest.objects.count() == requests


def test_cyber_evidence_on_a_full_disk_commits_neither_the_measure_nor_its_audit(
    client, odars_manager, odars
):
    diagnostic = Diagnostic.objects.completed().get(commune=odars)
    measure = PlanMeasure.objects.filter(diagnostic=diagnostic, status=MeasureStatus.TODO).last()
    client.force_login(odars_manager)
    events = AuditEvent.objects.count()
    with full_disk():
        response = client.post(
            f"/cybersecurite/mesures/{measure.pk}/",
            {"status": "in_progress", "owner": "Martine", "notes": "", "justification": "",
             "evidence": _pdf()},
        )  # fmt: skip
    assert response.status_code == 400 and FULL in unescape(response.content.decode())
    measure.refresh_from_db()
    assert (measure.status, measure.owner) == (MeasureStatus.TODO, "")
    assert AuditEvent.objects.count() == events
    assert not Evidence.objects.filter(plan_measure=measure).exists()


def test_a_purchasing_document_on_a_full_disk_is_refused_in_french(client, coordinator):
    offer = NegotiatedOffer.objects.first()
    client.force_login(coordinator)
    documents = OfferDocument.objects.count()
    with full_disk():
        response = client.post(
            f"/achats/offres/{offer.pk}/documents/",
            {"title": "Bordereau", "file": _pdf()},
            HTTP_REFERER=f"http://testserver/achats/offres/{offer.pk}/",
        )
    assert FULL in _flashed(client, response)
    assert OfferDocument.objects.count() == documents


DELIBERATION = "/adhesions/communes/31402/deliberations/nouvelle/"
PDF_LINES = [
    "MAIRIE D'ODARS",
    "DÉLIBÉRATION DU CONSEIL MUNICIPAL N° 2024-09-02",
    "Séance du 2 septembre 2024",
    "Présents : Patrice ARSÉGUEL, Jacques DECROIX, Cécile FAURE",
    "Objet : Services avancés",
    "Pour : 3 Contre : 0 Abstention : 0",
]


def test_the_deliberation_read_step_on_a_full_disk_is_refused_in_french(client, odars_manager):
    client.force_login(odars_manager)
    before = _media_files()
    with full_disk():
        response = client.post(
            DELIBERATION,
            {"step": "read", "document": SimpleUploadedFile("d.pdf", text_pdf(PDF_LINES))},
            HTTP_REFERER=f"http://testserver{DELIBERATION}",
        )
    assert FULL in _flashed(client, response)
    assert _media_files() == before


def test_a_deliberation_confirmed_on_a_full_disk_is_not_recorded(client, odars_manager, odars):
    client.force_login(odars_manager)
    data = {
        "step": "confirm",
        "purpose": "join_base",
        "number": "2024-09-02",
        "subject": "Services avancés",
        "session_date": "2024-09-02",
        "pdf": SimpleUploadedFile("d.pdf", text_pdf(PDF_LINES)),
    }
    with full_disk():
        response = client.post(DELIBERATION, data, HTTP_REFERER=f"http://testserver{DELIBERATION}")
    assert FULL in _flashed(client, response)
    assert not Deliberation.objects.filter(commune=odars, number="2024-09-02").exists()
