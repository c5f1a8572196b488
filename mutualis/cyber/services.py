"""Cybersecurity workflows: load a referential version, record a first advice, run a diagnostic
from draft to completion, follow its remediation plan, and remind communes of the check-in.
Each function writes its audit entry and works in one transaction."""

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mutualis.accounts.enums import CommuneRoleKind, StaffRole
from mutualis.accounts.models import CommuneRole, User
from mutualis.core import audit
from mutualis.core.collation import sort_key
from mutualis.core.french import de_name
from mutualis.core.uploads import KINDS, stored_upload
from mutualis.cyber.models import (
    Diagnostic,
    DiagnosticStatus,
    Evidence,
    FirstAdviceRecord,
    MeasureStatus,
    PlanMeasure,
    ReferentialVersion,
)
from mutualis.cyber.referential import Question, Referential, ensure_new_version
from mutualis.cyber.scoring import AnswerError, score_diagnostic
from mutualis.membership.models import Membership
from mutualis.programme.models import Programme


class CyberRefused(ValueError):
    """A workflow step that may not happen; the message says why, in French."""


@dataclass(frozen=True)
class LoadResult:
    version: ReferentialVersion
    created: bool


def load_referential_version(*, referential: Referential, source: str, by=None) -> LoadResult:
    """Store a validated referential as a new version; the same content again adds nothing, and
    changed content under a version already stored is refused (ReferentialError)."""
    fingerprint = referential.fingerprint()
    with transaction.atomic():
        same = ReferentialVersion.objects.filter(fingerprint=fingerprint).first()
        if same is not None:
            return LoadResult(version=same, created=False)
        stored = ReferentialVersion.objects.filter(version=referential.version).first()
        if stored is not None:
            ensure_new_version(stored.referential, referential, source=source)
        version = ReferentialVersion.objects.create(
            version=referential.version,
            title=referential.title,
            fingerprint=fingerprint,
            content=referential.canonical_json(),
            source_name=source[:300],
            loaded_by=by if getattr(by, "pk", None) else None,
        )
        audit.record(
            action="cyber.referential_loaded",
            obj=version,
            by=by,
            summary=_("Référentiel du diagnostic : version %(version)s chargée")
            % {"version": version.version},
        )
    return LoadResult(version=version, created=True)


def current_referential_version() -> ReferentialVersion:
    version = ReferentialVersion.objects.current()
    if version is None:
        raise CyberRefused(
            _("Aucun référentiel de diagnostic n'est chargé (commande load_referential).")
        )
    return version


def in_advanced_offer(commune) -> bool:
    """Whether the commune is in one of the advanced offers of the commune's programme."""
    programme = Programme.objects.for_commune(commune)
    if programme is None:
        return False
    base = programme.spec.base_offer.code
    return (
        Membership.objects.in_offer()
        .filter(programme=programme, commune=commune)
        .exclude(offer_code=base)
        .exists()
    )


# --- reading answers -------------------------------------------------------------------------


def read_answers(
    referential: Referential, questions: tuple[Question, ...], data: Mapping[str, str]
) -> dict[str, str]:
    """The answers posted for these questions (unknown answers refused, blanks left out)."""
    answers = {}
    for question in questions:
        value = (data.get(question.id) or "").strip()
        if not value:
            continue
        if question.answer(value) is None:
            raise AnswerError(
                _("La réponse « %(answer)s » n'existe pas pour la question « %(question)s ».")
                % {"answer": value[:50], "question": question.text}
            )
        answers[question.id] = value
    return answers


def unanswered_questions(referential: Referential, answers: Mapping[str, str]) -> list[Question]:
    """Visible questions still without an answer ("Je ne sais pas" is an answer)."""
    return [q for q in referential.visible_questions(answers) if q.id not in answers]


# --- first advice ------------------------------------------------------------------------------


def record_first_advice(*, commune, answers: Mapping[str, str], by) -> FirstAdviceRecord:
    """Save a commune's self-assessment; every first-advice question must be answered."""
    version = current_referential_version()
    referential = version.referential
    asked = referential.first_advice_questions()
    own = read_answers(referential, asked, answers)
    missing = [q for q in asked if q.id not in own]
    if missing:
        raise CyberRefused(
            _("Répondez à toutes les questions (%(count)s sans réponse), au besoin par « %(dk)s ».")
            % {"count": len(missing), "dk": _("Je ne sais pas")}
        )
    with transaction.atomic():
        record = FirstAdviceRecord(
            commune=commune, referential_version=version, answers=own, taken_by=by
        )
        record.score = record.result().score
        record.save()
        audit.record(
            action="cyber.first_advice",
            obj=record,
            by=by,
            summary=_("Premier conseil de sécurité %(of_commune)s enregistré")
            % {"of_commune": de_name(commune.name)},
            commune_insee=commune.insee_code,
        )
    return record


