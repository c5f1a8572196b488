"""Alert emails on publication, the weekly digest (idempotent per week), unsubscribing."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from mutualis.information import services
from mutualis.information.enums import Category, Severity
from mutualis.information.models import DigestSent, Post
from mutualis.information.tests.factories import published_post

pytestmark = pytest.mark.django_db


def _to(outbox) -> set[str]:
    return {address.split("@")[0] for m in outbox for address in m.to}


def test_publishing_an_alert_emails_exactly_its_readers(odars):
    mail.outbox.clear()
    published_post("Alerte Odars", category=Category.ALERT, communes=[odars], mail=True)
    assert _to(mail.outbox) == {"odars-manager", "odars-agent"}
    message = mail.outbox[0]
    assert message.subject == "[Alerte critique] Alerte Odars"
    assert "confirmer sa lecture pour Odars" in message.body
    assert "List-Unsubscribe" not in message.extra_headers  # critical: always sent


def test_an_alert_is_emailed_once_whatever_happens_next(odars):
    mail.outbox.clear()
    post = published_post("Alerte une fois", category=Category.ALERT, communes=[odars], mail=True)
    count = len(mail.outbox)
    assert services.send_alert_emails(post) == 0
    assert services.send_due_alerts() == 0
    assert len(mail.outbox) == count == 2


def test_a_scheduled_alert_is_emailed_when_its_date_comes(odars):
    mail.outbox.clear()
    post = published_post(
        "Alerte programmée", category=Category.ALERT, communes=[odars], days_ago=-1, mail=True
    )
    assert mail.outbox == []
    Post.objects.filter(pk=post.pk).update(publish_at=timezone.now() - timedelta(minutes=1))
    call_command("send_alerts", stdout=io.StringIO())
    assert _to(mail.outbox) == {"odars-manager", "odars-agent"}


def test_unsubscribed_people_get_critical_alerts_but_not_ordinary_ones(odars, odars_agent):
    services.set_subscription(user=odars_agent, subscribed=False, by=odars_agent)
    mail.outbox.clear()
    published_post(
        "Alerte moyenne",
        category=Category.ALERT,
        severity=Severity.MEDIUM,
        communes=[odars],
        mail=True,
    )
    assert _to(mail.outbox) == {"odars-manager"}
    assert "List-Unsubscribe" in mail.outbox[0].extra_headers
    mail.outbox.clear()
    published_post("Alerte critique", category=Category.ALERT, communes=[odars], mail=True)
    assert _to(mail.outbox) == {"odars-manager", "odars-agent"}


def test_the_digest_is_sent_once_per_week(odars):
    published_post("Actualité de la semaine pour Odars", communes=[odars])
    mail.outbox.clear()
    out = io.StringIO()
    call_command("send_digest", stdout=out, stderr=io.StringIO())
    digests = [m for m in mail.outbox if "Actualité de la semaine pour Odars" in m.body]
    # its commune's people, and the intercommunal staff (who read everything published)
    assert {m.to[0].split("@")[0] for m in digests} == {
        "odars-manager",
        "odars-agent",
        "coordinator",
        "referent",
        "finance",
        "observer",
    }
    sent = len(mail.outbox)
    assert sent == DigestSent.objects.count()
    mail.outbox.clear()
    call_command("send_digest", stdout=out, stderr=io.StringIO())
    assert mail.outbox == []
    assert f"déjà envoyées cette semaine : {sent}" in out.getvalue()


def test_the_digest_leaves_out_alerts_and_what_is_not_addressed(odars, labege):
    published_post("Pour Labège seulement", communes=[labege])
    published_post("Alerte du jour", category=Category.ALERT)
    published_post("Pour Odars seulement", communes=[odars])
    mail.outbox.clear()
    services.send_digests()
    odars_mail = next(m for m in mail.outbox if m.to == ["odars-agent@demo.mutualis.localhost"])
    assert "Pour Odars seulement" in odars_mail.body
    assert "Pour Labège seulement" not in odars_mail.body
    assert "Alerte du jour" not in odars_mail.body
    assert "/information/desabonnement/" in odars_mail.body


def test_next_week_brings_only_what_is_new(odars, odars_agent):
    first = published_post("Première nouvelle", communes=[odars], days_ago=9)
    services.send_digests(now=timezone.now() - timedelta(days=7))  # last week's run
    assert DigestSent.objects.filter(user=odars_agent).count() == 1
    published_post("Deuxième nouvelle", communes=[odars])
    mail.outbox.clear()
    services.send_digests()
    body = next(m for m in mail.outbox if m.to == ["odars-agent@demo.mutualis.localhost"]).body
    assert "Deuxième nouvelle" in body and first.title not in body


def test_unsubscribing_from_the_link_needs_no_sign_in(client, odars_agent):
    token = services.unsubscribe_token(odars_agent)
    url = reverse("information:unsubscribe", args=[token])
    page = client.get(url)
    assert page.status_code == 200 and "Confirmer le désabonnement" in page.content.decode()
    assert not services.is_unsubscribed(odars_agent)  # a GET only asks
    response = client.post(url)
    assert "est fait : vous ne recevrez plus" in response.content.decode()
    assert services.is_unsubscribed(odars_agent)
    published_post("Nouvelle après désabonnement")
    mail.outbox.clear()
    services.send_digests()
    assert "odars-agent@demo.mutualis.localhost" not in {m.to[0] for m in mail.outbox}


def test_a_forged_unsubscribe_link_is_refused(client, odars_agent):
    token = services.unsubscribe_token(odars_agent)
    response = client.post(reverse("information:unsubscribe", args=[token[:-2] + "xx"]))
    assert response.status_code == 404
    assert "pas valide" in response.content.decode()
    assert not services.is_unsubscribed(odars_agent)


def test_signed_in_people_change_their_choice(client, odars_agent):
    client.force_login(odars_agent)
    client.post(reverse("information:mail_preferences"), {"subscribed": "0"})
    assert services.is_unsubscribed(odars_agent)
    client.post(reverse("information:mail_preferences"), {"subscribed": "1"})
    assert not services.is_unsubscribed(odars_agent)
