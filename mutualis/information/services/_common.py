"""Shared by the information workflows: the site's address for links in mail."""

from django.conf import settings


def _site(path: str) -> str:
    return settings.MUTUALIS_SITE_URL.rstrip("/") + path
