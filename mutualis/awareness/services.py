"""Awareness workflows: loading module files, taking a module, campaigns and reminders, and
on-site sessions. Each function that changes state writes its audit entry."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mutualis.accounts.models import CommuneRole, User
from mutualis.awareness import content
from mutualis.awareness.models import (
    Attendee,
    Attestation,
    AwarenessModule,
    Campaign,
    CampaignScope,
    ModuleVersion,
    OnsiteSession,
    Progress,
    QuizAttempt,
    Reminder,
    ReminderKind,
)
from mutualis.awareness.scoring import ExerciseFeedback, QuizResult, check_clicks, score_quiz
from mutualis.core import audit
from mutualis.membership.models import Membership
from mutualis.programme.models import Programme
from mutualis.territory.models import Commune

DUE_SOON_DAYS = 7


class AwarenessError(ValueError):
    """A request refused with a French message saying why; nothing was written."""


# --- Loading module files --------------------------------------------------------------------


@dataclass
class LoadReport:
    created: list[ModuleVersion] = field(default_factory=list)
    unchanged: list[ModuleVersion] = field(default_factory=list)


def load_module_files(*, directory: str | Path, by=None, progress=None) -> LoadReport:
    """Validate every module file of a directory, then store new versions in one transaction.

    Raises :class:`content.ModuleError` (file, line, problem) and writes nothing when any file
    is wrong, or when a file keeps a stored version number with a different content.
    """
    modules = content.load_modules(directory)
    texts = {m.slug: Path(m.source).read_text(encoding="utf-8") for m in modules}
    report = LoadReport()
    with transaction.atomic():
        for index, module in enumerate(modules, start=1):
            version, created = _store_version(module, texts[module.slug], by)
            (report.created if created else report.unchanged).append(version)
            if progress:
                progress("modules", index, len(modules))
    return report


def _version_line(path: str) -> int:
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("version:"):
            return number
    return 1


def _store_version(module: content.Module, text: str, by) -> tuple[ModuleVersion, bool]:
    digest = hashlib.sha256(text.encode()).hexdigest()
    record, _created = AwarenessModule.objects.select_for_update().get_or_create(
        slug=module.slug, defaults={"title": module.title, "order": module.order}
    )
    existing = ModuleVersion.objects.filter(module=record, version=module.version).first()
    if existing is not None:
        if existing.content_hash == digest:
            return existing, False
        problem = _(
            "la version %(version)s du module « %(slug)s » est déjà chargée avec un autre "
            "contenu : augmentez « version » dans l'en-tête"
        ) % {"version": module.version, "slug": module.slug}
        raise content.ModuleError(module.source, [(_version_line(module.source), problem)])
    latest = record.current_version
    if latest is not None and latest.version > module.version:
        problem = _(
            "la version %(version)s est plus ancienne que la version %(latest)s déjà chargée"
        ) % {"version": module.version, "latest": latest.version}
        raise content.ModuleError(module.source, [(_version_line(module.source), problem)])
    version = ModuleVersion.objects.create(
        module=record,
        version=module.version,
        content_hash=digest,
        text=text,
        source_name=Path(module.source).name,
        title=module.title,
        summary=module.summary,
        duration_minutes=module.duration_minutes,
        pass_mark=module.pass_mark,
        loaded_by=by if getattr(by, "pk", None) else None,
    )
    record.current_version = version
    record.title = module.title
    record.order = module.order
    record.save(update_fields=["current_version", "title", "order"])
    audit.record(
        action="awareness.module_loaded",
        obj=version,
        by=by,
        summary=_("Module %(module)s : version %(version)s chargée")
        % {"module": module.slug, "version": module.version},
    )
    return version, True


# --- Taking a module -------------------------------------------------------------------------


def find_progress(user: User, module: AwarenessModule) -> Progress | None:
    """The progress a person continues: on the current version, else an unfinished older one."""
    rows = list(
        Progress.objects.filter(user=user, module_version__module=module)
        .select_related("module_version__module")
        .order_by("-module_version__version")
    )
    for row in rows:
        if row.module_version_id == module.current_version_id:
            return row
    return next((row for row in rows if row.passed_at is None), None)


def _progress_for(*, user: User, commune: Commune, version: ModuleVersion) -> Progress:
    progress, _created = Progress.objects.select_for_update().get_or_create(
        user=user, module_version=version, defaults={"commune": commune}
    )
    return progress


def mark_step_done(
    *, user: User, commune: Commune, version: ModuleVersion, step_key: str
) -> Progress:
    """Record that a lesson section (or any step) was done; saved at once, to resume later."""
    if step_key not in {key for key, _kind, _title in version.steps()}:
        raise AwarenessError(_("Cette étape n'existe pas dans le module."))
    with transaction.atomic():
        progress = _progress_for(user=user, commune=commune, version=version)
        if step_key not in progress.steps_done:
            progress.steps_done = [*progress.steps_done, step_key]
        progress.updated_at = timezone.now()
        progress.save(update_fields=["steps_done", "updated_at"])
    return progress


def submit_exercise(
    *, user: User, commune: Commune, version: ModuleVersion, exercise: content.Exercise,
    clicked: Iterable[str],
) -> ExerciseFeedback:  # fmt: skip
    """Check the agent's clicks, keep them with the progress and mark the exercise done."""
    known = {span.id for span in (*exercise.signs, *exercise.decoys)}
    clicked = sorted(set(clicked) & known)
    feedback = check_clicks(exercise, clicked)
    key = f"e:{exercise.id}"
    with transaction.atomic():
        progress = _progress_for(user=user, commune=commune, version=version)
        progress.exercise_answers = {
            **progress.exercise_answers,
            exercise.id: {
                "clicked": clicked,
                "found": len(feedback.found),
                "signs": feedback.total_signs,
                "false_alarms": len(feedback.false_alarms),
            },
        }
        if key not in progress.steps_done:
            progress.steps_done = [*progress.steps_done, key]
        progress.updated_at = timezone.now()
        progress.save(update_fields=["exercise_answers", "steps_done", "updated_at"])
    return feedback


