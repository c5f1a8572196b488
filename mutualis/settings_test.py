"""Settings for the test suite: the production settings with test conveniences."""

import os

os.environ.setdefault("MUTUALIS_TESTING", "1")

from mutualis.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
LOGGING["root"]["level"] = "ERROR"  # noqa: F405

# Uploaded files of the tests (and of the demo they load) never land in var/media.
import tempfile  # noqa: E402

MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="mutualis-test-media-"))  # noqa: F405
