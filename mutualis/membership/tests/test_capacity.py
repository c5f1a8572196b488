"""Queue and capacity: priority order, a commune waiting while its pool is full then admitted when
a slot frees, overrides kept with their reason, and two coordinators admitting at once."""

import threading
import time
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection

from mutualis.membership import capacity, services
from mutualis.membership.enums import Status
from mutualis.membership.models import Membership, QueueOverride
from mutualis.programme.models import Programme
from mutualis.programme.services import load_programme, set_participation, shipped_programme
from mutualis.territory.models import Commune

REFERENT_POOL = 'code = "referent"\nname = "Temps du référent technique"\noffers = ["advanced-without-it"]\ndays_per_year = 180'


def set_referent_capacity(days: Decimal) -> Programme:
    """A new version of the programme file with another referent capacity (a coordinator's edit)."""
    text = settings.MUTUALIS_DEFAULT_PROGRAMME_FILE.read_text(encoding="utf-8")
    assert REFERENT_POOL in text
    text = text.replace(REFERENT_POOL, REFERENT_POOL.replace("180", f'"{days}"'))
    return load_programme(text=text, source="test").version.programme


def _state(programme, on):
    return capacity.pool_state(programme, "referent", on=on)


def _join(programme, insee, coordinator, applied_on):
    commune = Commune.objects.get(insee_code=insee)
    services.join_base_offer(
        programme=programme, commune=commune, by=coordinator, on=date(2024, 5, 1)
    )
    membership = services.apply_for_advanced_offer(
        programme=programme,
        commune=commune,
        offer_code="advanced-without-it",
        by=coordinator,
        on=applied_on,
    )
    services.queue_application(membership=membership, by=coordinator, on=applied_on)
    return membership


@pytest.mark.django_db
def test_a_commune_without_priority_waits_while_capacity_is_full_then_is_admitted(
    programme, coordinator
):
    decided = date(2024, 7, 1)
    # Ayguesvives co-built the programme with an early letter; Pouze did not, but applied first.
    ayguesvives = Commune.objects.get(insee_code="31004")
    set_participation(
        programme=programme,
        commune=ayguesvives,
        co_construction=True,
        commitment_letter_date=date(2024, 3, 1),
        by=coordinator,
    )
    pouze = _join(programme, "31437", coordinator, applied_on=date(2024, 5, 2))
    first = _join(programme, "31004", coordinator, applied_on=date(2024, 6, 1))
    used = _state(programme, decided).used
    load_first = capacity.load_for(_state(programme, decided).pool, ayguesvives)
    load_pouze = capacity.load_for(_state(programme, decided).pool, pouze.commune)
    assert load_pouze < load_first  # so Pouze fits once Ayguesvives's place is free
    programme = set_referent_capacity(used + load_first)

    queue = _state(programme, decided).queue
    assert [e.membership.commune.name for e in queue[:2]] == ["Ayguesvives", "Pouze"]
    assert queue[0].priority and not queue[1].priority

    services.admit_commune(membership=first, by=coordinator, on=decided)
    state = _state(programme, decided)
    assert state.free == 0
    assert state.queue[0].membership == pouze and state.queue[0].position == 1
    with pytest.raises(
        services.TransitionRefused, match="Capacité insuffisante pour admettre Pouze"
    ):
        services.admit_commune(membership=pouze, by=coordinator, on=decided)
    pouze.refresh_from_db()
    assert pouze.status == Status.QUEUED

    # A slot frees: Ayguesvives withdraws before its membership starts.
    first.refresh_from_db()
    services.request_exit(membership=first, by=coordinator, on=date(2024, 7, 20))
    assert _state(programme, date(2024, 7, 21)).free == load_first
    pouze = services.admit_commune(membership=pouze, by=coordinator, on=date(2024, 7, 21))
    assert pouze.status == Status.ADMITTED and pouze.estimated_load_days == load_pouze


@pytest.mark.django_db
def test_after_2024_the_earlier_application_comes_first(programme):
    queue = _state(programme, date(2026, 1, 5)).queue
    assert [e.membership.commune.name for e in queue] == ["Belberaud", "Goyrans"]
    assert not any(e.priority for e in queue)


