"""The renewal page of a successor programme: each member of the programme it succeeds, proposed to
continue; a coordinator records the council's decision: renewed (renew_membership) or refused
(refuse_renewal). Each commune reads proposed, renewed or refused."""

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutualis.accounts import perms
from mutualis.core.access import access
from mutualis.core.collation import french
from mutualis.membership import services
from mutualis.membership.models import Deliberation, Membership, RenewalRefusal
from mutualis.programme.selection import programme_for


def _successor(request):
    programme = programme_for(request)
    if programme is None or programme.predecessor_id is None:
        raise Http404
    return programme


@dataclass
class Proposal:
    """One member of the predecessor, and where its renewal stands."""

    membership: Membership
    renewal: Membership | None
    refusal: RenewalRefusal | None  # standing (not superseded)
    deliberations: list[Deliberation]

    @property
    def state(self) -> str:
        if self.renewal is not None:
            return _("renouvelée")
        if self.refusal is not None:
            return _("refusée")
        return _("proposée")


def _proposals(successor, user) -> list[Proposal]:
    """The open memberships of the predecessor, of the communes the user serves, each with its
    renewal or standing refusal (if decided) and the council's renewal deliberations to choose
    from."""
    memberships = list(
        Membership.objects.open()
        .filter(programme_id=successor.predecessor_id, commune__in=perms.visible_communes(user))
        .select_related("commune", "programme")
        .order_by(french("commune__name"), "offer_code")
    )
    renewed = {
        m.renews_id: m
        for m in Membership.objects.filter(programme=successor, renews__in=memberships)
    }
    deliberations: dict[int, list[Deliberation]] = {}
    for deliberation in Deliberation.objects.filter(
        commune__in=[m.commune_id for m in memberships], purpose=Deliberation.Purpose.RENEW
    ).order_by("-session_date"):
        deliberations.setdefault(deliberation.commune_id, []).append(deliberation)
    refused = {
        r.membership_id: r
        for r in RenewalRefusal.objects.standing()
        .filter(successor=successor, membership__in=memberships)
        .select_related("recorded_by")
    }
    return [
        Proposal(m, renewed.get(m.pk), refused.get(m.pk), deliberations.get(m.commune_id, []))
        for m in memberships
    ]


def _predecessor_membership(request, successor) -> Membership:
    """The predecessor's membership a form names, of a commune the coordinator serves."""
    membership = (
        Membership.objects.filter(
            pk=request.POST.get("membership"),
            programme_id=successor.predecessor_id,
            commune__in=perms.visible_communes(request.user),
        )
        .select_related("commune", "programme")
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def _council_deliberation(request, membership: Membership) -> Deliberation | None:
    """The commune's own deliberation the form names, if any (another commune's is ignored)."""
    return Deliberation.objects.filter(
        pk=request.POST.get("deliberation") or None, commune=membership.commune
    ).first()


def _back(successor) -> HttpResponse:
    return redirect(f"{reverse('membership:renewals')}?programme={successor.slug}")


@access(perms.is_coordinator)
def renewals(request: HttpRequest) -> HttpResponse:
    successor = _successor(request)
    return render(
        request,
        "membership/renewals.html",
        {
            "successor": successor,
            "rows": _proposals(successor, request.user),
            "offers": successor.spec.offers,
        },
    )


@access(perms.is_coordinator)
@require_POST
def renew(request: HttpRequest) -> HttpResponse:
    successor = _successor(request)
    membership = _predecessor_membership(request, successor)
    offer_code = request.POST.get("offer") or membership.offer_code
    if offer_code not in {offer.code for offer in successor.spec.offers}:
        raise Http404
    deliberation = _council_deliberation(request, membership)
    try:
        services.renew_membership(
            membership=membership,
            successor=successor,
            deliberation=deliberation,
            offer_code=offer_code,
            by=request.user,
        )
    except services.TransitionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("%(commune)s continue dans %(programme)s.")
            % {"commune": membership.commune.name, "programme": successor.name},
        )
    return _back(successor)


@access(perms.is_coordinator)
@require_POST
def refuse(request: HttpRequest) -> HttpResponse:
    """The commune does not continue: recorded with its reason (and the council's deliberation,
    if it voted on it)."""
    successor = _successor(request)
    membership = _predecessor_membership(request, successor)
    deliberation = _council_deliberation(request, membership)
    try:
        services.refuse_renewal(
            membership=membership,
            successor=successor,
            reason=request.POST.get("reason", ""),
            deliberation=deliberation,
            by=request.user,
        )
    except services.TransitionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Refus enregistré : l'adhésion de %(commune)s prendra fin avec %(programme)s.")
            % {"commune": membership.commune.name, "programme": membership.programme.name},
        )
    return _back(successor)
