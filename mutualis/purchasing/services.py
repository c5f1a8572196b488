"""Purchasing workflows: each one a keyword-only function that writes its audit entry."""

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mutualis.accounts.enums import CommuneRoleKind, StaffRole
from mutualis.accounts.models import CommuneRole
from mutualis.core import audit
from mutualis.core.french import de_name
from mutualis.core.uploads import DOCUMENT_KINDS, discard, store_upload
from mutualis.programme.models import Programme
from mutualis.purchasing import audience
from mutualis.purchasing.enums import CampaignStatus, JoinStatus, RoadmapStatus
from mutualis.purchasing.models import (
    AnswerLine,
    Campaign,
    CampaignAnswer,
    CampaignItem,
    Contract,
    ContractAlert,
    JoinRequest,
    JoinRequestStep,
    NegotiatedOffer,
    OfferDocument,
    RoadmapItem,
)


class Refused(ValueError):
    """A workflow step refused; the message says why, in French."""


# --- Suppliers and catalogue ------------------------------------------------------------------


def save_supplier(*, supplier, by):
    created = supplier.pk is None
    supplier.save()
    audit.record(
        action="purchasing.supplier_added" if created else "purchasing.supplier_changed",
        obj=supplier,
        by=by,
        summary=_("Fournisseur %(supplier)s") % {"supplier": supplier.name},
    )
    return supplier


def save_offer(*, offer: NegotiatedOffer, by) -> NegotiatedOffer:
    created = offer.pk is None
    if created:
        offer.created_by = by
    offer.save()
    audit.record(
        action="purchasing.offer_created" if created else "purchasing.offer_changed",
        obj=offer,
        by=by,
        summary=_("Offre « %(offer)s » (%(supplier)s)")
        % {"offer": offer.title, "supplier": offer.supplier},
    )
    return offer


def withdraw_offer(*, offer: NegotiatedOffer, by, reason: str) -> None:
    if offer.withdrawn_at:
        raise Refused(_("L'offre « %(title)s » est déjà retirée.") % {"title": offer.title})
    offer.withdrawn_at, offer.withdrawn_by, offer.withdrawal_reason = timezone.now(), by, reason
    offer.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    audit.record(
        action="purchasing.offer_withdrawn",
        obj=offer,
        by=by,
        summary=_("Offre « %(offer)s » retirée du catalogue") % {"offer": offer.title},
        reason=reason,
    )


def add_offer_document(*, offer: NegotiatedOffer, upload, title: str, by) -> OfferDocument:
    stored = store_upload(upload, prefix="purchasing/offers", kinds=DOCUMENT_KINDS)
    try:
        with transaction.atomic():
            document = OfferDocument.objects.create(
                offer=offer,
                title=title,
                file=stored.name,
                original_name=stored.original_name,
                kind=stored.kind,
                size=stored.size,
                sha256=stored.sha256,
                uploaded_by=by,
            )
            audit.record(
                action="purchasing.offer_document_added",
                obj=document,
                by=by,
                summary=_("Document « %(title)s » ajouté à l'offre « %(offer)s »")
                % {"title": title, "offer": offer.title},
            )
    except BaseException:
        discard(stored.name)
        raise
    return document


def request_to_join(*, offer: NegotiatedOffer, commune, by, need: str = "") -> JoinRequest:
    """A member commune asks to join a currently valid offer; one open request at a time."""
    today = timezone.localdate()
    if not offer.is_valid_on(today):
        raise Refused(
            _(
                "L'offre « %(title)s » n'est pas ouverte aujourd'hui (valable du %(start)s au %(end)s)."
            )
            % {
                "title": offer.title,
                "start": date_format(offer.valid_from),
                "end": date_format(offer.valid_until),
            }
        )
    if not audience.is_member(commune):
        raise Refused(
            _(
                "%(commune)s n'a pas adhéré au programme : le catalogue est réservé aux communes membres."
            )
            % {"commune": commune.name}
        )
    try:
        with transaction.atomic():
            join = JoinRequest.objects.create(
                offer=offer,
                commune=commune,
                status=JoinStatus.REQUESTED,
                need=need,
                requested_by=by,
            )
            JoinRequestStep.objects.create(
                join_request=join, to_status=JoinStatus.REQUESTED, by=by, note=need
            )
            audit.record(
                action="purchasing.join_requested",
                obj=join,
                by=by,
                summary=_("%(commune)s demande à adhérer à l'offre « %(offer)s »")
                % {"commune": commune.name, "offer": offer.title},
                commune_insee=commune.insee_code,
            )
    except IntegrityError as error:
        raise Refused(
            _("%(commune)s a déjà une demande en cours pour l'offre « %(title)s ».")
            % {"commune": commune.name, "title": offer.title}
        ) from error
    return join


