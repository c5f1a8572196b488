"""Campaigns: coordinators assign modules to communes, commune managers to their own agents."""

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mutualis.accounts import perms
from mutualis.accounts.models import User
from mutualis.awareness import perms as awareness_perms
from mutualis.awareness import services
from mutualis.awareness.forms import CampaignForm, ReasonForm
from mutualis.awareness.models import Campaign, CampaignScope
from mutualis.awareness.stats import programme_communes
from mutualis.core.access import access
from mutualis.core.collation import french
from mutualis.core.lookups import get_visible_or_404
from mutualis.core.submissions import submitted_once
from mutualis.programme.selection import in_visible_programmes, of_programme, programme_for
from mutualis.territory.models import Commune


def _visible_campaigns(campaigns, user):
    """Of the programmes the user may see: campaigns for every commune, and those of or aimed at
    the communes the user manages (for a coordinator, the communes of their programmes'
    territory)."""
    campaigns = in_visible_programmes(campaigns, user)
    if perms.is_coordinator(user) and perms.staff_epci_ids(user) is None:
        return campaigns
    managed = list(awareness_perms.managed_communes(user))
    return campaigns.filter(
        Q(scope=CampaignScope.ALL) | Q(communes__in=managed) | Q(commune__in=managed)
    ).distinct()


def _campaigns():
    return Campaign.objects.select_related("commune", "created_by").prefetch_related("modules")


def _campaign_for(user, campaign_id: int) -> Campaign:
    return get_visible_or_404(_campaigns(), user, visible=_visible_campaigns, pk=campaign_id)


def _manager_commune(request) -> Commune | None:
    """The commune a manager launches campaigns for: the one they act for, if they manage it."""
    commune = perms.active_commune(request)
    if commune is not None and perms.can_manage_commune(request.user, commune):
        return commune
    return awareness_perms.managed_communes(request.user).order_by(french("name")).first()


@access(awareness_perms.can_manage_campaigns)
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = of_programme(_visible_campaigns(_campaigns(), request.user), programme_for(request))
    campaigns = campaigns.order_by("-created_at", "-id")
    return render(request, "awareness/campaigns.html", {"campaigns": campaigns})


@access(awareness_perms.can_manage_campaigns)
@submitted_once
def campaign_new(request: HttpRequest) -> HttpResponse:
    commune = None if perms.is_coordinator(request.user) else _manager_commune(request)
    people = services.people_of(commune) if commune else []
    programme = programme_for(request)
    form = CampaignForm(
        request.POST or None,
        commune=commune,
        communes=programme_communes(programme),
        people=User.objects.filter(pk__in=[p.pk for p in people]),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        scope = data["scope"]
        try:
            campaign = services.create_campaign(
                by=request.user,
                programme=programme,
                title=data["title"],
                modules=data["modules"],
                due_date=data["due_date"],
                scope=scope,
                communes=[commune] if commune and scope == CampaignScope.COMMUNES
                else data.get("communes") or [],
                agents=data.get("agents") or [],
                commune=commune,
                message=data["message"],
            )  # fmt: skip
        except services.AwarenessError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Campagne « %(t)s » lancée.") % {"t": campaign.title})
            return redirect("awareness:campaign", campaign_id=campaign.pk)
    return render(request, "awareness/campaign_form.html", {"form": form, "commune": commune})


@access(awareness_perms.can_manage_campaigns)
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign_for(request.user, campaign_id)
    module_list = list(campaign.modules.all())
    if perms.is_coordinator(request.user):
        scope_communes = None
    else:
        scope_communes = list(awareness_perms.managed_communes(request.user))
    people = services.campaign_people(campaign)
    if scope_communes is not None:
        allowed = {c.pk for c in scope_communes}
        people = {cid: ids for cid, ids in people.items() if cid in allowed}
    everyone = set().union(*people.values())
    done = services.passed_modules(everyone)
    rows = _commune_rows(people, done, {m.pk for m in module_list})
    person_rows = _person_rows(everyone, done, module_list) if scope_communes is not None else []
    can_cancel = campaign.cancelled_at is None and (
        perms.is_coordinator(request.user)
        or (campaign.commune_id and perms.can_manage_commune(request.user, campaign.commune))
    )
    return render(
        request,
        "awareness/campaign.html",
        {
            "campaign": campaign,
            "modules": module_list,
            "rows": rows,
            "person_rows": person_rows,
            "can_cancel": can_cancel,
        },
    )


def _commune_rows(people: dict, done: dict, module_ids: set[int]) -> list[dict]:
    """Per commune, by name: its people, how many finished every module, modules passed."""
    names = Commune.objects.in_bulk(list(people))
    return sorted(
        (
            {
                "commune": names[cid],
                "people": len(ids),
                "finished": sum(module_ids <= done.get(u, set()) for u in ids),
                "done": sum(len(module_ids & done.get(u, set())) for u in ids),
                "assigned": len(ids) * len(module_ids),
            }
            for cid, ids in people.items()
        ),
        key=lambda r: r["commune"].name,
    )


def _person_rows(everyone: set[int], done: dict, module_list: list) -> list[dict]:
    """Per person, by name: which of the campaign's modules they passed."""
    users = User.objects.in_bulk(everyone)
    return sorted(
        (
            {"user": users[u], "done": [m.pk in done.get(u, set()) for m in module_list]}
            for u in everyone
        ),
        key=lambda r: (r["user"].last_name, r["user"].username),
    )


@access(awareness_perms.can_manage_campaigns)
def campaign_cancel(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign_for(request.user, campaign_id)
    allowed = perms.is_coordinator(request.user) or (
        campaign.commune_id and perms.can_manage_commune(request.user, campaign.commune)
    )
    if not allowed:
        raise Http404
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_campaign(
                campaign=campaign, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.AwarenessError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("La campagne est annulée."))
            return redirect("awareness:campaign", campaign_id=campaign.pk)
    return render(request, "awareness/campaign_cancel.html", {"campaign": campaign, "form": form})
