"""The programme view: diagnostics done, maturity by commune, measures most often missing."""

import csv
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext

from mutualis.cyber.models import Diagnostic, PlanMeasure
from mutualis.cyber.services import complete_diagnostic, save_answers, start_diagnostic


def test_coordinator_sees_tables_and_charts(client, coordinator):
    client.force_login(coordinator)

    page = client.get("/cybersecurite/programme/").content.decode()

    assert page.count("<svg") == 3
    assert "Odars" in page and "Labège" in page
    assert "Les mesures le plus souvent manquantes" in page


def test_observer_and_referent_see_it_finance_does_not(client, observer, referent, finance):
    for user in (observer, referent):
        client.force_login(user)
        assert client.get("/cybersecurite/programme/").status_code == 200
    client.force_login(finance)
    assert client.get("/cybersecurite/programme/").status_code == 403


def test_csv_exports(client, coordinator, odars):
    client.force_login(coordinator)

    maturity = _rows(client.get("/cybersecurite/programme/maturite.csv"))
    missing = _rows(client.get("/cybersecurite/programme/mesures-manquantes.csv"))

    odars_row = next(r for r in maturity if r[0] == "31402")
    completed = Diagnostic.objects.completed().get(commune=odars)
    assert odars_row[3] == str(completed.overall).replace(".", ",")
    open_in_odars = PlanMeasure.objects.filter(diagnostic=completed).open().count()
    assert sum(1 for r in missing[1:] if int(r[2]) >= 1) >= open_in_odars
    counts = [int(r[2]) for r in missing[1:]]
    assert counts == sorted(counts, reverse=True)


def _rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_query_count_does_not_grow_with_diagnostics(client, coordinator, referent):
    from mutualis.territory.models import Commune

    client.force_login(coordinator)
    client.get("/cybersecurite/programme/")
    with CaptureQueriesContext(connection) as before:
        client.get("/cybersecurite/programme/")
    communes = list(Commune.objects.filter(insee_code__in=["31036", "31151", "31409"]))
    for commune in communes:
        diagnostic = start_diagnostic(commune=commune, by=referent, reason="test")
        ref = diagnostic.referential
        save_answers(diagnostic=diagnostic, answers=ref.worst_answers(), by=referent)
        complete_diagnostic(diagnostic=diagnostic, by=referent)
    with CaptureQueriesContext(connection) as after:
        page = client.get("/cybersecurite/programme/").content.decode()

    assert len(after) == len(before)
    assert len(after) <= 12
    assert all(commune.name in page for commune in communes)
