"""A creation form posted twice in a row (a double click) creates one object, in every capability.

Each case opens the form page as the person who uses it, reads the form's one-time token from
the page (so the page must render it), posts the same answers twice with that token, and counts
one new object; the second post goes where the first went, saying the form was already sent.
Support requests and experience threads claim their token in their service: their own tests
(support/tests, information/tests/test_double_submit.py).
"""

import io
import re
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.utils import timezone

from mutualis.accounts.models import Invitation, User
from mutualis.awareness.models import AwarenessModule, Campaign, OnsiteSession
from mutualis.continuity.models import (
    BackupCopy,
    CrisisContact,
    CrisisExercise,
    CrisisLog,
    EssentialActivity,
)
from mutualis.contributions.models import Call, DayEntry, Payment
from mutualis.cyber.models import Diagnostic, FirstAdviceRecord
from mutualis.cyber.tests.test_first_advice import _worst as _worst_first_advice
from mutualis.information.models import Document, Feed, Folder, Post
from mutualis.inventory.models import Asset, BusinessSoftware
from mutualis.membership.models import Deliberation, Membership, TimeLog
from mutualis.purchasing.models import (
    Contract,
    JoinRequest,
    NegotiatedOffer,
    RoadmapItem,
    Supplier,
)
from mutualis.support.models import ProviderLink
from mutualis.territory.models import Commune

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="((?:[\w-]+-)?submission)" value="([0-9a-f]{32})"')


def _token(page: str, field_name: str) -> str | None:
    return next((t for name, t in TOKEN.findall(page) if name == field_name), None)


TODAY = timezone.localdate()
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _pk(model: type[Model], **lookup) -> str:
    return str(model.objects.filter(**lookup).order_by("pk").values_list("pk", flat=True)[0])


def _commune(insee: str) -> str:
    return _pk(Commune, insee_code=insee)


@dataclass
class Case:
    user: str
    url: object  # the form page, or a function finding it in the demo data
    model: type[Model]
    data: object  # a function returning the answers (it may read the demo data)
    files: dict = field(default_factory=dict)  # name -> (file name, bytes), a fresh upload per post
    token: str = "submission"  # the token field's name (with its form's prefix)

    def answers(self) -> dict:
        answers = self.data()
        for name, (filename, content) in self.files.items():
            answers[name] = SimpleUploadedFile(filename, content)
        return answers