@pytest.mark.django_db
def test_admitting_another_than_the_head_needs_a_kept_reason(programme, coordinator):
    goyrans = Membership.objects.get(commune__insee_code="31227", offer_code="advanced-without-it")
    with pytest.raises(services.TransitionRefused, match="Goyrans est au rang 2 de la file"):
        services.admit_commune(membership=goyrans, by=coordinator)
    services.admit_commune(
        membership=goyrans, by=coordinator, reason="Urgence cyber (rançongiciel)"
    )
    assert (
        goyrans.transitions.get(to_status=Status.ADMITTED).reason == "Urgence cyber (rançongiciel)"
    )


@pytest.mark.django_db
def test_a_coordinator_moves_an_application_in_the_queue_with_a_written_reason(
    programme, coordinator
):
    goyrans = Membership.objects.get(commune__insee_code="31227", offer_code="advanced-without-it")
    with pytest.raises(services.TransitionRefused, match="Indiquez le motif"):
        services.move_in_queue(membership=goyrans, position=1, by=coordinator, reason="  ")
    services.move_in_queue(
        membership=goyrans, position=1, by=coordinator, reason="Commune victime d'une attaque"
    )
    queue = _state(programme, date(2026, 1, 5)).queue
    assert [e.membership.commune.name for e in queue] == ["Goyrans", "Belberaud"]
    assert queue[0].override.reason == "Commune victime d'une attaque"
    assert QueueOverride.objects.filter(membership=goyrans).count() == 1
    services.admit_commune(membership=goyrans, by=coordinator)  # now at the head: no reason needed


@pytest.mark.django_db
def test_capacity_counts_admitted_loads_and_the_projection(programme):
    state = _state(programme, date(2026, 11, 28))
    names = {a.membership.commune.name: a for a in state.admitted}
    assert set(names) == {"Auzielle", "Corronsac", "Péchabou"}
    assert state.used == sum(a.load for a in state.admitted) == Decimal("36.7")
    assert names["Auzielle"].logged == Decimal("2.5")
    projection = state.projection()
    assert projection[0] == (0, Decimal("36.7"))
    assert projection[1] == (1, Decimal("36.7") + state.queue[0].load)
    team = capacity.pool_state(programme, "team", on=date(2026, 11, 28))
    assert [a.membership.commune.name for a in team.admitted] == ["Labège"]  # Ramonville left


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_admitting_at_once_never_exceed_capacity(committed_demo, monkeypatch):
    if connection.vendor == "sqlite":
        pytest.skip(
            "SQLite serialises every write transaction (IMMEDIATE mode): row locks are proven "
            "on PostgreSQL (.ci/run)"
        )
    from mutualis.accounts.models import User

    programme = shipped_programme()
    state = _state(programme, date.today())
    belberaud, goyrans = (e.membership for e in state.queue)
    loads = [e.load for e in state.queue]
    # Room for either commune, never both.
    programme = set_referent_capacity(state.used + max(loads))
    assert state.used + sum(loads) > state.used + max(loads)
    coordinator = User.objects.get(username="coordinator")

    real_pool_state = capacity.pool_state

    def slow_pool_state(*args, **kwargs):
        # Widen the race: each transaction reads the load, then waits before writing.
        result = real_pool_state(*args, **kwargs)
        time.sleep(0.5)
        return result

    monkeypatch.setattr(capacity, "pool_state", slow_pool_state)
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}

    def admit(membership):
        try:
            barrier.wait()
            services.admit_commune(
                membership=Membership.objects.get(pk=membership.pk),
                by=coordinator,
                reason="admission simultanée",
            )
            results[membership.commune.name] = "admise"
        except services.TransitionRefused as refusal:
            results[membership.commune.name] = str(refusal)
        finally:
            connection.close()

    threads = [threading.Thread(target=admit, args=(m,)) for m in (belberaud, goyrans)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == ["Belberaud", "Goyrans"]
    assert list(results.values()).count("admise") == 1, results
    refused = next(v for v in results.values() if v != "admise")
    assert refused.startswith("Capacité insuffisante")
    final = real_pool_state(shipped_programme(), "referent", on=date.today())
    assert final.used <= final.capacity