def submit_quiz(
    *, user: User, commune: Commune, version: ModuleVersion, answers: dict[str, list[str]]
) -> tuple[QuizAttempt, QuizResult]:
    """Score a quiz submission, keep it, and issue the attestation on the first pass."""
    result = score_quiz(version.content, answers)
    now = timezone.now()
    with transaction.atomic():
        progress = _progress_for(user=user, commune=commune, version=version)
        attempt = QuizAttempt.objects.create(
            progress=progress,
            submitted_at=now,
            answers={key: sorted(values) for key, values in answers.items()},
            correct_count=result.correct_count,
            total=result.total,
            percentage=result.percentage,
            passed=result.passed,
        )
        progress.quiz_attempts += 1
        progress.best_percentage = max(progress.best_percentage or 0, result.percentage)
        if result.passed and "quiz" not in progress.steps_done:
            progress.steps_done = [*progress.steps_done, "quiz"]
        progress.updated_at = now
        fields = ["quiz_attempts", "best_percentage", "steps_done", "updated_at"]
        if result.passed and progress.passed_at is None:
            progress.passed_at = now
            fields.append("passed_at")
        progress.save(update_fields=fields)
        audit.record(
            action="awareness.quiz_submitted",
            obj=attempt,
            by=user,
            summary=(
                _("%(user)s : quiz « %(title)s » (v%(version)s), %(percentage)s %%, réussi")
                if result.passed
                else _(
                    "%(user)s : quiz « %(title)s » (v%(version)s), %(percentage)s %%, non réussi"
                )
            )
            % {
                "user": user,
                "title": version.title,
                "version": version.version,
                "percentage": result.percentage,
            },
            commune_insee=progress.commune.insee_code,
        )
        if result.passed and not Attestation.objects.filter(progress=progress).exists():
            _issue_attestation(progress=progress, percentage=result.percentage, at=now)
    return attempt, result


