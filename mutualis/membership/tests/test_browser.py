"""In Debian's chromium: Odars' manager follows and acts on its memberships, the coordinator reads
the queue and capacity; every page passes axe-core."""

import os

import pytest
from playwright.sync_api import expect

from mutualis.core.testing.browser import (
    assert_accessible,
    click_and_wait,
    follow_menu,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_odars_manager_applies_and_reads_its_deliberation(page):
    sign_in(page, "odars-manager")
    page.goto("/communes/31402/")
    click_and_wait(
        page.get_by_role("link", name="Adhésions, candidatures, conventions et démarches")
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Adhésions d'Odars")
    assert_accessible(page)
    page.get_by_text("Historique (1 étape)").click()  # opens a <details> in place
    click_and_wait(page.get_by_role("link", name="n° 2024-05-04").first)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Délibération n° 2024-05-04")
    expect(page.get_by_text("10 présents annoncés, 9 noms listés.")).to_be_visible()
    assert_accessible(page)
    page.goto("/adhesions/communes/31402/")
    click_and_wait(page.get_by_role("link", name="Candidater aux services avancés"))
    assert_accessible(page)
    page.get_by_label("Offre demandée").select_option("advanced-without-it")
    page.get_by_label("Message à l'équipe intercommunale").fill("Délibération à venir")
    click_and_wait(page.get_by_role("button", name="Déposer la candidature"))
    expect(page.get_by_text("La candidature d'Odars est déposée.")).to_be_visible()
    expect(page.get_by_text("Candidature déposée").first).to_be_visible()
    page.goto("/adhesions/communes/31402/deliberations/nouvelle/")
    assert_accessible(page)
    click_and_wait(page.get_by_role("button", name="Enregistrer"))
    expect(page.get_by_text("Ce champ est obligatoire.").first).to_be_visible()
    assert_accessible(page)


def test_exit_page_explains_the_rule_before_confirming(page):
    sign_in(page, "labege-manager")
    page.goto("/adhesions/communes/31254/")
    click_and_wait(page.get_by_role("link", name="Demander la sortie"))  # the advanced offer's
    expect(
        page.get_by_role("heading", name="Engagement jusqu'à la fin du programme")
    ).to_be_visible()
    assert_accessible(page)


def test_coordinator_reads_queue_capacity_and_time(page):
    sign_in(page, "coordinator")
    for label, heading in [
        ("Candidatures", "Candidatures et file d'attente"),
        ("Capacité", "Capacité des viviers"),
        ("Délibérations", "Délibérations"),
        ("Temps passé", "Temps passé par commune"),
    ]:
        follow_menu(page, label)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_accessible(page)
    page.goto("/adhesions/capacite/")
    expect(page.locator("figure.chart svg")).to_have_count(2)
    page.goto("/adhesions/candidatures/")
    click_and_wait(page.get_by_role("link", name="Changer le rang de Goyrans"))
    assert_accessible(page)


def test_odars_manager_uploads_a_deliberation_checks_and_confirms(page, tmp_path):
    from pathlib import Path

    seed = Path(__file__).with_name("documents") / "odars-2024-05-04.txt"
    document = tmp_path / "deliberation-odars.txt"
    document.write_text(
        seed.read_text(encoding="utf-8").replace("N°2024-05-04", "N°2024-05-11"),
        encoding="utf-8",
    )
    sign_in(page, "odars-manager")
    page.goto("/adhesions/communes/31402/")
    click_and_wait(page.get_by_role("link", name="Enregistrer une délibération"))
    page.get_by_label("Document de la délibération (texte ou PDF)").set_input_files(str(document))
    click_and_wait(page.get_by_role("button", name="Lire et préremplir"))
    expect(page.get_by_role("heading", name="Lu dans « deliberation-odars.txt »")).to_be_visible()
    expect(page.get_by_text("10 présents annoncés, 9 noms listés.")).to_be_visible()
    expect(page.locator("#id_number")).to_have_value("2024-05-11")
    expect(page.get_by_label("Date de la séance")).to_have_value("2024-05-22")
    expect(page.get_by_label("Date de publication")).to_have_value("")
    assert_accessible(page)
    page.get_by_label("Objet pour le programme").select_option("other")
    page.get_by_label("Nombre de présents annoncé").fill("9")
    click_and_wait(page.get_by_role("button", name="Confirmer et enregistrer"))
    expect(page.get_by_text("La délibération est enregistrée.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Délibération n° 2024-05-11")
    expect(page.get_by_text("(members_named_mismatch)")).to_be_visible()
    expect(page.get_by_text("(present_count_mismatch)")).to_have_count(0)
    assert_accessible(page)


def test_the_draft_deliberation_page_is_accessible(page):
    sign_in(page, "odars-manager")
    page.goto("/adhesions/communes/31402/")
    click_and_wait(page.get_by_role("link", name="Projet de délibération d'adhésion"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Projet de délibération d'adhésion d'Odars"
    )
    expect(page.get_by_role("link", name="Télécharger en Word (.docx, modifiable)")).to_be_visible()
    assert_accessible(page)
