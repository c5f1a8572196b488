"""Needs collection campaigns: exact aggregation, deadline, closing, exports equal to the page,
isolation between communes, query counts."""

import csv
import io
import re
import threading
import time
from datetime import timedelta
from html import unescape

import pytest
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from mutualis.programme.services import shipped_programme
from mutualis.purchasing import services
from mutualis.purchasing.aggregate import campaign_table
from mutualis.purchasing.models import Campaign, CampaignAnswer
from mutualis.territory.models import Commune

pytestmark = pytest.mark.django_db

ITEMS = [
    {"label": "Poste fixe", "unit": "poste", "constraints": "16 Go"},
    {"label": "Écran", "unit": "écran", "constraints": ""},
]


@pytest.fixture
def campaign(coordinator):
    return services.open_campaign(
        programme=shipped_programme(),
        title="Sauvegarde 2026",
        description="",
        deadline=timezone.localdate() + timedelta(days=10),
        items=ITEMS,
        by=coordinator,
    )


def _answer(campaign, commune, quantities, by=None, now=None):
    items = list(campaign.items.all())
    return services.answer_campaign(
        campaign=campaign,
        commune=commune,
        lines=[services.LineInput(i.pk, q) for i, q in zip(items, quantities, strict=True)],
        comment="",
        by=by,
        now=now,
    )


def test_three_communes_answering_give_exact_aggregated_quantities(campaign, odars, labege):
    third = Commune.objects.get(insee_code="31036")
    _answer(campaign, odars, [2, 3])
    _answer(campaign, labege, [12, 18])
    _answer(campaign, third, [3, 0])
    table = campaign_table(campaign)
    assert table.totals == [17, 21]
    assert [r.communes for r in table.by_item] == [3, 2]
    assert {r.name: r.quantities for r in table.by_commune} == {
        "Odars": [2, 3],
        "Labège": [12, 18],
        third.name: [3, 0],
    }


def test_an_answer_is_updated_not_duplicated(campaign, odars, odars_manager):
    _answer(campaign, odars, [2, 3], by=odars_manager)
    _answer(campaign, odars, [5, 1], by=odars_manager)
    assert CampaignAnswer.objects.filter(campaign=campaign, commune=odars).count() == 1
    assert campaign_table(campaign).totals == [5, 1]


def test_an_answer_after_the_deadline_is_refused_with_the_deadline_in_the_message(campaign, odars):
    too_late = campaign.closes_at() + timedelta(seconds=1)
    with pytest.raises(services.Refused) as refused:
        _answer(campaign, odars, [1, 1], now=too_late)
    assert "Sauvegarde 2026" in str(refused.value)
    assert "23 h 59" in str(refused.value)
    assert str(campaign.deadline.year) in str(refused.value)
    assert not CampaignAnswer.objects.filter(campaign=campaign).exists()
    # one second before the deadline is still on time
    _answer(campaign, odars, [1, 1], now=campaign.closes_at())


def test_the_page_refuses_a_late_answer_and_says_so(client, odars_manager, odars, coordinator):
    campaign = services.open_campaign(
        programme=shipped_programme(),
        title="Écrans",
        description="",
        deadline=timezone.localdate(),
        items=ITEMS,
        by=coordinator,
    )
    Campaign.objects.filter(pk=campaign.pk).update(
        deadline=timezone.localdate() - timedelta(days=1)
    )
    client.force_login(odars_manager)
    url = f"/achats/campagnes/{campaign.pk}/communes/31402/"
    items = list(campaign.items.all())
    response = client.post(
        url, {f"q_{items[0].pk}": "4", f"q_{items[1].pk}": "1", "comment": ""}, follow=True
    )
    content = response.content.decode()
    assert "n&#x27;accepte plus de réponse" in content or "n'accepte plus de réponse" in content
    assert "votre réponse n" in content
    assert not CampaignAnswer.objects.filter(campaign=campaign).exists()


