"""Settings for the test suite: the production settings with test conveniences."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("MUTUALIS_TESTING", "1")

from mutualis.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {
    "default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
    "delivery": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
}
# The whole suite signs in from 127.0.0.1 in each worker; tests of the limits set their own.
MUTUALIS_RATE_LIMITS = {
    "login": (10_000, 600),
    "password_reset": (10_000, 3600),
    "api": (10_000, 60),
}
LOGGING["root"]["level"] = LOGGING["loggers"]["mutualis"]["level"] = "ERROR"  # noqa: F405
# Uploaded files of a test run (the demo's too) go to a throw-away folder.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="mutualis-test-media-"))
atexit.register(shutil.rmtree, MEDIA_ROOT, True)