def _issue_attestation(*, progress: Progress, percentage: int, at: datetime) -> Attestation:
    attestation = Attestation.objects.create(
        number=f"tmp-{secrets.token_hex(8)}",
        verification_code=secrets.token_hex(5).upper(),
        progress=progress,
        user=progress.user,
        full_name=progress.user.get_full_name() or progress.user.username,
        commune=progress.commune,
        module_version=progress.module_version,
        percentage=percentage,
        issued_at=at,
    )
    # Numbered from the primary key: unique without a counter to lock, and never reused.
    attestation.number = f"SENS-{timezone.localdate(at).year}-{attestation.pk:06d}"
    attestation.save(update_fields=["number"])
    audit.record(
        action="awareness.attestation_issued",
        obj=attestation,
        by=progress.user,
        summary=_("Attestation %(number)s : %(name)s, « %(module)s »")
        % {
            "number": attestation.number,
            "name": attestation.full_name,
            "module": progress.module_version.title,
        },
        commune_insee=progress.commune.insee_code,
    )
    return attestation


# --- Campaigns -------------------------------------------------------------------------------


def create_campaign(
    *,
    by: User,
    title: str,
    modules: Iterable[AwarenessModule],
    due_date: date,
    scope: str,
    communes: Iterable[Commune] = (),
    agents: Iterable[User] = (),
    commune: Commune | None = None,
    message: str = "",
) -> Campaign:
    """Assign modules to every commune, to chosen communes, or to chosen agents of one commune."""
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
    if campaign.scope == CampaignScope.COMMUNES:
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


# --- On-site sessions ------------------------------------------------------------------------


def in_advanced_offer(commune) -> bool:
    """Whether the commune is in one of the advanced offers of the commune's programme (which include
    on-site awareness)."""
    programme = Programme.objects.for_commune(commune)
    if programme is None:
        return False
    advanced = [offer.code for offer in programme.spec.advanced_offers()]
    return (
        Membership.objects.in_offer()
        .filter(programme=programme, commune=commune, offer_code__in=advanced)
        .exists()
    )


def schedule_session(
    *,
    by: User,
    commune: Commune,
    title: str,
    starts_at: datetime,
    duration_minutes: int,
    place: str,
    facilitator: str,
    modules: Iterable[AwarenessModule] = (),
    in_advanced_offer: bool,
    outside_offer_reason: str = "",
) -> OnsiteSession:
    """Schedule an on-site session; a commune outside the advanced offers needs a stated reason."""
    if not in_advanced_offer and not outside_offer_reason.strip():
        raise AwarenessError(
            _(
                "%(commune)s n'a pas d'adhésion en cours à une offre avancée : indiquez pourquoi "
                "une session en présentiel y est organisée."
            )
            % {"commune": commune.name}
        )
    with transaction.atomic():
        session = OnsiteSession.objects.create(
            commune=commune,
            title=title.strip(),
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            place=place.strip(),
            facilitator=facilitator.strip(),
            outside_offer_reason="" if in_advanced_offer else outside_offer_reason.strip(),
            created_by=by,
        )
        session.modules.set(list(modules))
        audit.record(
            action="awareness.session_scheduled",
            obj=session,
            by=by,
            summary=_("Session « %(title)s » à %(commune)s le %(starts)s")
            % {
                "title": session.title,
                "commune": commune.name,
                "starts": timezone.localtime(starts_at).strftime("%d/%m/%Y %H:%M"),
            },
            commune_insee=commune.insee_code,
            reason=session.outside_offer_reason,
        )
    return session


