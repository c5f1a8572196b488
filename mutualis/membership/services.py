"""Membership workflows: each state change is one function that records who, when and why.

Every public function here is one step of the lifecycle (PRODUCT.md): it checks the move is legal
(refusing it with a French message naming the commune and the problem, nothing written), records a
`Transition` and an audit entry in one transaction, then notifies the commune's managers and the
coordinators through `notify_step`, the only place that sends mail.
"""

import contextvars
import logging
from contextlib import ExitStack, contextmanager
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mutualis.accounts.enums import CommuneRoleKind, StaffRole
from mutualis.accounts.models import CommuneRole, User
from mutualis.core import audit, uploads
from mutualis.core.numbering import format_number, next_number
from mutualis.core.pdf import render_pdf
from mutualis.membership import capacity, rules
from mutualis.membership.enums import CAPACITY_HOLDING, NOT_STARTED, OPEN, Status
from mutualis.membership.models import (
    Amendment,
    Convention,
    Deliberation,
    Membership,
    QueueOverride,
    TimeLog,
    Transition,
)
from mutualis.programme.models import Programme

logger = logging.getLogger(__name__)

# Conventions are numbered `CONV-YYYY-NNNN` in the `convention` series of core.numbering.
CONVENTION_SERIES = "convention"
CONVENTION_PREFIX = "CONV-"
AMENDMENT_NUMBER = "{convention}-A{seq}"

# Which states each state may be reached from ("" = a new membership).
ALLOWED_FROM: dict[Status, frozenset[str]] = {
    Status.JOINED: frozenset({""}),
    Status.APPLIED: frozenset({""}),
    Status.QUEUED: frozenset({Status.APPLIED}),
    Status.ADMITTED: frozenset({Status.QUEUED}),
    Status.CONVENTION_ISSUED: frozenset({Status.ADMITTED}),
    # "" -> active: a renewal by amendment, the convention carried on (renew_membership).
    Status.ACTIVE: frozenset({Status.CONVENTION_ISSUED, ""}),
    Status.EXIT_REQUESTED: frozenset({Status.ACTIVE, Status.JOINED}),
    Status.EXITED: frozenset({Status.EXIT_REQUESTED}),
    Status.WITHDRAWN: frozenset({*NOT_STARTED, Status.ACTIVE}),
    Status.ENDED: frozenset(OPEN),
}


class TransitionRefused(ValueError):
    """An illegal move; the message says why, in French."""


# --- notifications ------------------------------------------------------------------------------

_muted = contextvars.ContextVar("membership_notifications_muted", default=False)


@contextmanager
def notifications_muted():
    """For the demo loader: steps recorded in bulk send no mail."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def step_recipients(commune) -> list[str]:
    """The commune's active managers and the coordinators, each address once."""
    managers = CommuneRole.objects.active().filter(
        commune=commune, role=CommuneRoleKind.MANAGER, user__is_active=True
    )
    emails = list(managers.values_list("user__email", flat=True))
    emails += User.objects.filter(staff_role=StaffRole.COORDINATOR, is_active=True).values_list(
        "email", flat=True
    )
    return sorted({e for e in emails if e})


def notify_step(*, membership: Membership, step: str, by, detail: str = "") -> int:
    """Mail one lifecycle step to the commune's managers and the coordinators.

    The only function of the app that sends mail, so an outbox can take its place. A failing mail
    server never undoes the step already recorded: the failure is logged.
    """
    if _muted.get():
        return 0
    recipients = step_recipients(membership.commune)
    if not recipients:
        return 0
    commune = membership.commune
    subject = _("[Mutualis] %(commune)s — %(offer)s : %(step)s") % {
        "commune": commune.name,
        "offer": membership.offer_name(),
        "step": Status(step).label,
    }
    link = settings.MUTUALIS_SITE_URL + reverse("membership:commune", args=[commune.insee_code])
    body = _(
        "Bonjour,\n\nL'adhésion %(of_commune)s à l'offre « %(offer)s » a changé d'étape : "
        "%(step)s.\n%(detail)s\nEnregistré par : %(by)s.\n\nHistorique complet et actions "
        "possibles : %(link)s\n\n— Mutualis\n"
    ) % {
        "of_commune": rules.of_place(commune.name),
        "offer": membership.offer_name(),
        "step": Status(step).label,
        "detail": (detail + "\n") if detail else "",
        "by": str(by) if getattr(by, "pk", None) else _("le système"),
        "link": link,
    }
    try:
        return send_mail(subject=subject, message=body, from_email=None, recipient_list=recipients)
    except Exception:
        logger.exception("notification of %s for membership %s failed", step, membership.pk)
        return 0


