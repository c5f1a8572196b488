"""Continuity workflows: plan versions, crisis log books, backup studies, each recorded."""

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.continuity.models import ContinuityPlan, CrisisLog, LogEntry
from mutualis.core import audit
from mutualis.core.french import de_name

PLAN_TEMPLATE = settings.PACKAGE_DIR / "continuity" / "plan_template.md"


def draft_plan(commune) -> str:
    """A first continuity plan from the template, filled with the commune's contacts and activities."""
    contacts = "\n".join(
        _("- %(name)s, %(function)s — %(call_for)s : %(phone)s")
        % {"name": c.name, "function": c.function, "call_for": c.call_for, "phone": c.phone}
        for c in commune.crisis_contacts.all()
    ) or _("- _Aucun contact de crise renseigné : complétez la fiche réflexe._")
    activities = "\n".join(
        _("- **%(name)s** : interruption tolérée %(hours)s h")
        % {"name": a.name, "hours": a.tolerated_downtime_hours}
        + (
            _(" ; dépend %(of_depends_on)s") % {"of_depends_on": de_name(a.depends_on)}
            if a.depends_on
            else ""
        )
        + (
            _(" ; mode dégradé : %(workaround)s") % {"workaround": a.workaround}
            if a.workaround
            else ""
        )
        for a in commune.essential_activities.all()
    ) or _("- _Aucune activité essentielle renseignée._")
    return PLAN_TEMPLATE.read_text(encoding="utf-8").format(
        commune=commune.name, contacts=contacts, activities=activities
    )


def save_plan(*, commune, content: str, by) -> ContinuityPlan:
    """Every save is a new version; the previous ones stay readable."""
    with transaction.atomic():
        last = (
            ContinuityPlan.objects.select_for_update()
            .filter(commune=commune)
            .aggregate(v=Max("version"))["v"]
            or 0
        )
        plan = ContinuityPlan.objects.create(
            commune=commune, version=last + 1, content=content, created_by=by
        )
        audit.record(
            action="continuity.plan_saved",
            obj=plan,
            by=by,
            summary=_("Plan de continuité %(of_commune)s : version %(version)s")
            % {"of_commune": de_name(commune.name), "version": plan.version},
            commune_insee=commune.insee_code,
        )
    return plan


def open_crisis(*, commune, title: str, by) -> CrisisLog:
    log = CrisisLog.objects.create(commune=commune, title=title, opened_by=by)
    LogEntry.objects.create(
        log=log, author=by, text=_("Ouverture de la main courante : %(title)s") % {"title": title}
    )
    audit.record(
        action="continuity.crisis_opened",
        obj=log,
        by=by,
        summary=_("Crise ouverte : %(title)s") % {"title": title},
        commune_insee=commune.insee_code,
    )
    return log


def add_log_entry(*, log: CrisisLog, text: str, by) -> LogEntry:
    if log.closed_at:
        raise ValueError(_("Cette main courante est close."))
    return LogEntry.objects.create(log=log, author=by, text=text)


def close_crisis(*, log: CrisisLog, by) -> CrisisLog:
    if log.closed_at is None:
        LogEntry.objects.create(log=log, author=by, text=_("Clôture de la main courante."))
        log.closed_at = timezone.now()
        log.save(update_fields=["closed_at"])
        audit.record(
            action="continuity.crisis_closed",
            obj=log,
            by=by,
            summary=_("Crise close : %(title)s") % {"title": log.title},
            commune_insee=log.commune.insee_code,
        )
    return log
