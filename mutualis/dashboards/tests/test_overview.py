"""A commune's « À suivre » overview: each role sees the capabilities it may open, counts are
about that commune only, and the page's queries do not grow with the data."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mutualis.contributions.models import Call
from mutualis.dashboards.overview import commune_overview
from mutualis.support.models import SupportRequest

pytestmark = pytest.mark.django_db


def _titles(user, commune):
    return [str(d.title) for d in commune_overview(user, commune)]


def test_titles_follow_each_role(odars_manager, odars_agent, coordinator, labege_it, odars, labege):
    assert _titles(odars_manager, odars) == [
        "Adhésion",
        "Contributions",
        "Cybersécurité",
        "Alertes",
        "Sensibilisation",
        "Support",
    ]
    # An agent sees neither the money nor the security plan.
    assert _titles(odars_agent, odars) == ["Adhésion", "Alertes", "Sensibilisation", "Support"]
    assert _titles(coordinator, odars) == ["Adhésion", "Contributions", "Cybersécurité", "Support"]
    # Labège's IT agent sees the security plan but not the money of Labège.
    assert "Contributions" not in _titles(labege_it, labege)


def test_counts_are_the_communes_own(coordinator, odars):
    support = {str(d.title): d for d in commune_overview(coordinator, odars)}["Support"]
    assert support.count == SupportRequest.objects.filter(commune=odars).open().count()
    assert support.url == "/support/"


def test_every_count_equals_its_querysets_own(coordinator, odars, labege, programme):
    """The counts say exactly what the querysets behind the linked pages say, for each commune
    and across the programme."""
    from django.utils import timezone

    from mutualis.cyber.models import PlanMeasure
    from mutualis.dashboards.overview import programme_overview

    today = timezone.localdate()
    for commune in (odars, labege):
        counts = {
            str(d.title): d.count
            for d in commune_overview(coordinator, commune)
            if str(d.title) != "Adhésion"
        }
        assert counts == {
            "Contributions": Call.objects.filter(commune=commune).overdue(today).count(),
            "Cybersécurité": PlanMeasure.objects.filter(diagnostic__commune=commune)
            .overdue(today)
            .count(),
            "Support": SupportRequest.objects.filter(commune=commune).open().count(),
        }
    counts = {str(d.title): d.count for d in programme_overview(coordinator, programme)}
    assert counts == {
        "Contributions": Call.objects.filter(programme=programme).overdue(today).count(),
        "Cybersécurité": PlanMeasure.objects.filter(diagnostic__commune__epci__programmes=programme)
        .overdue(today)
        .count(),
        "Support": SupportRequest.objects.filter(commune__epci__programmes=programme)
        .open()
        .count(),
    }
    assert sum(counts.values()) > 0  # the demo has something to follow


def test_commune_page_shows_the_overview_with_links(client, odars_manager, odars):
    client.force_login(odars_manager)
    html = client.get(f"/communes/{odars.insee_code}/").content.decode()
    assert "À suivre" in html
    assert f'href="/contributions/communes/{odars.insee_code}/"' in html
    assert "Labège" not in html


def test_overview_queries_do_not_grow_with_data(coordinator, odars, labege):
    """One count per capability: the same number of queries for a commune with requests, calls
    and measures as for one with fewer."""
    commune_overview(coordinator, odars)  # warms the user's cached roles
    counts = []
    for commune in (odars, labege):
        cache.clear()  # each count read, none kept
        with CaptureQueriesContext(connection) as queries:
            commune_overview(coordinator, commune)
        counts.append(len(queries))
    assert (
        SupportRequest.objects.filter(commune=odars).count()
        != (SupportRequest.objects.filter(commune=labege).count())
        or Call.objects.filter(commune=odars).count() != Call.objects.filter(commune=labege).count()
    )
    # Six counts and lookups, and the membership card's programme and memberships.
    assert counts[0] == counts[1] <= 8


def test_dashboard_overview_by_staff_role(client, coordinator, finance, observer, programme):
    from mutualis.dashboards.overview import programme_overview

    assert [str(d.title) for d in programme_overview(coordinator, programme)] == [
        "Contributions",
        "Cybersécurité",
        "Support",
    ]
    assert [str(d.title) for d in programme_overview(finance, programme)] == [
        "Contributions",
        "Support",
    ]
    assert [str(d.title) for d in programme_overview(observer, programme)] == [
        "Cybersécurité",
        "Support",
    ]
    client.force_login(coordinator)
    html = client.get("/tableau-de-bord/").content.decode()
    assert "À suivre dans le programme" in html
    assert 'href="/contributions/impayes/"' in html


def test_every_card_names_its_next_step(client, odars_manager, odars):
    client.force_login(odars_manager)
    page = client.get(f"/communes/{odars.insee_code}/").content.decode()
    cards = page.count('<li class="card due-')
    assert cards == len(commune_overview(odars_manager, odars)) > 0
    assert page.count("Prochaine étape :") == cards


def test_a_convention_to_sign_is_the_communes_next_step(odars_manager, odars):
    from mutualis.contributions.testing import advanced_member
    from mutualis.membership.enums import Status

    advanced_member(odars, status=Status.CONVENTION_ISSUED)
    card = commune_overview(odars_manager, odars)[0]
    assert card.next_step == "signer la convention et la renvoyer" and card.count == 1


def test_another_programmes_coordinator_counts_none_of_the_sicovals_items(
    client, coordinator, programme
):
    """The Sicoval has unpaid calls, late measures and open requests; the coordinator of a second
    programme, on another territory, counts none of them, on the function and on the page."""
    from mutualis.dashboards.overview import programme_overview
    from mutualis.programme.tests.second_programme import load_second_programme

    sicoval = {str(d.title): d.count for d in programme_overview(coordinator, programme)}
    assert all(sicoval.values()), sicoval  # the demo has something of each to follow
    second, bellevue = load_second_programme()
    counts = {str(d.title): d.count for d in programme_overview(bellevue, second)}
    assert counts == {"Contributions": 0, "Cybersécurité": 0, "Support": 0}
    client.force_login(bellevue)
    html = client.get("/tableau-de-bord/").content.decode()
    assert "0 appel échu et impayé" in html and "0 demande ouverte" in html


def test_without_a_programme_the_dashboard_counts_nothing(coordinator):
    """No programme to follow: no card, rather than counts of communes outside every programme."""
    from mutualis.dashboards.overview import programme_overview

    assert programme_overview(coordinator, None) == []


def test_counts_are_kept_a_minute_and_forgotten_by_a_write(coordinator, odars_manager, odars):
    """The calls, measures and requests counts are kept (Django's cache, one minute); saving a
    row they count forgets them: the next view counts again and shows it."""
    from mutualis.support.services import allowed_categories, open_request

    def support(overview):
        return next(d for d in overview if str(d.title) == "Support")

    first = support(commune_overview(coordinator, odars))
    with CaptureQueriesContext(connection) as queries:
        again = support(commune_overview(coordinator, odars))
    assert again.count == first.count
    counted = [q["sql"] for q in queries if "COUNT(" in q["sql"]]
    assert counted == []
    open_request(
        commune=odars,
        by=odars_manager,
        category=allowed_categories(odars)[0],
        urgency="normal",
        subject="Imprimante en panne",
        description="Plus rien ne sort.",
    )
    assert support(commune_overview(coordinator, odars)).count == first.count + 1
