"""People trained are distinct persons of the commune: once whether online, on site or both;
an attendee without an account is a person of the commune for that session only; never more
people trained than people (« 4 formées sur 2 »)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mutualis.awareness import stats
from mutualis.awareness.models import Attendee, OnsiteSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(odars, referent):
    return OnsiteSession.objects.create(
        commune=odars,
        title="Hameçonnage",
        starts_at=timezone.now() - timedelta(days=3),
        place="Mairie",
        facilitator="Référent",
        created_by=referent,
    )


def _attend(session, *, user=None, name="Invité", by):
    return Attendee.objects.create(
        session=session, full_name=name, user=user, registered_by=by, present=True
    )


def _odars(odars):
    return next(f for f in stats.figures([odars]).communes if f.commune == odars)


@pytest.fixture
def newcomer(odars, referent):
    """An agent of Odars who has done no module online."""
    from mutualis.accounts.models import CommuneRole, User

    user = User.objects.create_user(username="newcomer", email="newcomer@odars.example")
    CommuneRole.objects.create(user=user, commune=odars, role="agent", granted_by=referent)
    return user


def test_people_trained_never_exceed_people(odars, session, newcomer, labege_manager, referent):
    before = _odars(odars)
    _attend(session, user=newcomer, by=referent)
    _attend(session, user=newcomer, by=referent)  # listed twice: still one person
    _attend(session, user=labege_manager, by=referent)  # not one of Odars' people
    _attend(session, name="Secrétaire remplaçante", by=referent)  # no account

    fig = _odars(odars)
    assert fig.people == before.people + 1  # the attendee without account, for that session
    assert fig.trained == before.trained + 2  # the newcomer and the attendee without account
    assert fig.trained <= fig.people and fig.trained_rate <= 100


def test_a_person_trained_on_site_twice_counts_once_on_the_page(
    client, odars, session, newcomer, odars_manager, referent
):
    _attend(session, user=newcomer, by=referent)
    once = _odars(odars).trained
    second = OnsiteSession.objects.create(
        commune=odars,
        title="Mots de passe",
        starts_at=timezone.now() - timedelta(days=1),
        place="Mairie",
        facilitator="Référent",
        created_by=referent,
    )
    _attend(second, user=newcomer, by=referent)
    fig = _odars(odars)
    assert fig.trained == once
    client.force_login(odars_manager)
    page = client.get("/sensibilisation/resultats/31402/").content.decode()
    assert f"<strong>{fig.trained}</strong> / {fig.people}" in page