# --- the moves ---------------------------------------------------------------------------------


def _today() -> date:
    return timezone.localdate()


def _refuse_move(membership: Membership, to: Status) -> None:
    current = membership.status or ""
    if current not in ALLOWED_FROM[to]:
        raise TransitionRefused(
            _(
                "Étape refusée pour %(commune)s (%(offer)s) : l'adhésion est « %(current)s », "
                "elle ne peut pas passer à « %(to)s »."
            )
            % {
                "commune": membership.commune.name,
                "offer": membership.offer_name(),
                "current": Status(current).label if current else _("nouvelle"),
                "to": Status(to).label,
            }
        )


def _move(
    *,
    membership: Membership,
    to: Status,
    by,
    reason: str = "",
    on: date | None = None,
    deliberation: Deliberation | None = None,
    fields: tuple[str, ...] = (),
) -> Transition:
    _refuse_move(membership, to)
    transition = Transition.objects.create(
        membership=membership,
        from_status=membership.status or "",
        to_status=to,
        on=on or _today(),
        by=by if getattr(by, "pk", None) else None,
        reason=reason,
        deliberation=deliberation,
    )
    membership.status = to
    membership.save(update_fields=["status", *fields])
    if deliberation is not None and deliberation.membership_id is None:
        deliberation.membership = membership
        deliberation.save(update_fields=["membership"])
    audit.record(
        action=f"membership.{to}",
        obj=membership,
        by=by,
        summary=_("%(commune)s — %(offer)s : %(status)s")
        % {
            "commune": membership.commune.name,
            "offer": membership.offer_name(),
            "status": Status(to).label,
        },
        commune_insee=membership.commune.insee_code,
        reason=reason,
        changes={"de": transition.from_status, "à": str(to), "date": str(transition.on)},
    )
    return transition


def _locked(membership: Membership) -> Membership:
    """The membership re-read under a row lock, so two people cannot move it at once."""
    return (
        Membership.objects.select_for_update(of=("self",))
        .select_related("commune", "programme")
        .get(pk=membership.pk)
    )


def _check_deliberation(deliberation: Deliberation | None, commune) -> None:
    if deliberation is not None and deliberation.commune_id != commune.pk:
        raise TransitionRefused(
            _("La délibération n° %(number)s n'est pas celle %(of_commune)s.")
            % {"number": deliberation.number, "of_commune": rules.of_place(commune.name)}
        )


def join_base_offer(
    *,
    programme: Programme,
    commune,
    by,
    reason: str = "",
    on: date | None = None,
    deliberation: Deliberation | None = None,
) -> Membership:
    """The commune joins the free base offer (its council deliberation authorises it)."""
    base = programme.spec.base_offer
    _check_deliberation(deliberation, commune)
    with transaction.atomic():
        existing = (
            Membership.objects.open()
            .filter(programme=programme, commune=commune, offer_code=base.code)
            .first()
        )
        if existing:
            raise TransitionRefused(
                _("%(commune)s a déjà adhéré au socle de base.") % {"commune": commune.name}
            )
        membership = Membership.objects.create(
            programme=programme,
            commune=commune,
            offer_code=base.code,
            status="",
            start_date=on or _today(),
        )
        _move(
            membership=membership,
            to=Status.JOINED,
            by=by,
            reason=reason,
            on=on,
            deliberation=deliberation,
        )
    notify_step(membership=membership, step=Status.JOINED, by=by)
    return membership