CASES = {
    "awareness campaign": Case(
        "coordinator",
        "/sensibilisation/campagnes/nouvelle/",
        Campaign,
        lambda: {
            "title": "Double clic",
            "modules": [_pk(AwarenessModule)],
            "due_date": (TODAY + timedelta(days=30)).isoformat(),
            "scope": "all",
            "message": "",
        },
    ),
    "awareness on-site session": Case(
        "coordinator",
        "/sensibilisation/sessions/nouvelle/",
        OnsiteSession,
        lambda: {
            "commune": _commune("31254"),
            "title": "Double clic",
            "date": (TODAY + timedelta(days=20)).isoformat(),
            "time": "14:00",
            "duration_minutes": "90",
            "place": "Salle du conseil",
            "facilitator": "Claire Coordinatrice",
            "modules": [_pk(AwarenessModule)],
            "outside_offer_reason": "Une demande du maire",
        },
    ),
    "continuity crisis contact": Case(
        "odars-manager",
        "/continuite/communes/31402/ajouter/contact/",
        CrisisContact,
        lambda: {
            "name": "Double clic",
            "function": "Maire",
            "call_for": "Toute crise",
            "phone": "05 61 00 00 00",
            "order": "10",
        },
    ),
    "continuity essential activity": Case(
        "odars-manager",
        "/continuite/communes/31402/ajouter/activite/",
        EssentialActivity,
        lambda: {"name": "Double clic", "tolerated_downtime_hours": "24"},
    ),
    "continuity crisis exercise": Case(
        "odars-manager",
        "/continuite/communes/31402/ajouter/exercice/",
        CrisisExercise,
        lambda: {"held_on": TODAY.isoformat(), "scenario": "Double clic"},
    ),
    "continuity crisis log": Case(
        "odars-manager",
        "/continuite/communes/31402/",
        CrisisLog,
        lambda: {"title": "Double clic"},
    ),
    "continuity backup copy": Case(
        "odars-manager",
        "/continuite/communes/31402/sauvegarde/",
        BackupCopy,
        lambda: {"form": "copy", "name": "Double clic", "medium": "nas", "frequency_days": "7"},
    ),
    "inventory asset": Case(
        "odars-manager",
        "/systeme-information/communes/31402/equipements/ajouter/",
        Asset,
        lambda: {"kind": "workstation", "name": "Double clic"},
    ),
    "inventory business software": Case(
        "odars-manager",
        "/systeme-information/communes/31402/logiciels/ajouter/",
        BusinessSoftware,
        lambda: {"domain": "finance", "software": "Double clic"},
    ),
    "membership application": Case(
        "odars-manager",
        "/adhesions/communes/31402/candidature/",
        Membership,
        lambda: {"offer_code": "advanced-without-it", "reason": "Conseil du 3 juin"},
    ),
    "purchasing join request": Case(
        "odars-manager",
        lambda: f"/achats/offres/{_pk(NegotiatedOffer)}/",
        JoinRequest,
        lambda: {"need": "Dix postes"},
    ),
    "membership time log": Case(
        "coordinator",
        "/adhesions/temps/",
        TimeLog,
        lambda: {"commune": _commune("31254"), "on": TODAY.isoformat(), "days": "1"},
    ),
    "purchasing supplier": Case(
        "coordinator",
        "/achats/fournisseurs/nouveau/",
        Supplier,
        lambda: {"name": "Double clic", "is_active": "on"},
    ),
    "purchasing contract": Case(
        "odars-manager",
        "/achats/communes/31402/contrats/",
        Contract,
        lambda: {
            "subject": "Double clic",
            "supplier": _pk(Supplier),
            "start_date": TODAY.isoformat(),
            "end_date": (TODAY + timedelta(days=700)).isoformat(),
            "notice_months": "3",
            "amount": "1200",
            "amount_basis": "yearly",
            "renewal": "none",
        },
    ),
    "purchasing negotiated offer": Case(
        "coordinator",
        "/achats/offres/nouvelle/",
        NegotiatedOffer,
        lambda: {
            "title": "Double clic",
            "kind": "framework",
            "supplier": _pk(Supplier),
            "description": "Une offre",
            "price": "10",
            "price_unit": "par poste",
            "valid_from": TODAY.isoformat(),
            "valid_until": (TODAY + timedelta(days=365)).isoformat(),
        },
    ),
    "purchasing roadmap item": Case(
        "labege-it",
        "/achats/communes/31254/feuille-de-route/",
        RoadmapItem,
        lambda: {
            "year": str(TODAY.year + 1),
            "label": "Double clic",
            "category": "servers",
            "estimated_cost": "750.50",
            "priority": "1",
            "notes": "",
        },
    ),
    "support provider link": Case(
        "coordinator",
        "/support/prestataires/",
        ProviderLink,
        lambda: {
            "commune": _commune("31254"),
            "supplier": _pk(Supplier),
            "since": TODAY.isoformat(),
        },
    ),
    "account invitation": Case(
        "coordinator",
        "/comptes/invitations/",
        Invitation,
        lambda: {
            "email": "double.clic@odars.fr",
            "commune": _commune("31402"),
            "commune_role": "agent",
        },
    ),
    "cyber diagnostic": Case(
        "coordinator",
        "/cybersecurite/communes/31254/diagnostics/nouveau/",
        Diagnostic,
        lambda: {"reason": ""},
    ),
    "cyber first advice": Case(
        "odars-manager",
        "/cybersecurite/communes/31402/premier-conseil/",
        FirstAdviceRecord,
        lambda: _worst_first_advice(),
    ),
    "contributions days in kind": Case(
        "labege-it",
        "/contributions/communes/31254/jours/",
        DayEntry,
        lambda: {
            "worked_on": TODAY.isoformat(),
            "half_days": "1",
            "service_code": "experience-sharing",
            "description": "Double clic",
        },
    ),
    "contributions payment": Case(
        "finance",
        lambda: f"/contributions/appels/{_open_call().pk}/",
        Payment,
        lambda: {"amount": "1", "paid_on": TODAY.isoformat(), "reference": "Double clic"},
    ),
    "information post": Case(
        "coordinator",
        "/information/publications/nouvelle/",
        Post,
        lambda: {
            "title": "Double clic",
            "category": "news",
            "severity": "",
            "body": "Une fois.",
            "audience": "all",
            "audience_offer": "",
            "to_managers": "on",
            "publish_at": "2025-03-01T10:00",
            "expires_at": "",
        },
    ),
    "information folder": Case(
        "coordinator",
        "/information/documents/dossiers/nouveau/",
        Folder,
        lambda: {"name": "Double clic", "description": ""},
    ),
    "information document": Case(
        "coordinator",
        "/information/documents/nouveau/",
        Document,
        lambda: {
            "title": "Double clic",
            "kind": "guide",
            "folder": _pk(Folder),
            "description": "",
            "audience": "all",
            "audience_offer": "",
            "to_managers": "on",
        },
        files={"file": ("guide.pdf", PDF)},
    ),
    "information watch feed": Case(
        "coordinator",
        "/information/veille/",
        Feed,
        lambda: {
            "feed-name": "Double clic",
            "feed-url": "https://example.org/flux.xml",
            "feed-category": "tech_watch",
        },
        token="feed-submission",
    ),
}


