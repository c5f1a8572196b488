import pytest
from django.core.management import CommandError, call_command

from mutualis.accounts.models import User
from mutualis.core.models import AuditEvent


@pytest.mark.django_db
def test_second_run_only_adds_what_is_missing(capsys):
    events, users = AuditEvent.objects.count(), User.objects.count()
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "déjà à jour" in out and "mutualis-demo" in out
    assert AuditEvent.objects.count() == events
    assert User.objects.count() == users


@pytest.mark.django_db
def test_every_demo_account_has_the_documented_password():
    for username in [
        "coordinator",
        "referent",
        "finance",
        "observer",
        "odars-manager",
        "odars-agent",
        "labege-manager",
        "labege-it",
    ]:
        assert User.objects.get(username=username).check_password("mutualis-demo")


@pytest.mark.django_db
def test_it_refuses_to_run_under_production_settings(settings):
    settings.DEBUG = settings.DEMO = settings.TESTING = False
    with pytest.raises(CommandError, match="production"):
        call_command("load_demo")


@pytest.mark.django_db
def test_the_reviews_are_computed_once_every_step_is_in():
    # The demo never imports the reviews: they add theirs on core.signals.demo_loaded.
    from mutualis.reviews.models import Review

    reviews = Review.objects.all()
    assert reviews.exists()
    assert reviews.filter(published_at__isnull=False).exists()
