"""The catalogue of negotiated offers, join requests with their history, offer documents."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mutualis.purchasing import services
from mutualis.purchasing.enums import JoinStatus
from mutualis.purchasing.models import JoinRequest, NegotiatedOffer, OfferDocument

pytestmark = pytest.mark.django_db
OFFER = "Licences bureautiques collectivités"


def test_every_signed_in_user_browses_the_valid_offers(client, odars_agent):
    client.force_login(odars_agent)
    page = client.get("/achats/").content.decode()
    for offer in NegotiatedOffer.objects.valid_on(__import__("datetime").date.today()):
        assert offer.title.replace("'", "&#x27;") in page


def test_a_manager_asks_to_join_and_the_request_is_tracked(client, odars_manager, coordinator):
    offer = NegotiatedOffer.objects.get(title=OFFER)
    client.force_login(odars_manager)
    response = client.post(f"/achats/offres/{offer.pk}/", {"need": "8 licences"})
    assert response.status_code == 302
    join = JoinRequest.objects.get(offer=offer, commune__insee_code="31402")
    assert join.status == JoinStatus.REQUESTED
    again = client.post(f"/achats/offres/{offer.pk}/", {"need": "encore"}, follow=True)
    assert "a déjà une demande en cours" in again.content.decode()
    client.force_login(coordinator)
    client.post(f"/achats/demandes/{join.pk}/", {"decision": "accepted", "note": "Bienvenue"})
    join.refresh_from_db()
    assert join.status == JoinStatus.ACCEPTED
    assert [s.to_status for s in join.steps.all()] == ["requested", "accepted"]
    client.force_login(odars_manager)
    page = client.get(f"/achats/demandes/{join.pk}/").content.decode()
    assert "Bienvenue" in page


def test_an_agent_cannot_ask_and_labege_cannot_see_odars_request(
    client, odars_agent, labege_manager
):
    offer = NegotiatedOffer.objects.get(title=OFFER)
    client.force_login(odars_agent)
    client.post(f"/achats/offres/{offer.pk}/", {"need": "x"})
    assert not JoinRequest.objects.filter(offer=offer).exists()
    odars_request = JoinRequest.objects.filter(commune__insee_code="31402").first()
    client.force_login(labege_manager)
    assert client.get(f"/achats/demandes/{odars_request.pk}/").status_code == 404
    assert "Odars" not in client.get("/achats/demandes/").content.decode()


def test_a_withdrawn_offer_refuses_requests_and_disappears_for_communes(
    client, coordinator, odars, odars_manager
):
    offer = NegotiatedOffer.objects.get(title=OFFER)
    services.withdraw_offer(offer=offer, by=coordinator, reason="Marché résilié")
    with pytest.raises(services.Refused, match="pas ouverte"):
        services.request_to_join(offer=offer, commune=odars, by=odars_manager)
    client.force_login(odars_manager)
    assert client.get(f"/achats/offres/{offer.pk}/").status_code == 404


def test_a_document_is_checked_by_content_and_served_only_through_the_view(
    client, coordinator, odars_agent
):
    offer = NegotiatedOffer.objects.get(title=OFFER)
    client.force_login(coordinator)
    fake = SimpleUploadedFile("tarifs.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(
        f"/achats/offres/{offer.pk}/documents/", {"title": "Tarifs", "file": fake}, follow=True
    )
    assert "n&#x27;est pas d&#x27;un format accepté" in response.content.decode()
    assert not offer.documents.exists()
    pdf = SimpleUploadedFile("tarifs.pdf", b"%PDF-1.4\n%%EOF\n", content_type="text/plain")
    client.post(f"/achats/offres/{offer.pk}/documents/", {"title": "Tarifs", "file": pdf})
    document = OfferDocument.objects.get(offer=offer)
    assert "tarifs" not in document.file.name and document.file.name.endswith(".pdf")
    client.force_login(odars_agent)
    response = client.get(f"/achats/documents/{document.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.logout()
    assert client.get(f"/achats/documents/{document.pk}/").status_code == 302


def test_catalogue_query_count_does_not_grow(client, coordinator, odars_manager):
    def count(user):
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/achats/").status_code == 200
        return len(queries)

    before = (count(coordinator), count(odars_manager))
    first = NegotiatedOffer.objects.first()
    for n in range(5):
        first.pk = None
        first.title = f"Copie {n}"
        first.save()
    assert (count(coordinator), count(odars_manager)) == before