def move_join_request(*, join_request: JoinRequest, to: str, by, note: str = "") -> None:
    """Accept, refuse (staff) or withdraw (the commune) a request still open."""
    with transaction.atomic():
        join = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
        if join.status != JoinStatus.REQUESTED:
            raise Refused(
                _("La demande %(of_commune)s est déjà traitée (%(status)s).")
                % {"of_commune": de_name(join.commune.name), "status": join.get_status_display()}
            )
        JoinRequestStep.objects.create(
            join_request=join, from_status=join.status, to_status=to, by=by, note=note
        )
        join.status = to
        join.save(update_fields=["status", "updated_at"])
        audit.record(
            action=f"purchasing.join_{to}",
            obj=join,
            by=by,
            summary=_("%(commune)s — offre « %(offer)s » : %(status)s")
            % {
                "commune": join.commune.name,
                "offer": join.offer.title,
                "status": JoinStatus(to).label,
            },
            commune_insee=join.commune.insee_code,
            reason=note,
        )
    join_request.status = to


# --- Needs collection campaigns ----------------------------------------------------------------


def open_campaign(
    *, programme, title: str, description: str, deadline: date, items: list[dict], by
) -> Campaign:
    """A needs campaign for the member communes of `programme`."""
    if not items:
        raise Refused(_("Une campagne demande au moins un article à chiffrer."))
    if deadline < timezone.localdate():
        raise Refused(_("La date limite de réponse est déjà passée."))
    with transaction.atomic():
        campaign = Campaign.objects.create(
            programme=programme,
            title=title,
            description=description,
            deadline=deadline,
            created_by=by,
        )
        CampaignItem.objects.bulk_create(
            CampaignItem(campaign=campaign, position=index, **item)
            for index, item in enumerate(items)
        )
        audit.record(
            action="purchasing.campaign_opened",
            obj=campaign,
            by=by,
            summary=_("Campagne « %(title)s » ouverte jusqu'au %(deadline)s")
            % {"title": title, "deadline": date_format(deadline)},
        )
    return campaign


def closed_message(campaign: Campaign) -> str:
    if campaign.status == CampaignStatus.CLOSED:
        return _(
            "La campagne « %(title)s » a été clôturée : votre réponse n'a pas été enregistrée."
        ) % {"title": campaign.title}
    return _(
        "La campagne « %(title)s » n'accepte plus de réponse depuis le %(deadline)s à 23 h 59 "
        "(date limite) : votre réponse n'a pas été enregistrée."
    ) % {"title": campaign.title, "deadline": date_format(campaign.deadline)}


@dataclass(frozen=True)
class LineInput:
    item_id: int
    quantity: int
    remark: str = ""


