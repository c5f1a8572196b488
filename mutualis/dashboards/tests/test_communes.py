import re
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mutualis.membership.enums import OPEN
from mutualis.membership.models import Membership
from mutualis.territory.models import Commune, Population, territory_changed

# Session, user, devices, the programmes the person may see, the programme's version, the count,
# the rows, the page's memberships, three « À suivre » counts, the user's roles: the same with 36
# communes as with France (one more than when a single programme was read with its version).
QUERY_BOUND = 12


class _TableRows(HTMLParser):
    """The text of each cell of each row of the page's table body."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.in_body = False

    def handle_starttag(self, tag, attrs):
        if tag == "tbody":
            self.in_body = True
        elif self.in_body and tag == "tr":
            self.rows.append([])
        elif self.in_body and tag == "td":
            self.rows[-1].append("")

    def handle_endtag(self, tag):
        if tag == "tbody":
            self.in_body = False

    def handle_data(self, data):
        if self.in_body and self.rows and self.rows[-1]:
            self.rows[-1][-1] += data


def _rows(response) -> list[dict]:
    """The dashboard's rows as a reader sees them: commune, code, population, DSI, offer, state."""
    parser = _TableRows()
    parser.feed(response.content.decode())
    keys = ("name", "insee_code", "population", "dsi", "offer", "status")
    rows = [dict(zip(keys, (cell.strip() for cell in cells), strict=True)) for cells in parser.rows]
    for row in rows:
        row["offer"] = None if row["offer"] == "—" else row["offer"]
        row["status"] = None if row["status"] == "aucune adhésion" else row["status"]
    return rows


def _count(response) -> int:
    """The number of communes the page says the filters keep (« 36 communes »)."""
    match = re.search(r'<p role="status">([\d\s\u202f]+) communes?</p>', response.content.decode())
    return int(re.sub(r"\D", "", match.group(1)))


