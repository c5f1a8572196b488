"""A fixed-window rate limiter whose counters every worker shares, and the middleware using it.

Limits (settings.MUTUALIS_RATE_LIMITS) apply to sign-in and password-reset submissions per client
address, and to the API per caller (token, session user or address). Counters are rows of the
database (`RateCounter`, incremented with one atomic UPDATE), not the per-process memory cache:
two workers or nine servers count the same hits, so the stated limit holds whatever their number.

The client address is REMOTE_ADDR, unless MUTUALIS_BEHIND_PROXY is on: then it is read from
X-Forwarded-For, as the right-most address not added by one of our MUTUALIS_TRUSTED_PROXIES
proxies (a client can prepend anything to that header, never append). django-axes takes its
address from the same function (AXES_CLIENT_IP_CALLABLE).
"""

import hashlib
import ipaddress
import math
import time
from datetime import UTC, datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import ngettext

from mutualis.core.models import RateCounter


def hit(key: str, *, limit: int, window: int) -> int | None:
    """Count one hit for `key`; None if allowed, else the seconds to wait before the next try."""
    now = time.time()
    bucket = int(now // window)
    counter_key = f"{key}:{bucket}"
    if len(counter_key) > 200:
        counter_key = hashlib.sha256(counter_key.encode()).hexdigest()
    count = _increment(counter_key, expires=(bucket + 1) * window)
    if count <= limit:
        return None
    return max(1, math.ceil((bucket + 1) * window - now))


def _increment(key: str, *, expires: float) -> int:
    counters = RateCounter.objects.filter(key=key)
    if not counters.update(count=F("count") + 1):
        try:
            with transaction.atomic():
                expires_at = datetime.fromtimestamp(expires, tz=UTC)
                RateCounter.objects.create(key=key, count=1, expires_at=expires_at)
            # A new window: the counters of past ones are of no more use.
            RateCounter.objects.filter(expires_at__lt=datetime.now(tz=UTC)).delete()
            return 1
        except IntegrityError:  # another worker created it meanwhile
            counters.update(count=F("count") + 1)
    return counters.values_list("count", flat=True).first() or 1


def _valid_address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind our proxies the right-most address of
    X-Forwarded-For that none of the MUTUALIS_TRUSTED_PROXIES proxies added."""
    remote = request.META.get("REMOTE_ADDR", "")
    if not settings.MUTUALIS_BEHIND_PROXY:
        return remote
    forwarded = [a for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    trusted = settings.MUTUALIS_TRUSTED_PROXIES
    # Our nearest proxy is REMOTE_ADDR and appended the address it saw; each further trusted
    # proxy appended one more. The client's is the one the farthest trusted proxy appended.
    if trusted < 1 or len(forwarded) < trusted:
        return remote
    return _valid_address(forwarded[-trusted]) or remote


def _rule_for(request: HttpRequest) -> tuple[str, str] | None:
    """(rule name, caller key) for a request that is rate limited, else None."""
    if request.method != "POST" and not request.path_info.startswith("/api/"):
        return None  # neither a form submission nor the API: no need to resolve the URL
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if match.namespace.startswith("api"):
        auth = request.headers.get("Authorization", "")
        if auth:
            return "api", "token:" + hashlib.sha256(auth.encode()).hexdigest()[:32]
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return "api", f"user:{user.pk}"
        return "api", "ip:" + client_address(request)
    if request.method == "POST" and match.view_name in {
        "accounts:login",
        "accounts:password_reset",
    }:
        return match.view_name.split(":")[1], "ip:" + client_address(request)
    return None


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rule = _rule_for(request)
        if rule is not None:
            name, key = rule
            limit, window = settings.MUTUALIS_RATE_LIMITS[name]
            wait = hit(f"{name}:{key}", limit=limit, window=window)
            if wait is not None:
                return _too_many(request, name, wait)
        return self.get_response(request)


def _too_many(request: HttpRequest, name: str, wait: int) -> HttpResponse:
    minutes = max(1, math.ceil(wait / 60))
    message = ngettext(
        "Trop de demandes en peu de temps. Réessayez dans %(minutes)s minute.",
        "Trop de demandes en peu de temps. Réessayez dans %(minutes)s minutes.",
        minutes,
    ) % {"minutes": minutes}
    if name == "api":
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(wait)
    return response
