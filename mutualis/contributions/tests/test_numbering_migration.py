"""The move of the old counters (`membership.NumberSequence`, `contributions.DocumentSequence`) to
core's `DocumentCounter`: an existing database continues its conventions', calls' and credit
notes' numbers without a gap or a duplicate, and the migrations go back and forth."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from mutualis.accounts.models import User
from mutualis.contributions.testing import credit_note_of
from mutualis.core.models import DocumentCounter
from mutualis.membership import services as membership_services
from mutualis.programme.services import shipped_programme
from mutualis.territory.models import Commune

BEFORE = [
    ("membership", "0003_membership_commune_programme_index"),
    ("contributions", "0001_initial"),
]
ON_2024 = date(2024, 11, 5)


def _migrate(targets):
    """Migrate to `targets` and return the models as they are there."""
    return MigrationExecutor(connection).migrate(targets).apps


def _latest():
    """Every app's last migration: going back to BEFORE also unapplied the migrations that came
    after the move (a later table of membership), and the next tests need the whole schema."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _admitted(commune, by, on):
    """An advanced membership of `commune` admitted on `on`, ready for its convention."""
    programme = shipped_programme()
    if not commune.memberships.filter(offer_code="base", status="joined").exists():
        membership_services.join_base_offer(programme=programme, commune=commune, by=by, on=on)
    offer = "advanced-with-it" if commune.has_it_department else "advanced-without-it"
    membership = membership_services.apply_for_advanced_offer(
        programme=programme, commune=commune, offer_code=offer, by=by, on=on
    )
    membership_services.queue_application(membership=membership, by=by, on=on)
    membership_services.admit_commune(membership=membership, by=by, on=on, reason="test")
    return membership


@pytest.mark.django_db(transaction=True)
def test_old_counters_move_to_core_and_numbering_continues(committed_demo):
    old = _migrate(BEFORE)
    try:
        NumberSequence = old.get_model("membership", "NumberSequence")
        DocumentSequence = old.get_model("contributions", "DocumentSequence")
        Counter = old.get_model("core", "DocumentCounter")
        # A database from before the move: its counters only in the apps' tables.
        Counter.objects.filter(series__in=["convention", "call", "credit_note"]).delete()
        NumberSequence.objects.all().delete()
        DocumentSequence.objects.all().delete()
        NumberSequence.objects.create(kind="convention", year=2024, last=41)
        DocumentSequence.objects.create(kind="call", year=2027, last=500)
        DocumentSequence.objects.create(kind="credit_note", year=2027, last=70)
        # Where core already counted further for a series and year, the larger value wins.
        NumberSequence.objects.create(kind="convention", year=2030, last=3)
        Counter.objects.create(series="convention", year=2030, last=9)
        DocumentSequence.objects.create(kind="call", year=2031, last=12)
        Counter.objects.create(series="call", year=2031, last=2)
    finally:
        _migrate(_latest())

    assert sorted(
        DocumentCounter.objects.filter(
            series__in=["convention", "call", "credit_note"]
        ).values_list("series", "year", "last")
    ) == [
        ("call", 2027, 500),
        ("call", 2031, 12),
        ("convention", 2024, 41),
        ("convention", 2030, 9),
        ("credit_note", 2027, 70),
    ]
    # The services number on from the moved counters.
    coordinator = User.objects.get(username="coordinator")
    convention = membership_services.issue_convention(
        membership=_admitted(Commune.objects.get(insee_code="31004"), coordinator, ON_2024),
        by=coordinator,
        on=ON_2024,
    )
    assert convention.number == "CONV-2024-0042"
    # Odars has no call in the demo: its first call, cancelled, credited and replaced.
    note = credit_note_of(Commune.objects.get(insee_code="31402"))
    assert (note.call.number, note.number) == ("2027-0501", "AV-2027-0071")
    assert note.call.replaced_by.number == "2027-0502"

    # Back again: the old tables get the counters as they are now, and forward once more.
    old = _migrate(BEFORE)
    try:
        assert sorted(
            old.get_model("membership", "NumberSequence").objects.values_list(
                "kind", "year", "last"
            )
        ) == [("convention", 2024, 42), ("convention", 2030, 9)]
        assert sorted(
            old.get_model("contributions", "DocumentSequence").objects.values_list(
                "kind", "year", "last"
            )
        ) == [("call", 2027, 502), ("call", 2031, 12), ("credit_note", 2027, 71)]
    finally:
        _migrate(_latest())
    assert DocumentCounter.objects.get(series="convention", year=2024).last == 42