def apply_for_advanced_offer(
    *,
    programme: Programme,
    commune,
    offer_code: str,
    by,
    reason: str = "",
    on: date | None = None,
    deliberation: Deliberation | None = None,
) -> Membership:
    """The commune applies for an advanced offer: open to it, and it is in the base offer."""
    spec = programme.spec
    on = on or _today()
    try:
        offer = spec.offer(offer_code)
    except KeyError:
        raise TransitionRefused(
            _("L'offre « %(code)s » n'existe pas dans le programme.") % {"code": offer_code}
        ) from None
    if offer.kind != "advanced":
        raise TransitionRefused(
            _("« %(offer)s » n'est pas une offre de services avancés.") % {"offer": offer.name}
        )
    if not offer.is_open_to(has_it_department=commune.has_it_department):
        raise TransitionRefused(
            _(
                "L'offre « %(offer)s » n'est pas ouverte à %(commune)s : elle est réservée aux "
                "communes %(which)s."
            )
            % {
                "offer": offer.name,
                "commune": commune.name,
                "which": _("disposant d'une DSI")
                if offer.open_to == "with_it_department"
                else _("sans DSI"),
            }
        )
    if on > spec.programme.end:
        raise TransitionRefused(
            _("Le programme s'est terminé le %(end)s : plus aucune candidature n'est possible.")
            % {"end": spec.programme.end.strftime("%d/%m/%Y")}
        )
    _check_deliberation(deliberation, commune)
    advanced_codes = [o.code for o in spec.advanced_offers()]
    with transaction.atomic():
        memberships = Membership.objects.select_for_update().filter(
            programme=programme, commune=commune, status__in=OPEN
        )
        open_codes = {m.offer_code: m for m in memberships}
        base = open_codes.get(spec.base_offer.code)
        if base is None or base.status != Status.JOINED:
            raise TransitionRefused(
                _(
                    "%(commune)s doit d'abord adhérer au socle de base (par délibération) avant "
                    "de candidater aux services avancés."
                )
                % {"commune": commune.name}
            )
        current = next((open_codes[c] for c in advanced_codes if c in open_codes), None)
        if current is not None:
            raise TransitionRefused(
                _("%(commune)s a déjà une adhésion en cours aux services avancés : %(status)s.")
                % {"commune": commune.name, "status": current.get_status_display()}
            )
        membership = Membership.objects.create(
            programme=programme, commune=commune, offer_code=offer.code, status="", applied_on=on
        )
        _move(
            membership=membership,
            to=Status.APPLIED,
            by=by,
            reason=reason,
            on=on,
            deliberation=deliberation,
        )
    notify_step(membership=membership, step=Status.APPLIED, by=by)
    return membership


def queue_application(
    *, membership: Membership, by, reason: str = "", on: date | None = None
) -> Membership:
    """A coordinator accepts the application into its pool's queue (the file is complete)."""
    with transaction.atomic():
        membership = _locked(membership)
        _move(membership=membership, to=Status.QUEUED, by=by, reason=reason, on=on)
    notify_step(membership=membership, step=Status.QUEUED, by=by)
    return membership


def move_in_queue(*, membership: Membership, position: int, by, reason: str) -> QueueOverride:
    """A coordinator places an application at a chosen rank of its queue, with a written reason."""
    reason = (reason or "").strip()
    if not reason:
        raise TransitionRefused(
            _("Indiquez le motif pour lequel %(commune)s change de rang dans la file.")
            % {"commune": membership.commune.name}
        )
    if position < 1:
        raise TransitionRefused(_("Le rang doit être un entier à partir de 1."))
    with transaction.atomic():
        membership = _locked(membership)
        if membership.status != Status.QUEUED:
            raise TransitionRefused(
                _("%(commune)s n'est pas dans la file d'attente (%(status)s).")
                % {"commune": membership.commune.name, "status": membership.get_status_display()}
            )
        override = QueueOverride.objects.create(
            membership=membership, position=position, reason=reason, by=by
        )
        audit.record(
            action="membership.queue_override",
            obj=membership,
            by=by,
            summary=_("%(commune)s placée au rang %(position)s de la file")
            % {"commune": membership.commune.name, "position": position},
            commune_insee=membership.commune.insee_code,
            reason=reason,
        )
    return override


def admit_commune(
    *, membership: Membership, by, reason: str = "", on: date | None = None
) -> Membership:
    """Admit a queued application within its pool's capacity.

    The programme row is locked first: two coordinators admitting at the same moment are served
    one after the other, and the second sees the first's admission when it counts the load.
    Admitting another than the head of the queue needs a written reason, kept with the step.
    """
    on = on or _today()
    with transaction.atomic():
        Programme.objects.select_for_update().get(pk=membership.programme_id)
        membership = _locked(membership)
        _refuse_move(membership, Status.ADMITTED)
        pool = membership.programme.spec.pool_for_offer(membership.offer_code)
        state = capacity.pool_state(membership.programme, pool.code, on=on)
        entry = next(e for e in state.queue if e.membership.pk == membership.pk)
        if state.used + entry.load > state.capacity:
            raise TransitionRefused(
                _(
                    "Capacité insuffisante pour admettre %(commune)s : sa charge estimée est de "
                    "%(load)s jours, il reste %(free)s jours sur %(capacity)s dans le vivier "
                    "« %(pool)s »."
                )
                % {
                    "commune": membership.commune.name,
                    "load": entry.load,
                    "free": max(state.free, Decimal(0)),
                    "capacity": state.capacity,
                    "pool": pool.name,
                }
            )
        if entry.position > 1 and not reason.strip():
            raise TransitionRefused(
                _(
                    "%(commune)s est au rang %(position)s de la file : indiquez le motif pour "
                    "lequel elle passe avant les communes qui la précèdent."
                )
                % {"commune": membership.commune.name, "position": entry.position}
            )
        membership.admitted_on = on
        membership.estimated_load_days = entry.load
        _move(
            membership=membership,
            to=Status.ADMITTED,
            by=by,
            reason=reason,
            on=on,
            fields=("admitted_on", "estimated_load_days"),
        )
    notify_step(
        membership=membership,
        step=Status.ADMITTED,
        by=by,
        detail=_("Charge estimée : %(load)s jours par an.") % {"load": entry.load},
    )
    return membership


