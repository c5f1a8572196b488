"""Log levels under the real settings: Mutualis speaks at INFO, libraries only from WARNING."""

import json
import os
import subprocess
import sys

LEVELS = """
import json, logging, django
django.setup()
print(json.dumps({name: logging.getLogger(name).getEffectiveLevel()
                  for name in ("mutualis.demo", "fontTools.subset", "weasyprint.progress")}))
"""


def effective_levels(tmp_path, **env) -> dict[str, int]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("MUTUALIS_", "DJANGO_"))}
    base |= {
        "DJANGO_SETTINGS_MODULE": "mutualis.settings",
        "MUTUALIS_DEMO": "1",
        "MUTUALIS_SQLITE_PATH": str(tmp_path / "db.sqlite3"),
    }
    result = subprocess.run(
        [sys.executable, "-c", LEVELS], env=base | env, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def test_library_loggers_stay_quiet_below_warning_by_default(tmp_path):
    # weasyprint's progress and fontTools' subsetting wrote thousands of INFO lines in bin/demo.
    assert effective_levels(tmp_path) == {
        "mutualis.demo": 20,
        "fontTools.subset": 30,
        "weasyprint.progress": 30,
    }


def test_mutualis_log_level_sets_every_logger(tmp_path):
    levels = effective_levels(tmp_path, MUTUALIS_LOG_LEVEL="DEBUG")
    assert set(levels.values()) == {10}
