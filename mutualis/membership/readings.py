"""Scanned deliberations read outside the web request: queue the upload, claim and read it by OCR
in a scheduled command, record the deliberation it fills, and clean up what nobody confirmed.

The upload page queues a PDF without text layer (`queue_scan`) and answers at once; the job
`read_scanned_deliberations` calls `read_scans`, which claims one reading at a time — on
PostgreSQL `SELECT … FOR UPDATE SKIP LOCKED` in a short transaction, on SQLite the IMMEDIATE
transaction that takes the write lock first — so several processes never read the same document.
A claim left by a dead process is taken again once older than the OCR timeout and a margin.
The OCR is `deliberations.pdf`'s, the reading `deliberations.reader`'s: nothing is read twice here.
"""

import logging
import os
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.core import audit, uploads
from mutualis.membership import services
from mutualis.membership.deliberations.context import findings_for
from mutualis.membership.deliberations.pdf import UnreadableDocument, read_bytes
from mutualis.membership.deliberations.reader import read_text
from mutualis.membership.models import Deliberation, ScanReading

logger = logging.getLogger(__name__)

# Every PDF kept until its deliberation is confirmed lives here (the session-held ones of text-layer
# PDFs and the scans of ScanReading alike); the cleanup looks nowhere else.
PENDING_PREFIX = "deliberations/pending"
# A claim older than the OCR timeout plus this is presumed dead (process killed, server down).
STALE_MARGIN = timedelta(minutes=5)
# A document whose reading was interrupted this many times is failed, not tried forever.
MAX_ATTEMPTS = 3

Status = ScanReading.Status


class ScanUnavailable(Exception):
    """The reading cannot be confirmed any more (already confirmed, expired, or its PDF gone)."""


def queue_scan(*, commune, document, by) -> ScanReading:
    """Keep an uploaded PDF without text layer and queue it for the OCR job."""
    filename = uploads.clean_name(document.name, fallback="deliberation.pdf")
    with (
        uploads.stored_upload(document, prefix=PENDING_PREFIX, kinds=("pdf",)) as stored,
        transaction.atomic(),
    ):
        scan = ScanReading.objects.create(
            commune=commune, uploaded_by=by, pdf=stored.name, filename=filename
        )
        audit.record(
            action="membership.scan_queued",
            obj=scan,
            by=by,
            summary=_("%(commune)s — « %(file)s » déposé, en attente de lecture (OCR)")
            % {"commune": commune.name, "file": filename},
            commune_insee=commune.insee_code,
        )
    return scan


def _runner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _timeout() -> int:
    return settings.MUTUALIS_OCR_TIMEOUT_SECONDS