def convention_context(*, membership: Membership, number: str, issued_on: date, planned_start):
    spec = membership.programme.spec
    offer = spec.offer(membership.offer_code)
    convention_type = next(c for c in spec.conventions if c.code == offer.convention_type)
    return {
        "number": number,
        "issued_on": issued_on,
        "planned_start": planned_start,
        "membership_start_rule": spec.contributions.membership_start,
        "spec": spec,
        "programme": spec.programme,
        "offer": offer,
        "base": spec.base_offer,
        "convention_type": convention_type,
        "commune": membership.commune,
        "payment_terms_days": spec.contributions.payment_terms_days,
    }


def issue_convention(
    *,
    membership: Membership,
    by,
    on: date | None = None,
    planned_start: date | None = None,
    reason: str = "",
) -> Convention:
    """Number the admitted commune's convention once and forever and keep its PDF."""
    on = on or _today()
    with transaction.atomic():
        membership = _locked(membership)
        _refuse_move(membership, Status.CONVENTION_ISSUED)
        spec = membership.programme.spec
        if planned_start and not spec.programme.start <= planned_start < spec.programme.end:
            raise TransitionRefused(
                _("La date de début doit être comprise dans le programme (%(start)s – %(end)s).")
                % {
                    "start": spec.programme.start.strftime("%d/%m/%Y"),
                    "end": spec.programme.end.strftime("%d/%m/%Y"),
                }
            )
        offer = spec.offer(membership.offer_code)
        convention_type = next(c for c in spec.conventions if c.code == offer.convention_type)
        number = format_number(
            next_number(CONVENTION_SERIES, on.year), on.year, prefix=CONVENTION_PREFIX
        )
        pdf = render_pdf(
            "membership/convention_pdf.html",
            convention_context(
                membership=membership, number=number, issued_on=on, planned_start=planned_start
            ),
        )
        convention = Convention(
            membership=membership,
            number=number,
            type_code=convention_type.code,
            type_name=convention_type.name,
            issued_on=on,
            issued_by=by,
            planned_start=planned_start,
        )
        convention.document.save(f"{number}.pdf", ContentFile(pdf), save=False)
        convention.save()
        _move(
            membership=membership,
            to=Status.CONVENTION_ISSUED,
            by=by,
            reason=reason or number,
            on=on,
        )
    notify_step(
        membership=membership,
        step=Status.CONVENTION_ISSUED,
        by=by,
        detail=_("Convention n° %(number)s à faire signer puis à déposer signée.")
        % {"number": number},
    )
    return convention


def sign_convention(
    *,
    convention: Convention,
    signed_on: date,
    signed_pdf: File,
    by,
    start_date: date | None = None,
) -> Membership:
    """Record the signed copy: the membership becomes active from the convention's start date.

    The start date is the one written on the convention, else the programme file's rule
    (`contributions.membership_start`: by default the first day of the month after signature).
    """
    with transaction.atomic():
        membership = _locked(convention.membership)
        convention = Convention.objects.select_for_update().get(pk=convention.pk)
        _refuse_move(membership, Status.ACTIVE)
        spec = membership.programme.spec
        if signed_on < convention.issued_on:
            raise TransitionRefused(
                _("La convention %(number)s ne peut pas être signée avant son émission (%(on)s).")
                % {"number": convention.number, "on": convention.issued_on.strftime("%d/%m/%Y")}
            )
        if signed_on > _today():
            raise TransitionRefused(_("La date de signature ne peut pas être dans le futur."))
        start = (
            start_date
            or convention.planned_start
            or rules.membership_start(
                signed_on=signed_on,
                rule=spec.contributions.membership_start,
                programme_start=spec.programme.start,
            )
        )
        if start >= spec.programme.end:
            raise TransitionRefused(
                _("L'adhésion commencerait le %(start)s, après la fin du programme (%(end)s).")
                % {
                    "start": start.strftime("%d/%m/%Y"),
                    "end": spec.programme.end.strftime("%d/%m/%Y"),
                }
            )
        convention.signed_on = signed_on
        convention.signed_uploaded_by = by
        convention.signed_pdf.save(f"{convention.number}-signee.pdf", signed_pdf, save=False)
        convention.save(update_fields=["signed_on", "signed_uploaded_by", "signed_pdf"])
        membership.signed_on = signed_on
        membership.start_date = start
        _move(
            membership=membership,
            to=Status.ACTIVE,
            by=by,
            reason=_("Convention %(number)s signée ; début le %(start)s")
            % {"number": convention.number, "start": start.strftime("%d/%m/%Y")},
            on=signed_on,
            fields=("signed_on", "start_date"),
        )
    notify_step(
        membership=membership,
        step=Status.ACTIVE,
        by=by,
        detail=_("Début de l'adhésion : %(start)s.") % {"start": start.strftime("%d/%m/%Y")},
    )
    return membership


