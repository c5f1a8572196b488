"""Scenarios of the lifecycle: Odars from the base offer to a signed advanced convention to a free
exit, illegal moves refused with a French message and nothing written, the history recorded."""

from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command

from mutualis.core.models import AuditEvent
from mutualis.membership import capacity, services
from mutualis.membership.enums import Status
from mutualis.membership.models import Membership, Transition
from mutualis.membership.services import notifications
from mutualis.membership.tests.helpers import pdf_upload, walk_to_active
from mutualis.territory.models import Commune

pytestmark = pytest.mark.django_db


def test_odars_from_base_offer_to_signed_advanced_convention_to_free_exit(
    programme, odars, coordinator, odars_manager
):
    base = Membership.objects.get(commune=odars, offer_code="base")
    assert base.status == Status.JOINED
    assert base.transitions.get().deliberation.number == "2024-05-04"

    mail.outbox.clear()
    membership = services.apply_for_advanced_offer(
        programme=programme,
        commune=odars,
        offer_code="advanced-without-it",
        by=odars_manager,
        on=date(2024, 9, 2),
        reason="Délibération de septembre",
    )
    assert membership.status == Status.APPLIED and membership.applied_on == date(2024, 9, 2)
    assert {"odars-manager@demo.mutualis.localhost", "coordinator@demo.mutualis.localhost"} <= set(
        mail.outbox[-1].to
    )
    assert "Odars" in mail.outbox[-1].subject and "Candidature déposée" in mail.outbox[-1].subject

    services.queue_application(membership=membership, by=coordinator, on=date(2024, 9, 5))
    membership = services.admit_commune(
        membership=membership, by=coordinator, on=date(2024, 9, 10), reason="Priorité 2024"
    )
    # Odars co-built the programme and signed its letter on 2024-02-12: in the 2024 priority group.
    assert membership.status == Status.ADMITTED
    assert membership.estimated_load_days == capacity.load_for(
        programme.spec.pool_for_offer("advanced-without-it"), odars
    )

    convention = services.issue_convention(
        membership=membership, by=coordinator, on=date(2024, 9, 12)
    )
    assert convention.number.startswith("CONV-2024-")
    assert convention.type_code == "without-it"
    assert convention.document.read(5) == b"%PDF-"

    membership = services.sign_convention(
        convention=convention,
        signed_on=date(2024, 9, 19),
        signed_pdf=pdf_upload(),
        by=odars_manager,
    )
    assert membership.status == Status.ACTIVE
    assert membership.start_date == date(2024, 10, 1)  # first day of the month after signature
    assert membership.signed_on == date(2024, 9, 19)

    terms = services.exit_terms_for(membership, on=date(2025, 11, 30))
    assert terms.kind == "free" and terms.effective == date(2025, 12, 31)
    membership = services.request_exit(
        membership=membership, by=odars_manager, on=date(2025, 11, 30)
    )
    assert membership.status == Status.EXIT_REQUESTED
    assert membership.exit_requested_on == date(2025, 11, 30)
    assert membership.effective_exit == date(2025, 12, 31)

    call_command("close_memberships", "--on", "2025-12-30")
    membership.refresh_from_db()
    assert membership.status == Status.EXIT_REQUESTED  # not due yet
    call_command("close_memberships", "--on", "2026-01-01")
    membership.refresh_from_db()
    assert membership.status == Status.EXITED
    assert membership.effective_exit == date(2025, 12, 31)

    steps = list(membership.transitions.values_list("to_status", "on"))
    assert steps == [
        (Status.APPLIED, date(2024, 9, 2)),
        (Status.QUEUED, date(2024, 9, 5)),
        (Status.ADMITTED, date(2024, 9, 10)),
        (Status.CONVENTION_ISSUED, date(2024, 9, 12)),
        (Status.ACTIVE, date(2024, 9, 19)),
        (Status.EXIT_REQUESTED, date(2025, 11, 30)),
        (Status.EXITED, date(2025, 12, 31)),
    ]
    assert membership.transitions.filter(by=None).count() == 1  # the command's exit
    audited = AuditEvent.objects.for_object(membership).values_list("action", flat=True)
    assert set(audited) >= {f"membership.{s}" for s, _ in steps}
    # Odars keeps its base offer.
    base.refresh_from_db()
    assert base.status == Status.JOINED


