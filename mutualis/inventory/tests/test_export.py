"""The inventory CSV export: text typed by a commune never runs as a spreadsheet formula."""

import csv
import io

import pytest

from mutualis.inventory.models import Asset


@pytest.mark.django_db
def test_inventory_csv_neutralises_formulas(client, odars_manager, odars):
    Asset.objects.create(
        commune=odars, kind="workstation", name='=HYPERLINK("http://x.example","clic")', notes="+1"
    )
    client.force_login(odars_manager)
    response = client.get(f"/systeme-information/communes/{odars.insee_code}/inventaire.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    row = next(r for r in rows if "HYPERLINK" in r[1])
    assert row[1] == '\'=HYPERLINK("http://x.example","clic")'
    assert row[-1] == "'+1"