def test_a_closed_campaign_refuses_answers(campaign, odars, coordinator):
    services.close_campaign(campaign=campaign, by=coordinator)
    with pytest.raises(services.Refused, match="clôturée"):
        _answer(campaign, odars, [1, 1])


def test_a_manager_answers_through_the_page(client, campaign, odars_manager):
    client.force_login(odars_manager)
    items = list(campaign.items.all())
    response = client.post(
        f"/achats/campagnes/{campaign.pk}/communes/31402/",
        {f"q_{items[0].pk}": "4", f"q_{items[1].pk}": "2", "comment": "Avant l'été"},
    )
    assert response.status_code == 302
    assert campaign_table(campaign).totals == [4, 2]


def test_an_agent_cannot_answer_for_the_commune(client, campaign, odars_agent):
    client.force_login(odars_agent)
    items = list(campaign.items.all())
    response = client.post(
        f"/achats/campagnes/{campaign.pk}/communes/31402/",
        {f"q_{items[0].pk}": "4", f"q_{items[1].pk}": "2"},
    )
    assert response.status_code == 403
    assert not CampaignAnswer.objects.filter(campaign=campaign).exists()


def test_a_negative_quantity_is_refused_by_the_form(client, campaign, odars_manager):
    client.force_login(odars_manager)
    items = list(campaign.items.all())
    response = client.post(
        f"/achats/campagnes/{campaign.pk}/communes/31402/",
        {f"q_{items[0].pk}": "-4", f"q_{items[1].pk}": "2"},
    )
    assert response.status_code == 200
    assert not CampaignAnswer.objects.filter(campaign=campaign).exists()


def test_labege_never_sees_odars_answer(client, campaign, odars, labege_manager):
    _answer(campaign, odars, [7, 7])
    client.force_login(labege_manager)
    response = client.get(f"/achats/campagnes/{campaign.pk}/communes/31402/")
    assert response.status_code == 404
    assert client.get(f"/achats/campagnes/{campaign.pk}/").status_code == 302  # to its own
    assert client.get(f"/achats/campagnes/{campaign.pk}/export.csv").status_code == 403
    assert client.get(f"/achats/campagnes/{campaign.pk}/export.xlsx").status_code == 403
    api = client.get(f"/api/purchasing/campaigns/{campaign.pk}/answers/31402")
    assert api.status_code == 404 and "Odars" not in api.content.decode()
    assert client.get(f"/api/purchasing/campaigns/{campaign.pk}/summary").status_code == 403


def _html_table(content: str, table_id: str) -> list[list[str]]:
    body = re.search(rf'<table id="{table_id}">(.*?)</table>', content, re.S).group(1)
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells])
    return rows


def test_the_exports_match_the_page(client, campaign, odars, labege, coordinator):
    _answer(campaign, odars, [2, 3])
    _answer(campaign, labege, [12, 18])
    client.force_login(coordinator)
    page = client.get(f"/achats/campagnes/{campaign.pk}/").content.decode()
    shown = _html_table(page, "by-commune")
    exported = client.get(f"/achats/campagnes/{campaign.pk}/export.csv").content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(exported), delimiter=";")) == shown
    assert shown[-1] == ["Total", "", "14", "21"]
    workbook = load_workbook(
        io.BytesIO(client.get(f"/achats/campagnes/{campaign.pk}/export.xlsx").content)
    )
    sheet = [
        ["" if v is None else str(v) for v in row]
        for row in workbook["Par commune"].iter_rows(values_only=True)
    ]
    assert sheet == shown
    items = [
        ["" if v is None else str(v) for v in row]
        for row in workbook["Par article"].iter_rows(values_only=True)
    ]
    assert items == _html_table(page, "by-item")


def test_the_api_summary_is_the_page_table(client, campaign, odars, coordinator):
    _answer(campaign, odars, [2, 3])
    client.force_login(coordinator)
    summary = client.get(f"/api/purchasing/campaigns/{campaign.pk}/summary").json()
    assert summary["by_commune"] == [["Odars", "31402", 2, 3], ["Total", "", 2, 3]]


