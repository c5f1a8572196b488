"""A request id on every request, echoed in the response and in every log line; plausible texts
(no NUL character, a bounded length) in every query string, API body and form field."""

import contextlib
import contextvars
import json
import logging
import re
import uuid

from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

from mutualis.core.validators import MAX_TEXT_LENGTH, text_errors, too_long

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_VALID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-Id", "")
        request_id = incoming if _VALID.match(incoming) else uuid.uuid4().hex
        token = _request_id.set(request_id)
        request.request_id = request_id
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-Id"] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Put the request id on every record. Django logs 4xx/5xx responses ("django.request")
    after the middleware has returned, so the id is then read from the record's request."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = _request_id.get()
        if request_id == "-":
            request = getattr(record, "request", None)
            request_id = getattr(request, "request_id", "-")
        record.request_id = request_id
        return True


def current_request_id() -> str:
    return _request_id.get()


class PlausibleTextMiddleware:
    """Texts a person or a script sends are checked before any view: a NUL character (PostgreSQL
    refuses it: a 500) or a text beyond MAX_TEXT_LENGTH is refused with a French message naming
    the field: in a query string or an API body (JSON 422, as the API's own validation answers),
    or a form field too long (a model's TextField gives its form field no limit). A NUL in a form
    field is left to Django's form fields, which refuse it with a message beside the field."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        api = request.path_info.startswith("/api/")
        errors = text_errors(dict(request.GET.lists()), ("query",))
        if api and request.method in {"POST", "PUT", "PATCH"} and not errors:
            with contextlib.suppress(ValueError):  # not JSON: the API answers it itself
                errors = text_errors(json.loads(request.body or b"null"), ("body",))
        if not api and request.method == "POST" and not errors:
            errors = [
                {"loc": ["form", name], "msg": too_long(len(value)), "type": "text"}
                for name, values in request.POST.lists()
                for value in values
                if len(value) > MAX_TEXT_LENGTH
            ]
        if not errors:
            return self.get_response(request)
        if api:
            return JsonResponse({"detail": errors}, status=422)
        message = _("Le champ « %(field)s » est refusé : %(problem)s") % {
            "field": errors[0]["loc"][1],
            "problem": errors[0]["msg"],
        }
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