def answer_campaign(
    *,
    campaign: Campaign,
    commune,
    lines: list[LineInput],
    comment: str,
    by,
    now: datetime | None = None,
) -> CampaignAnswer:
    """Record or update the commune's answer. The campaign row is locked so that an answer and the
    closing (or two managers answering at once) are serialised: one answer per commune, and none
    after the deadline or the closing."""
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if not locked.accepts_answers(now):
            raise Refused(closed_message(locked))
        if not audience.is_member(commune):
            raise Refused(
                _("%(commune)s n'a pas adhéré au programme : elle ne répond pas aux campagnes.")
                % {"commune": commune.name}
            )
        items = {item.pk: item for item in locked.items.all()}
        for line in lines:
            if line.item_id not in items:
                raise Refused(_("Un article ne fait pas partie de cette campagne."))
            if line.quantity < 0:
                raise Refused(
                    _("La quantité de « %(item)s » ne peut pas être négative.")
                    % {"item": items[line.item_id].label}
                )
        answer, created = CampaignAnswer.objects.get_or_create(
            campaign=locked, commune=commune, defaults={"answered_by": by, "comment": comment}
        )
        if not created:
            answer.answered_by, answer.comment = by, comment
            answer.save(update_fields=["answered_by", "comment", "updated_at"])
        for line in lines:
            AnswerLine.objects.update_or_create(
                answer=answer,
                item_id=line.item_id,
                defaults={"quantity": line.quantity, "remark": line.remark},
            )
        audit.record(
            action="purchasing.campaign_answered"
            if created
            else "purchasing.campaign_answer_changed",
            obj=answer,
            by=by,
            summary=_("%(commune)s — réponse à « %(title)s »")
            % {"commune": commune.name, "title": locked.title},
            commune_insee=commune.insee_code,
            changes={str(line.item_id): line.quantity for line in lines},
        )
    return answer


def close_campaign(*, campaign: Campaign, by) -> None:
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.status == CampaignStatus.CLOSED:
            raise Refused(
                _("La campagne « %(title)s » est déjà clôturée.") % {"title": locked.title}
            )
        locked.status, locked.closed_at, locked.closed_by = (
            CampaignStatus.CLOSED,
            timezone.now(),
            by,
        )
        locked.save(update_fields=["status", "closed_at", "closed_by"])
        answers = locked.answers.count()
        audit.record(
            action="purchasing.campaign_closed",
            obj=locked,
            by=by,
            summary=ngettext(
                "Campagne « %(title)s » clôturée (%(count)d réponse)",
                "Campagne « %(title)s » clôturée (%(count)d réponses)",
                answers,
            )
            % {"title": locked.title, "count": answers},
        )
    campaign.status = CampaignStatus.CLOSED


# --- Roadmaps ----------------------------------------------------------------------------------


def save_roadmap_item(*, item: RoadmapItem, by) -> RoadmapItem:
    created = item.pk is None
    if created:
        item.created_by = by
    item.updated_by = by
    item.save()
    audit.record(
        action="purchasing.roadmap_item_added" if created else "purchasing.roadmap_item_changed",
        obj=item,
        by=by,
        summary=_("Feuille de route %(commune)s %(year)s : %(label)s")
        % {"commune": item.commune.name, "year": item.year, "label": item.label},
        commune_insee=item.commune.insee_code,
    )
    return item


def set_roadmap_status(*, item: RoadmapItem, status: str, by, reason: str = "") -> None:
    if status == RoadmapStatus.CANCELLED and not reason.strip():
        raise Refused(_("Indiquez pourquoi cet achat est abandonné."))
    item.status, item.status_reason, item.updated_by = status, reason, by
    item.save(update_fields=["status", "status_reason", "updated_by", "updated_at"])
    audit.record(
        action=f"purchasing.roadmap_item_{status}",
        obj=item,
        by=by,
        summary=_("Feuille de route %(commune)s : %(label)s — %(status)s")
        % {
            "commune": item.commune.name,
            "label": item.label,
            "status": RoadmapStatus(status).label,
        },
        commune_insee=item.commune.insee_code,
        reason=reason,
    )


# --- Contracts ---------------------------------------------------------------------------------


def save_contract(*, contract: Contract, by) -> Contract:
    created = contract.pk is None
    if created:
        contract.created_by = by
    contract.save()
    audit.record(
        action="purchasing.contract_added" if created else "purchasing.contract_changed",
        obj=contract,
        by=by,
        summary=_("Contrat %(subject)s (%(supplier)s) — %(commune)s")
        % {
            "subject": contract.subject,
            "supplier": contract.supplier,
            "commune": contract.commune.name,
        },
        commune_insee=contract.commune.insee_code,
    )
    return contract


