"""One creation per form shown: a creation form carries a one-time token, claimed when it creates.

A double click posts the same form twice. The submit button is disabled on submit
(core/static/core/mutualis.js), and the server guards too: the form's hidden `submission` field
holds a fresh token (`submission_field()`), claimed in the transaction that creates; the second
post finds the token taken and creates nothing.

Two ways to claim, one table (`Submission`, unique token):

- `@submitted_once` on a creation view that redirects after success (post, redirect, get): the
  view runs in one transaction with its token claimed first. A redirect keeps the claim and
  remembers where it led; any other answer (the form shown again with its errors) gives the token
  back, so the corrected form can still be sent. The second post of a double click waits for the
  first (the token's unique index), then goes where the first went, with a message.
- `claim(token)` in a service's own transaction, for a service that needs its own answer to a
  second post (support requests, discussion threads): it raises `AlreadySubmitted`.
"""

import functools
import uuid

from django import forms
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from mutualis.core.models import Submission

FIELD = "submission"


class AlreadySubmitted(Exception):
    def __init__(self) -> None:
        super().__init__(_("Ce formulaire a déjà été envoyé : il n'est enregistré qu'une fois."))


def new_token() -> str:
    """A fresh one-time token, for a form written by hand in its template
    (`<input type="hidden" name="submission" value="{{ submission }}">`)."""
    return uuid.uuid4().hex


def submission_field() -> forms.CharField:
    """The hidden token field of a creation form (a new token each time the form is shown)."""
    return forms.CharField(
        widget=forms.HiddenInput, required=False, initial=new_token, max_length=64
    )


class SubmittedOnce:
    """A creation form's mixin (`class AssetForm(SubmittedOnce, forms.ModelForm)`) for a view
    under `@submitted_once`: the form renders the hidden token, the view's decorator claims it
    from the post, and `cleaned_data` leaves it out (the view's data is the person's answers)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields[FIELD] = submission_field()

    def clean(self):
        cleaned = super().clean()
        (cleaned if cleaned is not None else self.cleaned_data).pop(FIELD, None)
        return cleaned


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


def submitted_once(view):
    """A creation view that redirects after success creates once per form shown (module doc).
    A post without a token (a form without the field, a script) runs the view as it is."""

    @functools.wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        token = _token(request)
        if not token:
            return view(request, *args, **kwargs)
        try:
            with transaction.atomic():
                claim(token)
                response = view(request, *args, **kwargs)
                _keep_or_give_back(token, response)
        except AlreadySubmitted as error:
            messages.info(request, str(error))
            first = Submission.objects.filter(token=token).values_list("location", flat=True)
            return redirect(first.first() or request.get_full_path())
        return response

    return guarded


def _token(request: HttpRequest) -> str:
    """The posted form's token, under its form's prefix if it has one (`feed-submission`)."""
    if request.method != "POST":
        return ""
    for name, value in request.POST.items():
        if name == FIELD or name.endswith(f"-{FIELD}"):
            return value[:64]
    return ""


def _keep_or_give_back(token: str, response: HttpResponse) -> None:
    if 300 <= response.status_code < 400 and response.has_header("Location"):
        Submission.objects.filter(token=token).update(location=response["Location"][:500])
    else:
        Submission.objects.filter(token=token).delete()