def _open_call() -> Call:
    """A call of the demo with something left to pay."""
    return Call.objects.live().with_balance().filter(outstanding__gt=0).order_by("pk").first()


def _url(case: Case) -> str:
    return case.url() if callable(case.url) else case.url


def _form_action(page: str, field_name: str) -> str | None:
    """The action of the form that holds the token field (None: the page itself)."""
    for form in re.findall(r"<form\b[^>]*>.*?</form>", page, re.DOTALL):
        if f'name="{field_name}"' in form:
            action = re.match(r'<form\b[^>]*?\baction="([^"]*)"', form)
            return action.group(1) if action else None
    return None


@pytest.mark.parametrize("name", CASES)
def test_a_creation_form_posted_twice_creates_one_object(client, name):
    case = CASES[name]
    client.force_login(User.objects.get(username=case.user))
    url = _url(case)
    page = client.get(url)
    assert page.status_code == 200
    field_name = case.token
    token = _token(page.content.decode(), field_name)
    assert token, f"{url} renders no {field_name} token"
    target = _form_action(page.content.decode(), field_name) or url
    before = case.model.objects.count()

    first = client.post(target, {**case.answers(), field_name: token})
    assert first.status_code == 302, first.content.decode()[-3000:]
    assert case.model.objects.count() == before + 1
    second = client.post(target, {**case.answers(), field_name: token})

    assert case.model.objects.count() == before + 1
    assert second.status_code == 302 and second["Location"] == first["Location"]
    shown = client.get(second["Location"]).content.decode()
    assert "Ce formulaire a déjà été envoyé" in shown


def test_a_form_shown_again_with_its_errors_keeps_its_token_for_the_corrected_post(client):
    client.force_login(User.objects.get(username="odars-manager"))
    url = "/systeme-information/communes/31402/equipements/ajouter/"
    token = TOKEN.search(client.get(url).content.decode()).group(2)
    before = Asset.objects.count()
    wrong = client.post(url, {"kind": "workstation", "name": "", "submission": token})
    assert wrong.status_code == 200 and token in wrong.content.decode()
    right = client.post(url, {"kind": "workstation", "name": "Corrigé", "submission": token})
    assert right.status_code == 302 and Asset.objects.count() == before + 1


