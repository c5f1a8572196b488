"""Walk every URL pattern: each view declares its rule, and none leaks Odars' data to Labège.

When you add a URL with a new path argument, add a sample for it to SAMPLES: a function of the
Odars commune returning an object key that belongs to Odars (from the demo data). Arguments listed
there are commune-scoped: Labège's people must get 403/404 for them. Where two apps use the same
argument name for different objects, key the sample "<url namespace>:<argument>".
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from mutualis.core.access import declared_rule, rule_name

ODARS = "31402"


def _not_labege(model, commune_path: str):
    """An object of Odars if the demo has one, else of another commune than Labège: Labège's
    people must be refused it all the same (the demo gives Odars no convention: base offer only)."""

    def sample(odars):
        from mutualis.membership import models

        queryset = getattr(models, model).objects.order_by("pk")
        own = queryset.filter(**{commune_path: odars}).first()
        other = queryset.exclude(**{f"{commune_path}__insee_code": "31254"}).first()
        return (own or other).pk

    return sample


# argument name -> (sample value for an Odars-owned object, commune-scoped?)
SAMPLES = {
    "membership_id": (
        lambda odars: odars.memberships.order_by("pk").first().pk,
        True,
    ),
    "deliberation_id": (lambda odars: odars.deliberations.order_by("pk").first().pk, True),
    "scan_id": (lambda odars: _odars_scan_reading(odars), True),
    "convention_id": (_not_labege("Convention", "membership__commune"), True),
    "amendment_id": (_not_labege("Amendment", "convention__membership__commune"), True),
    "insee_code": (lambda odars: odars.insee_code, True),
    "token": (lambda odars: "unknown-token", False),
    "uidb64": (lambda odars: "MQ", False),
    "review_number": (lambda odars: 1, False),
    "asset_id": (lambda odars: odars.assets.first().pk, True),
    "software_id": (lambda odars: odars.business_software.first().pk, True),
    "exercise_id": (lambda odars: odars.crisis_exercises.first().pk, True),
    "log_id": (lambda odars: odars.crisis_logs.first().pk, True),
    "what": (lambda odars: "contact", False),
    "domain": (lambda odars: "civil_status", False),
    "diagnostic_id": (lambda odars: _cyber("diagnostic", odars), True),
    "plan_measure_id": (lambda odars: _cyber("plan_measure", odars), True),
    "evidence_id": (lambda odars: _cyber("evidence", odars), True),
    "advice_id": (lambda odars: _cyber("advice", odars), True),
    # purchasing and support (shared catalogue objects are not commune-scoped)
    "purchasing:offer_id": (lambda odars: _first("purchasing.NegotiatedOffer"), False),
    "purchasing:document_id": (lambda odars: _first("purchasing.OfferDocument"), False),
    "purchasing:campaign_id": (lambda odars: _first("purchasing.Campaign"), False),
    "purchasing:supplier_id": (lambda odars: _first("purchasing.Supplier"), False),
    "support:supplier_id": (lambda odars: _first("purchasing.Supplier"), False),
    "join_request_id": (lambda odars: _first("purchasing.JoinRequest", commune=odars), True),
    "contract_id": (lambda odars: _first("purchasing.Contract", commune=odars), True),
    "roadmap_item_id": (lambda odars: _odars_roadmap_item(odars), True),
    "request_id": (lambda odars: _first("support.SupportRequest", commune=odars), True),
    "attachment_id": (
        lambda odars: _first("support.SupportAttachment", request__commune=odars),
        True,
    ),
    "call_id": (lambda odars: _contributions().call_of(odars).pk, True),
    "credit_note_id": (lambda odars: _contributions().credit_note_of(odars).pk, True),
    "reminder_id": (lambda odars: _contributions().reminder_of(odars).pk, True),
    # information: a post, its attachment, a document and its version for Odars alone
    "post_id": (lambda odars: _information().Post.objects.get(title=_odars_post()).pk, True),
    "post_attachment_id": (
        lambda odars: _information().PostAttachment.objects.get(post__title=_odars_post()).pk,
        True,
    ),
    "information:document_id": (
        lambda odars: _information().Document.objects.filter(owner_commune=odars).first().pk,
        True,
    ),
    "version_id": (
        lambda odars: (
            _information().DocumentVersion.objects.filter(document__owner_commune=odars).first().pk
        ),
        True,
    ),
    "role_id": (
        lambda odars: (
            odars.user_roles.filter(ended_at=None, role="agent").order_by("pk").first().pk
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
    "module_slug": (lambda odars: "phishing", False),
    "step": (lambda odars: 1, False),
    "attempt_id": (lambda odars: _awareness_sample(odars, "attempt"), True),
    "attestation_number": (lambda odars: _awareness_sample(odars, "attestation"), True),
    "awareness:campaign_id": (lambda odars: _awareness_sample(odars, "campaign"), True),
    "session_id": (lambda odars: _awareness_sample(odars, "session"), True),
    "attendee_id": (lambda odars: _awareness_sample(odars, "attendee"), True),
    # operations: an Odars person's account (coordinators only), an outbox message (none: 404).
    "user_id": (lambda odars: odars.user_roles.first().user_id, True),
    "email_id": (lambda odars: 0, False),
}


def _cyber(kind: str, odars) -> int:
    """Odars' completed diagnostic, a measure of its plan with evidence, its first advice."""
    from mutualis.cyber.models import Diagnostic, Evidence, FirstAdviceRecord

    if kind == "advice":
        return FirstAdviceRecord.objects.filter(commune=odars).first().pk
    evidence = Evidence.objects.filter(plan_measure__diagnostic__commune=odars).first()
    if kind == "evidence":
        return evidence.pk
    if kind == "plan_measure":
        return evidence.plan_measure_id
    return Diagnostic.objects.completed().filter(commune=odars).first().pk


