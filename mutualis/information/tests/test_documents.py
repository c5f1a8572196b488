"""The document library: versions kept, audiences, a commune's own documents for it alone."""

import pytest
from django.urls import reverse

from mutualis.information import services
from mutualis.information.enums import AudienceKind, DocumentKind
from mutualis.information.models import Document, DocumentVersion, Folder
from mutualis.information.tests.factories import PDF, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def guide(coordinator, programme):
    folder = Folder.objects.get(name="Guides")
    return services.save_document(
        document=Document(
            title="Guide de test", kind=DocumentKind.GUIDE, folder=folder, programme=programme
        ),
        by=coordinator,
        upload=upload("guide-v1.pdf"),
        note="Première version",
    )


def test_a_new_upload_is_a_new_version_and_the_old_one_stays(
    client, coordinator, guide, odars_agent
):
    client.force_login(coordinator)
    response = client.post(
        reverse("information:document_version", args=[guide.pk]),
        {"file": upload("guide-v2.pdf", PDF + b"% v2\n"), "note": "Mise à jour"},
        follow=True,
    )
    assert "Version 2 ajoutée" in response.content.decode()
    versions = list(guide.versions.order_by("number"))
    assert [(v.number, v.original_name) for v in versions] == [
        (1, "guide-v1.pdf"),
        (2, "guide-v2.pdf"),
    ]
    guide.refresh_from_db()
    assert guide.latest_version == versions[1]
    client.force_login(odars_agent)
    old = client.get(reverse("information:version_download", args=[versions[0].pk]))
    assert old.status_code == 200
    assert b"".join(old.streaming_content) == PDF
    assert old["Content-Disposition"].startswith("attachment")
    assert old["Content-Type"] == "application/pdf"


def test_stored_names_are_random_not_the_uploaded_name(guide):
    version = guide.versions.get()
    assert "guide" not in version.file
    assert version.file.startswith("information/documents/") and version.file.endswith(".pdf")


def test_a_commune_document_is_seen_by_that_commune_alone(
    client, odars, odars_agent, labege_manager, labege_it, finance, observer
):
    document = Document.objects.get(owner_commune=odars)
    version = document.versions.first()
    client.force_login(odars_agent)
    assert client.get(reverse("information:document", args=[document.pk])).status_code == 200
    for outsider in (labege_manager, labege_it, finance, observer):
        client.force_login(outsider)
        assert client.get(reverse("information:document", args=[document.pk])).status_code == 404
        assert (
            client.get(reverse("information:version_download", args=[version.pk])).status_code
            == 404
        )
        library = client.get(reverse("information:library")).content.decode()
        assert document.title not in library
        assert client.get(f"/api/information/documents/{document.pk}").status_code == 404
        assert document.pk not in [
            d["id"] for d in client.get("/api/information/documents?limit=100").json()["items"]
        ]


def test_a_commune_manager_files_a_document_for_their_commune(
    client, odars, odars_manager, labege_manager
):
    client.force_login(odars_manager)
    response = client.post(
        reverse("information:commune_document_create"),
        {
            "title": "Délibération d'adhésion",
            "kind": DocumentKind.MINUTES,
            "description": "",
            "file": upload("delib.pdf"),
        },
        follow=True,
    )
    assert "ajouté aux documents d&#x27;Odars" in response.content.decode()
    document = Document.objects.get(title="Délibération d'adhésion")
    assert document.owner_commune == odars
    assert list(document.audience_communes.all()) == [odars]
    client.force_login(labege_manager)
    assert client.get(reverse("information:document", args=[document.pk])).status_code == 404


def test_an_agent_cannot_file_commune_documents(client, odars_agent):
    client.force_login(odars_agent)
    assert client.get(reverse("information:commune_document_create")).status_code == 404


def test_shared_documents_follow_their_audience(client, coordinator, odars_agent, labege_it):
    study = Document.objects.get(title__startswith="Étude : messagerie mutualisée")
    assert study.audience == AudienceKind.OFFER
    client.force_login(odars_agent)  # Odars is not in the offer with IT department
    assert client.get(reverse("information:document", args=[study.pk])).status_code == 404
    from mutualis.information.tests.factories import put_in_offer
    from mutualis.membership.enums import Status
    from mutualis.membership.models import Membership

    labege = labege_it.communes()[0]
    # out of the offer with IT department first (the demo signs Labège's convention)
    Membership.objects.filter(commune=labege, offer_code="advanced-with-it").update(
        status=Status.EXITED
    )
    client.force_login(labege_it)
    assert client.get(reverse("information:document", args=[study.pk])).status_code == 404
    put_in_offer(labege, Status.ACTIVE, offer="advanced-with-it")
    assert client.get(reverse("information:document", args=[study.pk])).status_code == 200


def test_a_file_of_the_wrong_type_is_refused_with_its_name(client, coordinator, guide):
    client.force_login(coordinator)
    response = client.post(
        reverse("information:document_version", args=[guide.pk]),
        {"file": upload("virus.pdf", b"MZ\x90\x00 not a pdf"), "note": ""},
    )
    assert response.status_code == 400
    assert "« virus.pdf » n&#x27;est pas d&#x27;un format accepté" in response.content.decode()
    assert DocumentVersion.objects.filter(document=guide).count() == 1


def test_a_coordinator_creates_a_document_for_a_list_of_communes(
    client, coordinator, odars, odars_agent, labege_it
):
    client.force_login(coordinator)
    folder = Folder.objects.get(name="Modèles")
    response = client.post(
        reverse("information:document_create"),
        {
            "title": "Modèle pour Odars",
            "kind": DocumentKind.TEMPLATE,
            "folder": folder.pk,
            "description": "",
            "audience": AudienceKind.COMMUNES,
            "audience_communes": [odars.pk],
            "to_managers": "on",
            "to_agents": "on",
            "file": upload("modele.pdf"),
            "note": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    document = Document.objects.get(title="Modèle pour Odars")
    assert Document.objects.readable_by(odars_agent).filter(pk=document.pk).exists()
    assert not Document.objects.readable_by(labege_it).filter(pk=document.pk).exists()