def test_exit_asked_after_the_free_exit_date_commits_the_commune_to_the_end(programme, coordinator):
    pechabou = Membership.objects.get(commune__insee_code="31409", offer_code="advanced-without-it")
    assert pechabou.status == Status.EXIT_REQUESTED  # the demo's exit asked in October 2026
    assert pechabou.effective_exit == date(2027, 6, 30)
    with pytest.raises(services.TransitionRefused, match="ne prend effet que le 30/06/2027"):
        services.exit_membership(membership=pechabou, by=coordinator, on=date(2027, 1, 1))


def test_exit_before_the_start_withdraws_the_application(programme, coordinator):
    belberaud = Commune.objects.get(insee_code="31057")  # queued in the demo
    membership = Membership.objects.get(commune=belberaud, offer_code="advanced-without-it")
    membership = services.request_exit(membership=membership, by=coordinator, on=date(2026, 2, 1))
    assert membership.status == Status.WITHDRAWN
    assert membership.effective_exit is None


def test_end_of_programme_ends_every_open_membership(programme):
    call_command("close_memberships", "--on", "2027-07-01")
    assert not Membership.objects.open().exists()
    labege = Membership.objects.get(commune__insee_code="31254", offer_code="advanced-with-it")
    assert (labege.status, labege.effective_exit) == (Status.ENDED, date(2027, 6, 30))
    pechabou = Membership.objects.get(commune__insee_code="31409", offer_code="advanced-without-it")
    assert pechabou.status == Status.EXITED  # its requested exit, due on the programme's end
    before = Transition.objects.count()
    call_command("close_memberships", "--on", "2027-07-02")
    assert Transition.objects.count() == before  # idempotent


def _refused(match, fn, **kwargs):
    transitions, events = Transition.objects.count(), AuditEvent.objects.count()
    with pytest.raises(services.TransitionRefused, match=match):
        fn(**kwargs)
    assert (Transition.objects.count(), AuditEvent.objects.count()) == (transitions, events)


def test_an_offer_not_open_to_the_commune_is_refused(programme, odars, labege, coordinator):
    _refused(
        "n'est pas ouverte à Odars : elle est réservée aux communes disposant d'une DSI",
        services.apply_for_advanced_offer,
        programme=programme,
        commune=odars,
        offer_code="advanced-with-it",
        by=coordinator,
    )
    _refused(
        "réservée aux communes sans DSI",
        services.apply_for_advanced_offer,
        programme=programme,
        commune=labege,
        offer_code="advanced-without-it",
        by=coordinator,
    )
    _refused(
        "n'existe pas",
        services.apply_for_advanced_offer,
        programme=programme,
        commune=odars,
        offer_code="gold",
        by=coordinator,
    )


def test_applying_needs_the_base_offer_and_no_other_advanced_membership(
    programme, labege, coordinator
):
    outside = Commune.objects.get(insee_code="31035")
    _refused(
        "doit d'abord adhérer au socle de base",
        services.apply_for_advanced_offer,
        programme=programme,
        commune=outside,
        offer_code="advanced-without-it",
        by=coordinator,
    )
    _refused(
        "a déjà une adhésion en cours aux services avancés",
        services.apply_for_advanced_offer,
        programme=programme,
        commune=labege,
        offer_code="advanced-with-it",
        by=coordinator,
    )


def test_steps_out_of_order_are_refused(programme, odars, coordinator):
    membership = services.apply_for_advanced_offer(
        programme=programme, commune=odars, offer_code="advanced-without-it", by=coordinator
    )
    _refused(
        "l'adhésion est « Candidature déposée », elle ne peut pas passer à « Admise »",
        services.admit_commune,
        membership=membership,
        by=coordinator,
        reason="x",
    )
    _refused(
        "ne peut pas passer à « Convention émise »",
        services.issue_convention,
        membership=membership,
        by=coordinator,
    )
    _refused(
        "n'est pas dans la file d'attente",
        services.move_in_queue,
        membership=membership,
        position=1,
        by=coordinator,
        reason="urgence",
    )
    base = Membership.objects.get(commune=odars, offer_code="base")
    _refused(
        "ne peut pas quitter le socle de base tant que son adhésion aux services avancés",
        services.request_exit,
        membership=base,
        by=coordinator,
    )


