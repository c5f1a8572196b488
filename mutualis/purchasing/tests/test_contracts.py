"""Contracts: notice alerts in the commune's and the referent's views, the idempotent alert
command, isolation between communes."""

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mutualis.programme.services import shipped_programme
from mutualis.purchasing import services
from mutualis.purchasing.models import Contract, ContractAlert, Supplier
from mutualis.purchasing.terms import add_months

pytestmark = pytest.mark.django_db


def _contract(commune, *, deadline_in: int, subject="Maintenance des imprimantes", **extra):
    """A contract whose notice deadline is exactly `deadline_in` days away."""
    target = timezone.localdate() + timedelta(days=deadline_in)
    # Three months' notice where some end date gives exactly that deadline (not from a 31st
    # whose month-3 has no 31st), else no notice period and the end date itself.
    ends = [add_months(target, 3) + timedelta(days=k) for k in range(4)]
    end = next((e for e in ends if add_months(e, -3) == target), None)
    notice = 3 if end else 0
    end = end or target
    return Contract.objects.create(
        commune=commune,
        supplier=Supplier.objects.get(name="Garonne Bureautique"),
        subject=subject,
        start_date=add_months(end, -24),
        end_date=end,
        notice_months=notice,
        amount=Decimal("900.00"),
        **extra,
    )


def test_a_contract_whose_notice_deadline_is_in_30_days_is_in_both_alerts(
    client, odars, odars_manager, referent
):
    contract = _contract(odars, deadline_in=30, subject="Copieur de l'accueil")
    assert contract.term().notice_deadline == timezone.localdate() + timedelta(days=30)
    client.force_login(odars_manager)
    page = client.get("/achats/communes/31402/contrats/").content.decode()
    assert (
        "Copieur de l&#x27;accueil"
        in page.split('<h2 id="alerts-title">')[1].split("</section>")[0]
    )
    client.force_login(referent)
    page = client.get("/achats/contrats/").content.decode()
    assert (
        "Copieur de l&#x27;accueil"
        in page.split('<h2 id="alerts-title">')[1].split("</section>")[0]
    )


def test_a_contract_31_days_away_or_terminated_is_not_in_the_alerts(odars, referent):
    far = _contract(odars, deadline_in=31, subject="Loin")
    ended = _contract(odars, deadline_in=10, subject="Fini")
    services.terminate_contract(
        contract=ended, on=timezone.localdate(), by=referent, reason="Non reconduit"
    )
    alerts = [
        c
        for c, _term in services.contracts_in_alert(
            Contract.objects.all(), programme=shipped_programme()
        )
    ]
    assert far not in alerts and ended not in alerts


def test_the_alert_command_emails_managers_and_referent_once(odars, labege):
    before = ContractAlert.objects.count()
    call_command("contract_alerts", stdout=StringIO(), stderr=StringIO())
    sent = ContractAlert.objects.count() - before
    # the demo has two contracts near their notice deadline (Odars and Labège)
    assert sent == 2
    odars_mail = next(m for m in mail.outbox if "Maintenance du copieur" in m.subject)
    assert set(odars_mail.to) == {
        "odars-manager@demo.mutualis.localhost",
        "referent@demo.mutualis.localhost",
    }
    assert "Labège" not in odars_mail.body
    out = StringIO()
    call_command("contract_alerts", stdout=out, stderr=StringIO())
    assert "0 alerte" in out.getvalue()
    assert ContractAlert.objects.count() - before == 2
    assert len(mail.outbox) == 2


def test_labege_never_sees_odars_contracts(client, labege_manager, odars):
    contract = Contract.objects.filter(commune=odars).first()
    client.force_login(labege_manager)
    assert client.get("/achats/communes/31402/contrats/").status_code == 404
    response = client.get(f"/achats/contrats/{contract.pk}/")
    assert response.status_code == 404 and b"Odars" not in response.content
    listed = client.get("/api/purchasing/contracts").json()
    assert {c["insee_code"] for c in listed} == {"31254"}
    assert client.get("/api/purchasing/contracts?insee_code=31402").status_code == 404
    page = client.get("/achats/contrats/", follow=True).content.decode()
    assert "Maintenance du copieur" not in page


def test_a_manager_records_a_contract_and_an_agent_cannot(client, odars_manager, odars_agent):
    supplier = Supplier.objects.get(name="Pyrène Réseaux")
    data = {
        "subject": "Fibre de la mairie",
        "supplier": supplier.pk,
        "start_date": "2025-01-01",
        "end_date": "2027-12-31",
        "notice_months": 3,
        "amount": "600",
        "amount_basis": "yearly",
        "renewal": "tacit",
        "renewal_months": "",
    }
    client.force_login(odars_manager)
    response = client.post("/achats/communes/31402/contrats/", data)
    assert "durée d&#x27;une reconduction tacite" in response.content.decode()
    data["renewal_months"] = 12
    assert client.post("/achats/communes/31402/contrats/", data).status_code == 302
    assert Contract.objects.filter(subject="Fibre de la mairie").exists()
    client.force_login(odars_agent)
    assert client.post("/achats/communes/31402/contrats/", data).status_code == 403


def test_contract_lists_query_count_does_not_grow(client, referent, odars_manager, odars):
    def count(user, url):
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = (
        count(referent, "/achats/contrats/"),
        count(odars_manager, "/achats/communes/31402/contrats/"),
    )
    for n in range(6):
        _contract(odars, deadline_in=5 + n, subject=f"Contrat {n}")
    after = (
        count(referent, "/achats/contrats/"),
        count(odars_manager, "/achats/communes/31402/contrats/"),
    )
    assert after == before