def _queries(client, url):
    """The queries of one view, and its response."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.django_db
def test_dashboard_lists_the_36_sicoval_communes_with_population(client, coordinator):
    client.force_login(coordinator)
    response = client.get("/tableau-de-bord/?sort=-population")
    assert _count(response) == 36
    first = _rows(response)[0]
    assert first["name"] == "Castanet-Tolosan"
    assert first["population"].split("(")[0].replace("\u202f", "").replace(" ", "") == "15500"
    html = response.content.decode()
    assert "15\u202f500" in html or "15 500" in html or "15500" in html


@pytest.mark.django_db
def test_dashboard_search_and_filters(client, coordinator):
    client.force_login(coordinator)
    rows = _rows(client.get("/tableau-de-bord/?q=odars"))
    assert [r["name"] for r in rows] == ["Odars"]
    assert rows[0]["offer"] == "Socle de base"
    with_dsi = _rows(client.get("/tableau-de-bord/?dsi=yes"))
    assert sorted(r["name"] for r in with_dsi) == [
        "Castanet-Tolosan",
        "Escalquens",
        "Labège",
        "Ramonville-Saint-Agne",
    ]
    base = _count(client.get("/tableau-de-bord/?offer=base"))
    assert base == Membership.objects.filter(offer_code="base").count()


@pytest.mark.django_db
def test_a_write_to_any_table_the_dashboard_reads_shows_at_once(client, coordinator):
    """The table's HTML is kept (communes.html), and forgotten by every write of what it shows: a
    membership saved (as every service does), a commune saved, the territory import."""
    client.force_login(coordinator)
    odars = Commune.objects.get(insee_code="31402")
    url = "/tableau-de-bord/?q=odars"
    assert _rows(client.get(url))[0]["status"] is not None
    with CaptureQueriesContext(connection) as ctx:
        kept = client.get(url)
    assert not [q for q in ctx.captured_queries if "territory_commune" in q["sql"]]
    assert _rows(kept)[0]["name"] == "Odars"
    for membership in Membership.objects.filter(commune=odars):
        membership.status = "withdrawn"
        membership.save()
    assert _rows(client.get(url))[0]["status"] is None
    odars.name = "Odars-le-Neuf"
    odars.save()
    assert _rows(client.get(url))[0]["name"] == "Odars-le-Neuf"
    Commune.objects.filter(pk=odars.pk).update(population_total=1234)
    territory_changed()  # what the import does after its bulk writes
    assert _rows(client.get(url))[0]["population"].startswith("1\u202f234")


@pytest.mark.django_db
def test_dashboard_queries_do_not_grow_with_the_number_of_communes(client, coordinator):
    client.force_login(coordinator)
    url = "/tableau-de-bord/?scope=france&sort=-population"
    # The page as when nothing is kept in the cache (counts, menu): its most queries.
    cache.clear()
    before, _ = _queries(client, url)
    sicoval = Commune.objects.get(insee_code="31402").epci
    extra = Commune.objects.bulk_create(
        Commune(
            insee_code=f"9{i:04d}",
            name=f"Commune {i}",
            epci=sicoval,
            population_total=20000 + i,
            population_vintage=2026,
        )
        for i in range(3000)
    )
    Population.objects.bulk_create(
        Population(commune=c, vintage=2026, total=c.population_total, source="epci") for c in extra
    )
    programme = Membership.objects.first().programme
    Membership.objects.bulk_create(
        Membership(programme=programme, commune=c, offer_code="base", status="joined")
        for c in extra[:500]
    )
    cache.clear()
    after, response = _queries(client, url)
    assert _count(response) == 3036
    assert after == before
    assert after <= QUERY_BOUND


@pytest.mark.django_db
def test_commune_manager_sees_own_commune_only(client, odars_manager):
    client.force_login(odars_manager)
    assert client.get("/ma-commune/")["Location"] == "/communes/31402/"
    assert client.get("/communes/31402/").status_code == 200
    response = client.get("/communes/31254/")
    assert response.status_code == 404
    assert b"Lab\xc3\xa8ge" not in response.content
    assert client.get("/tableau-de-bord/").status_code == 403


@pytest.mark.django_db
def test_members_list_is_shared_with_every_signed_in_user(client, labege_manager):
    client.force_login(labege_manager)
    rows = client.get("/communes-membres/").context["rows"]
    assert {
        "name": "Odars",
        "offer": "Socle de base",
        "status": "Adhérente (socle de base)",
    } in rows


@pytest.mark.django_db
def test_coordinator_edits_commune_attributes_and_participation_with_audit(client, coordinator):
    from mutualis.core.models import AuditEvent
    from mutualis.programme.models import Participation

    client.force_login(coordinator)
    response = client.post(
        "/communes/31227/modifier/",
        {
            "attr-has_it_department": "",
            "attr-council_seats": "15",
            "attr-town_hall_address": "Place de la mairie\n31120 Goyrans",
            "attr-mayor_name": "Jeanne Test",
            "part-co_construction": "on",
            "part-commitment_letter_date": "2024-03-01",
        },
    )
    assert response.status_code == 302
    goyrans = Commune.objects.get(insee_code="31227")
    assert goyrans.mayor_name == "Jeanne Test"
    participation = Participation.objects.get(commune=goyrans)
    assert (
        participation.co_construction
        and participation.commitment_letter_date.isoformat() == "2024-03-01"
    )
    actions = set(AuditEvent.objects.for_commune("31227").values_list("action", flat=True))
    assert {"commune.attributes_changed", "programme.participation_changed"} <= actions


@pytest.mark.django_db
def test_commune_manager_cannot_edit_commune(client, odars_manager):
    client.force_login(odars_manager)
    assert client.post("/communes/31402/modifier/", {}).status_code == 403


@pytest.mark.django_db
def test_dashboard_reads_indexes_never_every_commune_of_france(client, coordinator):
    # With the whole of France loaded, counting by a scan of every commune row and finding a
    # page's memberships through the programme's index cost 5 of the dashboard's 17 ms
    # (bench/run.py, "coordinator dashboard"). The plans must stay on the indexes.
    if connection.vendor != "sqlite":
        pytest.skip("query plans are read with SQLite's EXPLAIN QUERY PLAN")
    client.force_login(coordinator)
    for sort in ("name", "-name", "insee", "-insee", "population", "-population"):
        territory_changed()  # when the kept count expires, it is counted on an index
        with CaptureQueriesContext(connection) as ctx:
            url = f"/tableau-de-bord/?scope=france&sort={sort}&page=2"
            assert client.get(url).status_code == 200
        plans, row_plans = [], []
        for query in ctx.captured_queries:
            sql = query["sql"]
            if sql.startswith("SELECT") and ("territory_commune" in sql or "membership_m" in sql):
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN QUERY PLAN " + sql)
                    found = [row[3] for row in cursor.fetchall()]
                plans += found
                if sql.startswith('SELECT "territory_commune"."id" AS "id"'):
                    row_plans += found
        assert not [p for p in plans if p.startswith("SCAN territory_commune")], (sort, plans)
        # Each sort pages through its own index: no sort of every commune of France per view.
        assert row_plans and not [p for p in row_plans if "TEMP B-TREE" in p], (sort, row_plans)
        assert [p for p in plans if "COVERING INDEX commune_active_" in p], (sort, plans)
        assert [p for p in plans if "INDEX membership_commune_prog" in p], (sort, plans)


@pytest.mark.django_db
def test_dashboard_rows_escape_every_value(client, coordinator):
    odars = Commune.objects.get(insee_code="31402")
    odars.name = '<script>alert("x")</script> & Cie'
    odars.save(update_fields=["name"])
    client.force_login(coordinator)
    html = client.get("/tableau-de-bord/?q=31402").content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Cie" in html
    assert 'href="/communes/31402/"' in html


@pytest.mark.django_db
def test_dashboard_pages_keep_the_filters(client, coordinator):
    Commune.objects.bulk_create(
        Commune(insee_code=f"99{n:03d}", name=f"Commune d'essai {n}") for n in range(120)
    )
    client.force_login(coordinator)
    html = client.get("/tableau-de-bord/?scope=france&page=2").content.decode()
    assert 'href="?scope=france&amp;page=1"' in html
    assert 'href="?scope=france&amp;page=3"' in html
    first = client.get("/tableau-de-bord/?scope=france").content.decode()
    assert 'href="?scope=france&amp;page=2"' in first and "page=0" not in first


@pytest.mark.django_db
def test_dashboard_counts_active_communes_only(client, coordinator):
    # Unfiltered, France's active communes are counted as all communes less the inactive ones.
    Commune.objects.bulk_create(
        Commune(insee_code=f"98{n:03d}", name=f"Ancienne commune {n}", is_active=False)
        for n in range(3)
    )
    client.force_login(coordinator)
    active = Commune.objects.active().count()
    response = client.get("/tableau-de-bord/?scope=france")
    assert _count(response) == active
    assert f"{active} communes" in response.content.decode()
    assert _rows(client.get("/tableau-de-bord/?scope=france&q=ancienne")) == []
    dsi = _count(client.get("/tableau-de-bord/?scope=france&dsi=no"))
    assert dsi == Commune.objects.active().filter(has_it_department=False).count()


@pytest.mark.django_db
def test_the_count_of_france_is_kept_and_follows_a_saved_commune(client, coordinator):
    """Unfiltered, the count of France's communes comes from the cache (one query less); a
    commune saved (created, merged) is counted at the next view."""
    client.force_login(coordinator)
    url = "/tableau-de-bord/?scope=france"
    count = 'SELECT COUNT(*) AS "__count" FROM "territory_commune"'
    for expected in (1, 0):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert len([q for q in ctx.captured_queries if q["sql"].startswith(count)]) == expected
    active = _count(response)
    merged = Commune.objects.get(insee_code="31402")
    merged.is_active = False
    merged.save()
    assert _count(client.get(url)) == active - 1
    Commune.objects.create(insee_code="31999", name="Commune nouvelle", epci=merged.epci)
    assert _count(client.get(url)) == active


@pytest.mark.django_db
def test_dashboard_rows_show_each_communes_most_advanced_open_membership(client, coordinator):
    odars = Commune.objects.get(insee_code="31402")
    programme = Membership.objects.get(commune=odars).programme
    Membership.objects.create(
        programme=programme, commune=odars, offer_code="advanced-with-it", status="withdrawn"
    )
    client.force_login(coordinator)
    rows = _rows(client.get("/tableau-de-bord/?q=31402"))
    assert (rows[0]["offer"], rows[0]["status"]) == ("Socle de base", "Adhérente (socle de base)")
    Membership.objects.create(
        programme=programme, commune=odars, offer_code="advanced-without-it", status="applied"
    )
    rows = _rows(client.get("/tableau-de-bord/?q=31402"))
    assert rows[0]["status"] == "Candidature déposée"
    # A full page and the next one: every commune of each page gets its own membership.
    for page in ("1", "2"):
        rows = _rows(client.get(f"/tableau-de-bord/?scope=france&page={page}"))
        assert rows
        expected = Membership.objects.filter(
            commune__insee_code__in=[r["insee_code"] for r in rows], status__in=OPEN
        ).values_list("commune__insee_code", flat=True)
        assert {r["insee_code"] for r in rows if r["status"]} == set(expected)
