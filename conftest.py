"""Shared test set-up: the demo data set loaded once per test database, and the named users.

Named users (PRODUCT.md roles): `coordinator`, `referent`, `finance`, `observer`, `odars_manager`,
`odars_agent`, `labege_manager` (must never see Odars' data), `labege_it`.
Tests that commit (transactional_db, live_server) end with the database flushed; pytest-django runs
them after all the others, and they use `committed_demo` to find the demo loaded at their start.
"""

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from mutualis.demo.steps import load_demo

    with django_db_blocker.unblock():
        load_demo(log=lambda line: None)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: what a previous test kept (the count of communes, a
    menu) described its own data, which its rollback undid without a write to forget it by."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def committed_demo(transactional_db):
    """The demo data set, committed, for tests whose work is committed (live server, concurrency)."""
    from mutualis.demo.steps import load_demo

    load_demo(log=lambda line: None)


def _user(username):
    from mutualis.accounts.models import User

    return User.objects.get(username=username)


@pytest.fixture
def coordinator(db):
    return _user("coordinator")


@pytest.fixture
def referent(db):
    return _user("referent")


@pytest.fixture
def finance(db):
    return _user("finance")


@pytest.fixture
def observer(db):
    return _user("observer")


@pytest.fixture
def odars_manager(db):
    return _user("odars-manager")


@pytest.fixture
def odars_agent(db):
    return _user("odars-agent")


@pytest.fixture
def labege_manager(db):
    return _user("labege-manager")


@pytest.fixture
def labege_it(db):
    return _user("labege-it")


@pytest.fixture
def odars(db):
    from mutualis.territory.models import Commune

    return Commune.objects.get(insee_code="31402")


@pytest.fixture
def labege(db):
    from mutualis.territory.models import Commune

    return Commune.objects.get(insee_code="31254")


@pytest.fixture
def programme(db):
    from mutualis.programme.services import shipped_programme

    return shipped_programme()


from mutualis.core.testing.browser import browser, page  # noqa: E402, F401
