import io

import pytest
from pdfminer.high_level import extract_text

from mutualis.continuity.models import ContinuityPlan, CrisisLog, SecurityTool


def _pdf_text(response) -> str:
    return extract_text(io.BytesIO(response.content))


@pytest.mark.django_db
def test_crisis_sheet_with_full_data_and_with_none(client, odars_agent, coordinator):
    client.force_login(odars_agent)  # any person of the commune can print it
    full = client.get("/continuite/communes/31402/fiche-reflexe.pdf")
    assert full["Content-Type"] == "application/pdf"
    text = _pdf_text(full)
    assert "ARSÉGUEL" in text and "01 99 00 56 78" in text and "État civil" in text
    client.force_login(coordinator)
    empty = _pdf_text(client.get("/continuite/communes/31227/fiche-reflexe.pdf"))
    assert "Aucun contact de crise" in empty and "Aucune activité essentielle" in empty


@pytest.mark.django_db
def test_plan_saves_make_versions(client, odars_manager, odars):
    client.force_login(odars_manager)
    before = ContinuityPlan.objects.filter(commune=odars).count()
    client.post("/continuite/communes/31402/plan/", {"content": "# Plan révisé"})
    versions = list(ContinuityPlan.objects.filter(commune=odars).order_by("version"))
    assert len(versions) == before + 1 and versions[-1].content == "# Plan révisé"
    page = client.get(
        f"/continuite/communes/31402/plan/?version={versions[0].version}"
    ).content.decode()
    assert (
        "Plan de continuité d&#x27;activité — Odars" in page
        or "Plan de continuité d'activité — Odars" in page
    )


@pytest.mark.django_db
def test_crisis_log_is_append_only_and_closes(client, odars_manager, odars):
    client.force_login(odars_manager)
    response = client.post("/continuite/communes/31402/crises/ouvrir/", {"title": "Rançongiciel"})
    log = CrisisLog.objects.get(commune=odars, title="Rançongiciel")
    assert response["Location"].endswith(f"/crises/{log.pk}/")
    client.post(f"/continuite/communes/31402/crises/{log.pk}/", {"text": "Postes débranchés."})
    client.post(f"/continuite/communes/31402/crises/{log.pk}/", {"action": "close"})
    client.post(f"/continuite/communes/31402/crises/{log.pk}/", {"text": "Trop tard."})
    texts = list(log.entries.values_list("text", flat=True))
    assert texts == [
        "Ouverture de la main courante : Rançongiciel",
        "Postes débranchés.",
        "Clôture de la main courante.",
    ]


@pytest.mark.django_db
def test_backup_study_checks_321_and_prices_options(client, odars_manager):
    client.force_login(odars_manager)
    page = client.get("/continuite/communes/31402/sauvegarde/")
    failed = {c.code for c in page.context["checks"] if not c.passed}
    assert failed == {"three_copies", "two_media", "one_offsite", "one_offline"}
    first = page.context["quotes"][0]
    assert (
        first.option.code == "rotating-disks"
    )  # fixes as much as the cloud option, cheaper the first year
    pdf = client.get("/continuite/communes/31402/sauvegarde/etude.pdf")
    assert "3-2-1" in _pdf_text(pdf)
    client.post(
        "/continuite/communes/31402/sauvegarde/",
        {
            "form": "copy",
            "name": "Disque du vendredi",
            "medium": "usb_disk",
            "frequency_days": "7",
            "offsite": "on",
            "offline": "on",
        },
    )
    page = client.get("/continuite/communes/31402/sauvegarde/")
    assert all(c.passed for c in page.context["checks"])


@pytest.mark.django_db
def test_security_tools_register_only_for_communes_with_it_department(
    client, coordinator, labege_it
):
    client.force_login(coordinator)
    assert client.get("/continuite/communes/31402/ajouter/outil/").status_code == 404
    client.force_login(labege_it)
    html = client.get("/continuite/communes/31254/").content.decode()
    assert "EDR mutualisé" in html and "48 / 52 (92 %)" in html
    response = client.post(
        "/continuite/communes/31254/ajouter/outil/",
        {"category": "mfa", "product": "X", "covered": "9", "total": "5"},
    )
    assert "ne peut pas dépasser" in response.content.decode()
    assert not SecurityTool.objects.filter(product="X").exists()


@pytest.mark.django_db
def test_isolation_of_every_continuity_record(client, labege_manager, odars):
    client.force_login(labege_manager)
    exercise = odars.crisis_exercises.first()
    log = odars.crisis_logs.first()
    for url in [
        "/continuite/communes/31402/",
        "/continuite/communes/31402/fiche-reflexe.pdf",
        "/continuite/communes/31402/plan/",
        f"/continuite/communes/31402/exercices/{exercise.pk}/",
        f"/continuite/communes/31254/exercices/{exercise.pk}/",
        f"/continuite/communes/31402/crises/{log.pk}/",
        f"/continuite/communes/31254/crises/{log.pk}/",
        "/continuite/communes/31402/sauvegarde/",
        "/continuite/communes/31402/sauvegarde/etude.pdf",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"Odars" not in response.content
    before = log.entries.count()
    client.post(f"/continuite/communes/31254/crises/{log.pk}/", {"text": "intrusion"})
    assert log.entries.count() == before
