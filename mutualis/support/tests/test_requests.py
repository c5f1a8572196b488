"""Support requests: categories by offer, targets in working hours, breaches, the workflow,
ratings, attachments and isolation between communes."""

from datetime import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mutualis.programme.services import shipped_programme
from mutualis.support import services
from mutualis.support.enums import Status
from mutualis.support.models import SupportAttachment, SupportRequest

pytestmark = pytest.mark.django_db


def _aware(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


def _open(commune, user, *, category="incident", urgency="normal", at=None, files=()):
    return services.open_request(
        commune=commune,
        by=user,
        category=category,
        urgency=urgency,
        subject="Poste bloqué",
        description="Le poste de l'accueil ne démarre plus.",
        files=files,
        opened_at=at,
    )


def test_targets_come_from_the_programme_file_in_working_hours(labege, labege_it):
    # Friday 2 May 2025 at 16:00; Thursday 8 May is a holiday. Normal: 8 h to answer, 40 to solve.
    request = _open(labege, labege_it, at=_aware(2025, 5, 2, 16, 0))
    # 1.5 h on Friday, Monday 08:30–12:00, then 3 h from 13:30 → Monday 16:30
    assert timezone.localtime(request.response_due) == _aware(2025, 5, 5, 16, 30)
    # 1.5 h Friday, Mon 7.5, Tue 7.5, Wed 7.5, (Thu holiday), Fri 7.5, Mon 7.5 = 39 h → Tue 09:30
    assert timezone.localtime(request.resolution_due) == _aware(2025, 5, 13, 9, 30)


def test_a_late_first_answer_is_flagged_as_a_breach(labege, labege_it, referent):
    request = _open(labege, labege_it, urgency="critical", at=_aware(2025, 3, 7, 16, 0))
    # Critical: 2 working hours → 1.5 h on Friday (ends 17:30), 0.5 h on Monday → 09:00
    assert timezone.localtime(request.response_due) == _aware(2025, 3, 10, 9, 0)
    services.add_message(
        request=request, by=referent, body="Je regarde.", at=_aware(2025, 3, 10, 8, 59)
    )
    assert not request.response_breached()
    late = _open(labege, labege_it, urgency="critical", at=_aware(2025, 3, 7, 16, 0))
    services.add_message(request=late, by=referent, body="Pardon.", at=_aware(2025, 3, 10, 9, 1))
    assert late.response_breached()


def test_working_hours_between_opening_and_answer_skip_weekend_and_lunch(
    labege, labege_it, referent
):
    request = _open(labege, labege_it, at=_aware(2025, 3, 7, 16, 0))
    services.add_message(request=request, by=referent, body="Vu.", at=_aware(2025, 3, 10, 14, 0))
    # Friday 16:00–17:30 (1.5 h) + Monday 08:30–12:00 (3.5 h) + 13:30–14:00 (0.5 h)
    calendar = services.working_calendar(shipped_programme())
    assert services.working_hours(request.opened_at, request.first_response_at, calendar) == (
        Decimal("5.5")
    )


def test_an_open_request_past_its_target_is_breached_now(labege, labege_it):
    request = _open(labege, labege_it, urgency="critical", at=_aware(2025, 3, 3, 9, 0))
    assert request.response_breached(now=_aware(2025, 3, 3, 11, 1))
    assert not request.response_breached(now=_aware(2025, 3, 3, 10, 59))


def test_a_base_offer_commune_asks_only_about_purchasing_and_the_platform(odars, odars_agent):
    assert {c.value for c in services.allowed_categories(odars)} == {"purchasing", "platform"}
    with pytest.raises(services.Refused, match="offres avancées"):
        _open(odars, odars_agent, category="incident")
    assert _open(odars, odars_agent, category="platform").pk


def test_the_base_commune_form_offers_the_restricted_categories(client, odars_agent):
    client.force_login(odars_agent)
    page = client.get("/support/nouvelle/").content.decode()
    assert 'value="purchasing"' in page and 'value="incident"' not in page
    response = client.post(
        "/support/nouvelle/",
        {
            "category": "incident",
            "urgency": "normal",
            "subject": "x",
            "description": "y",
            "commune": odars_agent.communes()[0].pk,
        },
    )
    assert response.status_code == 200  # refused by the form: not a choice
    assert not SupportRequest.objects.filter(subject="x").exists()


def test_an_agent_opens_a_request_with_an_attachment(client, labege_it):
    client.force_login(labege_it)
    png = SimpleUploadedFile(
        "capture.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, content_type="image/png"
    )
    response = client.post(
        "/support/nouvelle/",
        {
            "commune": labege_it.communes()[0].pk,
            "category": "incident",
            "urgency": "high",
            "subject": "Écran noir",
            "description": "Depuis ce matin.",
            "attachments": [png],
        },
    )
    assert response.status_code == 302
    request = SupportRequest.objects.get(subject="Écran noir")
    assert request.response_due and request.attachments.count() == 1


def test_a_disguised_attachment_is_refused_and_nothing_is_written(client, labege_it):
    client.force_login(labege_it)
    exe = SimpleUploadedFile(
        "photo.png", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", content_type="image/png"
    )
    response = client.post(
        "/support/nouvelle/",
        {
            "commune": labege_it.communes()[0].pk,
            "category": "incident",
            "urgency": "high",
            "subject": "Piège",
            "description": "x",
            "attachments": [exe],
        },
    )
    assert "photo.png" in response.content.decode()
    assert not SupportRequest.objects.filter(subject="Piège").exists()


def test_the_workflow_answer_assign_escalate_close_rate(client, labege, labege_it, referent):
    request = _open(labege, labege_it)
    client.force_login(referent)
    client.post(f"/support/demandes/{request.pk}/message/", {"body": "Je prends."})
    client.post(f"/support/demandes/{request.pk}/affectation/", {"assignee": referent.pk})
    client.post(
        f"/support/demandes/{request.pk}/transmission/",
        {"note": "Disque ?", "provider_reference": "T-1"},
    )
    request.refresh_from_db()
    assert (
        request.status == Status.ESCALATED
        and request.provider.name == "Lauragais Informatique Services"
    )
    assert request.first_response_at and request.assignee == referent
    client.post(f"/support/demandes/{request.pk}/cloture/", {"resolution": "Disque remplacé."})
    request.refresh_from_db()
    assert request.status == Status.CLOSED
    client.force_login(labege_it)
    client.post(f"/support/demandes/{request.pk}/evaluation/", {"score": "4", "comment": "Rapide"})
    request.refresh_from_db()
    assert request.satisfaction == 4
    again = client.post(f"/support/demandes/{request.pk}/evaluation/", {"score": "1"}, follow=True)
    assert "déjà évaluée" in again.content.decode()
    assert [e.kind for e in request.events.all()] == [
        "opened",
        "answer",
        "assigned",
        "escalated",
        "closed",
        "rated",
    ]


def test_escalation_without_a_provider_is_refused(odars, odars_agent, referent):
    request = _open(odars, odars_agent, category="purchasing")
    with pytest.raises(services.Refused, match="pas de prestataire"):
        services.escalate_request(request=request, by=referent, note="?")


def test_an_agent_cannot_close_or_escalate(client, labege, labege_it):
    request = _open(labege, labege_it)
    client.force_login(labege_it)
    assert (
        client.post(f"/support/demandes/{request.pk}/cloture/", {"resolution": "x"}).status_code
        == 403
    )
    assert (
        client.post(f"/support/demandes/{request.pk}/transmission/", {"note": "x"}).status_code
        == 403
    )


def test_labege_never_sees_odars_requests_or_attachments(client, labege_manager):
    odars_request = SupportRequest.objects.filter(commune__insee_code="31402").first()
    attachment = SupportAttachment.objects.filter(request__commune__insee_code="31402").first()
    client.force_login(labege_manager)
    for url in [
        f"/support/demandes/{odars_request.pk}/",
        f"/support/pieces-jointes/{attachment.pk}/",
        f"/api/support/requests/{odars_request.pk}",
    ]:
        response = client.get(url)
        assert response.status_code == 404 and b"Odars" not in response.content, url
    assert (
        client.post(f"/support/demandes/{odars_request.pk}/message/", {"body": "x"}).status_code
        == 404
    )
    listed = client.get("/support/?etat=toutes").content.decode()
    assert "Odars" not in listed and odars_request.subject not in listed
    api = client.get("/api/support/requests").json()
    assert {r["insee_code"] for r in api} == {"31254"}
    opened = client.post(
        "/api/support/requests",
        {"insee_code": "31402", "category": "platform", "subject": "x", "description": "y"},
        content_type="application/json",
    )
    assert opened.status_code == 404


def test_odars_sees_its_attachment(client, odars_agent):
    attachment = SupportAttachment.objects.filter(request__commune__insee_code="31402").first()
    client.force_login(odars_agent)
    response = client.get(f"/support/pieces-jointes/{attachment.pk}/")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"


def test_the_demo_has_a_breached_request_flagged_on_the_list(client, referent):
    client.force_login(referent)
    page = client.get("/support/?hors_delai=1").content.decode()
    assert "Réinitialiser le mot de passe du logiciel de paie" in page
    assert "réponse hors délai" in page


def test_request_list_query_count_does_not_grow(client, referent, labege_it, labege):
    def count(user):
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/support/?etat=toutes").status_code == 200
        return len(queries)

    before = (count(referent), count(labege_it))
    for _ in range(5):
        _open(labege, labege_it)
    assert (count(referent), count(labege_it)) == before


@pytest.mark.parametrize(
    ("user_fixture", "may_open"),
    [
        ("coordinator", True),
        ("referent", True),
        ("odars_agent", True),
        ("finance", False),
        ("observer", False),
    ],
)
def test_only_those_who_may_open_a_request_see_its_link(client, request, user_fixture, may_open):
    """The finance office and observers follow requests but open none: no « Nouvelle demande »
    link leading to a refusal."""
    client.force_login(request.getfixturevalue(user_fixture))

    listing = client.get("/support/").content.decode()

    assert ('href="/support/nouvelle/"' in listing) is may_open
    assert client.get("/support/nouvelle/").status_code == (200 if may_open else 403)