def claim_next(*, pk: int | None = None, now: datetime | None = None) -> ScanReading | None:
    """Take the oldest reading waiting (or the one given), marked running for this process."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=_timeout()) - STALE_MARGIN
    waiting = Q(status=Status.PENDING) | Q(status=Status.RUNNING, started_at__lt=stale)
    while True:
        with transaction.atomic():
            queryset = ScanReading.objects.select_for_update(skip_locked=True).filter(waiting)
            if pk is not None:
                queryset = queryset.filter(pk=pk)
            scan = queryset.order_by("created_at", "pk").first()
            if scan is None:
                return None
            if scan.attempts >= MAX_ATTEMPTS:
                # Interrupted again and again (the OCR kills its process?): stop trying.
                scan.status, scan.finished_at = Status.FAILED, now
                scan.error = "La lecture a été interrompue plusieurs fois ; remplissez le formulaire à la main."
                scan.save(update_fields=["status", "finished_at", "error"])
                continue
            scan.status, scan.started_at, scan.runner = Status.RUNNING, now, _runner()
            scan.attempts += 1
            scan.save(update_fields=["status", "started_at", "runner", "attempts"])
            return scan


def _finish(scan: ScanReading, **values) -> bool:
    """Store the outcome, unless the claim was lost meanwhile (taken again as stale, expired)."""
    changed = ScanReading.objects.filter(
        pk=scan.pk, status=Status.RUNNING, attempts=scan.attempts
    ).update(finished_at=timezone.now(), **values)
    if changed:
        for name, value in values.items():
            setattr(scan, name, value)
    else:
        logger.warning("scan reading %s: claim lost before the end of its OCR", scan.pk)
    return bool(changed)


def read_claimed(scan: ScanReading, *, timeout: float | None = None) -> ScanReading:
    """OCR the claimed scan's PDF, read the text, store text, reader's result and findings."""
    timeout = _timeout() if timeout is None else timeout
    try:
        with default_storage.open(scan.pdf.name, "rb") as handle:
            data = handle.read()
        text = read_bytes(data, scan.filename, timeout=timeout)
        if not text.strip():
            raise UnreadableDocument(_("l'OCR n'a lu aucun texte dans ce PDF."))
    except UnreadableDocument as error:
        _finish(scan, status=Status.FAILED, error=str(error))
        return scan
    except OSError:
        _finish(scan, status=Status.FAILED, error="le PDF déposé est introuvable sur le serveur.")
        return scan
    except Exception:  # one broken document must not block the queue behind it
        logger.exception("scan reading %s failed", scan.pk)
        _finish(scan, status=Status.FAILED, error="erreur inattendue pendant la lecture.")
        return scan
    reading = read_text(text)
    result = reading.to_dict(findings_for(reading))
    _finish(scan, status=Status.DONE, text=text, result=result, error="")
    return scan


@dataclass
class Outcome:
    scan: ScanReading
    seconds: float


def read_scans(
    *, limit: int = 20, pk: int | None = None, timeout: float | None = None
) -> list[Outcome]:
    """Read waiting scans one at a time (at most `limit`), each claimed before it is read."""
    outcomes = []
    while len(outcomes) < limit:
        scan = claim_next(pk=pk)
        if scan is None:
            break
        started = time.monotonic()
        read_claimed(scan, timeout=timeout)
        outcomes.append(Outcome(scan, time.monotonic() - started))
        if pk is not None:
            break
    return outcomes


def record_from_scan(*, scan: ScanReading, data: dict, by, pdf=None) -> Deliberation:
    """Record the deliberation the scan's reading filled (its PDF becomes the signed PDF unless
    another is given) and close the scan; its pending copy goes once the deliberation has its own."""
    with transaction.atomic():
        scan = (
            ScanReading.objects.select_for_update(of=("self",))
            .select_related("commune")
            .get(pk=scan.pk)
        )
        if not scan.confirmable:
            raise ScanUnavailable
        pending = scan.pdf.name
        if pdf is None:
            try:
                handle = default_storage.open(pending, "rb")
            except OSError as error:
                raise ScanUnavailable from error
            with handle:
                deliberation = services.record_deliberation(
                    commune=scan.commune, data=data, by=by, pdf=File(handle)
                )
        else:
            deliberation = services.record_deliberation(
                commune=scan.commune, data=data, by=by, pdf=pdf
            )
        scan.status, scan.deliberation, scan.pdf = Status.CONFIRMED, deliberation, ""
        scan.confirmed_at = timezone.now()
        scan.save(update_fields=["status", "deliberation", "confirmed_at", "pdf"])
        transaction.on_commit(lambda: uploads.discard(pending))
    return deliberation


@dataclass
class CleanSummary:
    expired: list[str] = field(default_factory=list)  # files of readings nobody confirmed
    orphans: list[str] = field(default_factory=list)  # pending files no record references


def _files_under(storage: Storage, folder: str) -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _files_under(storage, f"{folder}/{sub}")


def clean_pending_uploads(
    *, days: int | None = None, now: datetime | None = None, storage: Storage | None = None
) -> CleanSummary:
    """Remove the PDFs of scans never confirmed after `days`, and the pending uploads older than
    that which no record references (text-layer PDFs whose form was abandoned). A file a
    Deliberation references is never touched: it is a legal document. Each removal is audited."""
    days = settings.MUTUALIS_PENDING_UPLOAD_DAYS if days is None else days
    now = now or timezone.now()
    storage = storage or default_storage
    limit = now - timedelta(days=days)
    summary = CleanSummary()
    kept_by_deliberations = set(Deliberation.objects.exclude(pdf="").values_list("pdf", flat=True))
    with transaction.atomic():
        unconfirmed = ScanReading.objects.select_for_update(skip_locked=True, of=("self",)).filter(
            status__in=[Status.PENDING, Status.DONE, Status.FAILED], created_at__lt=limit
        )
        for scan in unconfirmed.select_related("commune"):
            name = scan.pdf.name
            scan.status, scan.expired_at, scan.pdf = Status.EXPIRED, now, ""
            scan.save(update_fields=["status", "expired_at", "pdf"])
            audit.record(
                action="membership.scan_expired",
                obj=scan,
                by=None,
                summary=_(
                    "%(commune)s — « %(file)s » jamais confirmé en %(days)d jours : PDF supprimé"
                )
                % {"commune": scan.commune.name, "file": scan.filename, "days": days},
                commune_insee=scan.commune.insee_code,
                changes={"file": name},
            )
            if name and name not in kept_by_deliberations:
                summary.expired.append(name)
    for name in summary.expired:
        uploads.discard(name, storage=storage)
    referenced = kept_by_deliberations | set(
        ScanReading.objects.exclude(pdf="").values_list("pdf", flat=True)
    )
    for name in _files_under(storage, PENDING_PREFIX):
        if name in referenced or storage.get_modified_time(name) >= limit:
            continue
        uploads.discard(name, storage=storage)
        audit.record(
            action="membership.pending_upload_removed",
            obj=None,
            object_type="membership.pendingupload",
            object_id=name,
            by=None,
            summary=_(
                "PDF déposé jamais confirmé ni rattaché à une délibération supprimé (%(file)s)"
            )
            % {"file": name},
            changes={"file": name, "older_than_days": days},
        )
        summary.orphans.append(name)
    return summary
