"""Conventions and their amendments: issuing them as PDF and recording their signature."""

from datetime import date

from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils.translation import gettext as _

from mutualis.core import audit
from mutualis.core.numbering import format_number, next_number
from mutualis.core.pdf import render_pdf
from mutualis.membership import rules
from mutualis.membership.enums import Status
from mutualis.membership.models import Amendment, Convention, Membership
from mutualis.membership.services.notifications import notify_step
from mutualis.membership.services.transitions import (
    TransitionRefused,
    _locked,
    _move,
    _refuse_move,
    _today,
)

# Conventions are numbered `CONV-YYYY-NNNN` in the `convention` series of core.numbering.
CONVENTION_SERIES = "convention"


CONVENTION_PREFIX = "CONV-"


AMENDMENT_NUMBER = "{convention}-A{seq}"


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