# --- diagnostics -------------------------------------------------------------------------------


def start_diagnostic(*, commune, by, reason: str = "") -> Diagnostic:
    """Open a draft diagnostic with the current referential; a commune outside the advanced
    offer needs a reason (e.g. a diagnostic before its application). It follows the commune's
    last completed diagnostic, if any."""
    version = current_referential_version()
    reason = reason.strip()
    if not in_advanced_offer(commune) and not reason:
        raise CyberRefused(
            _(
                "%(commune)s n'est pas dans une offre avancée : indiquez pourquoi le "
                "diagnostic est mené quand même."
            )
            % {"commune": commune.name}
        )
    with transaction.atomic():
        if Diagnostic.objects.select_for_update().filter(
            commune=commune, status=DiagnosticStatus.DRAFT
        ):
            raise CyberRefused(
                _("Un diagnostic %(of_commune)s est déjà en cours : reprenez-le.")
                % {"of_commune": de_name(commune.name)}
            )
        previous = (
            Diagnostic.objects.completed()
            .filter(commune=commune)
            .order_by("-completed_at", "-pk")
            .first()
        )
        diagnostic = Diagnostic.objects.create(
            commune=commune,
            referential_version=version,
            previous=previous,
            out_of_offer_reason=reason,
            started_by=by,
        )
        audit.record(
            action="cyber.diagnostic_started",
            obj=diagnostic,
            by=by,
            summary=_("Diagnostic %(of_commune)s commencé (référentiel %(version)s)")
            % {"of_commune": de_name(commune.name), "version": version.version},
            commune_insee=commune.insee_code,
            reason=reason,
        )
    return diagnostic


def _locked_draft(diagnostic: Diagnostic) -> Diagnostic:
    locked = Diagnostic.objects.select_for_update().get(pk=diagnostic.pk)
    if not locked.is_draft:
        raise CyberRefused(
            _("Le diagnostic %(of_commune)s est %(status)s : il ne peut plus être modifié.")
            % {
                "of_commune": de_name(locked.commune.name),
                "status": locked.get_status_display().lower(),
            }
        )
    return locked


def save_answers(*, diagnostic: Diagnostic, answers: Mapping[str, str], by) -> Diagnostic:
    """Save a draft's answers (posted answers replace the saved ones for those questions)."""
    referential = diagnostic.referential
    posted = read_answers(referential, referential.questions, answers)
    with transaction.atomic():
        draft = _locked_draft(diagnostic)
        before = dict(draft.answers)
        merged = {**before, **posted}
        draft.answers = merged
        draft.save(update_fields=["answers", "updated_at"])
        changed = sorted(k for k in merged if before.get(k) != merged[k])
        if changed:
            audit.record(
                action="cyber.diagnostic_saved",
                obj=draft,
                by=by,
                summary=ngettext(
                    "Diagnostic %(of_commune)s : %(count)d réponse enregistrée",
                    "Diagnostic %(of_commune)s : %(count)d réponses enregistrées",
                    len(changed),
                )
                % {"of_commune": de_name(draft.commune.name), "count": len(changed)},
                commune_insee=draft.commune.insee_code,
                changes={"questions": changed},
            )
    return draft


def complete_diagnostic(*, diagnostic: Diagnostic, by) -> Diagnostic:
    """Freeze a draft whose visible questions are all answered, and create its remediation plan."""
    with transaction.atomic():
        draft = _locked_draft(diagnostic)
        referential = draft.referential
        missing = unanswered_questions(referential, draft.answers)
        if missing:
            raise CyberRefused(
                ngettext(
                    "Il reste %(count)s question sans réponse : %(ids)s.",
                    "Il reste %(count)s questions sans réponse : %(ids)s.",
                    len(missing),
                )
                % {"count": len(missing), "ids": ", ".join(q.id for q in missing[:10])}
            )
        result = score_diagnostic(referential, draft.answers)
        draft.status = DiagnosticStatus.COMPLETED
        draft.completed_at = timezone.now()
        draft.completed_by = by
        draft.overall = result.overall
        draft.maturity_level = result.maturity.level if result.maturity else None
        draft.maturity_label = result.maturity.label if result.maturity else ""
        draft.save()
        PlanMeasure.objects.bulk_create(
            PlanMeasure(
                diagnostic=draft,
                measure_id=item.measure_id,
                position=item.position,
                level=item.level,
                is_priority=item.is_priority,
                title=item.title[:300],
                theme_id=item.theme_id,
            )
            for item in result.plan
        )
        audit.record(
            action="cyber.diagnostic_completed",
            obj=draft,
            by=by,
            summary=ngettext(
                "Diagnostic %(of_commune)s terminé : %(score)s / 100, %(count)d mesure au plan",
                "Diagnostic %(of_commune)s terminé : %(score)s / 100, %(count)d mesures au plan",
                len(result.plan),
            )
            % {
                "of_commune": de_name(draft.commune.name),
                "score": result.overall,
                "count": len(result.plan),
            },
            commune_insee=draft.commune.insee_code,
        )
    return draft


