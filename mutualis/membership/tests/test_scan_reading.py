"""Scanned deliberations are read by OCR outside the web request: the upload queues them and
answers at once, the scheduled command reads them one claimed at a time, the person confirms the
pre-filled form; uploads nobody confirms are cleaned up, never a deliberation's PDF."""

import io
import json
import os
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from mutualis.core.models import AuditEvent
from mutualis.membership import readings
from mutualis.membership.deliberations import pdf
from mutualis.membership.models import Deliberation, ScanReading
from mutualis.membership.tests.pdf_helpers import text_pdf
from mutualis.membership.tests.test_deliberation_upload import PDF_LINES, _confirm_data
from mutualis.operations.testing import ROOT, instance_env, mutualis

pytestmark = pytest.mark.django_db

ODARS_URL = "/adhesions/communes/31402/deliberations/nouvelle/"
LABEGE_URL = "/adhesions/communes/31254/deliberations/nouvelle/"
# PDF_LINES (Odars, n° 2024-09-02) printed, scanned at 150 dpi: one page image, no text layer.
SCAN = Path(__file__).with_name("documents") / "odars-2024-09-02-scan.pdf"
Status = ScanReading.Status


@pytest.fixture
def ocr():
    if not pdf._ocr_available():
        pytest.skip("OCR needs Debian's tesseract-ocr, tesseract-ocr-fra and poppler-utils")


def _upload(client, name="scan.pdf", content=None, url=ODARS_URL):
    content = SCAN.read_bytes() if content is None else content
    return client.post(url, {"step": "read", "document": SimpleUploadedFile(name, content)})


def _queued(client, user, **kwargs) -> ScanReading:
    client.force_login(user)
    response = _upload(client, **kwargs)
    scan = ScanReading.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == f"/adhesions/deliberations/lectures/{scan.pk}/"
    return scan


def _queue_text_pdf(odars, user, number: int) -> ScanReading:
    """A queued reading whose PDF has a text layer: the job reads it at once (no OCR needed),
    which lets the claim tests run anywhere and fast."""
    lines = [line.replace("2024-09-02", f"2024-09-{number:02d}") for line in PDF_LINES]
    document = ContentFile(text_pdf(lines), name=f"d{number}.pdf")
    return readings.queue_scan(commune=odars, document=document, by=user)


# --- the upload ---------------------------------------------------------------------------------


def test_a_pdf_with_a_text_layer_is_still_read_in_the_request(client, odars_manager):
    client.force_login(odars_manager)
    before = ScanReading.objects.count()
    started = time.monotonic()
    response = _upload(client, "texte.pdf", text_pdf(PDF_LINES))
    assert time.monotonic() - started < 5
    assert response.status_code == 200
    assert response.context["form"].initial["number"] == "2024-09-02"
    assert "upload_token" in response.context["form"].initial
    assert ScanReading.objects.count() == before


