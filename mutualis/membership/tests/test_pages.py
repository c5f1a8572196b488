"""The membership pages: what each person sees and may do, uploads checked, bounded queries."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mutualis.membership.enums import Status
from mutualis.membership.models import Convention, Deliberation, Membership, TimeLog
from mutualis.membership.tests.helpers import PDF, pdf_upload

pytestmark = pytest.mark.django_db


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries), response


def test_odars_manager_sees_its_memberships_history_and_may_apply(client, odars_manager):
    client.force_login(odars_manager)
    response = client.get("/adhesions/communes/31402/")
    html = response.content.decode()
    assert "Socle de base" in html and "Adhérente (socle de base)" in html
    assert "Candidater aux services avancés" in html
    assert "2024-05-04" in html  # the deliberation, listed and linked to the step it authorised
    assert "Admettre" not in html  # coordinator's actions are not offered


def test_a_manager_applies_from_the_page(client, odars_manager, odars):
    client.force_login(odars_manager)
    form = client.get("/adhesions/communes/31402/candidature/").context["form"]
    assert [c for c, _ in form.fields["offer_code"].choices] == ["advanced-without-it"]
    response = client.post(
        "/adhesions/communes/31402/candidature/",
        {"offer_code": "advanced-without-it", "reason": "Conseil du 3 juin"},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(commune=odars, offer_code="advanced-without-it")
    assert membership.status == Status.APPLIED
    assert membership.transitions.get().by == odars_manager


def test_an_offer_not_open_to_the_commune_cannot_be_posted(client, odars_manager):
    client.force_login(odars_manager)
    response = client.post(
        "/adhesions/communes/31402/candidature/", {"offer_code": "advanced-with-it"}
    )
    assert response.status_code == 200
    assert "advanced-with-it" in str(response.context["form"].errors)


def test_an_agent_may_look_but_not_act(client, odars_agent):
    client.force_login(odars_agent)
    assert client.get("/adhesions/communes/31402/").status_code == 200
    assert client.get("/adhesions/communes/31402/candidature/").status_code == 403
    assert client.get("/adhesions/communes/31402/deliberations/nouvelle/").status_code == 403


def test_coordinator_queues_and_admits_from_the_pages(client, coordinator, odars):
    from mutualis.membership import services

    membership = services.apply_for_advanced_offer(
        programme=odars.memberships.first().programme,
        commune=odars,
        offer_code="advanced-without-it",
        by=coordinator,
    )
    client.force_login(coordinator)
    assert client.post(f"/adhesions/{membership.pk}/file/", {"reason": ""}).status_code == 302
    page = client.get(f"/adhesions/{membership.pk}/admission/")
    assert page.context["entry"].position == 3  # after Belberaud and Goyrans, applied earlier
    response = client.post(f"/adhesions/{membership.pk}/admission/", {"reason": ""}, follow=True)
    assert "est au rang 3 de la file" in response.content.decode()
    membership.refresh_from_db()
    assert membership.status == Status.QUEUED
    client.post(f"/adhesions/{membership.pk}/admission/", {"reason": "Commune attaquée"})
    membership.refresh_from_db()
    assert membership.status == Status.ADMITTED


def test_a_manager_cannot_run_coordinator_steps(client, odars_manager):
    client.force_login(odars_manager)
    membership = Membership.objects.get(commune__insee_code="31402", offer_code="base")
    for step in ("file", "admission", "rang", "convention"):
        assert client.post(f"/adhesions/{membership.pk}/{step}/", {}).status_code == 403


def test_the_exit_page_says_which_rule_applies_before_confirming(client, coordinator):
    auzielle = Membership.objects.get(commune__insee_code="31036", offer_code="advanced-without-it")
    client.force_login(coordinator)
    html = client.get(f"/adhesions/{auzielle.pk}/sortie/").content.decode()
    # Asked today (after 31/12/2025): committed to the programme's end.
    assert (
        "Engagement jusqu&#x27;à la fin du programme" in html or "Engagement jusqu'à la fin" in html
    )
    assert "30/06/2027" in html
    response = client.post(f"/adhesions/{auzielle.pk}/sortie/", {"reason": "x"})
    assert response.status_code == 200 and "confirm" in response.context["form"].errors
    auzielle.refresh_from_db()
    assert auzielle.status == Status.ACTIVE
    client.post(f"/adhesions/{auzielle.pk}/sortie/", {"confirm": "on", "reason": "Budget"})
    auzielle.refresh_from_db()
    assert (auzielle.status, auzielle.effective_exit) == (Status.EXIT_REQUESTED, date(2027, 6, 30))


def test_signed_convention_upload_must_be_a_pdf(client, coordinator, odars_manager, odars):
    from mutualis.membership import services

    membership = services.apply_for_advanced_offer(
        programme=odars.memberships.first().programme,
        commune=odars,
        offer_code="advanced-without-it",
        by=coordinator,
        on=date(2026, 10, 1),
    )
    services.queue_application(membership=membership, by=coordinator)
    services.admit_commune(membership=membership, by=coordinator, reason="test")
    convention = services.issue_convention(
        membership=membership, by=coordinator, on=date(2026, 10, 2)
    )
    client.force_login(odars_manager)
    url = f"/adhesions/conventions/{convention.pk}/signer/"
    fake = SimpleUploadedFile(
        "convention.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    response = client.post(url, {"signed_on": "2026-10-05", "signed_pdf": fake})
    assert "n'est pas un PDF" in response.context["form"].errors["signed_pdf"][0]
    membership.refresh_from_db()
    assert membership.status == Status.CONVENTION_ISSUED
    response = client.post(url, {"signed_on": "2026-10-05", "signed_pdf": pdf_upload()})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.status, membership.start_date) == (Status.ACTIVE, date(2026, 11, 1))
    signed = client.get(f"/adhesions/conventions/{convention.pk}/signee.pdf")
    assert signed["Content-Type"] == "application/pdf"
    assert b"".join(signed.streaming_content) == PDF
    convention.refresh_from_db()
    assert (
        convention.signed_pdf.name.startswith("conventions/")
        and "signee" not in convention.signed_pdf.name
    )


def test_recording_a_deliberation_with_its_pdf(client, odars_manager, odars):
    client.force_login(odars_manager)
    data = {
        "purpose": "apply_advanced",
        "number": "2024-09-01",
        "subject": "Services avancés",
        "session_date": "2024-09-02",
        "convocation_date": "2024-08-27",
        "members_in_office": "15",
        "present": "ARSÉGUEL Patrice\nDECROIX Jacques",
        "represented": "MERLE Laure ; DECROIX Jacques",
        "votes_for": "3",
        "votes_against": "0",
        "votes_abstention": "0",
        "publication_date": "2024-09-05",
        "pdf": pdf_upload("délibération.pdf"),
    }
    response = client.post("/adhesions/communes/31402/deliberations/nouvelle/", data)
    assert response.status_code == 302
    deliberation = Deliberation.objects.get(commune=odars, number="2024-09-01")
    assert deliberation.present == ["ARSÉGUEL Patrice", "DECROIX Jacques"]
    assert deliberation.represented == [
        {"member": "MERLE Laure", "proxy_holder": "DECROIX Jacques"}
    ]
    assert deliberation.appeal_deadline == date(2024, 11, 5)
    assert deliberation.pdf.name.startswith("deliberations/") and deliberation.pdf.name.endswith(
        ".pdf"
    )
    page = client.get(response["Location"]).content.decode()
    assert "5 novembre 2024" in page
    pdf = client.get(f"/adhesions/deliberations/{deliberation.pk}/document.pdf")
    assert b"".join(pdf.streaming_content) == PDF


def test_a_wrong_deliberation_is_refused_with_clear_messages(client, odars_manager):
    client.force_login(odars_manager)
    before = Deliberation.objects.count()
    response = client.post(
        "/adhesions/communes/31402/deliberations/nouvelle/",
        {
            "purpose": "other",
            "number": "2024-05-04",
            "subject": "x",
            "session_date": "2024-05-22",
            "convocation_date": "2024-05-30",
            "represented": "MERLE Laure sans mandataire",
            "publication_date": "2024-05-01",
        },
    )
    errors = response.context["form"].errors
    assert "La convocation ne peut pas suivre la séance." in errors["convocation_date"]
    assert "Cette date ne peut pas précéder la séance." in errors["publication_date"]
    assert "membre représenté ; mandataire" in errors["represented"][0]
    assert Deliberation.objects.count() == before
    duplicate = client.post(
        "/adhesions/communes/31402/deliberations/nouvelle/",
        {
            "purpose": "join_base",
            "number": "2024-05-04",
            "subject": "x",
            "session_date": "2024-05-22",
        },
    )
    assert "déjà enregistrée pour Odars" in str(duplicate.context["form"].errors)


def test_deliberations_list_and_queries_do_not_grow(client, coordinator, odars):
    client.force_login(coordinator)
    before, response = _count(client, "/adhesions/deliberations/")
    assert "Odars" in response.content.decode()
    Deliberation.objects.bulk_create(
        Deliberation(
            commune=odars, number=f"X-{i}", session_date=date(2023, 1, 1 + i % 28), subject="s"
        )
        for i in range(120)
    )
    after, response = _count(client, "/adhesions/deliberations/")
    assert after == before <= 12
    assert response.context["page"].paginator.count >= 120


def test_queue_and_capacity_pages_use_a_bounded_number_of_queries(client, coordinator, observer):
    client.force_login(coordinator)
    queue_queries, response = _count(client, "/adhesions/candidatures/")
    html = response.content.decode()
    assert "Belberaud" in html and "Goyrans" in html
    capacity_queries, response = _count(client, "/adhesions/capacite/")
    html = response.content.decode()
    assert "<svg" in html and "Charge estimée après admission" in html
    assert "36,7" in html or "36.7" in html
    assert queue_queries <= 15 and capacity_queries <= 15
    client.force_login(observer)
    assert client.get("/adhesions/capacite/").status_code == 200
    assert client.post("/adhesions/1/admission/").status_code == 403


def test_commune_people_and_finance_do_not_see_the_queue(client, odars_manager, finance):
    for user in (odars_manager, finance):
        client.force_login(user)
        assert client.get("/adhesions/candidatures/").status_code == 403
        assert client.get("/adhesions/capacite/").status_code == 403


def test_the_referent_logs_time_shown_beside_the_estimate(client, referent):
    client.force_login(referent)
    auzielle = Membership.objects.get(commune__insee_code="31036", offer_code="advanced-without-it")
    response = client.post(
        "/adhesions/temps/",
        {"commune": auzielle.commune_id, "on": "2026-11-02", "days": "0,5", "note": "Support"},
    )
    assert response.status_code == 302
    assert TimeLog.objects.filter(commune=auzielle.commune, note="Support").exists()
    rows = client.get("/adhesions/capacite/").context["states"][0].admitted
    assert next(r for r in rows if r.membership == auzielle).logged == 3
    refused = client.post(
        "/adhesions/temps/",
        {"commune": auzielle.commune_id, "on": "2099-01-01", "days": "1"},
    )
    assert "futur" in str(refused.context["form"].errors)


def test_issued_convention_pdf_is_kept_as_issued(client, coordinator):
    convention = Convention.objects.get(membership__commune__insee_code="31036")
    client.force_login(coordinator)
    response = client.get(f"/adhesions/conventions/{convention.pk}/document.pdf")
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-")
    assert body == convention.document.open("rb").read()
