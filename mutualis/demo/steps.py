"""The demo data set, step by step. Each capability adds its step; every step is idempotent."""

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext

from mutualis.accounts.enums import CommuneRoleKind, StaffRole
from mutualis.accounts.models import User
from mutualis.accounts.services import grant_commune_role
from mutualis.continuity.demo import load_continuity_demo
from mutualis.core.signals import demo_loaded
from mutualis.cyber.demo import load_cyber_demo
from mutualis.demo.awareness import awareness
from mutualis.demo.purchasing_support import purchasing_and_support
from mutualis.information import demo as information_demo
from mutualis.inventory.demo import load_inventory_demo
from mutualis.membership import services as membership_services
from mutualis.membership.deliberations.context import findings_for
from mutualis.membership.deliberations.pdf import read_file
from mutualis.membership.deliberations.reader import read_text
from mutualis.membership.models import Deliberation, Membership
from mutualis.membership.services import join_base_offer
from mutualis.programme.participation_csv import parse_participations
from mutualis.programme.services import (
    assign_staff,
    import_participations,
    load_programme,
    open_programme,
    shipped_programme,
)
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
    if result.version.programme.opened_at is None:
        open_programme(programme=result.version.programme, by=None)
    rows = parse_participations((DATA / "participations.csv").read_text(encoding="utf-8"))
    import_participations(programme=result.version.programme, rows=rows, by=None)


def accounts(log) -> None:
    programme = shipped_programme()
    for username, role, first, last in STAFF:
        staff = _user(username, first, last, staff_role=role)
        assign_staff(user=staff, programme=programme, by=None)
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
    current = shipped_programme()
    coordinator = User.objects.get(username="coordinator")
    existing = set(
        Membership.objects.open()
        .filter(programme=current, offer_code=current.spec.base_offer.code)
        .values_list("commune__insee_code", flat=True)
    )
    communes = Commune.objects.in_bulk(BASE_MEMBERS, field_name="insee_code")
    odars_deliberation = Deliberation.objects.filter(
        commune=communes[ODARS], number=ODARS_DELIBERATION["number"]
    ).first()
    added = 0
    for insee in BASE_MEMBERS:
        if insee not in existing:
            with membership_services.notifications_muted():
                join_base_offer(
                    programme=current,
                    commune=communes[insee],
                    by=coordinator,
                    reason="Délibération du conseil municipal (démonstration)",
                    on=ODARS_DELIBERATION["session_date"] if insee == ODARS else BASE_JOINED_ON,
                    deliberation=odars_deliberation if insee == ODARS else None,
                )
            added += 1
    log(f"adhésions au socle de base : {added} ajoutées")


# Odars' real deliberation n° 2024-05-04 (data/deliberation-odars-2024-05-04.txt, a copy of the
# seed), as it is written: it announces 10 present but names 9, and names 13 of the 14 members in
# office. Its findings are not typed here: the legal checks compute them from the document.
ODARS_DELIBERATION_FILE = DATA / "deliberation-odars-2024-05-04.txt"
ODARS_DELIBERATION = {
    "purpose": Deliberation.Purpose.JOIN_BASE,
    "number": "2024-05-04",
    "session_date": date(2024, 5, 22),
    "convocation_date": date(2024, 5, 17),
    "president": "Patrice ARSÉGUEL",
    "secretary": "DECROIX Jacques",
    "members_in_office": 14,
    "present": [
        "ARSÉGUEL Patrice",
        "BRETHOUS Jacques",
        "DECROIX Jacques",
        "FAURE Cécile",
        "HAMON Yann",
        "JOURNOU Mathieu",
        "JULIEN-DELANNOY Martine",
        "LUVISUTTO Alain",
        "SCIE-NEGRIN Lydie",
    ],
    "present_count": 10,
    "represented": [
        {"member": "BERTHELOT Béatrice", "proxy_holder": "ARSEGUEL Patrice"},
        {"member": "COUJOU-DELABIE Marie-Ange", "proxy_holder": "BRETHOUS Jacques"},
        {"member": "SORIANO Timothée", "proxy_holder": "SCIE-NEGRIN Lydie"},
    ],
    "represented_count": 3,
    "absent": ["MERLE Laure"],
    "votes_for": 13,
    "votes_against": 0,
    "votes_abstention": 0,
    "unanimous": True,
    "subject": "MUTUALISATION DSI SICOVAL",
    "decisions": "D'adhérer au socle de base à titre gratuit.\n"
    "D'autoriser le Maire à signer la convention, les avenants de renouvellement et tout "
    "document afférent à ce dossier.",
}
BASE_JOINED_ON = date(2024, 6, 14)


