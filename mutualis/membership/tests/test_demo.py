"""The demo's lived-in membership state, and that loading it again adds nothing."""

from datetime import date

import pytest

from mutualis.core.models import DocumentCounter
from mutualis.demo import steps
from mutualis.membership.enums import Status
from mutualis.membership.models import (
    Amendment,
    Convention,
    Deliberation,
    Membership,
    TimeLog,
    Transition,
)

pytestmark = pytest.mark.django_db


def _status(insee, offer):
    return Membership.objects.filter(commune__insee_code=insee, offer_code=offer).latest(
        "created_at"
    )


def test_demo_is_lived_in():
    odars = _status("31402", "base")
    assert odars.status == Status.JOINED and odars.start_date == date(2024, 5, 22)
    deliberation = odars.transitions.get().deliberation
    assert (
        deliberation.members_in_office,
        deliberation.present_count,
        len(deliberation.present),
    ) == (
        14,
        10,
        9,
    )
    assert (deliberation.votes_for, deliberation.votes_against, deliberation.votes_abstention) == (
        13,
        0,
        0,
    )
    assert deliberation.membership == odars
    starts = {
        m.commune.name: m.start_date
        for m in Membership.objects.filter(status__in=[Status.ACTIVE, Status.EXIT_REQUESTED])
    }
    assert starts == {
        "Auzielle": date(2024, 7, 1),
        "Corronsac": date(2024, 7, 1),
        "Péchabou": date(2024, 9, 1),
        "Labège": date(2024, 9, 1),
    }
    assert _status("31254", "advanced-with-it").status == Status.ACTIVE
    assert _status("31409", "advanced-without-it").status == Status.EXIT_REQUESTED
    assert _status("31446", "advanced-with-it").status == Status.EXITED
    queued = set(
        Membership.objects.filter(status=Status.QUEUED).values_list("commune__name", flat=True)
    )
    assert queued == {"Belberaud", "Escalquens", "Goyrans"}


def test_odars_deliberation_findings_are_computed_from_its_document():
    deliberation = Deliberation.objects.get(commune__insee_code="31402", number="2024-05-04")
    assert [f["code"] for f in deliberation.findings] == [
        "present_count_mismatch",
        "members_named_mismatch",
    ]
    assert deliberation.errors == []
    # The checks' own messages, not typed ones: the demo's copy of the seed is what was read.
    assert deliberation.findings == steps.odars_deliberation_findings(deliberation.commune)
    assert deliberation.findings[0]["message"] == "10 présents annoncés, 9 noms listés."
    tests_copy = steps.settings.PACKAGE_DIR / "membership/tests/documents/odars-2024-05-04.txt"
    assert steps.ODARS_DELIBERATION_FILE.read_bytes() == tests_copy.read_bytes()


def test_loading_the_membership_steps_again_adds_nothing():
    models = (Transition, Deliberation, Convention, Amendment, TimeLog, Membership)
    before = [m.objects.count() for m in models]
    sequence = DocumentCounter.objects.get(series="convention", year=2024).last
    steps.odars_deliberation(log=lambda line: None)
    steps.base_memberships(log=lambda line: None)
    steps.membership_lifecycle(log=lambda line: None)
    assert [m.objects.count() for m in models] == before
    assert DocumentCounter.objects.get(series="convention", year=2024).last == sequence
