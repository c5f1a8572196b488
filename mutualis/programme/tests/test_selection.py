"""Several programmes side by side: each page infers its programme, nothing reads a global."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from mutualis.core.models import AuditEvent
from mutualis.programme.models import Programme, Status
from mutualis.programme.selection import SESSION_KEY, visible_programmes
from mutualis.programme.services import open_programme, shipped_programme
from mutualis.programme.tests.second_programme import load_second_programme

pytestmark = pytest.mark.django_db


def test_the_shipped_programme_is_opened_with_its_dates_and_territory(programme):
    assert (programme.start, programme.end) == (date(2024, 7, 1), date(2027, 6, 30))
    assert list(programme.epcis.values_list("siren", flat=True)) == ["243100633"]
    assert programme.status(date(2024, 6, 30)) == Status.OPEN
    assert programme.status(date(2025, 1, 1)) == Status.RUNNING
    assert programme.status(date(2027, 7, 1)) == Status.ENDED


def test_a_loaded_programme_is_a_draft_until_a_coordinator_opens_it(coordinator):
    from mutualis.programme.services import load_programme
    from mutualis.programme.tests.second_programme import SECOND_FILE

    programme = load_programme(text=SECOND_FILE.read_text(), source="x").version.programme
    assert programme.status(date(2026, 1, 1)) == Status.DRAFT
    open_programme(programme=programme, by=coordinator)
    assert programme.status(date(2024, 12, 31)) == Status.OPEN
    assert programme.status(date(2026, 1, 1)) == Status.RUNNING
    assert AuditEvent.objects.filter(
        action="programme.opened", object_id=str(programme.pk)
    ).exists()


def test_loading_a_second_programme_does_not_switch_the_instance(
    client, coordinator, odars_manager
):
    load_second_programme()
    for user in (coordinator, odars_manager):
        client.force_login(user)
        page = client.get(reverse("dashboards:members"))
        assert page.context["programme"] == shipped_programme()
        assert "Odars" in page.content.decode()


def test_the_second_territory_coordinator_gets_their_programme_and_not_the_sicoval(client):
    second, bellevue = load_second_programme()
    client.force_login(bellevue)
    page = client.get(reverse("programme:detail"))
    assert page.context["programme"] == second
    assert list(visible_programmes(bellevue)) == [second]
    assert client.get(reverse("programme:detail"), {"programme": "sicoval-2024"}).status_code == 404


def test_a_programme_named_in_the_query_is_remembered_in_the_session(client, observer):
    second, _ = load_second_programme()
    client.force_login(observer)  # staff assigned to the Sicoval only
    assert client.get(reverse("programme:detail"), {"programme": second.slug}).status_code == 404
    observer.programme_assignments.all().delete()  # an operator-wide observer sees both
    client.get(reverse("programme:detail"), {"programme": second.slug})
    assert client.session[SESSION_KEY] == second.pk
    assert client.get(reverse("programme:detail")).context["programme"] == second


def test_the_header_selector_shows_only_to_people_who_see_several(client, coordinator):
    load_second_programme()
    client.force_login(coordinator)
    assert b'id="programme-switch"' not in client.get(reverse("programme:detail")).content
    coordinator.programme_assignments.all().delete()
    page = client.get(reverse("programme:detail"))
    assert b'id="programme-switch"' in page.content
    response = client.post(
        reverse("programme:select"), {"programme": "coteaux-bellevue-2025", "next": "/programme/"}
    )
    assert response.status_code == 302
    assert client.get(reverse("programme:detail")).context["programme"].slug == (
        "coteaux-bellevue-2025"
    )


def test_a_command_needs_programme_when_several_are_loaded_and_lists_them():
    load_second_programme()
    with pytest.raises(CommandError) as error:
        call_command("contribution_schedule", insee="31402", start="2025-01-01")
    assert "coteaux-bellevue-2025, sicoval-2024" in str(error.value)
    with pytest.raises(CommandError, match="inconnu"):
        call_command("contribution_schedule", insee="31402", start="2025-01-01", programme="x")


def test_the_running_programme_of_a_commune_is_its_territorys(odars):
    second, _ = load_second_programme()
    assert Programme.objects.for_commune(odars, date(2025, 3, 1)) == shipped_programme()
    pechbonnieu = second.epcis.get().communes.get(name="Pechbonnieu")
    assert Programme.objects.for_commune(pechbonnieu, date(2025, 3, 1)) == second
