#!/usr/bin/env python
"""The local OpenID Connect provider's management commands (see serve.py to start it)."""

import os
import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "localprovider.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
