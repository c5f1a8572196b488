"""A commune's memberships and the steps of their lifecycle: apply, join, queue, admit, exit."""

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.accounts import perms
from mutualis.core.access import access
from mutualis.core.submissions import submitted_once
from mutualis.membership import capacity, forms, lookups, services
from mutualis.membership.enums import NOT_STARTED, Status
from mutualis.membership.models import Deliberation, Membership, Transition
from mutualis.membership.rules import of_place
from mutualis.membership.views._common import _manage_or_403, _programme, _step

# --- a commune's memberships --------------------------------------------------------------------


@access(perms.is_signed_in)
def commune(request: HttpRequest, insee_code: str) -> HttpResponse:
    commune = perms.get_commune_for_user(request.user, insee_code)
    programme = _programme(request)
    memberships = _commune_memberships(commune)
    can_manage = perms.can_manage_commune(request.user, commune)
    coordinator = perms.is_coordinator(request.user)
    _mark_actions(memberships, programme, can_manage=can_manage)
    advanced_open = any(m.is_open and not m.is_base for m in memberships)
    spec = programme.spec
    open_offers = [
        o
        for o in spec.advanced_offers()
        if o.is_open_to(has_it_department=commune.has_it_department)
    ]
    in_base = any(
        m.offer_code == spec.base_offer.code and m.status == Status.JOINED for m in memberships
    )
    return render(
        request,
        "membership/commune.html",
        {
            "commune": commune,
            "programme": programme,
            "memberships": memberships,
            "deliberations": Deliberation.objects.filter(commune=commune),
            "can_manage": can_manage,
            "coordinator": coordinator,
            "can_apply": can_manage and in_base and not advanced_open and bool(open_offers),
            "can_join_base": coordinator
            and not any(m.offer_code == spec.base_offer.code and m.is_open for m in memberships),
            "statuses": Status,
        },
    )


def _commune_memberships(commune) -> list[Membership]:
    """The commune's memberships, oldest first, with their steps and their convention's
    amendments."""
    return list(
        Membership.objects.filter(commune=commune)
        .select_related("programme", "commune", "convention")
        .prefetch_related(
            Prefetch(
                "transitions",
                queryset=Transition.objects.select_related("by", "deliberation"),
                to_attr="steps",
            ),
            Prefetch("convention__amendments"),
        )
        .order_by("created_at")
    )


def _mark_actions(memberships: list[Membership], programme, *, can_manage: bool) -> None:
    """Each membership's place in its queue, and whether (and on what terms) it may be left."""
    today = timezone.localdate()
    positions = {}
    if any(m.status == Status.QUEUED for m in memberships):
        for state in capacity.pool_states(programme, on=today):
            positions.update({e.membership.pk: (e, state) for e in state.queue})
    advanced_open = any(m.is_open and not m.is_base for m in memberships)
    for m in memberships:
        m.queue_entry = positions.get(m.pk)
        # The base offer is left only once no advanced membership (which includes it) is open.
        m.can_exit = (
            can_manage
            and m.status in {Status.ACTIVE, Status.JOINED, *NOT_STARTED}
            and not (m.is_base and advanced_open)
        )
        m.exit_terms = services.exit_terms_for(m, on=today) if m.can_exit else None
        m.conv = getattr(m, "convention", None)


@access(perms.is_signed_in)
@submitted_once
def apply(request: HttpRequest, insee_code: str) -> HttpResponse:
    commune = perms.get_commune_for_user(request.user, insee_code)
    _manage_or_403(request.user, commune)
    programme = _programme(request)
    offers = [
        o
        for o in programme.spec.advanced_offers()
        if o.is_open_to(has_it_department=commune.has_it_department)
    ]
    form = forms.ApplyForm(
        request.POST or None,
        offers=offers,
        deliberations=Deliberation.objects.filter(commune=commune),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.apply_for_advanced_offer(
                programme=programme, commune=commune, by=request.user, **form.cleaned_data
            )
        except services.TransitionRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request, _("La candidature %(c)s est déposée.") % {"c": of_place(commune.name)}
            )
            return redirect("membership:commune", insee_code=commune.insee_code)
    return render(request, "membership/apply.html", {"commune": commune, "form": form})


@access(perms.is_coordinator)
@submitted_once
def join_base(request: HttpRequest, insee_code: str) -> HttpResponse:
    commune = perms.get_commune_for_user(request.user, insee_code)
    programme = _programme(request)
    form = forms.JoinBaseForm(
        request.POST or None,
        deliberations=Deliberation.objects.filter(commune=commune),
        initial={"on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.join_base_offer(
                programme=programme, commune=commune, by=request.user, **form.cleaned_data
            )
        except services.TransitionRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("%(c)s adhère au socle de base.") % {"c": commune.name})
            return redirect("membership:commune", insee_code=commune.insee_code)
    return render(request, "membership/join_base.html", {"commune": commune, "form": form})


# --- lifecycle steps on one membership ----------------------------------------------------------


@access(perms.is_coordinator)
def queue(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = lookups.membership_for_user(request.user, membership_id)
    form = forms.ReasonForm(request.POST or None)
    return _step(
        request,
        membership,
        form,
        lambda d: services.queue_application(membership=membership, by=request.user, **d),
        "step_queue",
    )


@access(perms.is_coordinator)
def admit(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = lookups.membership_for_user(request.user, membership_id)
    form = forms.AdmitForm(request.POST or None)
    entry = None
    if membership.status == Status.QUEUED:
        pool = membership.programme.spec.pool_for_offer(membership.offer_code)
        state = capacity.pool_state(membership.programme, pool.code, on=timezone.localdate())
        entry = next((e for e in state.queue if e.membership.pk == membership.pk), None)
        extra = {"entry": entry, "state": state}
    else:
        extra = {}
    return _step(
        request,
        membership,
        form,
        lambda d: services.admit_commune(membership=membership, by=request.user, **d),
        "step_admit",
        extra,
    )


@access(perms.is_coordinator)
def move(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = lookups.membership_for_user(request.user, membership_id)
    form = forms.MoveInQueueForm(request.POST or None)
    return _step(
        request,
        membership,
        form,
        lambda d: services.move_in_queue(membership=membership, by=request.user, **d),
        "step_move",
    )


@access(perms.is_coordinator)
def issue_convention(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = lookups.membership_for_user(request.user, membership_id)
    form = forms.IssueConventionForm(request.POST or None)
    return _step(
        request,
        membership,
        form,
        lambda d: services.issue_convention(membership=membership, by=request.user, **d),
        "step_issue_convention",
    )


@access(perms.is_signed_in)
def request_exit(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = lookups.membership_for_user(request.user, membership_id)
    _manage_or_403(request.user, membership.commune)
    form = forms.ExitForm(
        request.POST or None,
        deliberations=Deliberation.objects.filter(commune=membership.commune),
    )
    terms = services.exit_terms_for(membership, on=timezone.localdate())
    return _step(
        request,
        membership,
        form,
        lambda d: services.request_exit(
            membership=membership,
            by=request.user,
            reason=d["reason"],
            deliberation=d["deliberation"],
        ),
        "step_exit",
        {"terms": terms},
    )


@access(perms.is_signed_in)
def withdraw(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = lookups.membership_for_user(request.user, membership_id)
    _manage_or_403(request.user, membership.commune)
    form = forms.ReasonForm(request.POST or None)
    return _step(
        request,
        membership,
        form,
        lambda d: services.withdraw_application(membership=membership, by=request.user, **d),
        "step_withdraw",
    )
