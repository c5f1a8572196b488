"""Days in kind: IT agents log time, coordinators validate, each commune sees owed/given/validated
for its current membership year with a warning when behind the linear pace past mid-year."""

from datetime import date
from decimal import Decimal

import pytest

from mutualis.accounts.enums import CommuneRoleKind
from mutualis.accounts.models import User
from mutualis.accounts.services import grant_commune_role
from mutualis.contributions import services
from mutualis.contributions.models import DayEntry
from mutualis.contributions.testing import advanced_member
from mutualis.core.models import AuditEvent
from mutualis.territory.models import Commune


@pytest.fixture
def escalquens(db, coordinator):
    commune = Commune.objects.get(insee_code="31169")
    assert commune.has_it_department
    advanced_member(commune, offer="advanced-with-it", start=date(2025, 9, 1))
    agent = User.objects.create_user("escalquens-it", password="x")
    grant_commune_role(user=agent, commune=commune, role=CommuneRoleKind.IT_AGENT, by=coordinator)
    return commune, agent


def log(
    commune, agent, programme, day, half_days=2, today=date(2026, 4, 1), service="crisis-continuity"
):
    return services.log_days(
        commune=commune,
        programme=programme,
        worked_on=day,
        half_days=half_days,
        service_code=service,
        description="Atelier continuité",
        by=agent,
        today=today,
    )


@pytest.mark.django_db
def test_summary_counts_given_and_validated_and_warns_when_behind(
    escalquens, programme, coordinator
):
    commune, agent = escalquens
    entries = [log(commune, agent, programme, date(2025, 10, d)) for d in (6, 7, 8)]
    for entry in entries[:2]:
        services.review_day_entry(entry=entry, validate=True, by=coordinator)
    summary = services.days_summary(commune=commune, programme=programme, today=date(2026, 4, 1))
    assert (summary.period.start, summary.period.end) == (date(2025, 9, 1), date(2026, 8, 31))
    assert (summary.owed, summary.given, summary.validated) == (
        Decimal("24.0"),
        Decimal("3"),
        Decimal("2"),
    )
    assert summary.expected_by_now == Decimal("14.0")  # 24 × 213 / 365
    assert summary.past_mid_year and summary.behind
    early = services.days_summary(commune=commune, programme=programme, today=date(2025, 12, 1))
    assert not early.past_mid_year and not early.behind


@pytest.mark.django_db
def test_a_short_last_year_owes_prorated_days(escalquens, programme):
    commune, _ = escalquens
    summary = services.days_summary(commune=commune, programme=programme, today=date(2026, 10, 1))
    assert summary.period.days_served == 303
    assert summary.owed == Decimal("20.0")  # 24 × 303 / 365 = 19.92, to the half day


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"day": date(2026, 4, 2)}, "temps à venir"),
        ({"day": date(2026, 3, 2), "half_days": 3}, "une ou deux demi-journées"),
        ({"day": date(2025, 8, 1)}, "pas d'adhésion en cours"),
        ({"day": date(2026, 3, 2), "service": "diagnostic"}, "n'est pas de cette offre"),
    ],
)
def test_bad_time_is_refused_naming_commune_and_date(escalquens, programme, kwargs, message):
    commune, agent = escalquens
    with pytest.raises(services.ContributionError) as error:
        log(commune, agent, programme, **kwargs)
    assert message in str(error.value) and "Escalquens" in str(error.value)
    assert not DayEntry.objects.filter(commune=commune).exists()


@pytest.mark.django_db
def test_no_more_than_two_half_days_a_day(escalquens, programme):
    commune, agent = escalquens
    log(commune, agent, programme, date(2026, 3, 2), half_days=1)
    log(commune, agent, programme, date(2026, 3, 2), half_days=1)
    with pytest.raises(services.ContributionError, match="déjà déclaré 2"):
        log(commune, agent, programme, date(2026, 3, 2), half_days=1)


@pytest.mark.django_db
def test_refusing_needs_a_reason_and_a_decision_is_taken_once(escalquens, programme, coordinator):
    commune, agent = escalquens
    entry = log(commune, agent, programme, date(2026, 3, 2))
    with pytest.raises(services.ContributionError, match="pourquoi"):
        services.review_day_entry(entry=entry, validate=False, by=coordinator)
    services.review_day_entry(entry=entry, validate=False, note="Hors périmètre", by=coordinator)
    entry.refresh_from_db()
    assert (entry.status, entry.reviewed_by, entry.review_note) == (
        "rejected",
        coordinator,
        "Hors périmètre",
    )
    assert AuditEvent.objects.filter(action="contributions.days_rejected").exists()
    with pytest.raises(services.ContributionError, match="déjà été examiné"):
        services.review_day_entry(entry=entry, validate=True, by=coordinator)


@pytest.mark.django_db
def test_labege_it_agent_logs_time_on_the_page_and_a_coordinator_validates_it(
    client, labege_it, coordinator
):
    client.force_login(labege_it)
    page = client.get("/contributions/communes/31254/jours/")
    assert page.status_code == 200 and page.context["form"] is not None
    assert page.context["summary"] is not None
    response = client.post(
        "/contributions/communes/31254/jours/",
        {
            "worked_on": page.context["summary"].period.start.isoformat(),
            "half_days": "1",
            "service_code": "experience-sharing",
            "description": "Retour sur la sauvegarde externalisée",
        },
    )
    assert response.status_code == 302
    entry = DayEntry.objects.get(description="Retour sur la sauvegarde externalisée")
    assert entry.logged_by == labege_it and entry.status == "submitted"

    client.force_login(coordinator)
    assert entry.description in client.get("/contributions/jours/a-valider/").content.decode()
    client.post("/contributions/jours/a-valider/", {"entry": entry.pk, "decision": "validate"})
    entry.refresh_from_db()
    assert entry.status == "validated" and entry.reviewed_by == coordinator


@pytest.mark.django_db
def test_only_the_communes_it_agents_log_time(client, labege_manager, odars_manager, odars_agent):
    client.force_login(labege_manager)
    page = client.get("/contributions/communes/31254/jours/")
    assert page.status_code == 200 and page.context["form"] is None
    form = {"worked_on": "2026-01-05", "half_days": "1", "service_code": "x", "description": "y"}
    assert client.post("/contributions/communes/31254/jours/", form).status_code == 404
    for user in (odars_manager, odars_agent):
        client.force_login(user)
        response = client.get("/contributions/communes/31254/jours/")
        assert response.status_code in {403, 404}
        assert "Labège" not in response.content.decode()


@pytest.mark.django_db
def test_the_demo_has_days_logged_by_labege_it(labege, labege_it):
    assert DayEntry.objects.filter(commune=labege, logged_by=labege_it).exists()
