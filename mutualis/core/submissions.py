"""One creation per form shown: a creation form carries a one-time token, its service claims it.

A double click posts the same form twice. The submit button is disabled on submit (core/static/core/mutualis.js), and
the server guards too: the form's hidden `submission` field holds a fresh token, and the service
calls `claim(token)` in its transaction before creating; the second post finds the token taken
and the service raises `AlreadySubmitted` instead of creating a twin.
"""

import uuid

from django import forms
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from mutualis.core.models import Submission


class AlreadySubmitted(Exception):
    def __init__(self) -> None:
        super().__init__(_("Ce formulaire a déjà été envoyé : il n'est enregistré qu'une fois."))


def submission_field() -> forms.CharField:
    """The hidden token field of a creation form (a new token each time the form is shown)."""
    return forms.CharField(
        widget=forms.HiddenInput, required=False, initial=lambda: uuid.uuid4().hex, max_length=64
    )


def claim(token: str) -> None:
    """Take the form's token, inside the caller's transaction (a failed creation gives it back).
    No token (an API call, a script) claims nothing."""
    if not token:
        return
    try:
        with transaction.atomic():
            Submission.objects.create(token=token)
    except IntegrityError:
        raise AlreadySubmitted from None