def test_a_manager_answers_through_the_api_and_is_refused_after_closing(
    client, campaign, odars_manager, coordinator
):
    client.force_login(odars_manager)
    items = list(campaign.items.all())
    url = f"/api/purchasing/campaigns/{campaign.pk}/answers/31402"
    payload = {"lines": [{"item_id": items[0].pk, "quantity": 9}], "comment": ""}
    response = client.put(url, payload, content_type="application/json")
    assert response.status_code == 200 and response.json()["quantities"] == {str(items[0].pk): 9}
    services.close_campaign(campaign=campaign, by=coordinator)
    response = client.put(url, payload, content_type="application/json")
    assert response.status_code == 409 and "clôturée" in response.json()["detail"]


def test_campaign_list_query_count_does_not_grow(client, coordinator, odars_manager):
    def count(user):
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/achats/campagnes/").status_code == 200
        return len(queries)

    before = (count(coordinator), count(odars_manager))
    for n in range(5):
        services.open_campaign(
            programme=shipped_programme(),
            title=f"Campagne {n}",
            description="",
            deadline=timezone.localdate() + timedelta(days=3),
            items=ITEMS,
            by=coordinator,
        )
    assert (count(coordinator), count(odars_manager)) == before


def test_campaign_page_query_count_does_not_grow_with_answers(client, campaign, coordinator):
    communes = list(Commune.objects.filter(insee_code__in=["31402", "31254", "31036"]))
    _answer(campaign, communes[0], [1, 2])
    client.force_login(coordinator)
    with CaptureQueriesContext(connection) as first:
        client.get(f"/achats/campagnes/{campaign.pk}/")
    for commune in communes[1:]:
        _answer(campaign, commune, [1, 2])
    with CaptureQueriesContext(connection) as second:
        client.get(f"/achats/campagnes/{campaign.pk}/")
    assert len(second) == len(first)


@pytest.mark.django_db(transaction=True)
def test_concurrent_answers_leave_one_answer_per_commune(committed_demo):
    from mutualis.accounts.models import User

    coordinator = User.objects.get(username="coordinator")
    odars = Commune.objects.get(insee_code="31402")
    campaign = services.open_campaign(
        programme=shipped_programme(),
        title="Concurrence",
        description="",
        deadline=timezone.localdate() + timedelta(days=2),
        items=ITEMS,
        by=coordinator,
    )
    errors = []

    def answer(quantity):
        # The test database of SQLite is in memory with a shared cache, where a writer blocked by
        # another gets "table is locked" at once instead of waiting (a file database waits, busy
        # timeout): retry that case only. On PostgreSQL (.ci/run) the row lock does the waiting.
        try:
            for _attempt in range(200):
                try:
                    _answer(campaign, odars, [quantity, quantity])
                    return
                except OperationalError as error:
                    if "locked" not in str(error):
                        raise
                    time.sleep(0.01)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=answer, args=(q,)) for q in (1, 2, 3, 4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert CampaignAnswer.objects.filter(campaign=campaign, commune=odars).count() == 1
    assert campaign_table(campaign).totals[0] in {1, 2, 3, 4}


def test_campaign_exports_write_typed_text_as_text_never_as_formulas(client, coordinator):
    campaign = services.open_campaign(
        programme=shipped_programme(),
        title="Postes",
        description="",
        deadline=timezone.localdate() + timedelta(days=10),
        items=[{"label": "=HYPERLINK(1)", "unit": "@u", "constraints": "-2+3"}],
        by=coordinator,
    )
    client.force_login(coordinator)
    exported = client.get(f"/achats/campagnes/{campaign.pk}/export.csv").content.decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(exported), delimiter=";"))[2] == "'=HYPERLINK(1) (@u)"
    workbook = load_workbook(
        io.BytesIO(client.get(f"/achats/campagnes/{campaign.pk}/export.xlsx").content)
    )
    item = workbook["Par article"]["A2"], workbook["Par article"]["C2"]
    assert [(c.value, c.data_type) for c in item] == [("'=HYPERLINK(1)", "s"), ("'-2+3", "s")]