def terminate_contract(*, contract: Contract, on: date, by, reason: str) -> None:
    if contract.terminated_on:
        raise Refused(
            _("Le contrat « %(subject)s » est déjà terminé.") % {"subject": contract.subject}
        )
    if not reason.strip():
        raise Refused(_("Indiquez le motif de la fin du contrat."))
    contract.terminated_on, contract.terminated_by, contract.termination_reason = on, by, reason
    contract.save(update_fields=["terminated_on", "terminated_by", "termination_reason"])
    audit.record(
        action="purchasing.contract_terminated",
        obj=contract,
        by=by,
        summary=_("Contrat %(subject)s terminé le %(date)s")
        % {"subject": contract.subject, "date": date_format(on)},
        commune_insee=contract.commune.insee_code,
        reason=reason,
    )


def alert_window_days(programme: Programme | None) -> int:
    return programme.spec.purchasing.contract_alert_days if programme else 30


def contracts_in_alert(
    contracts, *, programme: Programme | None, today: date | None = None
) -> list[tuple[Contract, object]]:
    """Running contracts whose notice deadline falls within the programme's alert window,
    soonest first."""
    today = today or timezone.localdate()
    window = alert_window_days(programme)
    found = []
    for contract in contracts.running().select_related("supplier", "commune"):
        if contract.notice_alert(today, window):
            found.append((contract, contract.term(today)))
    return sorted(found, key=lambda pair: pair[1].notice_deadline)


def _recipients(contract: Contract) -> list[str]:
    managers = CommuneRole.objects.active().filter(
        commune=contract.commune, role=CommuneRoleKind.MANAGER, user__is_active=True
    )
    referents = get_user_model().objects.filter(staff_role=StaffRole.REFERENT, is_active=True)
    emails = {r.user.email for r in managers.select_related("user")} | {u.email for u in referents}
    return sorted(e for e in emails if e)


def send_contract_alerts(*, today: date | None = None, progress=None) -> int:
    """Email each contract's commune managers and the referents once per notice deadline.

    Idempotent: an alert already sent for a contract and deadline is not sent again, so the
    scheduler may run this as often as it likes.
    """
    today = today or timezone.localdate()
    # Each programme's contracts within its own alert window (a commune renewed into a successor
    # programme is in both territories: its contract is alerted once).
    due, seen = [], set()
    for programme in Programme.objects.opened().order_by("-start"):
        contracts = Contract.objects.filter(commune__epci__programmes=programme)
        for contract, term in contracts_in_alert(contracts, programme=programme, today=today):
            if contract.pk not in seen:
                seen.add(contract.pk)
                due.append((contract, term))
    sent = 0
    for index, (contract, term) in enumerate(due, start=1):
        if progress:
            progress("alertes", index, len(due))
        if ContractAlert.objects.filter(
            contract=contract, notice_deadline=term.notice_deadline
        ).exists():
            continue
        recipients = _recipients(contract)
        with transaction.atomic():
            try:
                ContractAlert.objects.create(
                    contract=contract,
                    notice_deadline=term.notice_deadline,
                    recipients=", ".join(recipients),
                )
            except IntegrityError:
                continue  # sent by a concurrent run
            if recipients:
                send_mail(
                    subject=_("Préavis à donner avant le %(date)s : %(subject)s")
                    % {"date": date_format(term.notice_deadline), "subject": contract.subject},
                    message=_(
                        "Le contrat « %(subject)s » %(of_commune)s avec %(supplier)s arrive à "
                        "échéance le %(end)s. Pour le résilier ou le renégocier, le préavis de "
                        "%(months)s mois doit être donné au plus tard le %(deadline)s.\n\n"
                        "%(url)s"
                    )
                    % {
                        "subject": contract.subject,
                        "of_commune": de_name(contract.commune.name),
                        "supplier": contract.supplier.name,
                        "end": date_format(term.end),
                        "months": contract.notice_months,
                        "deadline": date_format(term.notice_deadline),
                        "url": f"{settings.MUTUALIS_SITE_URL}/achats/contrats/{contract.pk}/",
                    },
                    from_email=None,
                    recipient_list=recipients,
                )
            audit.record(
                action="purchasing.contract_alert_sent",
                obj=contract,
                by=None,
                summary=_("Alerte de préavis (%(deadline)s) : %(subject)s")
                % {"deadline": date_format(term.notice_deadline), "subject": contract.subject},
                commune_insee=contract.commune.insee_code,
            )
        sent += 1
    return sent
