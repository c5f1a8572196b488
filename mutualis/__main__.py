"""The `mutualis` console script: the project's manage.py."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutualis.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        # A setting missing or wrong (MUTUALIS_SECRET_KEY…): the sentence, not a traceback.
        sys.stderr.write(f"mutualis : configuration incomplète : {error}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
