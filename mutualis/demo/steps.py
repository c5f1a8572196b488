"""The demo data set, step by step. Each capability adds its step; every step is idempotent."""

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from mutualis.accounts.enums import CommuneRoleKind, StaffRole
from mutualis.accounts.models import User
from mutualis.accounts.services import grant_commune_role
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


# Advanced memberships the contributions step needs, active from these dates. Each is created only
# when the commune has no open membership of that offer yet (the membership step may already have
# taken it through the lifecycle). Odars stays on the base offer, as its deliberation says.
PECHABOU = "31409"
CONTRIBUTION_MEMBERS = [
    (PECHABOU, "advanced-without-it", date(2024, 7, 1)),
    ("31036", "advanced-without-it", date(2024, 10, 1)),  # Auzielle
    ("31151", "advanced-without-it", date(2025, 1, 1)),  # Corronsac
    (LABEGE, "advanced-with-it", date(2024, 9, 1)),
]


def contributions(log) -> None:
    """Calls issued on each period's start, one cancelled and replaced, payments (one call left
    overdue, one partly paid), and days in kind logged by labege-it, some validated."""
    from mutualis.contributions import services as contrib
    from mutualis.contributions.models import Call, DayEntry
    from mutualis.core import audit
    from mutualis.membership.enums import Status
    from mutualis.membership.models import Transition

    current = Programme.objects.current()
    coordinator = User.objects.get(username="coordinator")
    finance = User.objects.get(username="finance")
    today = date.today()
    communes = Commune.objects.in_bulk(
        [m[0] for m in CONTRIBUTION_MEMBERS], field_name="insee_code"
    )
    added = 0
    for insee, offer, start in CONTRIBUTION_MEMBERS:
        commune = communes[insee]
        if (
            start > today
            or Membership.objects.open()
            .filter(programme=current, commune=commune, offer_code=offer)
            .exists()
        ):
            continue
        membership = Membership.objects.create(
            programme=current,
            commune=commune,
            offer_code=offer,
            status=Status.ACTIVE,
            applied_on=start - timedelta(days=60),
            start_date=start,
        )
        reason = "Convention signée (démonstration)"
        Transition.objects.create(
            membership=membership,
            from_status="",
            to_status=Status.ACTIVE,
            by=coordinator,
            reason=reason,
        )
        audit.record(
            action="membership.active",
            obj=membership,
            by=coordinator,
            reason=reason,
            summary=f"{commune.name} — {membership.offer_name()} : convention signée, active",
            commune_insee=insee,
        )
        added += 1
    log(f"adhésions avancées actives : {added} ajoutées")

    starts = sorted({d.period.start for d in contrib.due_periods(programme=current, on=today)})
    issued: list[Call] = []
    for index, start in enumerate(starts):
        issued += contrib.issue_calls(programme=current, on=start, by=finance).issued
        if index == 0:
            first = next((c for c in issued if c.commune.insee_code == PECHABOU), None)
            if first is not None:
                cancelled = contrib.cancel_call(
                    call=first,
                    reason="Adresse de la mairie incomplète sur l'appel (démonstration)",
                    by=finance,
                    on=start + timedelta(days=14),
                )
                if cancelled.replacement is not None:
                    issued.append(cancelled.replacement)
    live = list(Call.objects.live().filter(pk__in=[c.pk for c in issued]).select_related("commune"))
    newest: dict[int, Call] = {}
    for call in live:
        if (
            call.commune_id not in newest
            or call.period_start > newest[call.commune_id].period_start
        ):
            newest[call.commune_id] = call
    paid = 0
    for call in live:
        paid_on = min(call.issued_on + timedelta(days=21), today)
        if newest[call.commune_id] is call:
            if call.commune.insee_code != PECHABOU:
                continue  # left unpaid: overdue once its due date has passed
            amount = Decimal("500.00")  # partly paid
        else:
            amount = call.amount
        contrib.record_payment(
            call=call, amount=amount, paid_on=paid_on, reference=f"TIT-{call.number}", by=finance
        )
        paid += 1
    log(f"appels de contribution : {len(issued)} émis, {paid} paiements")

    labege = communes[LABEGE]
    summary = contrib.days_summary(commune=labege, programme=current, today=today)
    if summary and not DayEntry.objects.filter(commune=labege).exists():
        agent = User.objects.get(username="labege-it")
        services = ["crisis-continuity", "experience-sharing", "software-harmonisation"]
        day = summary.period.start + timedelta(days=3)
        logged = 0
        while day <= today and logged < 8:
            if day.weekday() < 5:
                entry = contrib.log_days(
                    commune=labege,
                    programme=current,
                    worked_on=day,
                    half_days=2 if logged % 3 else 1,
                    service_code=services[logged % len(services)],
                    description="Atelier mutualisé avec l'équipe intercommunale (démonstration)",
                    by=agent,
                    today=today,
                )
                if logged < 5:
                    contrib.review_day_entry(entry=entry, validate=True, by=coordinator)
                logged += 1
            day += timedelta(days=9)
        log(f"jours en nature de Labège : {logged} déclarations")


STEPS = [territory, programme, accounts, base_memberships, contributions]


def load_demo(log=print) -> None:
    for step in STEPS:
        with transaction.atomic():
            step(log)