def issue_amendment(
    *, convention: Convention, subject: str, by, on: date | None = None
) -> Amendment:
    """An amendment (avenant) numbered under its convention, its PDF kept."""
    subject = (subject or "").strip()
    on = on or _today()
    if not subject:
        raise TransitionRefused(_("Indiquez l'objet de l'avenant."))
    with transaction.atomic():
        convention = (
            Convention.objects.select_for_update()
            .select_related("membership__commune", "membership__programme")
            .get(pk=convention.pk)
        )
        membership = convention.membership
        if membership.status not in {
            Status.CONVENTION_ISSUED,
            Status.ACTIVE,
            Status.EXIT_REQUESTED,
        }:
            raise TransitionRefused(
                _("La convention %(number)s n'est plus en vigueur (%(status)s) : pas d'avenant.")
                % {"number": convention.number, "status": membership.get_status_display()}
            )
        sequence = convention.amendments.count() + 1
        number = AMENDMENT_NUMBER.format(convention=convention.number, seq=sequence)
        pdf = render_pdf(
            "membership/amendment_pdf.html",
            {
                **convention_context(
                    membership=membership,
                    number=convention.number,
                    issued_on=convention.issued_on,
                    planned_start=convention.planned_start,
                ),
                "amendment_number": number,
                "subject": subject,
                "amendment_on": on,
                "convention": convention,
            },
        )
        amendment = Amendment(
            convention=convention,
            sequence=sequence,
            number=number,
            subject=subject,
            issued_on=on,
            issued_by=by,
        )
        amendment.document.save(f"{number}.pdf", ContentFile(pdf), save=False)
        amendment.save()
        audit.record(
            action="membership.amendment_issued",
            obj=amendment,
            by=by,
            summary=_("%(commune)s — avenant %(number)s émis")
            % {"commune": membership.commune.name, "number": number},
            commune_insee=membership.commune.insee_code,
            reason=subject,
        )
    notify_step(
        membership=membership,
        step=membership.status,
        by=by,
        detail=_("Avenant n° %(number)s émis : %(subject)s")
        % {"number": number, "subject": subject},
    )
    return amendment


def _check_renewal(*, membership: Membership, successor: Programme, deliberation) -> None:
    """A renewal is decided by the commune's council, in a deliberation without legal errors held
    before the programme it renews ends, for a membership still open there."""
    previous = membership.programme
    if successor.predecessor_id != previous.pk:
        raise TransitionRefused(
            _("Le programme %(successor)s ne succède pas à %(previous)s.")
            % {"successor": successor.slug, "previous": previous.slug}
        )
    if not membership.is_open:
        raise TransitionRefused(
            _("L'adhésion de %(commune)s n'est plus en cours (%(status)s) : rien à renouveler.")
            % {"commune": membership.commune.name, "status": membership.get_status_display()}
        )
    if deliberation is None:
        raise TransitionRefused(
            _("Le renouvellement est décidé par le conseil municipal : indiquez sa délibération.")
        )
    _check_deliberation(deliberation, membership.commune)
    end = previous.spec.programme.end
    if deliberation.session_date > end:
        raise TransitionRefused(
            _(
                "La délibération n° %(number)s du %(date)s est postérieure à la fin du programme "
                "(%(end)s) : le renouvellement doit être décidé avant."
            )
            % {
                "number": deliberation.number,
                "date": deliberation.session_date.strftime("%d/%m/%Y"),
                "end": end.strftime("%d/%m/%Y"),
            }
        )
    if deliberation.errors:
        raise TransitionRefused(
            _("La délibération n° %(number)s a des erreurs de forme : %(errors)s")
            % {
                "number": deliberation.number,
                "errors": " ; ".join(f["message"] for f in deliberation.errors),
            }
        )
    if Membership.objects.open().filter(programme=successor, renews=membership).exists():
        raise TransitionRefused(
            _("%(commune)s a déjà renouvelé son adhésion pour %(successor)s.")
            % {"commune": membership.commune.name, "successor": successor.slug}
        )