def cancel_diagnostic(*, diagnostic: Diagnostic, by, reason: str) -> Diagnostic:
    """Cancel a draft (it stays, marked cancelled, with who, when and why)."""
    reason = reason.strip()
    if not reason:
        raise CyberRefused(_("Indiquez le motif de l'annulation."))
    with transaction.atomic():
        draft = _locked_draft(diagnostic)
        draft.status = DiagnosticStatus.CANCELLED
        draft.cancelled_at = timezone.now()
        draft.cancelled_by = by
        draft.cancel_reason = reason
        draft.save()
        audit.record(
            action="cyber.diagnostic_cancelled",
            obj=draft,
            by=by,
            summary=_("Diagnostic %(of_commune)s annulé")
            % {"of_commune": de_name(draft.commune.name)},
            commune_insee=draft.commune.insee_code,
            reason=reason,
        )
    return draft


# --- remediation follow-up ------------------------------------------------------------------------

PLAN_FIELDS = ("status", "justification", "owner", "due_date", "notes")


def update_plan_measure(
    *,
    measure: PlanMeasure,
    by,
    status: str,
    justification: str = "",
    owner: str = "",
    due_date: datetime.date | None = None,
    notes: str = "",
) -> list[str]:
    """Change a measure's follow-up; returns the fields changed (each change is audited)."""
    if status not in MeasureStatus.values:
        raise CyberRefused(_("État « %(status)s » inconnu.") % {"status": status})
    justification = justification.strip()
    if status == MeasureStatus.NOT_APPLICABLE and not justification:
        raise CyberRefused(
            _("La mesure %(id)s ne peut être « sans objet » qu'avec une justification.")
            % {"id": measure.measure_id}
        )
    after = {
        "status": status,
        "justification": justification,
        "owner": owner.strip(),
        "due_date": due_date,
        "notes": notes.strip(),
    }
    with transaction.atomic():
        locked = PlanMeasure.objects.select_for_update().select_related("diagnostic__commune")
        locked = locked.get(pk=measure.pk)
        if not locked.diagnostic.is_completed:
            raise CyberRefused(_("Ce plan n'appartient pas à un diagnostic terminé."))
        changes = {
            field: [_plain(getattr(locked, field)), _plain(value)]
            for field, value in after.items()
            if getattr(locked, field) != value
        }
        if not changes:
            return []
        for field, value in after.items():
            setattr(locked, field, value)
        locked.save()
        commune = locked.diagnostic.commune
        audit.record(
            action="cyber.measure_updated",
            obj=locked,
            by=by,
            summary=_("%(commune)s — mesure %(measure)s : %(status)s")
            % {
                "commune": commune.name,
                "measure": locked.measure_id,
                "status": MeasureStatus(locked.status).label,
            },
            commune_insee=commune.insee_code,
            changes=changes,
        )
    measure.refresh_from_db()
    return list(changes)


def _plain(value) -> str:
    return "" if value is None else str(value)


# Evidence of a plan measure: documents and pictures, at most 10 MB (or the site's lower limit).
EVIDENCE_KINDS = ("pdf", "png", "jpeg", "docx", "xlsx", "odt", "ods")


def max_evidence_bytes() -> int:
    return min(settings.MUTUALIS_MAX_UPLOAD_BYTES, 10 * 1024 * 1024)


