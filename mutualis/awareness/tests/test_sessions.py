"""On-site sessions: scheduling, registration, sign-in sheet, attendance counted in the figures."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from pdfminer.high_level import extract_text

from mutualis.awareness import services, stats
from mutualis.awareness.models import Attendee, OnsiteSession
from mutualis.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def labege_session(labege):
    return OnsiteSession.objects.get(commune=labege)


def test_scheduling_outside_an_advanced_offer_needs_a_reason(client, referent, odars):
    client.force_login(referent)
    data = {
        "commune": odars.pk,
        "title": "Sensibilisation",
        "date": (timezone.localdate() + timedelta(days=10)).isoformat(),
        "time": "14:00",
        "duration_minutes": 90,
        "place": "Mairie",
        "facilitator": "Romain Référent",
    }
    response = client.post(reverse("awareness:session_new"), data)
    assert (
        "Odars n&#x27;a pas d&#x27;adhésion en cours à une offre avancée"
        in response.content.decode()
    )
    assert not OnsiteSession.objects.filter(commune=odars).exists()
    response = client.post(
        reverse("awareness:session_new"), {**data, "outside_offer_reason": "Séance découverte"}
    )
    session = OnsiteSession.objects.get(commune=odars)
    assert response["Location"] == reverse("awareness:session", args=[session.pk])
    assert AuditEvent.objects.for_object(session).get().reason == "Séance découverte"


def test_a_manager_registers_attendees_but_cannot_schedule(client, odars_manager, odars, referent):
    session = services.schedule_session(
        by=referent, commune=odars, title="Séance", starts_at=timezone.now() + timedelta(days=2),
        duration_minutes=60, place="Mairie", facilitator="R", in_advanced_offer=False,
        outside_offer_reason="Test",
    )  # fmt: skip
    client.force_login(odars_manager)
    assert client.get(reverse("awareness:session_new")).status_code == 403
    url = reverse("awareness:session", args=[session.pk])
    client.post(url, {"full_name": "Jeanne Accueil", "job_title": "Accueil"})
    assert session.attendees.get().full_name == "Jeanne Accueil"
    response = client.post(url, {})
    assert "Choisissez un agent ou saisissez un nom." in response.content.decode()
    assert client.get(reverse("awareness:attendance", args=[session.pk])).status_code == 403


def test_the_sign_in_sheet_lists_the_attendees(client, labege_manager, labege_session):
    client.force_login(labege_manager)
    response = client.get(reverse("awareness:sign_in_sheet", args=[labege_session.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = extract_text(BytesIO(response.content))
    assert "Feuille d’émargement" in text or "Feuille d'émargement" in text
    assert "Labège" in text and "Nadia Accueil" in text and "Signature" in text


def test_odars_people_never_see_labege_session(client, odars_manager, odars_agent, labege_session):
    attendee = labege_session.attendees.first()
    for user in (odars_manager, odars_agent):
        client.force_login(user)
        for url in [
            reverse("awareness:session", args=[labege_session.pk]),
            reverse("awareness:sign_in_sheet", args=[labege_session.pk]),
        ]:
            response = client.get(url)
            assert response.status_code == 404 and b"Nadia" not in response.content
        response = client.post(
            reverse("awareness:attendee_remove", args=[labege_session.pk, attendee.pk])
        )
        assert response.status_code == 404
        assert b"Lab" not in client.get(reverse("awareness:sessions")).content.split(b"<main")[1]
    assert Attendee.objects.filter(pk=attendee.pk).exists()


def test_attendance_counts_in_the_commune_figures(client, referent, labege, labege_session):
    before = stats.figures([labege]).communes[0]
    absent = labege_session.attendees.get(present=False)
    client.force_login(referent)
    ids = [a.pk for a in labege_session.attendees.all()]
    client.post(reverse("awareness:attendance", args=[labege_session.pk]), {"present": ids})
    after = stats.figures([labege]).communes[0]
    assert after.present == before.present + 1 == 5
    absent.refresh_from_db()
    assert absent.present is True


def test_attendance_cannot_be_recorded_before_the_session(referent, odars):
    session = services.schedule_session(
        by=referent, commune=odars, title="Séance", starts_at=timezone.now() + timedelta(days=2),
        duration_minutes=60, place="Mairie", facilitator="R", in_advanced_offer=False,
        outside_offer_reason="Test",
    )  # fmt: skip
    with pytest.raises(services.AwarenessError, match="pas encore eu lieu"):
        services.record_attendance(session=session, by=referent, present_ids=[])


def test_after_attendance_the_list_no_longer_changes(labege_session, labege_manager):
    with pytest.raises(services.AwarenessError, match="closes"):
        services.register_attendee(session=labege_session, by=labege_manager, full_name="Tard")
    with pytest.raises(services.AwarenessError):
        services.unregister_attendee(attendee=labege_session.attendees.first(), by=labege_manager)


def test_cancelling_a_session_keeps_it_with_its_reason(client, referent, odars):
    session = services.schedule_session(
        by=referent, commune=odars, title="Séance", starts_at=timezone.now() + timedelta(days=2),
        duration_minutes=60, place="Mairie", facilitator="R", in_advanced_offer=False,
        outside_offer_reason="Test",
    )  # fmt: skip
    client.force_login(referent)
    client.post(reverse("awareness:session_cancel", args=[session.pk]), {"reason": "Neige"})
    session.refresh_from_db()
    assert session.cancelled_at and session.cancel_reason == "Neige"