def renew_membership(
    *,
    membership: Membership,
    successor: Programme,
    deliberation: Deliberation,
    by,
    offer_code: str | None = None,
    on: date | None = None,
) -> Membership:
    """The commune continues in the successor programme, as its council decided.

    - the same base offer: a new base membership from the successor's start;
    - the same advanced offer: an amendment numbered under its convention carries it on, and the
      new membership is active from the successor's start;
    - another offer: an application in the successor, admitted and given a new convention by the
      usual steps.
    The membership of the first programme ends on its end date (`close_memberships`).
    """
    offer_code = offer_code or membership.offer_code
    start = successor.spec.programme.start
    _check_renewal(membership=membership, successor=successor, deliberation=deliberation)
    successor.spec.offer(offer_code)  # an offer the successor does not have: KeyError
    commune = membership.commune
    reason = _("Renouvellement décidé par la délibération n° %(number)s du %(date)s") % {
        "number": deliberation.number,
        "date": deliberation.session_date.strftime("%d/%m/%Y"),
    }
    with transaction.atomic():
        if offer_code != membership.offer_code:
            renewal = apply_for_advanced_offer(
                programme=successor,
                commune=commune,
                offer_code=offer_code,
                by=by,
                on=on or _today(),
                deliberation=deliberation,
            )
        elif offer_code == successor.spec.base_offer.code:
            renewal = join_base_offer(
                programme=successor,
                commune=commune,
                by=by,
                reason=reason,
                on=start,
                deliberation=deliberation,
            )
        else:
            convention = getattr(membership, "convention", None)
            if convention is None:
                raise TransitionRefused(
                    _("%(commune)s n'a pas de convention à prolonger par avenant.")
                    % {"commune": commune.name}
                )
            renewal = Membership.objects.create(
                programme=successor,
                commune=commune,
                offer_code=offer_code,
                status="",
                admitted_on=on or _today(),
                estimated_load_days=membership.estimated_load_days,
                signed_on=convention.signed_on,
                start_date=start,
            )
            amendment = issue_amendment(
                convention=convention,
                subject=_("Renouvellement pour le programme %(programme)s, du %(start)s au %(end)s")
                % {
                    "programme": successor.name,
                    "start": start.strftime("%d/%m/%Y"),
                    "end": successor.spec.programme.end.strftime("%d/%m/%Y"),
                },
                by=by,
                on=on,
            )
            amendment.renewal = renewal
            amendment.save(update_fields=["renewal"])
            _move(
                membership=renewal,
                to=Status.ACTIVE,
                by=by,
                reason=reason,
                on=on,
                deliberation=deliberation,
            )
        renewal.renews = membership
        renewal.save(update_fields=["renews"])
    return renewal


def sign_amendment(*, amendment: Amendment, signed_on: date, signed_pdf: File, by) -> Amendment:
    if signed_on < amendment.issued_on or signed_on > _today():
        raise TransitionRefused(
            _(
                "La date de signature de l'avenant %(number)s doit suivre son émission (%(on)s) et "
                "ne pas être dans le futur."
            )
            % {"number": amendment.number, "on": amendment.issued_on.strftime("%d/%m/%Y")}
        )
    with transaction.atomic():
        amendment = Amendment.objects.select_for_update().get(pk=amendment.pk)
        if amendment.signed_on:
            raise TransitionRefused(
                _("L'avenant %(number)s est déjà signé.") % {"number": amendment.number}
            )
        amendment.signed_on = signed_on
        amendment.signed_pdf.save(f"{amendment.number}-signe.pdf", signed_pdf, save=False)
        amendment.save(update_fields=["signed_on", "signed_pdf"])
        membership = amendment.convention.membership
        audit.record(
            action="membership.amendment_signed",
            obj=amendment,
            by=by,
            summary=_("%(commune)s — avenant %(number)s signé")
            % {"commune": membership.commune.name, "number": amendment.number},
            commune_insee=membership.commune.insee_code,
        )
    return amendment


