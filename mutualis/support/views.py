"""Pages of support: requests (list, open, follow, answer, escalate, close, rate), attachments,
and the provider scorecard. A commune's people see its requests only; others get 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutualis.accounts import perms
from mutualis.core.access import access
from mutualis.core.charts import bar_chart
from mutualis.core.collation import french
from mutualis.core.submissions import AlreadySubmitted, submitted_once
from mutualis.core.uploads import serve_protected_file
from mutualis.programme.models import Programme
from mutualis.programme.selection import programme_for
from mutualis.purchasing import audience
from mutualis.purchasing.models import Supplier
from mutualis.support import perms as support_perms
from mutualis.support import services
from mutualis.support.enums import Status
from mutualis.support.forms import (
    AssignForm,
    CloseForm,
    EscalateForm,
    MessageForm,
    ProviderLinkForm,
    ProviderReviewForm,
    RateForm,
    RequestForm,
)
from mutualis.support.models import ProviderLink, SupportAttachment, SupportRequest

STAFF = perms.is_coordinator_or_referent


def _request_for(user, request_id: int) -> SupportRequest:
    support = (
        SupportRequest.objects.select_related("commune", "provider", "assignee")
        .filter(pk=request_id)
        .first()
    )
    if support is None or not perms.can_view_commune(user, support.commune):
        raise Http404
    return support


def _done(request, error) -> None:
    messages.error(request, str(error))


@access(perms.is_signed_in)
def requests(request: HttpRequest) -> HttpResponse:
    queryset = SupportRequest.objects.select_related("commune", "assignee", "provider").filter(
        commune__in=perms.visible_communes(request.user)
    )
    status = request.GET.get("etat", "ouvertes")
    if status == "ouvertes":
        queryset = queryset.open()
    elif status in Status.values:
        queryset = queryset.filter(status=status)
    now = timezone.now()
    rows = list(queryset[:300])
    breached_only = request.GET.get("hors_delai") == "1"
    if breached_only:
        rows = [r for r in rows if r.breached(now)]
    return render(
        request,
        "support/requests.html",
        {
            "rows": [(r, r.response_breached(now), r.resolution_breached(now)) for r in rows],
            "status": status,
            "statuses": Status.choices,
            "breached_only": breached_only,
            "staff": perms.is_staff_member(request.user),
        },
    )


def _communes_for_new_request(request):
    if STAFF(request.user):
        return audience.member_communes(programme_for(request)).order_by(french("name"))
    commune = perms.active_commune(request)
    if commune is None:
        return None
    return type(commune).objects.filter(pk=commune.pk)


@access(support_perms.may_open_support_requests)
def request_new(request: HttpRequest) -> HttpResponse:
    communes = _communes_for_new_request(request)
    if communes is None:
        raise PermissionDenied
    chosen = communes.first() if communes.count() == 1 else None
    categories = services.allowed_categories(chosen) if chosen else list(services.Category)
    if chosen is not None and not categories:
        return render(request, "support/request_new.html", {"form": None, "commune": chosen})
    form = RequestForm(
        request.POST or None, request.FILES or None, communes=communes, categories=categories
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            support = services.open_request(
                commune=data["commune"],
                by=request.user,
                category=data["category"],
                urgency=data["urgency"],
                subject=data["subject"],
                description=data["description"],
                files=data["attachments"],
                submission=data["submission"],
            )
        except AlreadySubmitted as error:
            messages.info(request, str(error))
            return redirect("support:requests")
        except services.Refused as error:
            _done(request, error)
        else:
            messages.success(
                request, _("Votre demande n° %(n)s est enregistrée.") % {"n": support.pk}
            )
            return redirect("support:request", request_id=support.pk)
    return render(
        request,
        "support/request_new.html",
        {"form": form, "commune": chosen, "base_only": chosen and not audience.is_advanced(chosen)},
    )


@access(perms.is_signed_in)
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    support = _request_for(request.user, request_id)
    staff = STAFF(request.user)
    is_commune_person = bool(request.user.roles_in(support.commune_id))
    now = timezone.now()
    calendar = services.working_calendar(Programme.objects.for_commune(support.commune))
    return render(
        request,
        "support/request.html",
        {
            "support": support,
            "events": support.events.select_related("by"),
            "attachments": support.attachments.all(),
            "staff": staff,
            "message_form": MessageForm()
            if support.is_open and (staff or is_commune_person)
            else None,
            "assign_form": AssignForm(initial={"assignee": support.assignee})
            if staff and support.is_open
            else None,
            "escalate_form": EscalateForm()
            if staff and support.is_open and support.status != Status.ESCALATED
            else None,
            "provider": services.current_provider(support.commune) if staff else None,
            "close_form": CloseForm() if staff and support.is_open else None,
            "rate_form": RateForm()
            if is_commune_person and not support.is_open and support.satisfaction is None
            else None,
            "response_breached": support.response_breached(now),
            "resolution_breached": support.resolution_breached(now),
            "response_hours": services.working_hours(
                support.opened_at, support.first_response_at or now, calendar
            ),
            "resolution_hours": services.working_hours(
                support.opened_at, support.closed_at or now, calendar
            ),
        },
    )


def _post_action(request, request_id: int, form_class, act, success: str) -> HttpResponse:
    support = _request_for(request.user, request_id)
    form = (
        form_class(request.POST, request.FILES)
        if form_class is MessageForm
        else form_class(request.POST)
    )
    if form.is_valid():
        try:
            act(support, form.cleaned_data)
            messages.success(request, success)
        except AlreadySubmitted as error:
            messages.info(request, str(error))
        except services.Refused as error:
            _done(request, error)
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("support:request", request_id=support.pk)


@access(perms.is_signed_in)
@require_POST
def request_message(request: HttpRequest, request_id: int) -> HttpResponse:
    support = _request_for(request.user, request_id)
    if not (STAFF(request.user) or request.user.roles_in(support.commune_id)):
        raise PermissionDenied
    return _post_action(
        request,
        request_id,
        MessageForm,
        lambda s, d: services.add_message(
            request=s,
            by=request.user,
            body=d["body"],
            files=d["attachments"],
            submission=d["submission"],
        ),
        _("Votre message est ajouté à la demande."),
    )


@access(STAFF)
@require_POST
def request_assign(request: HttpRequest, request_id: int) -> HttpResponse:
    return _post_action(
        request,
        request_id,
        AssignForm,
        lambda s, d: services.assign_request(request=s, assignee=d["assignee"], by=request.user),
        _("La demande est affectée."),
    )


@access(STAFF)
@require_POST
def request_escalate(request: HttpRequest, request_id: int) -> HttpResponse:
    return _post_action(
        request,
        request_id,
        EscalateForm,
        lambda s, d: services.escalate_request(request=s, by=request.user, **d),
        _("La demande est transmise au prestataire de la commune."),
    )


@access(STAFF)
@require_POST
def request_close(request: HttpRequest, request_id: int) -> HttpResponse:
    return _post_action(
        request,
        request_id,
        CloseForm,
        lambda s, d: services.close_request(request=s, by=request.user, resolution=d["resolution"]),
        _("La demande est clôturée ; la commune peut l'évaluer."),
    )


@access(perms.is_commune_member)
@require_POST
def request_rate(request: HttpRequest, request_id: int) -> HttpResponse:
    support = _request_for(request.user, request_id)
    if not request.user.roles_in(support.commune_id):
        raise PermissionDenied
    return _post_action(
        request,
        request_id,
        RateForm,
        lambda s, d: services.rate_request(request=s, by=request.user, **d),
        _("Merci pour votre évaluation."),
    )


@access(perms.is_signed_in)
def attachment(request: HttpRequest, attachment_id: int) -> HttpResponse:
    item = get_object_or_404(
        SupportAttachment.objects.select_related("request__commune"), pk=attachment_id
    )
    if not perms.can_view_commune(request.user, item.request.commune):
        raise Http404
    return serve_protected_file(request, item.file, kind=item.kind, filename=item.download_name())


@access(perms.is_staff_member)
@submitted_once
def providers(request: HttpRequest) -> HttpResponse:
    link_form = None
    if STAFF(request.user):
        communes = audience.member_communes(programme_for(request)).order_by(french("name"))
        link_form = ProviderLinkForm(request.POST or None, communes=communes)
        if request.method == "POST" and link_form.is_valid():
            try:
                services.link_provider(by=request.user, **link_form.cleaned_data)
                messages.success(request, _("Le prestataire est rattaché à la commune."))
                return redirect("support:providers")
            except services.Refused as error:
                _done(request, error)
    elif request.method == "POST":
        raise PermissionDenied
    scores = services.provider_scorecard(programme=programme_for(request))
    chart = ""
    if scores:
        chart = bar_chart(
            [s.supplier.name for s in scores],
            {
                _("Heures ouvrées moyennes de résolution"): [
                    s.mean_resolution_hours for s in scores
                ],
                _("Satisfaction moyenne (sur 5)"): [s.mean_satisfaction for s in scores],
            },
            title=_("Tableau de bord des prestataires de support"),
        )
    return render(
        request,
        "support/providers.html",
        {"scores": scores, "chart": chart, "link_form": link_form},
    )


@access(perms.is_staff_member)
def provider(request: HttpRequest, supplier_id: int) -> HttpResponse:
    supplier = get_object_or_404(Supplier, pk=supplier_id)
    form = ProviderReviewForm(request.POST or None) if STAFF(request.user) else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            services.add_provider_review(supplier=supplier, by=request.user, **form.cleaned_data)
            messages.success(request, _("La revue est enregistrée."))
            return redirect("support:provider", supplier_id=supplier.pk)
    score = next(
        (
            s
            for s in services.provider_scorecard(programme=programme_for(request))
            if s.supplier.pk == supplier.pk
        ),
        None,
    )
    now = timezone.now()
    escalations = supplier.escalations.select_related("commune").order_by("-escalated_at")[:100]
    return render(
        request,
        "support/provider.html",
        {
            "supplier": supplier,
            "score": score,
            "links": ProviderLink.objects.filter(supplier=supplier).select_related("commune"),
            "escalations": [(r, r.resolution_breached(now)) for r in escalations],
            "reviews": supplier.reviews.select_related("written_by"),
            "form": form,
            "by_commune": supplier.escalations.values("commune__name")
            .annotate(n=Count("id"))
            .order_by(french("commune__name")),
        },
    )
