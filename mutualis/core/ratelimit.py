"""A small fixed-window rate limiter on Django's cache, and the middleware that applies it.

Limits (settings.MUTUALIS_RATE_LIMITS) apply to sign-in and password-reset submissions per client
address, and to the API per caller (token, session user or address). The default cache is
per-process memory: with several app servers, configure a shared cache (the database cache works
with PostgreSQL: MUTUALIS_CACHE=database, then `mutualis createcachetable`), otherwise each server
counts on its own and the effective limit is multiplied by the number of servers.
"""

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _


def hit(key: str, *, limit: int, window: int) -> int | None:
    """Count one hit for `key`; None if allowed, else the seconds to wait before the next try."""
    now = time.time()
    bucket = int(now // window)
    cache_key = f"ratelimit:{key}:{bucket}"
    if cache.add(cache_key, 1, timeout=window + 1):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr: a new window has begun
            cache.add(cache_key, 1, timeout=window + 1)
            count = 1
    if count <= limit:
        return None
    return max(1, math.ceil((bucket + 1) * window - now))


def client_address(request: HttpRequest) -> str:
    """The client's address; behind our reverse proxy, the one it appended to X-Forwarded-For."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


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
    message = _("Trop de demandes en peu de temps. Réessayez dans %(minutes)s minute(s).") % {
        "minutes": minutes
    }
    if name == "api":
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(wait)
    return response