def exit_terms_for(membership: Membership, *, on: date | None = None) -> rules.ExitTerms:
    """What asking to leave on `on` would mean for this membership (shown before confirming)."""
    on = on or _today()
    spec = membership.programme.spec
    started = membership.status in {Status.ACTIVE, Status.JOINED} and (
        membership.start_date is None or membership.start_date <= on
    )
    return rules.exit_terms(
        asked_on=on,
        started=started,
        is_base=membership.is_base,
        free_exit_date=spec.programme.free_exit_date,
        programme_end=spec.programme.end,
    )


def request_exit(
    *,
    membership: Membership,
    by,
    reason: str = "",
    on: date | None = None,
    deliberation: Deliberation | None = None,
) -> Membership:
    """The commune asks to leave. Free exit on the free-exit date when asked by then; otherwise
    committed to the programme's end; before the membership starts, the application is withdrawn;
    the free base offer is left at once (once no advanced membership is open)."""
    on = on or _today()
    _check_deliberation(deliberation, membership.commune)
    terms = exit_terms_for(membership, on=on)
    if terms.kind == "withdrawal":
        return withdraw_application(membership=membership, by=by, reason=reason, on=on)
    with transaction.atomic():
        membership = _locked(membership)
        if membership.is_base:
            advanced = (
                Membership.objects.open()
                .filter(programme=membership.programme, commune=membership.commune)
                .exclude(pk=membership.pk)
                .first()
            )
            if advanced is not None:
                raise TransitionRefused(
                    _(
                        "%(commune)s ne peut pas quitter le socle de base tant que son adhésion "
                        "aux services avancés est en cours (%(status)s) : les services avancés "
                        "l'incluent."
                    )
                    % {"commune": membership.commune.name, "status": advanced.get_status_display()}
                )
        membership.exit_requested_on = on
        membership.effective_exit = terms.effective
        _move(
            membership=membership,
            to=Status.EXIT_REQUESTED,
            by=by,
            reason=reason or terms.explanation,
            on=on,
            deliberation=deliberation,
            fields=("exit_requested_on", "effective_exit"),
        )
        if terms.kind == "immediate":
            _move(membership=membership, to=Status.EXITED, by=by, reason=reason, on=on)
    notify_step(membership=membership, step=membership.status, by=by, detail=terms.explanation)
    return membership


def exit_membership(
    *, membership: Membership, by, on: date | None = None, reason: str = ""
) -> Membership:
    """The requested exit takes effect (run by `close_memberships` on or after its date)."""
    on = on or _today()
    with transaction.atomic():
        membership = _locked(membership)
        _refuse_move(membership, Status.EXITED)
        if membership.effective_exit and on < membership.effective_exit:
            raise TransitionRefused(
                _("La sortie %(of_commune)s ne prend effet que le %(date)s.")
                % {
                    "of_commune": rules.of_place(membership.commune.name),
                    "date": membership.effective_exit.strftime("%d/%m/%Y"),
                }
            )
        _move(
            membership=membership,
            to=Status.EXITED,
            by=by,
            reason=reason,
            on=membership.effective_exit or on,
        )
    notify_step(membership=membership, step=Status.EXITED, by=by)
    return membership


def withdraw_application(
    *, membership: Membership, by, reason: str = "", on: date | None = None
) -> Membership:
    """An application (or a signed membership not yet started) is withdrawn; nothing is owed."""
    on = on or _today()
    with transaction.atomic():
        membership = _locked(membership)
        if membership.status == Status.ACTIVE and (
            membership.start_date is None or membership.start_date <= on
        ):
            raise TransitionRefused(
                _(
                    "L'adhésion %(of_commune)s a commencé le %(start)s : elle ne peut plus être "
                    "retirée, seulement faire l'objet d'une demande de sortie."
                )
                % {
                    "of_commune": rules.of_place(membership.commune.name),
                    "start": membership.start_date.strftime("%d/%m/%Y")
                    if membership.start_date
                    else "—",
                }
            )
        membership.exit_requested_on = on
        membership.effective_exit = None
        _move(
            membership=membership,
            to=Status.WITHDRAWN,
            by=by,
            reason=reason,
            on=on,
            fields=("exit_requested_on", "effective_exit"),
        )
    notify_step(membership=membership, step=Status.WITHDRAWN, by=by)
    return membership


