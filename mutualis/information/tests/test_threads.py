"""Exchanges (experience sharing) among communes of both advanced offers and the programme team."""

import pytest
from django.urls import reverse

from mutualis.information import services
from mutualis.information.enums import Category, PostStatus
from mutualis.information.models import Message, Post, PostAttachment, Thread
from mutualis.information.tests.factories import published_post, put_in_offer, upload
from mutualis.membership.enums import Status
from mutualis.programme.services import shipped_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread():
    from mutualis.information.demo import THREAD_TITLE

    return Thread.objects.get(title=THREAD_TITLE)


def test_communes_of_the_base_offer_have_no_access(client, odars_manager, odars_agent, thread):
    for user in (odars_manager, odars_agent):
        client.force_login(user)
        assert client.get(reverse("information:threads")).status_code == 403
        assert client.get(reverse("information:thread", args=[thread.pk])).status_code == 403
        attachment = thread.messages.last().attachments.first()
        assert (
            client.get(reverse("information:message_attachment", args=[attachment.pk])).status_code
            == 403
        )


def test_labege_it_and_the_coordinator_take_part(client, labege_it, labege, coordinator, thread):
    client.force_login(labege_it)
    page = client.get(reverse("information:thread", args=[thread.pk])).content.decode()
    assert "Labège" in page and "Intercommunalité" in page
    response = client.post(
        reverse("information:thread", args=[thread.pk]),
        {"body": "Nous restaurons en **4 heures**.", "attachments": [upload("mesures.pdf")]},
        follow=True,
    )
    assert "Réponse publiée" in response.content.decode()
    message = Message.objects.filter(thread=thread).last()
    assert message.author_commune == labege
    assert "<strong>4 heures</strong>" in message.body_html
    assert message.attachments.get().original_name == "mesures.pdf"


def test_observers_read_but_do_not_write(client, observer, thread):
    client.force_login(observer)
    assert client.get(reverse("information:thread", args=[thread.pk])).status_code == 200
    assert (
        client.post(reverse("information:thread", args=[thread.pk]), {"body": "x"}).status_code
        == 404
    )
    assert client.get(reverse("information:thread_create")).status_code == 403


def test_markdown_is_sanitised(labege_it, labege):
    thread = services.start_thread(
        programme=shipped_programme(),
        title="Test",
        body="<script>alert(1)</script>[lien](javascript:alert(1)) <img src=x onerror=alert(1)>",
        by=labege_it,
        commune=labege,
    )
    html = thread.messages.get().body_html
    assert "<script" not in html and "javascript:" not in html and "onerror" not in html


def test_a_thread_becomes_a_published_study(client, coordinator, thread, labege_it, odars_agent):
    client.force_login(coordinator)
    form = client.get(reverse("information:thread_study", args=[thread.pk])).content.decode()
    assert "### Labège" in form  # the draft text names each contribution's commune
    response = client.post(
        reverse("information:thread_study", args=[thread.pk]),
        {
            "title": "Étude : sauvegardes externalisées",
            "body": "Synthèse des retours de Labège.",
            "audience": "all",
            "to_managers": "on",
            "to_agents": "on",
            "to_it_agents": "on",
        },
    )
    study = Post.objects.get(title="Étude : sauvegardes externalisées")
    assert response.status_code == 302 and response["Location"] == study.get_absolute_url()
    assert (study.category, study.status, study.thread) == (
        Category.STUDY,
        PostStatus.PUBLISHED,
        thread,
    )
    assert (
        PostAttachment.objects.filter(post=study).values_list("original_name", flat=True).get()
        == "comparatif-sauvegardes.csv"
    )
    # published for every member commune: Odars' agent reads it and its attachment
    client.force_login(odars_agent)
    assert client.get(study.get_absolute_url()).status_code == 200
    attachment = study.attachments.get()
    assert (
        client.get(reverse("information:post_attachment", args=[attachment.pk])).status_code == 200
    )


def test_a_commune_of_the_advanced_offer_without_it_takes_part(
    client, odars, odars_manager, thread
):
    put_in_offer(odars, Status.ACTIVE, offer="advanced-without-it")
    client.force_login(odars_manager)
    assert client.get(reverse("information:threads")).status_code == 200
    response = client.post(
        reverse("information:thread", args=[thread.pk]), {"body": "Et chez nous ?"}, follow=True
    )
    assert "Réponse publiée" in response.content.decode()
    assert Message.objects.filter(thread=thread).last().author_commune == odars


def test_the_specific_watch_reaches_both_advanced_offers_not_the_base(
    client, odars, odars_manager, labege_manager
):
    post = published_post(
        "Veille juridique spécifique", category=Category.LEGAL_WATCH, audience="advanced"
    )
    client.force_login(odars_manager)  # Odars: base offer only
    assert client.get(post.get_absolute_url()).status_code == 404
    client.force_login(labege_manager)  # Labège: advanced offer with IT department
    assert client.get(post.get_absolute_url()).status_code == 200
    put_in_offer(odars, Status.ACTIVE, offer="advanced-without-it")
    client.force_login(odars_manager)
    assert client.get(post.get_absolute_url()).status_code == 200
    assert set(post.addressed_communes().values_list("insee_code", flat=True)) >= {
        "31402",
        "31254",
    }
