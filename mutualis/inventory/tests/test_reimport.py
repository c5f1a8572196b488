"""Re-importing an inventory is idempotent: importing the file the app itself exports changes
nothing; the importer accepts the labels the app displays as well as the codes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mutualis.inventory.csv_import import parse_inventory
from mutualis.inventory.models import Asset

pytestmark = pytest.mark.django_db


def _snapshot(commune):
    return sorted(
        Asset.objects.current()
        .filter(commune=commune)
        .values_list("kind", "name", "location", "owner", "serial", "notes", "purchase_date")
    )


def test_importing_the_export_changes_nothing(client, odars_manager, odars):
    client.force_login(odars_manager)
    before = _snapshot(odars)
    assert before  # the demo gives Odars an inventory
    exported = client.get("/systeme-information/communes/31402/inventaire.csv").content
    response = client.post(
        "/systeme-information/communes/31402/import/",
        {"file": SimpleUploadedFile("inventaire-31402.csv", exported)},
        follow=True,
    )
    assert ", 0 mis à jour," in response.content.decode()  # nothing added or updated
    assert "Inventaire importé : 0 équipement" in response.content.decode()
    assert _snapshot(odars) == before

    # A changed row updates its equipment in place, a new row adds one.
    text = exported.decode("utf-8-sig").replace("Mairie", "Mairie annexe", 1)
    text += "Poste de travail;PC-NOUVEAU;Accueil;;;;;;;;\n"
    client.post(
        "/systeme-information/communes/31402/import/",
        {"file": SimpleUploadedFile("inventaire.csv", text.encode())},
    )
    after = _snapshot(odars)
    assert len(after) == len(before) + 1
    assert any(name == "PC-NOUVEAU" for _k, name, *_ in after)


def test_the_labels_the_app_displays_are_accepted():
    rows = parse_inventory(
        "kind;name\nPoste de travail;PC-1\nServeur;NAS\nÉquipement réseau;Box\nserver;NAS-2\n"
    )
    assert [r.kind for r in rows] == ["workstation", "server", "network", "server"]
