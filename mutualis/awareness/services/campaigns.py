"""Campaigns: assigning modules to people by a date, and reminding them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mutualis.accounts.models import CommuneRole, User
from mutualis.awareness.models import (
    AwarenessModule,
    Campaign,
    CampaignScope,
    Progress,
    Reminder,
    ReminderKind,
)
from mutualis.awareness.services._common import AwarenessError
from mutualis.core import audit
from mutualis.programme.models import Programme
from mutualis.territory.models import Commune

DUE_SOON_DAYS = 7


# --- Campaigns -------------------------------------------------------------------------------


def create_campaign(
    *,
    by: User,
    programme: Programme,
    title: str,
    modules: Iterable[AwarenessModule],
    due_date: date,
    scope: str,
    communes: Iterable[Commune] = (),
    agents: Iterable[User] = (),
    commune: Commune | None = None,
    message: str = "",
) -> Campaign:
    """Assign modules to every commune of the programme's territory, to chosen communes, or to
    chosen agents of one commune; the campaign belongs to `programme`."""
    modules, communes, agents = list(modules), list(communes), list(agents)
    if not modules:
        raise AwarenessError(_("Choisissez au moins un module."))
    if due_date < timezone.localdate():
        raise AwarenessError(_("L'échéance est déjà passée : choisissez une date à venir."))
    if scope == CampaignScope.COMMUNES and not communes:
        raise AwarenessError(_("Choisissez au moins une commune."))
    if scope == CampaignScope.AGENTS:
        if commune is None or not agents:
            raise AwarenessError(_("Choisissez au moins un agent de la commune."))
        people = set(
            CommuneRole.objects.active().filter(commune=commune).values_list("user_id", flat=True)
        )
        strangers = [str(agent) for agent in agents if agent.pk not in people]
        if strangers:
            raise AwarenessError(
                _("%(names)s ne travaille(nt) pas pour %(commune)s.")
                % {"names": ", ".join(strangers), "commune": commune.name}
            )
    with transaction.atomic():
        campaign = Campaign.objects.create(
            programme=programme,
            title=title.strip(),
            due_date=due_date,
            scope=scope,
            commune=commune,
            message=message.strip(),
            created_by=by,
        )
        campaign.modules.set(modules)
        campaign.communes.set(communes if scope == CampaignScope.COMMUNES else [])
        campaign.agents.set(agents if scope == CampaignScope.AGENTS else [])
        audit.record(
            action="awareness.campaign_created",
            obj=campaign,
            by=by,
            summary=ngettext(
                "Campagne « %(title)s » (%(count)d module, avant le %(due)s)",
                "Campagne « %(title)s » (%(count)d modules, avant le %(due)s)",
                len(modules),
            )
            % {
                "title": campaign.title,
                "count": len(modules),
                "due": due_date.strftime("%d/%m/%Y"),
            },
            commune_insee=commune.insee_code if commune else "",
        )
    return campaign


def cancel_campaign(*, campaign: Campaign, by: User, reason: str) -> None:
    if not reason.strip():
        raise AwarenessError(_("Indiquez le motif de l'annulation."))
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.cancelled_at:
            raise AwarenessError(_("Cette campagne est déjà annulée."))
        campaign.cancelled_at = timezone.now()
        campaign.cancelled_by = by
        campaign.cancel_reason = reason.strip()
        campaign.save(update_fields=["cancelled_at", "cancelled_by", "cancel_reason"])
        audit.record(
            action="awareness.campaign_cancelled",
            obj=campaign,
            by=by,
            summary=_("Campagne « %(title)s » annulée") % {"title": campaign.title},
            reason=reason.strip(),
            commune_insee=campaign.commune.insee_code if campaign.commune_id else "",
        )


def campaign_people(campaign: Campaign, *, commune: Commune | None = None) -> dict[int, set[int]]:
    """Commune id → ids of the people the campaign assigns (within one commune if given)."""
    roles = CommuneRole.objects.active()
    if commune is not None:
        roles = roles.filter(commune=commune)
    if campaign.scope == CampaignScope.ALL:
        roles = roles.filter(commune__epci__programmes=campaign.programme_id)
    elif campaign.scope == CampaignScope.COMMUNES:
        roles = roles.filter(commune__in=campaign.communes.all())
    elif campaign.scope == CampaignScope.AGENTS:
        roles = roles.filter(commune=campaign.commune_id, user__in=campaign.agents.all())
    people: dict[int, set[int]] = {}
    for commune_id, user_id in roles.filter(user__is_active=True).values_list(
        "commune_id", "user_id"
    ):
        people.setdefault(commune_id, set()).add(user_id)
    return people


def passed_modules(user_ids: Iterable[int]) -> dict[int, set[int]]:
    """User id → ids of the modules they passed (any version)."""
    done: dict[int, set[int]] = {}
    for user_id, module_id in (
        Progress.objects.passed()
        .filter(user__in=list(user_ids))
        .values_list("user_id", "module_version__module_id")
    ):
        done.setdefault(user_id, set()).add(module_id)
    return done


@dataclass
class ReminderReport:
    sent: dict[str, int] = field(default_factory=lambda: {k.value: 0 for k in ReminderKind})
    skipped_without_email: int = 0


def _reminder_kind(campaign: Campaign, today: date) -> str:
    """The reminder a person with modules left should have by now: one email per run at most,
    the most urgent one (a campaign launched a few days before its due date starts with
    « due soon »)."""
    if today > campaign.due_date:
        return ReminderKind.OVERDUE
    if (campaign.due_date - today).days <= DUE_SOON_DAYS:
        return ReminderKind.DUE_SOON
    return ReminderKind.ASSIGNED


def send_reminders(
    *, today: date | None = None, progress: Callable[[str, int, int], None] | None = None
) -> ReminderReport:
    """Email each assigned person who has modules left: when the campaign starts, when its due
    date is a week away, when it has passed (the most urgent that applies, one per run). Each
    (campaign, person, kind) is sent once, so running it again sends nothing new. Campaigns
    overdue by more than 30 days are left alone."""
    today = today or timezone.localdate()
    report = ReminderReport()
    campaigns = list(
        Campaign.objects.active()
        .filter(due_date__gte=today - timedelta(days=30), created_at__date__lte=today)
        .prefetch_related("modules")
    )
    for index, campaign in enumerate(campaigns, start=1):
        people = set().union(*campaign_people(campaign).values())
        module_ids = {m.pk for m in campaign.modules.all()}
        done = passed_modules(people)
        already = set(Reminder.objects.filter(campaign=campaign).values_list("user_id", "kind"))
        users = User.objects.in_bulk(people)
        for user_id in sorted(people):
            left = module_ids - done.get(user_id, set())
            if not left:
                continue
            user = users[user_id]
            kind = _reminder_kind(campaign, today)
            if (user_id, kind) in already:
                continue
            if not user.email:
                report.skipped_without_email += 1
                continue
            if _send_one(campaign=campaign, user=user, kind=kind, left=left):
                report.sent[kind] += 1
        if progress:
            progress("campagnes", index, len(campaigns))
    return report


def _send_one(*, campaign: Campaign, user: User, kind: str, left: set[int]) -> bool:
    titles = [m.title for m in campaign.modules.all() if m.pk in left]
    link = settings.MUTUALIS_SITE_URL + reverse("awareness:home")
    subjects = {
        ReminderKind.ASSIGNED: _("Sensibilisation : %(title)s"),
        ReminderKind.DUE_SOON: _("Rappel : %(title)s, à terminer avant le %(due)s"),
        ReminderKind.OVERDUE: _("Échéance dépassée : %(title)s"),
    }
    values = {"title": campaign.title, "due": campaign.due_date.strftime("%d/%m/%Y")}
    body = _(
        "Bonjour %(name)s,\n\n"
        "La campagne de sensibilisation « %(title)s » vous demande de suivre, avant le %(due)s :\n"
        "%(modules)s\n\n%(message)s"
        "Chaque module dure une quinzaine de minutes ; votre progression est enregistrée et vous "
        "pouvez reprendre plus tard.\n%(link)s\n"
    ) % {
        **values,
        "name": user.get_full_name() or user.username,
        "modules": "\n".join(f"- {title}" for title in titles),
        "message": f"{campaign.message}\n\n" if campaign.message else "",
        "link": link,
    }
    try:
        with transaction.atomic():
            Reminder.objects.create(campaign=campaign, user=user, kind=kind)
            send_mail(
                subject=subjects[kind] % values,
                message=body,
                from_email=None,
                recipient_list=[user.email],
            )
    except IntegrityError:
        return False  # sent meanwhile by another run
    return True
