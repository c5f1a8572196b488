"""Conventions and amendments: their PDFs and their signature."""

from django.http import FileResponse, HttpRequest, HttpResponse

from mutualis.accounts import perms
from mutualis.core.access import access
from mutualis.core.submissions import submitted_once
from mutualis.membership import forms, lookups, services
from mutualis.membership.views._common import _manage_or_403, _serve_pdf, _step

# --- conventions and amendments -------------------------------------------------------------------


@access(perms.is_signed_in)
def convention_pdf(request: HttpRequest, convention_id: int) -> FileResponse:
    convention = lookups.convention_for_user(request.user, convention_id)
    return _serve_pdf(convention.document, f"{convention.number}.pdf")


@access(perms.is_signed_in)
def convention_signed_pdf(request: HttpRequest, convention_id: int) -> FileResponse:
    convention = lookups.convention_for_user(request.user, convention_id)
    return _serve_pdf(convention.signed_pdf, f"{convention.number}-signee.pdf")


@access(perms.is_signed_in)
def sign_convention(request: HttpRequest, convention_id: int) -> HttpResponse:
    convention = lookups.convention_for_user(request.user, convention_id)
    membership = convention.membership
    _manage_or_403(request.user, membership.commune)
    form = forms.SignForm(request.POST or None, request.FILES or None)
    return _step(
        request,
        membership,
        form,
        lambda d: services.sign_convention(convention=convention, by=request.user, **d),
        "step_sign",
        {"document": convention},
    )


@access(perms.is_coordinator)
@submitted_once
def issue_amendment(request: HttpRequest, convention_id: int) -> HttpResponse:
    convention = lookups.convention_for_user(request.user, convention_id)
    form = forms.AmendmentForm(request.POST or None)
    return _step(
        request,
        convention.membership,
        form,
        lambda d: services.issue_amendment(convention=convention, by=request.user, **d),
        "step_amendment",
        {"convention": convention},
    )


@access(perms.is_signed_in)
def amendment_pdf(request: HttpRequest, amendment_id: int) -> FileResponse:
    amendment = lookups.amendment_for_user(request.user, amendment_id)
    return _serve_pdf(amendment.document, f"{amendment.number}.pdf")


@access(perms.is_signed_in)
def amendment_signed_pdf(request: HttpRequest, amendment_id: int) -> FileResponse:
    amendment = lookups.amendment_for_user(request.user, amendment_id)
    return _serve_pdf(amendment.signed_pdf, f"{amendment.number}-signe.pdf")


@access(perms.is_signed_in)
def sign_amendment(request: HttpRequest, amendment_id: int) -> HttpResponse:
    amendment = lookups.amendment_for_user(request.user, amendment_id)
    membership = amendment.convention.membership
    _manage_or_403(request.user, membership.commune)
    form = forms.SignForm(request.POST or None, request.FILES or None)
    return _step(
        request,
        membership,
        form,
        lambda d: services.sign_amendment(amendment=amendment, by=request.user, **d),
        "step_sign",
        {"document": amendment},
    )