def test_a_post_without_a_token_runs_as_before(client):
    """A script or an old page without the field: the view works, unguarded."""
    client.force_login(User.objects.get(username="odars-manager"))
    url = "/systeme-information/communes/31402/equipements/ajouter/"
    before = Asset.objects.count()
    assert client.post(url, {"kind": "workstation", "name": "Sans jeton"}).status_code == 302
    assert Asset.objects.count() == before + 1


def test_payments_add_up_once(client):
    """The money case in full: a double click on « Enregistrer le paiement » records one amount."""
    call = _open_call()
    client.force_login(User.objects.get(username="finance"))
    token = TOKEN.search(client.get(f"/contributions/appels/{call.pk}/").content.decode())[2]
    data = {"amount": "2,50", "paid_on": TODAY.isoformat(), "reference": "x", "submission": token}
    for _ in range(2):
        client.post(f"/contributions/appels/{call.pk}/paiement/", data)
    assert list(call.payments.filter(reference="x").values_list("amount", flat=True)) == [
        Decimal("2.50")
    ]


def test_a_deliberation_confirmed_twice_is_recorded_once(client, odars_manager, odars):
    """The two-step form: the reading shows the form to confirm, with its token."""
    from mutualis.membership.tests.test_deliberation_upload import (
        SEED_TEXT,
        URL,
        _confirm_data,
        _upload,
    )

    client.force_login(odars_manager)
    read = _upload(client, "odars.txt", SEED_TEXT.encode("utf-8"))
    token = _token(read.content.decode(), "submission")
    assert token, "the confirmation form renders no token"
    data = {**_confirm_data(read.context["form"]), "submission": token}
    first = client.post(URL, data)
    second = client.post(URL, data)
    assert Deliberation.objects.filter(commune=odars, number="2024-05-09").count() == 1
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]


def test_a_confirmed_second_reminder_clicked_twice_is_sent_once(client):
    """The reminder's confirmation page is written by hand: it carries a token too."""
    from mutualis.contributions.models import Reminder
    from mutualis.contributions.tests.test_reminders import overdue_call

    call = overdue_call.__wrapped__()
    client.force_login(User.objects.get(username="finance"))
    url = f"/contributions/appels/{call.pk}/relancer/"
    assert client.post(url).status_code == 302  # the day's first reminder
    confirm = client.post(url)  # a second one the same day asks for confirmation
    token = _token(confirm.content.decode(), "submission")
    assert confirm.status_code == 200 and token
    for _ in range(2):
        client.post(url, {"confirm": "1", "submission": token})
    assert Reminder.objects.filter(call=call).count() == 2


def test_issuing_calls_twice_with_one_form_runs_once(client):
    """Issuing is idempotent by itself (a second run finds nothing new); the double click is not
    even run a second time: it is told the form was already sent."""
    client.force_login(User.objects.get(username="finance"))
    token = _token(client.get("/contributions/appels/").content.decode(), "submission")
    data = {"on": TODAY.isoformat(), "submission": token}
    first = client.post("/contributions/appels/emettre/", data)
    second = client.post("/contributions/appels/emettre/", data, follow=True)
    assert first.status_code == 302
    assert "Ce formulaire a déjà été envoyé" in second.content.decode()


def test_tokens_older_than_a_month_are_cleaned(client):
    from django.core.management import call_command

    from mutualis.core.models import Submission

    old, _recent = Submission.objects.bulk_create(
        [Submission(token="old"), Submission(token="recent")]
    )
    Submission.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=31))
    call_command("clean_expired", stdout=io.StringIO())
    assert list(
        Submission.objects.filter(token__in=["old", "recent"]).values_list("token", flat=True)
    ) == ["recent"]
