"""Titles of the cyber diagnostic's measures, read from the shipped referential file.

Only the pure referential loader of the cyber app is used (data, not its models), and a missing
or unreadable referential just leaves measure ids untitled.
"""

from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=1)
def measure_titles() -> dict[str, str]:
    try:
        from mutualis.cyber.referential import load_referential
    except ImportError:
        return {}
    files = sorted((settings.PACKAGE_DIR / "cyber" / "referentials").glob("*.yaml"))
    if not files:
        return {}
    try:
        referential = load_referential(files[-1])
    except Exception:
        return {}
    return {m.id: m.title for m in referential.measures}


def measure_label(measure_id: str) -> str:
    if not measure_id:
        return ""
    title = measure_titles().get(measure_id)
    return f"{measure_id} — {title}" if title else measure_id
