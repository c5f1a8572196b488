"""Settings for the test suite: the production settings with test conveniences."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("MUTUALIS_TESTING", "1")

from mutualis.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
LOGGING["root"]["level"] = "ERROR"  # noqa: F405
# Uploaded files of a test run (the demo's too) go to a throw-away folder.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="mutualis-test-media-"))
atexit.register(shutil.rmtree, MEDIA_ROOT, True)
