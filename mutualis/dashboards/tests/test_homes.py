"""Homes by role: each person lands on the page that fits their role, the figures say what the
underlying records say, and the coordinators' list runs a bounded number of queries."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mutualis.contributions.models import Call, money
from mutualis.dashboards.home_figures import actions_today, money_figures
from mutualis.membership.enums import Status
from mutualis.membership.models import Membership
from mutualis.reviews.models import Review
from mutualis.support.models import SupportRequest
from mutualis.territory.models import Commune

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("username", "landing"),
    [
        ("observer", "/bilans/en-bref/"),
        ("finance", "/accueil/finances/"),
        ("coordinator", "/accueil/a-faire/"),
        ("referent", "/accueil/a-faire/"),
    ],
)
def test_each_staff_role_lands_on_its_home(client, username, landing):
    from mutualis.accounts.models import User

    client.force_login(User.objects.get(username=username))
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == landing
    assert response.status_code == 200


def test_commune_manager_keeps_the_commune_home(client, odars_manager, odars):
    client.force_login(odars_manager)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == f"/communes/{odars.insee_code}/"


def test_observer_summary_reads_the_latest_published_review(client, observer, programme):
    review = (
        Review.objects.filter(programme=programme, state=Review.State.PUBLISHED)
        .order_by("-number")
        .first()
    )
    figures = {
        (s["key"], f["key"]): f["value"] for s in review.figures["sections"] for f in s["figures"]
    }
    client.force_login(observer)
    page = client.get("/bilans/en-bref/").content.decode()
    called = f"{figures[('contributions', 'called')]:,.2f}".replace(",", "\u202f")
    assert called.replace(".", ",") + " €" in page
    assert "Personnes formées" in page and "Alertes critiques" in page
    # Periods are named by their dates, never by the review's number.
    assert "1er semestre 2026" in page and "2e semestre 2024" in page
    assert "n° 1" not in page


def test_finance_figures_match_the_calls(programme):
    today = timezone.localdate()
    figures = money_figures(today=today)
    calls = list(Call.objects.live().with_balance())
    assert figures.called == sum((money(c.amount) - money(c.credited) for c in calls), Decimal(0))
    assert figures.cashed == sum((money(c.paid) for c in calls), Decimal(0))
    assert figures.outstanding == sum(
        (money(c.outstanding) for c in calls if c.outstanding > 0), Decimal(0)
    )
    overdue = list(Call.objects.overdue(today))
    assert [c.pk for c in figures.overdue_calls] == sorted(
        [c.pk for c in overdue], key=lambda pk: [c.pk for c in figures.overdue_calls].index(pk)
    )
    assert len(figures.overdue_calls) == len(overdue) > 0
    assert figures.overdue == sum((money(c.outstanding) for c in overdue), Decimal(0))
    oldest = figures.overdue_calls[0]
    assert oldest.days_late == (today - oldest.due_on).days


def test_finance_home_lists_overdue_calls_with_their_commune(client, finance):
    client.force_login(finance)
    page = client.get("/accueil/finances/").content.decode()
    call = Call.objects.overdue(timezone.localdate()).select_related("commune").first()
    assert call.commune.name in page and call.number in page and "Relancer" in page


@pytest.mark.parametrize("username", ["observer", "referent", "odars-manager"])
def test_finance_home_is_for_the_finance_office_and_coordinators(client, username):
    from mutualis.accounts.models import User

    client.force_login(User.objects.get(username=username))
    assert client.get("/accueil/finances/").status_code == 403


@pytest.mark.parametrize("username", ["observer", "finance", "labege-manager"])
def test_action_list_is_for_coordinators_and_the_referent(client, username):
    from mutualis.accounts.models import User

    client.force_login(User.objects.get(username=username))
    assert client.get("/accueil/a-faire/").status_code == 403


def test_summary_is_refused_to_commune_people(client, labege_manager):
    client.force_login(labege_manager)
    assert client.get("/bilans/en-bref/").status_code == 403


def test_actions_count_what_their_lists_show(programme):
    actions = {a.key: a for a in actions_today(programme)}
    waiting = Membership.objects.filter(programme=programme, status=Status.APPLIED).count()
    assert actions["applications"].count == waiting
    assert len(actions["applications"].items) == min(waiting, 5)
    assert [a.key for a in actions_today(programme)] == [
        "applications",
        "queue",
        "deliberations",
        "diagnostics",
        "support",
        "contracts",
    ]


def _more_work(programme, communes):
    """An application and a support request near its deadline for each of `communes`."""
    soon = timezone.now() + timedelta(hours=3)
    for commune in communes:
        Membership.objects.create(
            programme=programme,
            commune=commune,
            offer_code="advanced-without-it",
            status=Status.APPLIED,
            applied_on=timezone.localdate(),
        )
        SupportRequest.objects.create(
            commune=commune,
            category="incident",
            subject="Panne",
            description="x",
            resolution_due=soon,
        )


def test_action_list_queries_do_not_grow_with_the_communes(client, coordinator, programme):
    client.force_login(coordinator)
    client.get("/accueil/a-faire/")
    with CaptureQueriesContext(connection) as before:
        client.get("/accueil/a-faire/")
    busy = Membership.objects.filter(programme=programme).values("commune")
    spare = list(
        Commune.objects.filter(epci__siren__in=programme.spec.programme.epci_sirens)
        .exclude(pk__in=busy)
        .order_by("name")[:6]
    )
    assert len(spare) == 6
    _more_work(programme, spare)
    with CaptureQueriesContext(connection) as after:
        response = client.get("/accueil/a-faire/")
    assert len(after) == len(before)
    assert len(after) <= 25
    page = response.content.decode()
    assert spare[0].name in page
