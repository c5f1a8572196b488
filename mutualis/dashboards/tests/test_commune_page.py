"""A commune's page: it shows what the ORM's querysets hold, and its queries do not grow with the
data."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mutualis.core import audit
from mutualis.core.models import AuditEvent
from mutualis.membership.enums import Status
from mutualis.membership.models import Deliberation, Membership, Transition
from mutualis.programme.models import Participation
from mutualis.programme.services import set_participation
from mutualis.territory.models import Population

pytestmark = pytest.mark.django_db

ODARS = "31402"
# Session, user, devices, commune, recent history, roles, three counts, populations,
# participation, memberships and their steps (the « À suivre » membership card reads them too),
# deliberations; and, with several programmes: the staff's territories, the programmes the person
# may see and the page's programme's version (the offers' names); the memberships across
# programmes are those already read (another programme than the page's would add one query).
COMMUNE_PAGE_QUERIES = 17


def _page(client, user):
    client.force_login(user)
    response = client.get(f"/communes/{ODARS}/")
    assert response.status_code == 200
    return response


def test_the_page_shows_what_the_querysets_hold(client, coordinator, odars, programme):
    context = _page(client, coordinator).context
    memberships = Membership.objects.filter(commune=odars).order_by("created_at")
    assert memberships, "the demo's Odars has memberships"
    assert [m.pk for m in context["memberships"]] == [m.pk for m in memberships]
    for shown, membership in zip(context["memberships_with_steps"](), memberships, strict=True):
        assert shown.status_label == membership.get_status_display()
        assert [(s.at, s.reason, s.status_label) for s in shown.steps] == [
            (t.at, t.reason, t.get_to_status_display()) for t in membership.transitions.all()
        ]
    assert [(p.vintage, p.total, p.municipal) for p in context["populations"]()] == list(
        Population.objects.filter(commune=odars)
        .order_by("-vintage")
        .values_list("vintage", "total", "municipal")
    )
    assert context["participation"]() == (
        Participation.objects.filter(programme=programme, commune=odars).first()
    )
    assert [d.pk for d in context["deliberations"]()] == list(
        Deliberation.objects.filter(commune=odars).values_list("pk", flat=True)
    )
    expected = list(AuditEvent.objects.for_commune(ODARS).select_related("actor")[:10])
    assert [(e.pk, str(e.actor or "")) for e in context["recent_history"]().events] == [
        (e.pk, str(e.actor or "")) for e in expected
    ]


def test_the_recent_history_names_each_actor_or_none(client, coordinator, odars_manager, odars):
    odars_manager.first_name, odars_manager.last_name = "Inès", "Martin"
    odars_manager.save()
    audit.record(
        action="test.event", obj=odars, by=None, summary="Sans auteur", commune_insee=ODARS
    )
    audit.record(
        action="test.event", obj=odars, by=odars_manager, summary="Par Inès", commune_insee=ODARS
    )
    html = _page(client, coordinator).content.decode()
    assert "<td>Inès Martin</td><td>Par Inès</td>" in html
    assert "<td>—</td><td>Sans auteur</td>" in html


def test_the_pages_queries_do_not_grow_with_the_data(client, coordinator, odars):
    _page(client, coordinator)  # signed in, and what a first request reads once
    cache.clear()  # the page as when nothing is kept (counts, recent history): its most queries
    with CaptureQueriesContext(connection) as before:
        client.get(f"/communes/{ODARS}/")
    membership = Membership.objects.filter(commune=odars).first()
    for n in range(3):
        Transition.objects.create(
            membership=membership, from_status=Status.JOINED, to_status=Status.JOINED
        )
        Deliberation.objects.create(
            commune=odars,
            number=f"2026-{n}",
            session_date=datetime.date(2026, 1, n + 1),
            subject="Essai",
            findings=[{"severity": "warning", "message": "essai"}],
        )
        audit.record(
            action="test.event", obj=odars, by=coordinator, summary="Essai", commune_insee=ODARS
        )
    cache.clear()
    with CaptureQueriesContext(connection) as after:
        html = client.get(f"/communes/{ODARS}/").content.decode()
    # The writes to the transitions and deliberations show at once.
    assert "2026-2" in html and "1 avertissement" in html
    assert len(after) == len(before) <= COMMUNE_PAGE_QUERIES, len(after)


def test_the_deliberations_are_kept_until_one_is_saved(client, coordinator, odars):
    """The page keeps the deliberations table's HTML (Django's cache): not read on the next view;
    a deliberation saved or deleted for the commune shows at once."""
    _page(client, coordinator)
    with CaptureQueriesContext(connection) as queries:
        _page(client, coordinator)
    assert not [q for q in queries if 'FROM "membership_deliberation"' in q["sql"]]
    deliberation = Deliberation.objects.create(
        commune=odars, number="2026-77", session_date=datetime.date(2026, 3, 2), subject="Essai"
    )
    assert "2026-77" in _page(client, coordinator).content.decode()
    deliberation.number = "2026-78"
    deliberation.save()
    html = _page(client, coordinator).content.decode()
    assert "2026-78" in html and "2026-77" not in html


def test_the_identity_populations_and_participation_are_kept_until_a_write(
    client, coordinator, odars, programme
):
    """The identity, populations and participation cards keep their HTML (Django's cache): not
    read on the next view; a population, the commune or its participation saved shows at once."""
    _page(client, coordinator)
    with CaptureQueriesContext(connection) as queries:
        _page(client, coordinator)
    read = " ".join(q["sql"] for q in queries)
    assert 'FROM "territory_population"' not in read
    assert 'FROM "programme_participation"' not in read
    population = Population.objects.filter(commune=odars).order_by("-vintage").first()
    population.total = 98765
    population.save()
    assert "98\u202f765" in _page(client, coordinator).content.decode()
    odars.mayor_name = "Camille Lafont"
    odars.save()
    assert "Camille Lafont" in _page(client, coordinator).content.decode()
    set_participation(
        programme=programme,
        commune=odars,
        co_construction=True,
        commitment_letter_date=datetime.date(2026, 2, 3),
        by=coordinator,
    )
    assert "03/02/2026" in _page(client, coordinator).content.decode()


def test_the_memberships_card_is_kept_until_a_membership_or_a_step_is_saved(
    client, coordinator, odars
):
    """The memberships card keeps its HTML: its steps are not read on the next view; a step taken
    or a membership saved shows at once."""
    _page(client, coordinator)
    with CaptureQueriesContext(connection) as queries:
        _page(client, coordinator)
    assert not [q for q in queries if 'FROM "membership_transition"' in q["sql"]]
    membership = Membership.objects.filter(commune=odars).first()
    Transition.objects.create(
        membership=membership,
        from_status=Status.JOINED,
        to_status=Status.JOINED,
        reason="Étape de contrôle",
    )
    html = _page(client, coordinator).content.decode()
    assert "Étape de contrôle" in html and "Candidature retirée" not in html
    membership.status = Status.WITHDRAWN
    membership.save()
    assert "Candidature retirée" in _page(client, coordinator).content.decode()