def add_evidence(*, measure: PlanMeasure, upload: UploadedFile, by) -> Evidence:
    """Store an evidence file under a random name once its real type and size are checked.

    A refused file raises `core.uploads.UploadError` (French, naming the file); if the record
    cannot be written, the stored file is removed.
    """
    with (
        stored_upload(
            upload,
            prefix="cyber/evidence",
            kinds=EVIDENCE_KINDS,
            max_bytes=max_evidence_bytes(),
        ) as stored,
        transaction.atomic(),
    ):
        evidence = Evidence.objects.create(
            plan_measure=measure,
            file=stored.name,
            original_name=stored.original_name or "fichier",
            content_type=KINDS[stored.kind].content_type,
            size=stored.size,
            uploaded_by=by,
        )
        commune = measure.diagnostic.commune
        audit.record(
            action="cyber.evidence_added",
            obj=evidence,
            by=by,
            summary=_("%(commune)s — mesure %(measure)s : preuve « %(file)s » déposée")
            % {
                "commune": commune.name,
                "measure": measure.measure_id,
                "file": evidence.original_name,
            },
            commune_insee=commune.insee_code,
        )
    return evidence


# --- check-in reminders ---------------------------------------------------------------------------


def due_checkins(today: datetime.date) -> list[Diagnostic]:
    """Each commune's latest completed diagnostic whose check-in date has come, with no
    follow-up started and no reminder sent yet."""
    latest = Diagnostic.objects.select_related(
        "commune", "referential_version"
    ).latest_completed_by_commune()
    followed = set(
        Diagnostic.objects.filter(
            status__in=[DiagnosticStatus.DRAFT, DiagnosticStatus.COMPLETED],
            previous__isnull=False,
        ).values_list("previous_id", flat=True)
    )
    due = [
        d
        for d in latest.values()
        if d.checkin_reminder_sent_at is None
        and d.pk not in followed
        and d.checkin_due_on() <= today
    ]
    return sorted(due, key=lambda d: sort_key(d.commune.name))


def send_checkin_reminders(
    *, today: datetime.date, progress: Callable[[str, int, int], None] | None = None
) -> int:
    """Email each due commune's managers and the referents, once; returns how many were sent."""
    due = due_checkins(today)
    referents = list(
        User.objects.filter(staff_role=StaffRole.REFERENT, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    sent = 0
    for index, diagnostic in enumerate(due, start=1):
        with transaction.atomic():
            locked = Diagnostic.objects.select_for_update().get(pk=diagnostic.pk)
            if locked.checkin_reminder_sent_at is not None:
                continue
            managers = list(
                CommuneRole.objects.active()
                .filter(commune=diagnostic.commune, role=CommuneRoleKind.MANAGER)
                .exclude(user__email="")
                .values_list("user__email", flat=True)
            )
            recipients = sorted(set(managers) | set(referents))
            if recipients:
                _send_reminder(diagnostic, recipients, today)
            locked.checkin_reminder_sent_at = timezone.now()
            locked.save(update_fields=["checkin_reminder_sent_at"])
            audit.record(
                action="cyber.checkin_reminder",
                obj=locked,
                by=None,
                summary=_("Relance du point à 6 mois envoyée pour %(commune)s")
                % {"commune": diagnostic.commune.name},
                commune_insee=diagnostic.commune.insee_code,
                changes={"destinataires": recipients},
            )
            sent += 1
        if progress:
            progress("relances", index, len(due))
    return sent


def _send_reminder(diagnostic: Diagnostic, recipients: list[str], today: datetime.date) -> None:
    measures = list(diagnostic.measures.all())
    open_count = sum(1 for m in measures if not m.is_closed)
    overdue = sum(1 for m in measures if m.is_overdue(today))
    link = settings.MUTUALIS_SITE_URL + reverse("cyber:diagnostic", args=[diagnostic.pk])
    send_mail(
        subject=_("Diagnostic cybersécurité %(of_commune)s : le point à 6 mois")
        % {"of_commune": de_name(diagnostic.commune.name)},
        message=_(
            "Bonjour,\n\nLe diagnostic cybersécurité %(of_commune)s a été terminé le "
            "%(date)s. Il est temps de faire le point avec le référent et de mener un "
            "diagnostic de suivi, qui sera comparé au précédent.\n\n"
            "Plan de remédiation : mesures encore ouvertes : %(open)s sur %(total)s, "
            "dont %(overdue)s en retard.\n\n%(link)s\n"
        )
        % {
            "of_commune": de_name(diagnostic.commune.name),
            "date": timezone.localdate(diagnostic.completed_at).strftime("%d/%m/%Y"),
            "open": open_count,
            "total": len(measures),
            "overdue": overdue,
            "link": link,
        },
        from_email=None,
        recipient_list=recipients,
    )
