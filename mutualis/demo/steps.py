"""The demo data set, step by step. Each capability adds its step; every step is idempotent."""

from pathlib import Path

from django.conf import settings
from django.db import transaction

from mutualis.accounts.enums import CommuneRoleKind, StaffRole
from mutualis.accounts.models import User
from mutualis.accounts.services import grant_commune_role
from mutualis.information import demo as information_demo
from mutualis.membership.models import Membership
from mutualis.membership.services import join_base_offer
from mutualis.programme.models import Programme
from mutualis.programme.participation_csv import parse_participations
from mutualis.programme.services import import_participations, load_programme
from mutualis.territory.attributes import parse_attributes
from mutualis.territory.etalab import load_json, parse_communes, parse_epcis
from mutualis.territory.models import Commune
from mutualis.territory.services import apply_commune_attributes, import_territory

DATA = Path(__file__).resolve().parent / "data"
TERRITORY = settings.PACKAGE_DIR / "territory" / "data" / "sicoval"
SICOVAL = "243100633"
ODARS, LABEGE = "31402", "31254"
PASSWORD = "mutualis-demo"  # noqa: S105 - the documented demo password

STAFF = [
    ("coordinator", StaffRole.COORDINATOR, "Claire", "Coordinatrice"),
    ("referent", StaffRole.REFERENT, "Romain", "Référent"),
    ("finance", StaffRole.FINANCE, "Fanny", "Finances"),
    ("observer", StaffRole.OBSERVER, "Odile", "Élue"),
]
COMMUNE_PEOPLE = [
    ("odars-manager", ODARS, CommuneRoleKind.MANAGER, "Martine", "Secrétaire-Odars"),
    ("odars-agent", ODARS, CommuneRoleKind.AGENT, "Alain", "Agent-Odars"),
    ("labege-manager", LABEGE, CommuneRoleKind.MANAGER, "Laure", "DGS-Labège"),
    ("labege-it", LABEGE, CommuneRoleKind.IT_AGENT, "Louis", "DSI-Labège"),
]
# Communes whose council joined the base offer in the demo (Odars by its real deliberation).
BASE_MEMBERS = [
    ODARS,
    LABEGE,
    "31036",
    "31151",
    "31409",
    "31057",
    "31169",
    "31227",
    "31113",
    "31446",
]


def territory(log) -> None:
    for vintage in (2024, 2025, 2026):
        summary = import_territory(
            communes=parse_communes(load_json(TERRITORY / f"communes-{vintage}.json")),
            epcis=parse_epcis(load_json(TERRITORY / f"epci-{vintage}.json")),
            vintage=vintage,
            epci_siren=SICOVAL,
        )
        log(f"territoire {vintage} : {'chargé' if summary.changed else 'déjà à jour'}")
    rows = parse_attributes((DATA / "commune-attributes.csv").read_text(encoding="utf-8"))
    changed = apply_commune_attributes(rows=rows, by=None)
    log(f"attributs des communes : {changed} modifiées")


def programme(log) -> None:
    path = settings.MUTUALIS_DEFAULT_PROGRAMME_FILE
    result = load_programme(text=path.read_text(encoding="utf-8"), source=path.name)
    log(f"programme {result.version.programme.slug} : version {result.version.number}")
    rows = parse_participations((DATA / "participations.csv").read_text(encoding="utf-8"))
    import_participations(programme=result.version.programme, rows=rows, by=None)


def accounts(log) -> None:
    for username, role, first, last in STAFF:
        _user(username, first, last, staff_role=role)
    communes = Commune.objects.in_bulk([p[1] for p in COMMUNE_PEOPLE], field_name="insee_code")
    coordinator = User.objects.get(username="coordinator")
    for username, insee, role, first, last in COMMUNE_PEOPLE:
        user = _user(username, first, last)
        grant_commune_role(user=user, commune=communes[insee], role=role, by=coordinator)
    log(f"comptes de démonstration : {len(STAFF) + len(COMMUNE_PEOPLE)}")


def _user(username: str, first: str, last: str, staff_role: str = "") -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, first_name=first, last_name=last, staff_role=staff_role)
        user.email = f"{username}@demo.mutualis.localhost"
        user.set_password(PASSWORD)
        user.save()
    return user


def base_memberships(log) -> None:
    current = Programme.objects.current()
    coordinator = User.objects.get(username="coordinator")
    existing = set(
        Membership.objects.open()
        .filter(programme=current, offer_code=current.spec.base_offer.code)
        .values_list("commune__insee_code", flat=True)
    )
    communes = Commune.objects.in_bulk(BASE_MEMBERS, field_name="insee_code")
    added = 0
    for insee in BASE_MEMBERS:
        if insee not in existing:
            join_base_offer(
                programme=current,
                commune=communes[insee],
                by=coordinator,
                reason="Délibération du conseil municipal (démonstration)",
            )
            added += 1
    log(f"adhésions au socle de base : {added} ajoutées")


def information(log) -> None:
    information_demo.load(log)


STEPS = [territory, programme, accounts, base_memberships, information]


def load_demo(log=print) -> None:
    for step in STEPS:
        with transaction.atomic():
            step(log)
