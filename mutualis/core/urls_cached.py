"""URLs reversed once per process: what the page frame and per-row links ask for on every request.

`reverse()` walks the URL resolver on each call (a dozen times per page: the header, the footer,
the menu, the links of a page's cards). A URL depends on nothing but its name, its arguments, the
script prefix and the URLconf in use, so its answer is kept per process under all four.
"""

from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse


@lru_cache(maxsize=2048)
def _reverse(name: str, args: tuple, prefix: str, urlconf: str | None) -> str:
    return reverse(name, args=args, urlconf=urlconf)


def cached_reverse(name: str, *args) -> str:
    """`reverse(name, args=args)`, for positional arguments that are strings or numbers."""
    return _reverse(name, args, get_script_prefix(), get_urlconf())
