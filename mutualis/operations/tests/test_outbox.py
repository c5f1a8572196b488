"""The outbox: mail commits with its sender's transaction, survives an SMTP outage, is visible."""

import socket
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import send_mail
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from mutualis.accounts.services import invite_user
from mutualis.operations.mail import backoff, send_outbox
from mutualis.operations.models import EmailStatus, OutgoingEmail

OUTBOX = {
    "default": {"BACKEND": "mutualis.operations.mail.OutboxBackend"},
    "delivery": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
}


def _smtp_down() -> dict:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return {
        "default": {"BACKEND": "mutualis.operations.mail.OutboxBackend"},
        "delivery": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 2},
        },
    }


class TinySmtpServer:
    """Just enough SMTP to accept messages, on a thread."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.received: list[bytes] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn, conn.makefile("rb") as reader:
                conn.sendall(b"220 test\r\n")
                data = None
                for line in reader:
                    if data is not None:
                        if line == b".\r\n":
                            self.received.append(b"".join(data))
                            data = None
                            conn.sendall(b"250 ok\r\n")
                        else:
                            data.append(line)
                        continue
                    command = line[:4].upper()
                    if command == b"DATA":
                        data = []
                        conn.sendall(b"354 go\r\n")
                    elif command == b"QUIT":
                        conn.sendall(b"221 bye\r\n")
                        break
                    else:
                        conn.sendall(b"250 ok\r\n")

    def close(self):
        self.sock.close()


@override_settings(MAILERS=OUTBOX)
def test_a_message_is_queued_in_the_senders_transaction(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        send_mail("Annulé", "Corps", None, ["a@example.fr"])
        raise RuntimeError("the action fails after writing its mail")
    assert not OutgoingEmail.objects.filter(subject="Annulé").exists()
    send_mail("Gardé", "Corps é", None, ["a@example.fr"])
    row = OutgoingEmail.objects.get(subject="Gardé")
    assert row.status == EmailStatus.QUEUED and row.recipients == ["a@example.fr"]
    assert mail.outbox == []  # nothing left the platform yet


@override_settings(MAILERS=OUTBOX)
def test_send_outbox_delivers_the_message_byte_for_byte(db, coordinator):
    invite_user(email="nouvelle@example.fr", by=coordinator, staff_role="observer")
    row = OutgoingEmail.objects.get(recipients=["nouvelle@example.fr"])
    summary = send_outbox()
    assert summary.sent >= 1
    row.refresh_from_db()
    assert row.status == EmailStatus.SENT and row.sent_at and row.attempts == 1
    delivered = [m for m in mail.outbox if m.to == ["nouvelle@example.fr"]]
    assert len(delivered) == 1
    assert delivered[0].message().as_bytes() == bytes(row.message)
    assert "Invitation à Mutualis" in delivered[0].message()["Subject"]
    assert send_outbox().sent == 0  # idempotent: nothing is sent twice


def test_smtp_down_keeps_the_message_queued_with_backoff_then_sends_it(db):
    with override_settings(MAILERS=_smtp_down()):
        send_mail("Appel de contribution", "Corps", None, ["mairie@example.fr"])
        summary = send_outbox()
    row = OutgoingEmail.objects.get(subject="Appel de contribution")
    assert summary.retried == 1 and summary.sent == 0
    assert row.status == EmailStatus.QUEUED and row.attempts == 1
    assert "ConnectionRefusedError" in row.last_error
    assert row.next_attempt_at > timezone.now()
    assert send_outbox().sent == 0  # not due yet: backoff
    server = TinySmtpServer()
    smtp_up = _smtp_down()
    smtp_up["delivery"]["OPTIONS"]["port"] = server.port
    try:
        with override_settings(MAILERS=smtp_up):
            summary = send_outbox(now=timezone.now() + timedelta(minutes=2))
    finally:
        server.close()
    row.refresh_from_db()
    assert summary.sent == 1 and row.status == EmailStatus.SENT and row.attempts == 2
    assert b"Appel de contribution" in server.received[0]


@override_settings(MUTUALIS_OUTBOX_MAX_ATTEMPTS=2)
def test_a_message_failing_every_attempt_is_marked_failed_and_shown(db, client, coordinator):
    with override_settings(MAILERS=_smtp_down()):
        send_mail("Relance", "Corps", None, ["x@example.fr"])
        send_outbox()
        send_outbox(now=timezone.now() + timedelta(hours=1))
    row = OutgoingEmail.objects.get(subject="Relance")
    assert row.status == EmailStatus.FAILED and row.attempts == 2
    client.force_login(coordinator)
    page = client.get("/exploitation/courriels/")
    assert page.status_code == 200 and "Relance" in page.text and "en échec" in page.text
    response = client.post(f"/exploitation/courriels/{row.pk}/renvoyer/")
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == EmailStatus.QUEUED


def test_backoff_doubles_up_to_six_hours():
    assert [backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert backoff(30) == timedelta(hours=6)


def test_the_outbox_page_is_for_coordinators_only(client, labege_manager, finance):
    for user in (labege_manager, finance):
        client.force_login(user)
        assert client.get("/exploitation/courriels/").status_code == 403


def test_outbox_page_query_count_does_not_grow(
    db, client, coordinator, django_assert_max_num_queries
):
    for i in range(30):
        OutgoingEmail.objects.create(
            subject=f"m{i}", from_email="a@b.fr", recipients=["c@d.fr"], message=b"x"
        )
    client.force_login(coordinator)
    with django_assert_max_num_queries(12):
        assert client.get("/exploitation/courriels/").status_code == 200