def register_attendee(
    *, session: OnsiteSession, by: User, full_name: str = "", job_title: str = "", user=None
) -> Attendee:
    if not session.is_open_for_registration:
        raise AwarenessError(_("Les inscriptions à cette session sont closes."))
    if user is not None:
        full_name = full_name or user.get_full_name() or user.username
        if session.attendees.filter(user=user).exists():
            raise AwarenessError(_("%(name)s est déjà inscrit(e).") % {"name": full_name})
    if not full_name.strip():
        raise AwarenessError(_("Indiquez le nom du participant ou choisissez un agent."))
    with transaction.atomic():
        attendee = Attendee.objects.create(
            session=session,
            full_name=full_name.strip(),
            job_title=job_title.strip(),
            user=user,
            registered_by=by,
        )
        audit.record(
            action="awareness.attendee_registered",
            obj=attendee,
            by=by,
            summary=_("%(name)s inscrit(e) à la session « %(title)s »")
            % {"name": attendee.full_name, "title": session.title},
            commune_insee=session.commune.insee_code,
        )
    return attendee


def unregister_attendee(*, attendee: Attendee, by: User) -> None:
    """Take a registration back before attendance is recorded (a person entered by mistake)."""
    session = attendee.session
    if not session.is_open_for_registration:
        raise AwarenessError(_("Les présences sont relevées : la liste ne change plus."))
    with transaction.atomic():
        audit.record(
            action="awareness.attendee_unregistered",
            obj=session,
            by=by,
            summary=_("%(name)s désinscrit(e) de la session « %(title)s »")
            % {"name": attendee.full_name, "title": session.title},
            commune_insee=session.commune.insee_code,
        )
        attendee.delete()


def record_attendance(*, session: OnsiteSession, by: User, present_ids: Iterable[int]) -> None:
    """Mark who came (everyone else registered is absent); the figures count those present."""
    if session.cancelled_at:
        raise AwarenessError(_("Cette session est annulée."))
    if session.starts_at > timezone.now():
        raise AwarenessError(_("La session n'a pas encore eu lieu."))
    present_ids = set(present_ids)
    with transaction.atomic():
        attendees = list(session.attendees.select_for_update())
        for attendee in attendees:
            attendee.present = attendee.pk in present_ids
        Attendee.objects.bulk_update(attendees, ["present"])
        session.attendance_recorded_at = timezone.now()
        session.attendance_recorded_by = by
        session.save(update_fields=["attendance_recorded_at", "attendance_recorded_by"])
        count = sum(a.present for a in attendees)
        audit.record(
            action="awareness.attendance_recorded",
            obj=session,
            by=by,
            summary=ngettext(
                "Session « %(title)s » : %(count)d présent sur %(total)d",
                "Session « %(title)s » : %(count)d présents sur %(total)d",
                count,
            )
            % {"title": session.title, "count": count, "total": len(attendees)},
            commune_insee=session.commune.insee_code,
            changes={"present": sorted(a.full_name for a in attendees if a.present)},
        )


def cancel_session(*, session: OnsiteSession, by: User, reason: str) -> None:
    if not reason.strip():
        raise AwarenessError(_("Indiquez le motif de l'annulation."))
    if session.cancelled_at or session.attendance_recorded_at:
        raise AwarenessError(_("Cette session ne peut plus être annulée."))
    with transaction.atomic():
        session.cancelled_at = timezone.now()
        session.cancelled_by = by
        session.cancel_reason = reason.strip()
        session.save(update_fields=["cancelled_at", "cancelled_by", "cancel_reason"])
        audit.record(
            action="awareness.session_cancelled",
            obj=session,
            by=by,
            summary=_("Session « %(title)s » à %(commune)s annulée")
            % {"title": session.title, "commune": session.commune.name},
            reason=reason.strip(),
            commune_insee=session.commune.insee_code,
        )


def people_of(commune: Commune) -> list[User]:
    """The commune's people (active roles), by name."""
    return list(
        User.objects.filter(
            Q(commune_roles__commune=commune, commune_roles__ended_at__isnull=True),
            is_active=True,
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