def odars_deliberation_findings(odars: Commune) -> list[dict]:
    """The legal checks' findings on Odars' deliberation, read from the document itself."""
    reading = read_text(read_file(ODARS_DELIBERATION_FILE))
    return findings_for(reading, commune=odars)


def odars_deliberation(log) -> None:
    odars = Commune.objects.get(insee_code=ODARS)
    if Deliberation.objects.filter(
        commune=odars,
        number=ODARS_DELIBERATION["number"],
        session_date=ODARS_DELIBERATION["session_date"],
    ).exists():
        log("délibération d'Odars n° 2024-05-04 : déjà là")
        return
    Deliberation.objects.create(
        commune=odars, **ODARS_DELIBERATION, findings=odars_deliberation_findings(odars)
    )
    log("délibération d'Odars n° 2024-05-04 : enregistrée, contrôles faits sur le document")


# The advanced offers, lived in: (date, INSEE code, step). Each commune's story is played in date
# order, and only for communes that have no advanced membership yet (idempotent).
LIFECYCLE = [
    (date(2024, 5, 2), "31036", "apply"),  # Auzielle: co-construction, early letter
    (date(2024, 5, 6), "31151", "apply"),  # Corronsac: likewise
    (date(2024, 5, 10), "31036", "queue"),
    (date(2024, 5, 10), "31151", "queue"),
    (date(2024, 6, 3), "31036", "admit"),
    (date(2024, 6, 3), "31151", "admit"),
    (date(2024, 6, 5), "31036", "issue"),
    (date(2024, 6, 5), "31151", "issue"),
    (date(2024, 6, 10), "31409", "apply"),  # Péchabou
    (date(2024, 6, 12), "31409", "queue"),
    (date(2024, 6, 14), "31254", "apply"),  # Labège, with its IT department
    (date(2024, 6, 17), "31254", "queue"),
    (date(2024, 6, 20), "31036", "sign"),  # starts 2024-07-01
    (date(2024, 6, 20), "31446", "apply"),  # Ramonville-Saint-Agne, IT department
    (date(2024, 6, 24), "31151", "sign"),
    (date(2024, 6, 25), "31446", "queue"),
    (date(2024, 7, 15), "31409", "admit"),
    (date(2024, 7, 15), "31254", "admit"),
    (date(2024, 7, 15), "31446", "admit"),
    (date(2024, 7, 16), "31409", "issue"),
    (date(2024, 7, 16), "31254", "issue"),
    (date(2024, 7, 16), "31446", "issue"),
    (date(2024, 8, 7), "31409", "sign"),  # starts 2024-09-01
    (date(2024, 8, 20), "31254", "sign"),
    (date(2024, 8, 26), "31446", "sign"),
    (date(2024, 9, 20), "31057", "apply"),  # Belberaud: letter after 30 June, no priority
    (date(2024, 9, 25), "31057", "queue"),
    (date(2024, 10, 1), "31169", "apply"),  # Escalquens: co-construction, early letter
    (date(2024, 10, 3), "31169", "queue"),
    (date(2025, 3, 3), "31227", "apply"),  # Goyrans: no co-construction
    (date(2025, 3, 10), "31227", "queue"),
    (date(2025, 6, 16), "31036", "amend"),
    (date(2025, 6, 30), "31036", "sign_amendment"),
    (date(2025, 11, 12), "31446", "exit"),  # asked before 31/12/2025: free exit
    (date(2025, 12, 31), "31446", "exited"),
    (date(2026, 10, 5), "31409", "exit"),  # asked after: committed to 30/06/2027
]
TIME_SPENT = [
    ("31036", date(2024, 7, 9), "1.5", "Diagnostic de premier niveau"),
    ("31036", date(2024, 9, 17), "1", "Sensibilisation en présentiel"),
    ("31151", date(2024, 7, 11), "1.5", "Diagnostic de premier niveau"),
    ("31151", date(2025, 2, 4), "0.5", "Suivi du prestataire de support"),
    ("31409", date(2024, 9, 12), "2", "Diagnostic et plan de remédiation"),
    ("31409", date(2025, 5, 20), "1", "Étude de sauvegarde externalisée"),
]


