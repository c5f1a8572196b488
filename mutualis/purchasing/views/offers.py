"""The catalogue of negotiated offers and the communes' join requests."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutualis.accounts import perms
from mutualis.core.access import access
from mutualis.core.submissions import submitted_once
from mutualis.core.uploads import serve_protected_file
from mutualis.purchasing import services
from mutualis.purchasing.enums import JoinStatus
from mutualis.purchasing.forms import (
    JoinDecisionForm,
    JoinRequestForm,
    OfferDocumentForm,
    OfferForm,
    WithdrawForm,
)
from mutualis.purchasing.models import JoinRequest, NegotiatedOffer, OfferDocument
from mutualis.purchasing.views._common import STAFF, _refused, _scoped


def _offer_for(user, offer_id: int) -> NegotiatedOffer:
    offers = NegotiatedOffer.objects.select_related("supplier")
    if not perms.is_staff_member(user):
        offers = offers.published()
    return get_object_or_404(offers, pk=offer_id)


# --- Catalogue ---------------------------------------------------------------------------------


@access(perms.is_signed_in)
def catalogue(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    show_all = perms.is_staff_member(request.user) and request.GET.get("tout") == "1"
    offers = NegotiatedOffer.objects.select_related("supplier").annotate(
        document_count=Count("documents")
    )
    offers = offers if show_all else offers.valid_on(today)
    commune = perms.active_commune(request)
    mine = {}
    if commune is not None:
        mine = dict(
            JoinRequest.objects.filter(commune=commune)
            .order_by("requested_at")
            .values_list("offer_id", "status")
        )
    rows = [
        (offer, JoinStatus(mine[offer.pk]).label if offer.pk in mine else "") for offer in offers
    ]
    return render(
        request,
        "purchasing/catalogue.html",
        {"rows": rows, "show_all": show_all, "today": today, "can_edit": STAFF(request.user)},
    )


@access(STAFF)
@submitted_once
def offer_edit(request: HttpRequest, offer_id: int | None = None) -> HttpResponse:
    offer = _offer_for(request.user, offer_id) if offer_id else None
    form = OfferForm(request.POST or None, instance=offer)
    if request.method == "POST" and form.is_valid():
        offer = services.save_offer(offer=form.save(commit=False), by=request.user)
        messages.success(request, _("L'offre « %(t)s » est enregistrée.") % {"t": offer.title})
        return redirect("purchasing:offer", offer_id=offer.pk)
    return render(request, "purchasing/offer_edit.html", {"form": form, "offer": offer})


@access(perms.is_signed_in)
@submitted_once
def offer(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = _offer_for(request.user, offer_id)
    commune = perms.active_commune(request)
    can_ask = bool(commune and perms.is_manager_of(request.user, commune))
    join_form = JoinRequestForm(request.POST or None) if can_ask else None
    if request.method == "POST" and join_form is not None and join_form.is_valid():
        try:
            services.request_to_join(
                offer=offer, commune=commune, by=request.user, need=join_form.cleaned_data["need"]
            )
        except services.Refused as error:
            _refused(request, error)
        else:
            messages.success(request, _("Votre demande est envoyée à l'équipe intercommunale."))
            return redirect("purchasing:join_requests")
    requests_ = (
        offer.join_requests.select_related("commune")
        if perms.is_staff_member(request.user)
        else offer.join_requests.filter(commune=commune)
        if commune
        else []
    )
    return render(
        request,
        "purchasing/offer.html",
        {
            "offer": offer,
            "documents": offer.documents.all(),
            "join_form": join_form,
            "commune": commune,
            "join_requests": requests_,
            "valid": offer.is_valid_on(timezone.localdate()),
            "can_edit": STAFF(request.user),
            "document_form": OfferDocumentForm() if STAFF(request.user) else None,
            "withdraw_form": WithdrawForm() if STAFF(request.user) else None,
        },
    )


@access(STAFF)
@require_POST
@submitted_once
def offer_document_add(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = _offer_for(request.user, offer_id)
    form = OfferDocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_offer_document(
                offer=offer,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                by=request.user,
            )
            messages.success(request, _("Le document est ajouté à l'offre."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("purchasing:offer", offer_id=offer.pk)


@access(STAFF)
@require_POST
def offer_withdraw(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = _offer_for(request.user, offer_id)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.withdraw_offer(
                offer=offer, by=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("L'offre est retirée du catalogue."))
        except services.Refused as error:
            _refused(request, error)
    else:
        messages.error(request, _("Indiquez le motif du retrait."))
    return redirect("purchasing:offer", offer_id=offer.pk)


@access(perms.is_signed_in)
def offer_document(request: HttpRequest, document_id: int) -> HttpResponse:
    """The catalogue is shared with every signed-in user; a withdrawn offer's files with staff."""
    document = get_object_or_404(OfferDocument.objects.select_related("offer"), pk=document_id)
    _offer_for(request.user, document.offer_id)
    return serve_protected_file(
        request, document.file, kind=document.kind, filename=document.download_name()
    )


@access(perms.is_signed_in)
def join_requests(request: HttpRequest) -> HttpResponse:
    queryset = JoinRequest.objects.select_related("offer", "commune", "requested_by").filter(
        commune__in=perms.visible_communes(request.user)
    )
    status = request.GET.get("etat", "")
    if status in JoinStatus.values:
        queryset = queryset.filter(status=status)
    return render(
        request,
        "purchasing/join_requests.html",
        {"join_requests": queryset[:200], "statuses": JoinStatus.choices, "status": status},
    )


@access(perms.is_signed_in)
def join_request(request: HttpRequest, join_request_id: int) -> HttpResponse:
    join = _scoped(JoinRequest.objects.select_related("offer"), request.user, join_request_id)
    is_open = join.status == JoinStatus.REQUESTED
    can_withdraw = is_open and perms.is_manager_of(request.user, join.commune)
    decide = JoinDecisionForm(request.POST or None) if STAFF(request.user) and is_open else None
    if request.method == "POST":
        to, note = None, ""
        if "withdraw" in request.POST:
            if not can_withdraw:
                raise PermissionDenied
            to = JoinStatus.WITHDRAWN
        elif decide is None:
            raise PermissionDenied
        elif decide.is_valid():
            to, note = decide.cleaned_data["decision"], decide.cleaned_data["note"]
        if to is not None:
            try:
                services.move_join_request(join_request=join, to=to, by=request.user, note=note)
                messages.success(request, _("La demande est mise à jour."))
                return redirect("purchasing:join_request", join_request_id=join.pk)
            except services.Refused as error:
                _refused(request, error)
    return render(
        request,
        "purchasing/join_request.html",
        {
            "join": join,
            "steps": join.steps.select_related("by"),
            "decide": decide,
            "can_withdraw": can_withdraw,
        },
    )
