"""Campaigns: who may assign what to whom, what agents see, and idempotent email reminders."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from mutualis.awareness import services
from mutualis.awareness.models import AwarenessModule, Campaign, CampaignScope, Reminder
from mutualis.programme.services import shipped_programme

pytestmark = pytest.mark.django_db


def _modules(*slugs):
    return [AwarenessModule.objects.get(slug=slug) for slug in slugs]


def test_coordinator_assigns_modules_to_chosen_communes(client, coordinator, labege):
    client.force_login(coordinator)
    due = timezone.localdate() + timedelta(days=30)
    response = client.post(
        reverse("awareness:campaign_new"),
        {
            "title": "Sauvegardes à Labège",
            "modules": [m.pk for m in _modules("backups")],
            "due_date": due.isoformat(),
            "scope": "communes",
            "communes": [labege.pk],
        },
    )
    campaign = Campaign.objects.get(title="Sauvegardes à Labège")
    assert response["Location"] == reverse("awareness:campaign", args=[campaign.pk])
    assert list(campaign.communes.all()) == [labege] and campaign.commune is None
    page = client.get(response["Location"]).content.decode()
    assert "Labège" in page and "0 / 2" in page  # 2 people, 1 module each, none done


def test_a_past_due_date_is_refused_with_a_message(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("awareness:campaign_new"),
        {
            "title": "Trop tard",
            "modules": [m.pk for m in _modules("backups")],
            "due_date": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "scope": "all",
        },
    )
    assert "L&#x27;échéance est déjà passée" in response.content.decode()
    assert not Campaign.objects.filter(title="Trop tard").exists()


def test_a_manager_assigns_modules_to_their_own_agents_only(client, odars_manager, odars_agent):
    client.force_login(odars_manager)
    form = client.get(reverse("awareness:campaign_new")).context["form"]
    assert "communes" not in form.fields
    assert set(form.fields["agents"].queryset.values_list("username", flat=True)) == {
        "odars-manager",
        "odars-agent",
    }
    response = client.post(
        reverse("awareness:campaign_new"),
        {
            "title": "Mobiles",
            "modules": [m.pk for m in _modules("mobile")],
            "due_date": (timezone.localdate() + timedelta(days=10)).isoformat(),
            "scope": "agents",
            "agents": [odars_agent.pk],
        },
    )
    campaign = Campaign.objects.get(title="Mobiles")
    assert response.status_code == 302 and campaign.commune.insee_code == "31402"


def test_the_service_refuses_an_agent_of_another_commune(odars_manager, odars, labege_it):
    with pytest.raises(services.AwarenessError, match="ne travaille"):
        services.create_campaign(
            programme=shipped_programme(),
            by=odars_manager,
            title="Intrus",
            modules=_modules("mobile"),
            due_date=timezone.localdate() + timedelta(days=3),
            scope=CampaignScope.AGENTS,
            agents=[labege_it],
            commune=odars,
        )


def test_a_labege_manager_neither_sees_nor_cancels_odars_campaign(client, labege_manager, odars):
    campaign = Campaign.objects.get(commune=odars)
    client.force_login(labege_manager)
    assert client.get(reverse("awareness:campaign", args=[campaign.pk])).status_code == 404
    response = client.post(
        reverse("awareness:campaign_cancel", args=[campaign.pk]), {"reason": "x"}
    )
    assert response.status_code == 404
    titles = [c.title for c in client.get(reverse("awareness:campaigns")).context["campaigns"]]
    assert campaign.title not in titles and "Les essentiels de la cybersécurité 2026" in titles


def test_a_manager_sees_their_agents_on_the_all_communes_campaign_but_no_other_commune(
    client, labege_manager
):
    campaign = Campaign.objects.get(scope=CampaignScope.ALL)
    client.force_login(labege_manager)
    response = client.get(reverse("awareness:campaign", args=[campaign.pk]))
    assert [r["commune"].name for r in response.context["rows"]] == ["Labège"]
    assert "Odars" not in response.content.decode()
    assert not response.context["can_cancel"]


def test_cancelling_needs_a_reason_and_hides_the_campaign_from_agents(
    client, odars_manager, odars_agent, odars
):
    campaign = Campaign.objects.get(commune=odars)
    client.force_login(odars_manager)
    url = reverse("awareness:campaign_cancel", args=[campaign.pk])
    assert client.post(url, {"reason": ""}).status_code == 200
    client.post(url, {"reason": "Remplacée par une session en présentiel"})
    campaign.refresh_from_db()
    assert campaign.cancelled_by == odars_manager
    client.force_login(odars_agent)
    due = [d["campaign"] for d in client.get(reverse("awareness:home")).context["due"]]
    assert campaign not in due


def test_reminders_are_sent_once_per_kind_and_not_to_those_who_finished(odars_agent):
    today = timezone.localdate()
    report = services.send_reminders(today=today)
    # The all-communes campaign: every person with modules left gets "assigned" once.
    assert report.sent["assigned"] > 0
    odars_agent_mails = [m for m in mail.outbox if odars_agent.email in m.to]
    subjects = sorted(m.subject for m in odars_agent_mails)
    assert "Sensibilisation : Les essentiels de la cybersécurité 2026" in subjects
    # The Odars campaign is due in 5 days: it starts with the "due soon" reminder, alone.
    odars = [s for s in subjects if "Odars : sauvegardes" in s]
    assert odars == [
        "Rappel : Odars : sauvegardes et incidents, à terminer avant le "
        + Campaign.objects.get(title__startswith="Odars").due_date.strftime("%d/%m/%Y")
    ]
    body = next(m.body for m in odars_agent_mails if "essentiels" in m.subject)
    assert "La messagerie et les pièces jointes" in body
    assert "Mots de passe" not in body  # already passed: not asked again
    count = len(mail.outbox)
    again = services.send_reminders(today=today)
    assert sum(again.sent.values()) == 0 and len(mail.outbox) == count
    later = services.send_reminders(today=today + timedelta(days=6))
    assert later.sent["overdue"] == 1  # odars-agent, on the Odars campaign
    assert Reminder.objects.filter(user=odars_agent, kind="overdue").count() == 1


def test_the_reminder_command_is_idempotent(capsys):
    call_command("awareness_reminders")
    first = capsys.readouterr().out
    call_command("awareness_reminders")
    second = capsys.readouterr().out
    assert "Rappels envoyés : 0 nouvelle campagne, 0 échéance proche, 0 retard." in second
    assert first != second