def test_a_scan_is_queued_and_its_page_says_the_reading_is_in_progress(client, odars_manager):
    before = Deliberation.objects.count()
    scan = _queued(client, odars_manager, name="délibération scannée.pdf")
    assert scan.status == Status.PENDING and scan.commune.insee_code == "31402"
    assert scan.uploaded_by == odars_manager and scan.filename == "délibération scannée.pdf"
    assert scan.pdf.name.startswith("deliberations/pending/")
    with default_storage.open(scan.pdf.name, "rb") as handle:
        assert handle.read() == SCAN.read_bytes()
    page = client.get(f"/adhesions/deliberations/lectures/{scan.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-refresh-seconds="5"' in html and 'http-equiv="refresh"' not in html
    assert 'role="status"' in html and "Lecture en cours" in html
    assert "« délibération scannée.pdf »" in html
    assert Deliberation.objects.count() == before
    entry = AuditEvent.objects.for_object(scan).get()
    assert entry.action == "membership.scan_queued" and entry.commune_insee == "31402"


def test_the_text_layer_is_tried_first_and_ocr_is_left_to_the_job():
    with pytest.raises(pdf.NeedsOcr, match=r"scan\.pdf n'a pas de couche texte"):
        pdf.read_bytes(SCAN.read_bytes(), "scan.pdf", ocr=False)
    assert "MAIRIE D'ODARS" in pdf.read_bytes(text_pdf(PDF_LINES), "t.pdf", ocr=False)


# --- the job ------------------------------------------------------------------------------------


def test_the_job_reads_the_scan_then_the_form_is_prefilled_and_confirmed(
    client, odars_manager, odars, ocr, django_capture_on_commit_callbacks
):
    scan = _queued(client, odars_manager)
    pending = scan.pdf.name
    call_command("read_scanned_deliberations", stdout=io.StringIO())
    scan.refresh_from_db()
    assert scan.status == Status.DONE and scan.attempts == 1 and scan.error == ""
    assert "Jacques DECROIX" in scan.text
    assert scan.result["number"] == "2024-09-02"
    assert scan.result["session_date"] == "2024-09-02"
    assert isinstance(scan.result["findings"], list)

    page = client.get(f"/adhesions/deliberations/lectures/{scan.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and 'http-equiv="refresh"' not in html
    form = page.context["form"]
    assert form.initial["scan"] == scan.pk
    assert form.initial["number"] == "2024-09-02"
    assert form.initial["session_date"] == date(2024, 9, 2)
    assert form.initial["secretary"] == "Jacques DECROIX"
    assert "Lu dans « scan.pdf »" in html and "Ce PDF sera conservé" in html

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ODARS_URL, _confirm_data(form, purpose="apply_advanced"))
    assert response.status_code == 302
    deliberation = Deliberation.objects.get(commune=odars, number="2024-09-02")
    with deliberation.pdf.open("rb") as handle:
        assert handle.read() == SCAN.read_bytes()
    scan.refresh_from_db()
    assert scan.status == Status.CONFIRMED and scan.deliberation == deliberation
    assert not scan.pdf and not default_storage.exists(pending)
    again = client.get(f"/adhesions/deliberations/lectures/{scan.pk}/")
    assert again.status_code == 302
    assert again["Location"] == f"/adhesions/deliberations/{deliberation.pk}/"


@override_settings(MUTUALIS_OCR_IN_REQUEST=True)
def test_without_a_scheduler_the_demo_reads_the_scan_in_the_request(client, odars_manager, ocr):
    scan = _queued(client, odars_manager)
    scan.refresh_from_db()
    assert scan.status == Status.DONE
    page = client.get(f"/adhesions/deliberations/lectures/{scan.pk}/")
    assert page.context["form"].initial["number"] == "2024-09-02"


def test_a_failed_reading_lets_the_person_fill_the_form_by_hand_with_the_pdf_kept(
    client, odars_manager, odars, monkeypatch
):
    scan = _queued(client, odars_manager)
    monkeypatch.setattr(pdf, "_ocr_tools", lambda: None)  # a server without tesseract
    call_command("read_scanned_deliberations", stdout=io.StringIO())
    scan.refresh_from_db()
    assert scan.status == Status.FAILED and "OCR n'est pas installé" in scan.error
    page = client.get(f"/adhesions/deliberations/lectures/{scan.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and 'http-equiv="refresh"' not in html
    assert "La lecture automatique (OCR) de « scan.pdf » a échoué" in html
    assert "OCR n&#x27;est pas installé" in html and "Ce PDF est conservé" in html
    assert page.context["form"].initial == {"scan": scan.pk}
    data = {
        "step": "confirm",
        "scan": str(scan.pk),
        "purpose": "apply_advanced",
        "number": "2024-09-02",
        "subject": "Services avancés",
        "session_date": "2024-09-02",
        "present": "Patrice ARSÉGUEL\nJacques DECROIX\nCécile FAURE",
    }
    assert client.post(ODARS_URL, data).status_code == 302
    deliberation = Deliberation.objects.get(commune=odars, number="2024-09-02")
    with deliberation.pdf.open("rb") as handle:
        assert handle.read() == SCAN.read_bytes()
    scan.refresh_from_db()
    assert scan.status == Status.CONFIRMED


def test_a_page_without_any_text_fails_with_a_clear_message(odars, odars_manager, ocr):
    blank = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    scan = readings.queue_scan(
        commune=odars, document=ContentFile(blank, name="blanc.pdf"), by=odars_manager
    )
    [outcome] = readings.read_scans()
    assert outcome.scan.pk == scan.pk
    scan.refresh_from_db()
    assert scan.status == Status.FAILED and scan.error == "l'OCR n'a lu aucun texte dans ce PDF."


def test_each_document_has_a_time_limit(client, odars_manager, ocr):
    scan = _queued(client, odars_manager)
    readings.read_scans(timeout=0.01)
    scan.refresh_from_db()
    assert scan.status == Status.FAILED
    assert scan.error == "L'OCR du PDF a dépassé le délai de 0.01 secondes."


# --- claims -------------------------------------------------------------------------------------


def test_a_claimed_reading_is_not_claimed_twice_and_a_dead_claim_is_taken_again(
    odars, odars_manager
):
    first = _queue_text_pdf(odars, odars_manager, 10)
    second = _queue_text_pdf(odars, odars_manager, 11)
    assert readings.claim_next().pk == first.pk
    assert readings.claim_next().pk == second.pk
    assert readings.claim_next() is None  # both running
    # A process died while reading the first: after the timeout and the margin, it is free again.
    stale = timezone.now() - timedelta(seconds=301) - readings.STALE_MARGIN
    ScanReading.objects.filter(pk=first.pk).update(started_at=stale)
    again = readings.claim_next()
    assert again.pk == first.pk and again.attempts == 2
    # The dead process's result comes too late: the new claim's attempt is the one that counts.
    first.refresh_from_db()
    first.attempts = 1
    assert not readings._finish(first, status=Status.DONE)
    # Interrupted again and again, it fails instead of being tried forever.
    ScanReading.objects.filter(pk=first.pk).update(started_at=stale, attempts=3)
    assert readings.claim_next() is None
    first.refresh_from_db()
    assert first.status == Status.FAILED and "interrompue plusieurs fois" in first.error


def test_the_command_reads_every_waiting_document_once(odars, odars_manager):
    scans = [_queue_text_pdf(odars, odars_manager, n) for n in (12, 13)]
    call_command("read_scanned_deliberations", stdout=io.StringIO())
    for scan in scans:
        scan.refresh_from_db()
        assert (scan.status, scan.attempts) == (Status.DONE, 1)
    assert [s.result["number"] for s in scans] == ["2024-09-12", "2024-09-13"]
    assert readings.read_scans() == []  # nothing left: a second run does nothing


@pytest.mark.django_db(transaction=True)
def test_several_processes_read_each_document_exactly_once(committed_demo, monkeypatch):
    if connection.vendor == "sqlite":
        pytest.skip(
            "SQLite serialises every write transaction (IMMEDIATE mode): SKIP LOCKED claims are "
            "proven on PostgreSQL (.ci/run)"
        )
    from mutualis.accounts.models import User
    from mutualis.territory.models import Commune

    odars = Commune.objects.get(insee_code="31402")
    manager = User.objects.get(username="odars-manager")
    queued = {_queue_text_pdf(odars, manager, n).pk for n in range(14, 20)}
    real_read = readings.read_bytes

    def slow_read(*args, **kwargs):  # widen the race: each reading holds its claim a while
        time.sleep(0.3)
        return real_read(*args, **kwargs)

    monkeypatch.setattr(readings, "read_bytes", slow_read)
    barrier = threading.Barrier(3)
    read: list[int] = []

    def worker():
        try:
            barrier.wait()
            read.extend(outcome.scan.pk for outcome in readings.read_scans())
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(read) == sorted(queued)  # every one read, none twice
    assert set(ScanReading.objects.filter(pk__in=queued).values_list("status", "attempts")) == {
        (Status.DONE, 1)
    }


QUEUE_SCRIPT = """
from django.core.files.base import ContentFile
from mutualis.accounts.models import User
from mutualis.membership import readings
from mutualis.membership.tests.pdf_helpers import text_pdf
from mutualis.territory.models import Commune
commune = Commune.objects.create(insee_code="31402", name="Odars")
user = User.objects.create(username="odars-manager")
for n in range(8):
    document = ContentFile(text_pdf([f"N° 2024-{n}"]), name=f"{n}.pdf")
    readings.queue_scan(commune=commune, document=document, by=user)
"""

READ_SCRIPT = """
import json, time
from mutualis.membership import readings
real_read = readings.read_bytes
def slow_read(*args, **kwargs):  # widen the race: each reading holds its claim a while
    time.sleep(0.2)
    return real_read(*args, **kwargs)
readings.read_bytes = slow_read
time.sleep(max(0, {start} - time.time()))
print(json.dumps([outcome.scan.pk for outcome in readings.read_scans()]))
"""


def test_several_processes_on_sqlite_read_each_document_exactly_once(tmp_path):
    env = instance_env(tmp_path)
    mutualis("migrate", "-v0", env=env)
    mutualis("shell", "-v0", "-c", QUEUE_SCRIPT, env=env)
    code = READ_SCRIPT.format(start=time.time() + 4)
    command = [sys.executable, "-m", "mutualis", "shell", "-v0", "-c", code]
    running = [
        subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(3)
    ]
    read = []
    for process in running:
        out, err = process.communicate(timeout=180)
        assert process.returncode == 0, err.decode()
        read += json.loads(out.decode().strip().splitlines()[-1])
    assert sorted(read) == list(range(1, 9))  # every one read, none twice


# --- cleanup ------------------------------------------------------------------------------------


def _age(name: str, days: int) -> None:
    """Make a stored file look `days` old."""
    moment = time.time() - days * 86400
    os.utime(default_storage.path(name), (moment, moment))


def test_cleanup_removes_old_unconfirmed_uploads_and_never_a_deliberations_pdf(
    client, odars, odars_manager
):
    old = _queue_text_pdf(odars, odars_manager, 20)
    recent = _queue_text_pdf(odars, odars_manager, 21)
    ScanReading.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    # A text-layer PDF kept in a session whose form was abandoned: no record references it.
    orphan = default_storage.save("deliberations/pending/2024/abandonne.pdf", ContentFile(b"%PDF-"))
    fresh_orphan = default_storage.save(
        "deliberations/pending/2024/frais.pdf", ContentFile(b"%PDF-")
    )
    # A deliberation's signed PDF stored among the pending ones: a legal document, never removed.
    legal = default_storage.save("deliberations/pending/2024/signee.pdf", ContentFile(b"%PDF-"))
    deliberation = Deliberation.objects.filter(commune=odars).first()
    Deliberation.objects.filter(pk=deliberation.pk).update(pdf=legal)
    for name in (orphan, legal):
        _age(name, 30)

    call_command("clean_deliberation_uploads", stdout=io.StringIO())

    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.status == Status.EXPIRED and not old.pdf and old.expired_at
    assert recent.status == Status.PENDING and default_storage.exists(recent.pdf.name)
    assert not default_storage.exists(orphan)
    assert default_storage.exists(fresh_orphan) and default_storage.exists(legal)
    expired = AuditEvent.objects.for_object(old).get(action="membership.scan_expired")
    assert expired.commune_insee == "31402" and "jamais confirmé en 7 jours" in expired.summary
    removed = AuditEvent.objects.get(action="membership.pending_upload_removed")
    assert removed.changes["file"] == orphan
    # Its page says what happened; a second run finds nothing more to remove.
    client.force_login(odars_manager)
    html = client.get(f"/adhesions/deliberations/lectures/{old.pk}/").content.decode()
    assert "le PDF déposé a été supprimé" in html and 'http-equiv="refresh"' not in html
    summary = readings.clean_pending_uploads()
    assert (summary.expired, summary.orphans) == ([], [])
    default_storage.delete(fresh_orphan)


# --- who sees what ------------------------------------------------------------------------------


def test_only_those_who_may_upload_for_the_commune_see_its_reading(
    client, odars_manager, coordinator, labege_manager, labege_it, odars_agent
):
    scan = _queued(client, odars_manager)
    url = f"/adhesions/deliberations/lectures/{scan.pk}/"
    client.force_login(coordinator)
    assert client.get(url).status_code == 200
    for outsider in (labege_manager, labege_it):
        client.force_login(outsider)
        response = client.get(url)
        assert response.status_code == 404 and b"Odars" not in response.content
    client.force_login(odars_agent)  # of the commune, but may not record its deliberations
    assert client.get(url).status_code == 403


def test_another_commune_cannot_record_with_odars_reading(
    client, odars_manager, coordinator, labege_manager, odars
):
    scan = _queued(client, odars_manager)
    ScanReading.objects.filter(pk=scan.pk).update(status=Status.FAILED, error="test")
    data = {
        "step": "confirm",
        "scan": str(scan.pk),
        "purpose": "other",
        "number": "2024-09-02",
        "subject": "Services avancés",
        "session_date": "2024-09-02",
    }
    for user in (labege_manager, coordinator):
        client.force_login(user)
        response = client.post(LABEGE_URL, data)
        assert response.status_code == 200
        assert "n'est plus disponible" in " ".join(response.context["form"].errors["pdf"])
    scan.refresh_from_db()
    assert scan.status == Status.FAILED and default_storage.exists(scan.pdf.name)
    assert not Deliberation.objects.filter(number="2024-09-02").exists()
