"""Settings of the benchmarked server: the production settings, served over plain HTTP on 127.0.0.1.

Only what a local load test needs differs from production: no HTTPS redirect or secure cookies
(wrk speaks plain HTTP), no forced 2FA (sessions are created for the bench), and the bench's URLs,
which add one trivial view beside the project's own.
"""

import os

os.environ.setdefault("MUTUALIS_SECRET_KEY", "bench-only-secret-key-" + "b" * 40)
os.environ.setdefault("MUTUALIS_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("MUTUALIS_SSL_REDIRECT", "0")
os.environ.setdefault("MUTUALIS_SECURE_COOKIES", "0")
os.environ.setdefault("MUTUALIS_HSTS_SECONDS", "0")
os.environ.setdefault("MUTUALIS_REQUIRE_2FA_FOR_COORDINATORS", "0")
os.environ.setdefault("MUTUALIS_LOG_LEVEL", "WARNING")

from mutualis.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
