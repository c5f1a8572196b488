"""Walk every URL pattern: each view declares its rule, and none leaks Odars' data to Labège.

When you add a URL with a new path argument, add a sample for it to SAMPLES: a function of the
Odars commune returning an object key that belongs to Odars (from the demo data). Arguments listed
there are commune-scoped: Labège's people must get 403/404 for them.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from mutualis.core.access import declared_rule, rule_name

ODARS = "31402"

# argument name -> (sample value for an Odars-owned object, commune-scoped?)
SAMPLES = {
    "insee_code": (lambda odars: odars.insee_code, True),
    "token": (lambda odars: "unknown-token", False),
    "uidb64": (lambda odars: "MQ", False),
    # information: a post, its attachment, a document and its version for Odars alone
    "post_id": (lambda odars: _information().Post.objects.get(title=_odars_post()).pk, True),
    "post_attachment_id": (
        lambda odars: _information().PostAttachment.objects.get(post__title=_odars_post()).pk,
        True,
    ),
    "document_id": (
        lambda odars: _information().Document.objects.filter(owner_commune=odars).first().pk,
        True,
    ),
    "version_id": (
        lambda odars: (
            _information().DocumentVersion.objects.filter(document__owner_commune=odars).first().pk
        ),
        True,
    ),
    # shared among those who may read them (no commune owns them)
    "folder_id": (lambda odars: _information().Folder.objects.first().pk, False),
    "feed_id": (lambda odars: _information().Feed.objects.first().pk, False),
    "thread_id": (lambda odars: _information().Thread.objects.first().pk, False),
    "message_attachment_id": (
        lambda odars: _information().MessageAttachment.objects.first().pk,
        False,
    ),
}


def _information():
    from mutualis.information import models

    return models


def _odars_post():
    from mutualis.information.demo import ODARS_POST_TITLE

    return ODARS_POST_TITLE


ROLES = [
    None,
    "coordinator",
    "referent",
    "finance",
    "observer",
    "odars-manager",
    "odars-agent",
    "labege-manager",
    "labege-it",
]
OUTSIDERS = {"labege-manager", "labege-it"}
# Third-party URL trees that enforce their own rule.
DELEGATED = {"admin": "Django admin: is_staff only", "api-1.0.0": "API: per-endpoint api_access"}


def _walk(resolver, prefix="", namespace=None):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry, namespace


def _patterns():
    return list(_walk(get_resolver()))


def _build(route: str, odars) -> tuple[str, bool] | None:
    scoped = False
    names = re.findall(r"<(?:\w+:)?(\w+)>", route)
    url = route
    for name in names:
        if name not in SAMPLES:
            return None
        make, is_scoped = SAMPLES[name]
        scoped = scoped or is_scoped
        url = re.sub(rf"<(?:\w+:)?{name}>", str(make(odars)), url, count=1)
    if "(" in url or "^" in url or "$" in url:
        return None
    return "/" + url.lstrip("/"), scoped


def test_every_view_declares_an_access_rule():
    undeclared = [
        route
        for route, pattern, namespace in _patterns()
        if namespace not in DELEGATED and declared_rule(pattern.callback) is None
    ]
    assert undeclared == []


@pytest.mark.django_db
def test_every_path_argument_has_a_sample(odars):
    missing = {
        route
        for route, pattern, namespace in _patterns()
        if namespace not in DELEGATED and _build(route, odars) is None
    }
    assert missing == set()


def test_every_api_operation_declares_an_access_rule():
    from mutualis.api.api import api

    undeclared = []
    for router_prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                if getattr(operation.view_func, "access_rule", None) is None:
                    undeclared.append(router_prefix + path)
    assert undeclared == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES, ids=[r or "anonymous" for r in ROLES])
def test_walk_all_pages_as_role(client, role, odars):
    from mutualis.accounts.models import User

    if role:
        client.force_login(User.objects.get(username=role))
    for route, pattern, namespace in _patterns():
        if namespace in DELEGATED:
            continue
        built = _build(route, odars)
        assert built is not None, route
        url, scoped = built
        response = client.get(url)
        assert response.status_code < 500, (role, url)
        if role is None and declared_rule(pattern.callback) != "public":
            assert response.status_code == 302 and "/comptes/connexion/" in response["Location"], (
                url
            )
        if role in OUTSIDERS and scoped:
            assert response.status_code in {302, 403, 404, 405}, (role, url)
            assert b"Odars" not in response.content, (role, url)


@pytest.mark.django_db
def test_rule_names_are_readable():
    names = {
        rule_name(declared_rule(p.callback)) for _, p, ns in _patterns() if ns not in DELEGATED
    }
    assert "undeclared" not in names
    assert "public" in names and "is_coordinator" in names
