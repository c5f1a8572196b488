"""A commune's archive: one ZIP with every app's part, an index, only that commune's data."""

import csv
import io
import zipfile

from mutualis.core.models import AuditEvent
from mutualis.operations.archive import ARCHIVE_PARTS, build_commune_archive


def _open(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_a_coordinator_downloads_everything_about_odars(client, coordinator):
    client.force_login(coordinator)
    assert "Odars" in client.get("/exploitation/archives/").text
    response = client.get("/exploitation/archives/31402.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "archive-31402-" in response["Content-Disposition"]
    archive = _open(response)
    names = set(archive.namelist())
    assert {
        "LISEZMOI.txt",
        "index.csv",
        "commune/commune.json",
        "commune/populations.csv",
        "programme/participations.csv",
        "comptes/roles.csv",
        "comptes/invitations.csv",
        "adhesions/adhesions.csv",
        "adhesions/etapes.csv",
        "journal/evenements.csv",
    } <= names
    index = list(csv.reader(io.StringIO(archive.read("index.csv").decode("utf-8-sig"))))
    assert {row[0] for row in index[1:]} == names - {"LISEZMOI.txt", "index.csv"}
    roles = archive.read("comptes/roles.csv").decode("utf-8-sig")
    assert "Martine Secrétaire-Odars" in roles and "Labège" not in roles and "DGS" not in roles
    assert "Adhérente" in archive.read("adhesions/adhesions.csv").decode("utf-8-sig")
    assert '"code_insee": "31402"' in archive.read("commune/commune.json").decode()
    assert "31402" in archive.read("LISEZMOI.txt").decode()
    assert AuditEvent.objects.filter(action="operations.commune_archive_exported").count() == 1


def test_commune_people_cannot_export_any_archive(client, odars_manager, labege_manager):
    for user in (odars_manager, labege_manager):
        client.force_login(user)
        assert client.get("/exploitation/archives/31402.zip").status_code == 403


def test_an_unknown_commune_is_404(client, coordinator):
    client.force_login(coordinator)
    assert client.get("/exploitation/archives/99999.zip").status_code == 404


def test_every_part_answers_for_a_commune_without_data(db):
    from mutualis.territory.models import Commune

    empty = Commune.objects.create(insee_code="99001", name="Vide")
    handle = build_commune_archive(commune=empty, by=None)
    with zipfile.ZipFile(handle) as archive:
        assert "index.csv" in archive.namelist()
    assert len(ARCHIVE_PARTS) == 5