def membership_lifecycle(log) -> None:
    current = shipped_programme()
    spec = current.spec
    coordinator = User.objects.get(username="coordinator")
    referent = User.objects.get(username="referent")
    insees = {insee for _, insee, _ in LIFECYCLE}
    started = set(
        Membership.objects.filter(programme=current, commune__insee_code__in=insees)
        .exclude(offer_code=spec.base_offer.code)
        .values_list("commune__insee_code", flat=True)
    )
    communes = Commune.objects.in_bulk(insees, field_name="insee_code")
    memberships: dict[str, Membership] = {}
    steps = 0
    with membership_services.notifications_muted():
        for on, insee, step in LIFECYCLE:
            if insee in started:
                continue
            commune = communes[insee]
            if step == "apply":
                deliberation = Deliberation.objects.create(
                    commune=commune,
                    purpose=Deliberation.Purpose.APPLY_ADVANCED,
                    number=f"{on:%Y}-{on:%m}-{int(insee) % 7 + 1:02d}",
                    session_date=on,
                    members_in_office=commune.council_seats,
                    votes_for=commune.council_seats,
                    votes_against=0,
                    votes_abstention=0,
                    unanimous=True,
                    subject="Adhésion aux services avancés de la mutualisation DSI du Sicoval",
                    decisions="(délibération de démonstration)",
                    publication_date=on,
                    prefecture_sent_on=on,
                    enforceable_on=on,
                )
                offer = "advanced-with-it" if commune.has_it_department else "advanced-without-it"
                memberships[insee] = membership_services.apply_for_advanced_offer(
                    programme=current,
                    commune=commune,
                    offer_code=offer,
                    by=coordinator,
                    on=on,
                    deliberation=deliberation,
                )
            elif step == "queue":
                membership_services.queue_application(
                    membership=memberships[insee], by=coordinator, on=on
                )
            elif step == "admit":
                membership_services.admit_commune(
                    membership=memberships[insee], by=coordinator, on=on
                )
            elif step == "issue":
                membership_services.issue_convention(
                    membership=memberships[insee], by=coordinator, on=on
                )
            elif step == "sign":
                convention = memberships[insee].convention
                membership_services.sign_convention(
                    convention=convention,
                    signed_on=on,
                    signed_pdf=ContentFile(convention.document.open("rb").read()),
                    by=coordinator,
                )
            elif step == "amend":
                membership_services.issue_amendment(
                    convention=memberships[insee].convention,
                    subject="Renouvellement pour la deuxième année d'adhésion et mise à jour "
                    "des contacts de la commune.",
                    by=coordinator,
                    on=on,
                )
            elif step == "sign_amendment":
                amendment = memberships[insee].convention.amendments.get(sequence=1)
                membership_services.sign_amendment(
                    amendment=amendment,
                    signed_on=on,
                    signed_pdf=ContentFile(amendment.document.open("rb").read()),
                    by=coordinator,
                )
            elif step == "exit":
                membership_services.request_exit(
                    membership=memberships[insee], by=coordinator, on=on
                )
            elif step == "exited":
                membership_services.exit_membership(membership=memberships[insee], by=None, on=on)
            memberships[insee].refresh_from_db()
            steps += 1
        for insee, on, days, note in TIME_SPENT:
            if insee not in started:
                membership_services.log_time(
                    commune=communes[insee], on=on, days=Decimal(days), by=referent, note=note
                )
    log(f"parcours d'adhésion aux services avancés : {steps} étapes ajoutées")


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

    current = shipped_programme()
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
            summary=gettext("%(commune)s — %(offer)s : convention signée, active")
            % {"commune": commune.name, "offer": membership.offer_name()},
            commune_insee=insee,
        )
        added += 1
    log(f"adhésions avancées actives : {added} ajoutées")

    starts = sorted({d.period.start for d in contrib.due_periods(programme=current, on=today)})
    issued: list[Call] = []
    cancelled_one = False
    for start in starts:
        issued += contrib.issue_calls(programme=current, on=start, by=finance).issued
        if not cancelled_one:
            first = next((c for c in issued if c.commune.insee_code == PECHABOU), None)
            if first is not None:
                cancelled_one = True
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


def information(log) -> None:
    information_demo.load(log)


STEPS = [
    territory,
    programme,
    accounts,
    odars_deliberation,
    base_memberships,
    membership_lifecycle,
    contributions,
    purchasing_and_support,
    load_cyber_demo,
    load_inventory_demo,
    load_continuity_demo,
    awareness,
    information,
]


def load_demo(log=print) -> None:
    for step in STEPS:
        with transaction.atomic():
            step(log)
    # Then what is derived from every step (the reviews gather the figures of all the others).
    with transaction.atomic():
        demo_loaded.send(sender=load_demo, log=log)
