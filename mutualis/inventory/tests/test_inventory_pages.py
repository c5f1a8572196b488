from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mutualis.inventory.end_of_support import identify, support_status
from mutualis.inventory.models import Asset, BusinessSoftware
from mutualis.territory.models import Commune


def test_end_of_support_matches_whole_words_and_never_guesses():
    assert identify("Microsoft Windows 10 Professionnel").key == "windows-10"
    assert identify("Debian 12.10").key == "debian-12"
    assert identify("Ubuntu 22.04.3 LTS").key == "ubuntu-22.04"
    assert identify("FreeBSD 14") is None
    assert support_status(date(2025, 10, 14), today=date(2026, 11, 28)) == "ended"
    assert support_status(date(2027, 1, 12), today=date(2026, 11, 28)) == "ending"
    assert support_status(None, today=date(2026, 11, 28)) == "unknown"


@pytest.mark.django_db
def test_commune_page_flags_equipment_past_end_of_support(client, odars_manager):
    client.force_login(odars_manager)
    html = client.get("/systeme-information/communes/31402/").content.decode()
    assert "PC-ACCUEIL" in html and "plus de mises à jour de sécurité" in html


@pytest.mark.django_db
def test_retiring_keeps_the_record(client, odars_manager, odars):
    client.force_login(odars_manager)
    asset = Asset.objects.get(commune=odars, name="PC-MAIRE")
    assert (
        client.post(
            f"/systeme-information/communes/31402/equipements/{asset.pk}/retirer/",
            {"reason": "Recyclé"},
        ).status_code
        == 302
    )
    asset.refresh_from_db()
    assert asset.retired_at and asset.retire_reason == "Recyclé"
    assert "PC-MAIRE</a>" not in client.get("/systeme-information/communes/31402/").content.decode()


@pytest.mark.django_db
def test_other_communes_people_cannot_read_or_change_odars_inventory(
    client, labege_manager, labege_it, odars_agent, odars
):
    asset = Asset.objects.filter(commune=odars).first()
    software = BusinessSoftware.objects.filter(commune=odars).first()
    for user in (labege_manager, labege_it):
        client.force_login(user)
        for url in [
            "/systeme-information/communes/31402/",
            "/systeme-information/communes/31402/inventaire.csv",
            f"/systeme-information/communes/31402/equipements/{asset.pk}/",
            f"/systeme-information/communes/31254/equipements/{asset.pk}/",
            f"/systeme-information/communes/31254/logiciels/{software.pk}/",
        ]:
            response = client.get(url)
            assert response.status_code == 404, url
            assert b"PC-" not in response.content
        assert (
            client.post(
                f"/systeme-information/communes/31254/equipements/{asset.pk}/retirer/",
                {"reason": "x"},
            ).status_code
            == 404
        )
    client.force_login(odars_agent)
    assert client.get("/systeme-information/communes/31402/").status_code == 404
    asset.refresh_from_db()
    assert asset.retired_at is None


@pytest.mark.django_db
def test_matrix_counts_and_proposal_pdf(client, coordinator):
    client.force_login(coordinator)
    response = client.get("/systeme-information/logiciels-metiers/")
    civil = next(r for r in response.context["rows"] if r.domain == "civil_status")
    counts = {c.software: c.count for c in civil.cells}
    assert counts == {"Horizon Villages": 2, "e.magnus": 1, "Coloris": 1}
    assert civil.harmonisable
    pdf = client.get("/systeme-information/logiciels-metiers/civil_status/proposition.pdf")
    assert pdf.content.startswith(b"%PDF")
    empty = client.get("/systeme-information/logiciels-metiers/schools/proposition.pdf")
    assert empty.content.startswith(b"%PDF")
    assert (
        client.get("/systeme-information/logiciels-metiers/nope/proposition.pdf").status_code == 404
    )


@pytest.mark.django_db
def test_matrix_and_alert_pages_queries_do_not_grow(client, coordinator):
    client.force_login(coordinator)

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = (
        count("/systeme-information/logiciels-metiers/"),
        count("/systeme-information/fins-de-support/"),
    )
    for commune in Commune.objects.filter(epci__siren="243100633")[:20]:
        BusinessSoftware.objects.get_or_create(
            commune=commune, domain="schools", software="Logiciel école"
        )
        Asset.objects.create(
            commune=commune, kind="workstation", name="Vieux PC", operating_system="Windows 7"
        )
    after = (
        count("/systeme-information/logiciels-metiers/"),
        count("/systeme-information/fins-de-support/"),
    )
    assert after == before


@pytest.mark.django_db
def test_duplicate_software_is_refused_with_a_message(client, odars_manager):
    client.force_login(odars_manager)
    response = client.post(
        "/systeme-information/communes/31402/logiciels/ajouter/",
        {"domain": "civil_status", "software": "horizon villages"},
    )
    assert "déjà enregistré" in response.content.decode()