def test_signature_dates_are_checked(programme, odars, coordinator):
    membership = services.apply_for_advanced_offer(
        programme=programme,
        commune=odars,
        offer_code="advanced-without-it",
        by=coordinator,
        on=date(2024, 9, 2),
    )
    services.queue_application(membership=membership, by=coordinator, on=date(2024, 9, 2))
    services.admit_commune(membership=membership, by=coordinator, on=date(2024, 9, 2), reason="x")
    convention = services.issue_convention(
        membership=membership, by=coordinator, on=date(2024, 9, 3)
    )
    with pytest.raises(services.TransitionRefused, match="avant son émission"):
        services.sign_convention(
            convention=convention,
            signed_on=date(2024, 9, 1),
            signed_pdf=pdf_upload(),
            by=coordinator,
        )
    with pytest.raises(services.TransitionRefused, match="futur"):
        services.sign_convention(
            convention=convention,
            signed_on=date(2099, 1, 1),
            signed_pdf=pdf_upload(),
            by=coordinator,
        )
    membership.refresh_from_db()
    assert membership.status == Status.CONVENTION_ISSUED


def test_a_started_membership_cannot_be_withdrawn(programme, coordinator):
    auzielle = Membership.objects.get(commune__insee_code="31036", offer_code="advanced-without-it")
    _refused(
        "a commencé le 01/07/2024 : elle ne peut plus être retirée",
        services.withdraw_application,
        membership=auzielle,
        by=coordinator,
    )


def test_leaving_the_base_offer_alone_takes_effect_at_once(programme, coordinator):
    castanet = Membership.objects.get(commune__insee_code="31113", offer_code="base")
    membership = services.request_exit(membership=castanet, by=coordinator, on=date(2026, 3, 2))
    assert membership.status == Status.EXITED
    assert membership.effective_exit == date(2026, 3, 2)


def test_a_signed_membership_not_yet_started_can_be_withdrawn(programme, odars, coordinator):
    membership = walk_to_active(
        programme=programme,
        commune=odars,
        offer_code="advanced-without-it",
        by=coordinator,
        applied_on=date(2026, 11, 2),
    )
    assert membership.start_date == date(2026, 12, 1)
    membership = services.request_exit(membership=membership, by=coordinator, on=date(2026, 11, 3))
    assert membership.status == Status.WITHDRAWN


def test_notifications_are_muted_for_bulk_loads(programme, odars, coordinator):
    mail.outbox.clear()
    with services.notifications_muted():
        services.apply_for_advanced_offer(
            programme=programme, commune=odars, offer_code="advanced-without-it", by=coordinator
        )
    assert mail.outbox == []


def test_each_step_mails_the_communes_managers_and_the_coordinators(
    programme, odars, coordinator, odars_agent
):
    mail.outbox.clear()
    membership = walk_to_active(
        programme=programme, commune=odars, offer_code="advanced-without-it", by=coordinator
    )
    subjects = [m.subject for m in mail.outbox]
    assert len(subjects) == 5
    assert [s.rsplit(" : ", 1)[1] for s in subjects] == [
        "Candidature déposée",
        "En file d'attente",
        "Admise",
        "Convention émise",
        "Convention signée, active",
    ]
    for message in mail.outbox:
        assert message.to == [
            "coordinator@demo.mutualis.localhost",
            "odars-manager@demo.mutualis.localhost",
        ]
        assert odars_agent.email not in message.to
        assert "/adhesions/communes/31402/" in message.body
    assert "Début de l'adhésion : 01/07/2024." in mail.outbox[-1].body
    assert membership.status == Status.ACTIVE


def test_a_failing_mail_server_never_undoes_a_recorded_step(
    programme, odars, coordinator, monkeypatch, caplog
):
    def broken(**kwargs):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr(notifications, "send_mail", broken)
    membership = services.apply_for_advanced_offer(
        programme=programme, commune=odars, offer_code="advanced-without-it", by=coordinator
    )
    membership.refresh_from_db()
    assert membership.status == Status.APPLIED
    assert "notification of applied" in caplog.text
