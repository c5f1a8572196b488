"""A commune's audit trail: its last entries on the commune page, the whole of it on its own page,
for coordinators and the commune's managers only."""

import pytest

from mutualis.core import audit
from mutualis.core.models import AuditEvent
from mutualis.territory.models import Commune

ODARS = "31402"


def _add_events(count: int, by) -> None:
    odars = Commune.objects.get(insee_code=ODARS)
    for n in range(count):
        audit.record(
            action="test.event",
            obj=odars,
            by=by,
            summary=f"Essai numéro {n}",
            commune_insee=ODARS,
            reason="essai",
        )


@pytest.mark.django_db
def test_the_commune_page_shows_the_recent_entries_and_links_to_the_rest(client, coordinator):
    _add_events(12, coordinator)
    client.force_login(coordinator)
    response = client.get(f"/communes/{ODARS}/")
    trail = response.context["recent_history"]()
    assert len(trail.events) == 10
    assert trail.more is True
    html = response.content.decode()
    assert "Essai numéro 11" in html  # newest first
    assert f"/communes/{ODARS}/historique/" in html


@pytest.mark.django_db
def test_the_recent_history_is_kept_until_an_entry_is_recorded(client, coordinator):
    """The page keeps the recent history's HTML (Django's cache): not read again on the next
    view, and an entry recorded for the commune shows at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _add_events(2, coordinator)
    client.force_login(coordinator)
    assert "Essai numéro 1" in client.get(f"/communes/{ODARS}/").content.decode()
    with CaptureQueriesContext(connection) as queries:
        html = client.get(f"/communes/{ODARS}/").content.decode()
    assert "Essai numéro 1" in html
    assert not [q for q in queries if 'FROM "core_auditevent"' in q["sql"]]
    audit.record(
        action="test.event",
        obj=Commune.objects.get(insee_code=ODARS),
        by=coordinator,
        summary="Une entrée de plus",
        commune_insee=ODARS,
    )
    assert "Une entrée de plus" in client.get(f"/communes/{ODARS}/").content.decode()


@pytest.mark.django_db
def test_the_history_page_pages_through_every_entry(client, odars_manager, coordinator):
    _add_events(55, coordinator)
    total = AuditEvent.objects.for_commune(ODARS).count()
    client.force_login(odars_manager)
    first = client.get(f"/communes/{ODARS}/historique/")
    assert first.status_code == 200
    assert first.context["page"].paginator.count == total
    assert len(first.context["page"].object_list) == 50
    assert "Essai numéro 54" in first.content.decode()
    assert 'href="?page=2"' in first.content.decode()  # the shared pagination links
    last = client.get(f"/communes/{ODARS}/historique/?page=99")  # past the end: the last page
    assert last.context["page"].number == first.context["page"].paginator.num_pages


@pytest.mark.django_db
@pytest.mark.parametrize("user", ["odars_agent", "labege_manager", "observer"])
def test_only_coordinators_and_the_communes_managers_read_its_history(client, request, user):
    client.force_login(request.getfixturevalue(user))
    assert client.get(f"/communes/{ODARS}/historique/").status_code == 404
    page = client.get(f"/communes/{ODARS}/")
    if page.status_code == 200:
        assert page.context["can_manage"] is False
        assert "Historique récent" not in page.content.decode()


@pytest.mark.django_db
def test_history_rows_are_escaped_as_the_template_escaped_them(client, coordinator):
    audit.record(
        action="test.event",
        obj=Commune.objects.get(insee_code=ODARS),
        by=None,
        summary="<b>résumé</b> & co",
        commune_insee=ODARS,
        reason='"motif"',
    )
    client.force_login(coordinator)
    html = client.get(f"/communes/{ODARS}/historique/").content.decode()
    assert "<td>—</td><td>&lt;b&gt;résumé&lt;/b&gt; &amp; co</td><td>&quot;motif&quot;</td>" in html
