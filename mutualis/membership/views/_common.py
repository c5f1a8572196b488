"""Shared by the membership pages: the programme in force, the manager check, PDFs and the step form."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mutualis.accounts import perms
from mutualis.membership import services
from mutualis.membership.models import Membership
from mutualis.programme.models import Programme
from mutualis.programme.selection import programme_for


def _programme(request) -> Programme:
    programme = programme_for(request)
    if programme is None:
        raise Http404
    return programme


def _manage_or_403(user, commune) -> None:
    if not perms.can_manage_commune(user, commune):
        raise PermissionDenied


def _back(membership: Membership) -> HttpResponse:
    return redirect("membership:commune", insee_code=membership.commune.insee_code)


def _serve_pdf(field, filename: str) -> FileResponse:
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle, content_type="application/pdf", as_attachment=False, filename=filename
    )


def _step(request, membership, form, run, template, extra=None) -> HttpResponse:
    """Shared tail of every lifecycle action: validate, run the service, say what happened."""
    if request.method == "POST" and form.is_valid():
        try:
            run(form.cleaned_data)
        except services.TransitionRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request,
                _("%(commune)s : étape enregistrée, les responsables sont prévenus.")
                % {"commune": membership.commune.name},
            )
            return _back(membership)
    return render(
        request,
        f"membership/{template}.html",
        {"membership": membership, "commune": membership.commune, "form": form, **(extra or {})},
    )