def end_membership(*, membership: Membership, by, on: date) -> Membership:
    """The programme has ended: the membership ends with it."""
    with transaction.atomic():
        membership = _locked(membership)
        end = membership.programme.spec.programme.end
        if on <= end:
            raise TransitionRefused(
                _("Le programme ne se termine que le %(end)s.") % {"end": end.strftime("%d/%m/%Y")}
            )
        if membership.status in {Status.ACTIVE, Status.EXIT_REQUESTED, Status.JOINED}:
            membership.effective_exit = membership.effective_exit or end
        _move(
            membership=membership,
            to=Status.ENDED,
            by=by,
            reason=_("Fin du programme le %(end)s") % {"end": end.strftime("%d/%m/%Y")},
            on=end,
            fields=("effective_exit",),
        )
    notify_step(membership=membership, step=Status.ENDED, by=by)
    return membership


def close_memberships(*, on: date, by=None, progress=None) -> dict[str, int]:
    """Daily, idempotent: apply the exits due by `on`; after the programme's end, end the rest."""
    done = {"exited": 0, "ended": 0}
    due = list(
        Membership.objects.filter(status=Status.EXIT_REQUESTED, effective_exit__lte=on)
        .select_related("commune", "programme")
        .order_by("pk")
    )
    ending = []
    for programme in Programme.objects.all():
        if on > programme.spec.programme.end:
            ending += list(
                Membership.objects.open()
                .filter(programme=programme)
                .exclude(pk__in=[m.pk for m in due])
                .select_related("commune", "programme")
                .order_by("pk")
            )
    total = len(due) + len(ending)
    for index, membership in enumerate(due, start=1):
        exit_membership(membership=membership, by=by, on=on, reason=_("Sortie à la date prévue"))
        done["exited"] += 1
        if progress:
            progress("sorties", index, total)
    for index, membership in enumerate(ending, start=len(due) + 1):
        end_membership(membership=membership, by=by, on=on)
        done["ended"] += 1
        if progress:
            progress("fin", index, total)
    if progress and total == 0:
        progress("rien à faire", 0, 0)
    return done


# --- deliberations and time ---------------------------------------------------------------------


def record_deliberation(*, commune, data: dict, by, pdf: File | None = None) -> Deliberation:
    """Record a deliberation as the document states it (manually or from the reader).

    `data` holds the model's fields, `findings` included (computed by the caller from the
    confirmed values with `deliberations.context.findings_for`)."""
    with ExitStack() as files, transaction.atomic():
        deliberation = Deliberation(commune=commune, recorded_by=by, **data)
        if pdf is not None:
            # Through core.uploads like every upload: checked, randomly named, and removed if
            # the record is not written (a storage failure raises a French UploadError).
            stored = files.enter_context(
                uploads.stored_upload(pdf, prefix="deliberations", kinds=("pdf",))
            )
            deliberation.pdf = stored.name
        deliberation.save()
        audit.record(
            action="membership.deliberation_recorded",
            obj=deliberation,
            by=by,
            summary=_(
                "%(commune)s — délibération n° %(number)s enregistrée (%(errors)s, %(warnings)s "
                "aux contrôles)"
            )
            % {
                "commune": commune.name,
                "number": deliberation.number,
                "errors": ngettext("%(n)d erreur", "%(n)d erreurs", len(deliberation.errors))
                % {"n": len(deliberation.errors)},
                "warnings": ngettext(
                    "%(n)d avertissement", "%(n)d avertissements", len(deliberation.warnings)
                )
                % {"n": len(deliberation.warnings)},
            },
            commune_insee=commune.insee_code,
        )
    return deliberation


def log_time(*, commune, on: date, days: Decimal, by, note: str = "") -> TimeLog:
    """The referent (or the team) records time spent for an admitted commune."""
    if not Decimal(0) < days <= Decimal(31):
        raise TransitionRefused(_("Le temps passé doit être compris entre 0 et 31 jours."))
    if on > _today():
        raise TransitionRefused(_("Le temps passé ne peut pas être saisi pour une date future."))
    membership = (
        Membership.objects.filter(commune=commune, status__in=CAPACITY_HOLDING)
        .order_by("-created_at")
        .first()
    )
    if membership is None:
        raise TransitionRefused(
            _("%(commune)s n'est admise à aucune offre de services avancés : pas de temps à noter.")
            % {"commune": commune.name}
        )
    with transaction.atomic():
        log = TimeLog.objects.create(
            commune=commune, membership=membership, on=on, days=days, note=note, by=by
        )
        audit.record(
            action="membership.time_logged",
            obj=log,
            by=by,
            summary=_("%(commune)s — %(days)s j passés le %(date)s")
            % {"commune": commune.name, "days": days, "date": on.strftime("%d/%m/%Y")},
            commune_insee=commune.insee_code,
        )
    return log
