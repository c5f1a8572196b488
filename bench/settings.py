"""Settings of the benchmarked server: the production settings, served over plain HTTP on 127.0.0.1.

Only what a local load test needs differs from production: no HTTPS redirect or secure cookies
(wrk speaks plain HTTP), no scheduler, and the bench's URLs, which add one trivial view beside the
project's own. Coordinators need their second factor as in production: the bench's sessions are
verified with a TOTP device (`bench.worker.signed_in_client`).
"""

import os

os.environ.setdefault("MUTUALIS_SECRET_KEY", "bench-only-secret-key-" + "b" * 40)
os.environ.setdefault("MUTUALIS_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("MUTUALIS_SSL_REDIRECT", "0")
os.environ.setdefault("MUTUALIS_SECURE_COOKIES", "0")
os.environ.setdefault("MUTUALIS_HSTS_SECONDS", "0")
os.environ.setdefault("MUTUALIS_LOG_LEVEL", "WARNING")
# The bench runs no scheduler: /healthz (which the bench polls to know the server is up) must
# not wait for its heartbeat.
os.environ.setdefault("MUTUALIS_SCHEDULER_MAX_SILENCE_MINUTES", "0")
# Eight clients hammer the API with one user's session: the production limit (300 requests a minute
# per caller) would answer 429 within a second. The limiter still counts every request.
os.environ.setdefault("MUTUALIS_API_RATE_LIMIT", "100000000")

from mutualis.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