def _odars_scan_reading(odars) -> int:
    """The demo has no scanned deliberation waiting for OCR: queue one for Odars."""
    from mutualis.membership.models import ScanReading

    scan, _ = ScanReading.objects.get_or_create(
        commune=odars,
        filename="scan-odars.pdf",
        defaults={
            "uploaded_by": odars.user_roles.first().user,
            "pdf": "deliberations/pending/x.pdf",
        },
    )
    return scan.pk


def _first(label: str, **filters) -> int:
    from django.apps import apps

    return apps.get_model(label).objects.filter(**filters).order_by("pk").first().pk


def _odars_roadmap_item(odars) -> int:
    """Odars is in the base offer only in the demo, so its roadmap is empty: make one item."""
    from mutualis.purchasing.models import RoadmapItem

    item, _ = RoadmapItem.objects.get_or_create(
        commune=odars,
        label="Échantillon Odars",
        defaults={"year": 2026, "category": "other", "estimated_cost": 1},
    )
    return item.pk


def _contributions():
    from mutualis.contributions import testing

    return testing


def _awareness_sample(odars, kind: str):
    """Odars-owned awareness objects: odars-agent's results and the Odars manager's campaign
    come from the demo; the demo's only on-site session is at Labège, so one is made at Odars."""
    from mutualis.awareness import models

    if kind == "attempt":
        return models.QuizAttempt.objects.filter(progress__user__username="odars-agent")[0].pk
    if kind == "attestation":
        return models.Attestation.objects.filter(user__username="odars-agent")[0].number
    if kind == "campaign":
        return models.Campaign.objects.filter(commune=odars)[0].pk
    session = models.OnsiteSession.objects.filter(commune=odars).first()
    if session is None:
        from datetime import timedelta

        from django.utils import timezone

        from mutualis.accounts.models import User
        from mutualis.awareness import services

        referent = User.objects.get(username="referent")
        session = services.schedule_session(
            by=referent, commune=odars, title="Session Odars", starts_at=timezone.now() + timedelta(days=3),
            duration_minutes=60, place="Mairie d'Odars", facilitator="Référent",
            in_advanced_offer=False, outside_offer_reason="Test",
        )  # fmt: skip
        services.register_attendee(session=session, by=referent, full_name="Agent d'Odars")
    return session.pk if kind == "session" else session.attendees.first().pk


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


# Samples that belong to the Sicoval's programme (not to one commune): the coordinator of another
# programme must be refused them all the same.
PROGRAMME_OWNED = {
    "purchasing:campaign_id",
    "awareness:campaign_id",
    "thread_id",
    "message_attachment_id",
    "post_id",
    "post_attachment_id",
}


# What only the Sicoval's programme's people may read: Odars' name, and the titles of the
# programme's own campaigns and threads (the demo's).
SICOVAL_SECRETS = [
    b"Odars",
    "Les essentiels de la cybersécurité 2026".encode(),
    "Sauvegardes externalisées".encode(),
    b"Postes de travail 2026",
]


def _build(
    route: str, odars, namespace: str | None = None, *, programme_scoped: bool = False
) -> tuple[str, bool] | None:
    scoped = False
    names = re.findall(r"<(?:\w+:)?(\w+)>", route)
    url = route
    for name in names:
        key = f"{namespace}:{name}" if f"{namespace}:{name}" in SAMPLES else name
        sample = SAMPLES.get(key)
        if sample is None:
            return None
        make, is_scoped = sample
        scoped = scoped or is_scoped or (programme_scoped and key in PROGRAMME_OWNED)
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
        if namespace not in DELEGATED and _build(route, odars, namespace) is None
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
        built = _build(route, odars, namespace)
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


def _information():
    from mutualis.information import models

    return models


def _odars_post():
    from mutualis.information.demo import ODARS_POST_TITLE

    return ODARS_POST_TITLE


@pytest.mark.django_db
def test_walk_all_pages_as_the_coordinator_of_another_programme(client, odars):
    """A second programme on a second territory, with its own coordinator: no page, export, PDF or
    error of the Sicoval's communes reaches them (0 cross-programme leaks), scoped or not."""
    from mutualis.programme.tests.second_programme import load_second_programme

    _second, bellevue_coordinator = load_second_programme()
    client.force_login(bellevue_coordinator)
    leaks = []
    for route, _pattern, namespace in _patterns():
        if namespace in DELEGATED:
            continue
        url, scoped = _build(route, odars, namespace, programme_scoped=True)
        response = client.get(url)
        assert response.status_code < 500, url
        if scoped and response.status_code not in {302, 403, 404, 405}:
            leaks.append((url, response.status_code))
        body = b"".join(response.streaming_content) if response.streaming else response.content
        for secret in SICOVAL_SECRETS:
            if secret in body:
                leaks.append((url, secret.decode()))
    assert leaks == [], "\n".join(map(str, leaks))


@pytest.mark.django_db
def test_the_sicoval_coordinator_cannot_open_the_other_programmes_communes(client, coordinator):
    from mutualis.programme.tests.second_programme import load_second_programme

    second, _ = load_second_programme()
    pechbonnieu = second.epcis.get().communes.get(name="Pechbonnieu")
    client.force_login(coordinator)
    opened = []
    for route, _pattern, namespace in _patterns():
        if namespace in DELEGATED or re.findall(r"<(?:\w+:)?(\w+)>", route) != ["insee_code"]:
            continue
        url = "/" + re.sub(r"<(?:\w+:)?insee_code>", pechbonnieu.insee_code, route).lstrip("/")
        response = client.get(url)
        if response.status_code not in {302, 403, 404, 405} or b"Pechbonnieu" in response.content:
            opened.append((url, response.status_code))
    assert opened == []
