"""In Debian's chromium: the information pages pass axe-core; Odars acknowledges an alert."""

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


def test_odars_agent_reads_and_acknowledges_the_critical_alert(page):
    from mutualis.information.demo import ALERT_TITLE
    from mutualis.information.models import Acknowledgement, Post
    from mutualis.territory.models import Commune

    alert = Post.objects.get(title=ALERT_TITLE)
    Acknowledgement.objects.filter(post=alert, commune__insee_code="31402").delete()
    sign_in(page, "odars-agent")
    follow_menu(page, "Information")
    expect(
        page.get_by_role("heading", name="Alertes critiques dont la lecture est à confirmer")
    ).to_be_visible()
    assert "Fin de support de Windows 10" not in page.content()  # not in that offer
    assert_accessible(page)
    click_and_wait(page.get_by_role("link", name=ALERT_TITLE).first)
    assert_accessible(page)
    click_and_wait(page.get_by_role("button", name="Confirmer la lecture pour Odars"))
    expect(page.get_by_text("Lecture de l'alerte confirmée pour Odars.")).to_be_visible()
    assert Acknowledgement.objects.filter(
        post=alert, commune=Commune.objects.get(insee_code="31402")
    ).exists()
    assert_accessible(page)
    for path in [
        "/information/documents/",
        "/information/recherche/?q=sauvegardes",
        "/information/courriels/",
    ]:
        page.goto(path)
        assert_accessible(page)
    click_and_wait(page.get_by_role("link", name="Documents").first)
    click_and_wait(page.get_by_role("link", name="Odars — inventaire du parc informatique"))
    expect(page.get_by_role("table", name="Versions")).to_be_visible()
    assert_accessible(page)


def test_labege_it_takes_part_in_a_thread(page):
    sign_in(page, "labege-it")
    page.goto("/information/echanges/")
    assert_accessible(page)
    click_and_wait(
        page.get_by_role(
            "link", name="Sauvegardes externalisées : retours sur les solutions testées"
        )
    )
    assert_accessible(page)
    page.get_by_label("Votre réponse").fill("Nous testons aussi une restauration mensuelle.")
    click_and_wait(page.get_by_role("button", name="Publier la réponse"))
    expect(page.get_by_text("Réponse publiée.")).to_be_visible()
    assert_accessible(page)


def test_the_coordinators_pages_are_accessible(page):
    from mutualis.information.demo import ALERT_TITLE
    from mutualis.information.models import Post

    sign_in(page, "coordinator")
    alert = Post.objects.get(title=ALERT_TITLE)
    for path in [
        "/information/",
        "/information/redaction/",
        "/information/publications/nouvelle/",
        f"/information/publications/{alert.pk}/",
        f"/information/publications/{alert.pk}/lectures/",
        "/information/veille/",
        "/information/documents/nouveau/",
        "/information/echanges/",
    ]:
        page.goto(path)
        assert_accessible(page)
    page.goto(f"/information/publications/{alert.pk}/lectures/")
    expect(page.get_by_text("Lecture confirmée").first).to_be_visible()
    page.goto("/information/publications/nouvelle/")
    click_and_wait(page.get_by_role("button", name="Enregistrer"))
    expect(page.get_by_text("Ce champ est obligatoire").first).to_be_visible()
    assert_accessible(page)


def test_unsubscribe_page_is_accessible_without_sign_in(page):
    from mutualis.accounts.models import User
    from mutualis.information.services import unsubscribe_token

    token = unsubscribe_token(User.objects.get(username="odars-agent"))
    page.goto(f"/information/desabonnement/{token}/")
    assert_accessible(page)
    click_and_wait(page.get_by_role("button", name="Confirmer le désabonnement"))
    expect(page.get_by_text("vous ne recevrez plus")).to_be_visible()
    assert_accessible(page)
