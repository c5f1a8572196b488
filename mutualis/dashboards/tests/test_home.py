"""The site's root sends each visitor to where their roles start."""

from django.urls import reverse

from mutualis.accounts.models import User


def test_anonymous_visitor_is_sent_to_login(client, db):
    assert client.get(reverse("home"))["Location"] == reverse("accounts:login")


def test_coordinator_is_sent_to_what_needs_action_today(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("home"))["Location"] == reverse("dashboards:home_actions")


def test_commune_manager_is_sent_to_their_commune(client, labege_manager):
    client.force_login(labege_manager)
    assert client.get(reverse("home"))["Location"] == reverse("dashboards:my_commune")


def test_user_without_a_role_is_sent_to_the_programme(client, db):
    user = User.objects.create_user(username="no-role", email="no-role@example.org")
    client.force_login(user)
    assert client.get(reverse("home"))["Location"] == reverse("programme:detail")
