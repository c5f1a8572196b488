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
    assert len(ARCHIVE_PARTS) == 13


def _csv_rows(archive: zipfile.ZipFile, path: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(archive.read(path).decode("utf-8-sig"))))


def _capability_sources(commune):
    """Each capability CSV of the archive and the records it must hold: exactly the commune's."""
    from mutualis.awareness import models as awareness
    from mutualis.continuity import models as continuity
    from mutualis.contributions import models as contributions
    from mutualis.cyber import models as cyber
    from mutualis.information import models as information
    from mutualis.inventory import models as inventory
    from mutualis.purchasing import models as purchasing
    from mutualis.support import models as support

    c = commune
    return {
        "cotisations/appels.csv": contributions.Call.objects.filter(commune=c),
        "cotisations/avoirs.csv": contributions.CreditNote.objects.filter(commune=c),
        "cotisations/paiements.csv": contributions.Payment.objects.filter(commune=c),
        "cotisations/jours.csv": contributions.DayEntry.objects.filter(commune=c),
        "cyber/premier-avis.csv": cyber.FirstAdviceRecord.objects.filter(commune=c),
        "cyber/diagnostics.csv": cyber.Diagnostic.objects.filter(commune=c),
        "cyber/plan-d-actions.csv": cyber.PlanMeasure.objects.filter(diagnostic__commune=c),
        "cyber/preuves.csv": cyber.Evidence.objects.filter(plan_measure__diagnostic__commune=c),
        "sensibilisation/parcours.csv": awareness.Progress.objects.filter(commune=c),
        "sensibilisation/attestations.csv": awareness.Attestation.objects.filter(commune=c),
        "sensibilisation/sessions.csv": awareness.OnsiteSession.objects.filter(commune=c),
        "information/documents.csv": information.Document.objects.filter(owner_commune=c),
        "information/accuses-de-lecture.csv": information.Acknowledgement.objects.filter(commune=c),
        "information/messages.csv": information.Message.objects.filter(author_commune=c),
        "achats/demandes-d-adhesion.csv": purchasing.JoinRequest.objects.filter(commune=c),
        "achats/reponses-aux-campagnes.csv": purchasing.CampaignAnswer.objects.filter(commune=c),
        "achats/feuille-de-route.csv": purchasing.RoadmapItem.objects.filter(commune=c),
        "achats/contrats.csv": purchasing.Contract.objects.filter(commune=c),
        "assistance/demandes.csv": support.SupportRequest.objects.filter(commune=c),
        "assistance/pieces-jointes.csv": support.SupportAttachment.objects.filter(
            request__commune=c
        ),
        "inventaire/materiels.csv": inventory.Asset.objects.filter(commune=c),
        "inventaire/logiciels-metier.csv": inventory.BusinessSoftware.objects.filter(commune=c),
        "continuite/contacts-de-crise.csv": continuity.CrisisContact.objects.filter(commune=c),
        "continuite/plans.csv": continuity.ContinuityPlan.objects.filter(commune=c),
        "continuite/mains-courantes.csv": continuity.CrisisLog.objects.filter(commune=c),
        "continuite/etude-sauvegarde.csv": continuity.BackupStudy.objects.filter(commune=c),
    }


def test_odars_archive_holds_its_capability_records_and_none_of_labege(db, odars, labege):
    from mutualis.contributions.testing import call_of, credit_note_of

    # The demo issues no call to either commune: issue one to each (Odars' is then cancelled).
    odars_note = credit_note_of(odars)
    call_of(labege)
    with zipfile.ZipFile(build_commune_archive(commune=odars, by=None)) as archive:
        names = set(archive.namelist())
        held = {}
        for path, records in _capability_sources(odars).items():
            rows = _csv_rows(archive, path)
            assert {int(r["n°"]) for r in rows} == set(records.values_list("pk", flat=True)), path
            held[path] = len(rows)
        labege_pks = {
            path: set(records.values_list("pk", flat=True))
            for path, records in _capability_sources(labege).items()
        }
        for path, pks in labege_pks.items():
            assert not pks & {int(r["n°"]) for r in _csv_rows(archive, path)}, path
        # The demo is lived-in for Odars: the archive is not a set of empty tables.
        empty = sorted(path for path, count in held.items() if count == 0)
        assert len(empty) < len(held) / 2, empty
        # Documents as files: each issued call as its PDF, each stored file of the commune.
        calls = _capability_sources(odars)["cotisations/appels.csv"]
        assert calls.count() == held["cotisations/appels.csv"] >= 1
        for call in calls:
            assert archive.read(f"cotisations/appels/{call.number}.pdf") == bytes(call.pdf)
        note = archive.read(f"cotisations/avoirs/{odars_note.number}.pdf")
        assert note.startswith(b"%PDF-")
        stored = [n for n in names if n.count("/") >= 2]
        assert all(archive.read(n) for n in stored)
        for name in names:
            assert "Labège".encode() not in archive.read(name), name
            assert b"31254" not in archive.read(name), name
