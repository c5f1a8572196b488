"""Every log line written while serving a request carries its request id, django.request's too."""

import logging

from mutualis.core.middleware import RequestIdFilter


class Collect(logging.Handler):
    def __init__(self):
        super().__init__()
        self.addFilter(RequestIdFilter())
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


def test_django_request_warnings_carry_the_request_id(client, db):
    handler = Collect()
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="abc-123")
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 404 and response["X-Request-Id"] == "abc-123"
    assert [r.request_id for r in handler.records] == ["abc-123"]


def test_an_invalid_incoming_id_is_replaced(client, db):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nwith newline")
    assert len(response["X-Request-Id"]) == 32


def test_json_log_lines(db):
    from mutualis.core.logging import JsonFormatter

    record = logging.LogRecord(
        "mutualis", logging.WARNING, __file__, 1, "courriel %s", ("é",), None
    )
    record.request_id = "r1"
    line = JsonFormatter().format(record)
    assert '"request_id": "r1"' in line and '"message": "courriel é"' in line
