"""Demo step of the awareness platform: modules loaded, campaigns, results, an on-site session.

Idempotent: each piece is looked up before it is made, so a second run adds nothing.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from mutualis.accounts.enums import CommuneRoleKind
from mutualis.accounts.models import User
from mutualis.accounts.services import grant_commune_role
from mutualis.awareness import services
from mutualis.awareness.content import shipped_modules_directory
from mutualis.awareness.models import (
    Attestation,
    AwarenessModule,
    Campaign,
    CampaignScope,
    OnsiteSession,
    Progress,
    QuizAttempt,
)
from mutualis.programme.services import shipped_programme
from mutualis.territory.models import Commune

ODARS, LABEGE = "31402", "31254"
ALL_COMMUNES_CAMPAIGN = "Les essentiels de la cybersécurité 2026"
ODARS_CAMPAIGN = "Odars : sauvegardes et incidents"
LABEGE_SESSION = "Sensibilisation à la cybersécurité des agents"
# Agents of other communes whose (invented) results make the figures lived-in. They cannot sign
# in: their password is unusable.
OTHER_AGENTS = [
    ("demo-castanet-1", "31113", "Camille", "Agent-Castanet", ["passwords", "phishing"], 0),
    ("demo-castanet-2", "31113", "Cyril", "Agent-Castanet", ["passwords"], 1),
    ("demo-ramonville-1", "31446", "Rania", "Agent-Ramonville", ["phishing", "email"], 0),
    ("demo-ramonville-2", "31446", "Rémi", "Agent-Ramonville", ["updates"], 2),
    ("demo-escalquens-1", "31169", "Estelle", "Agent-Escalquens", ["passwords", "backups"], 1),
    ("labege-it", LABEGE, "", "", ["passwords", "phishing", "updates"], 0),
]


def _answers(version, *, mistakes: int = 0) -> dict[str, list[str]]:
    """Right answers to the quiz, with a few questions answered wrongly."""
    answers = {}
    for index, question in enumerate(version.content.quiz):
        right = sorted(question.correct_ids)
        if index < mistakes:
            wrong = [c.id for c in question.choices if not c.correct]
            answers[question.id] = wrong[:1] or right
        else:
            answers[question.id] = right
    return answers


def _complete(user, commune, module: AwarenessModule, *, mistakes: int, days_ago: int) -> None:
    version = module.current_version
    for key, kind, _title in version.steps():
        if kind == "section":
            services.mark_step_done(user=user, commune=commune, version=version, step_key=key)
    for exercise in version.content.exercises:
        clicked = [sign.id for sign in exercise.signs][: max(1, len(exercise.signs) - mistakes)]
        services.submit_exercise(
            user=user, commune=commune, version=version, exercise=exercise, clicked=clicked
        )
    services.submit_quiz(
        user=user, commune=commune, version=version, answers=_answers(version, mistakes=mistakes)
    )
    # Spread the results over past months, so that the chart over time has a shape.
    when = timezone.now() - timedelta(days=days_ago)
    progress = Progress.objects.get(user=user, module_version=version)
    Progress.objects.filter(pk=progress.pk).update(passed_at=when, started_at=when, updated_at=when)
    QuizAttempt.objects.filter(progress=progress).update(submitted_at=when)
    Attestation.objects.filter(progress=progress).update(issued_at=when)


def awareness(log) -> None:
    report = services.load_module_files(directory=shipped_modules_directory())
    log(f"modules de sensibilisation chargés : {len(report.created)}")
    modules = {m.slug: m for m in AwarenessModule.objects.select_related("current_version")}
    coordinator = User.objects.get(username="coordinator")
    programme = shipped_programme()
    communes = Commune.objects.in_bulk(
        [ODARS, LABEGE, *[row[1] for row in OTHER_AGENTS]], field_name="insee_code"
    )
    today = timezone.localdate()

    if not Campaign.objects.filter(title=ALL_COMMUNES_CAMPAIGN).exists():
        services.create_campaign(
            programme=programme,
            by=coordinator,
            title=ALL_COMMUNES_CAMPAIGN,
            modules=[modules["passwords"], modules["phishing"], modules["email"]],
            due_date=today + timedelta(days=45),
            scope=CampaignScope.ALL,
            message="Trois modules d'un quart d'heure chacun, pour tous les agents des communes du Sicoval.",
        )
    odars_manager = User.objects.get(username="odars-manager")
    odars_agent = User.objects.get(username="odars-agent")
    if not Campaign.objects.filter(title=ODARS_CAMPAIGN).exists():
        services.create_campaign(
            programme=programme,
            by=odars_manager,
            title=ODARS_CAMPAIGN,
            modules=[modules["backups"], modules["incident"]],
            due_date=today + timedelta(days=5),
            scope=CampaignScope.AGENTS,
            agents=[odars_agent],
            commune=communes[ODARS],
        )

    if not Progress.objects.filter(user=odars_agent).exists():
        odars = communes[ODARS]
        _complete(odars_agent, odars, modules["passwords"], mistakes=1, days_ago=40)
        _complete(odars_agent, odars, modules["phishing"], mistakes=0, days_ago=12)
        email = modules["email"].current_version
        for key, kind, _title in email.steps()[:3]:
            if kind == "section":
                services.mark_step_done(
                    user=odars_agent, commune=odars, version=email, step_key=key
                )
        log("sensibilisation : odars-agent a réussi 2 modules et en a commencé un troisième")

    for username, insee, first, last, slugs, mistakes in OTHER_AGENTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=first, last_name=last)
            user.email = f"{username}@demo.mutualis.localhost"
            user.set_unusable_password()
            user.save()
            grant_commune_role(
                user=user, commune=communes[insee], role=CommuneRoleKind.AGENT, by=coordinator
            )
        if Progress.objects.filter(user=user).exists():
            continue
        for index, slug in enumerate(slugs):
            days = 20 + 35 * index + 9 * mistakes
            _complete(user, communes[insee], modules[slug], mistakes=mistakes, days_ago=days)

    if not OnsiteSession.objects.filter(commune=communes[LABEGE]).exists():
        _labege_session(communes[LABEGE], modules, today)
        log("sensibilisation : une session en présentiel à Labège")


def _labege_session(labege, modules, today) -> None:
    referent = User.objects.get(username="referent")
    starts = timezone.make_aware(datetime.combine(today - timedelta(days=18), time(14, 0)))
    in_offer = services.in_advanced_offer(labege)
    session = services.schedule_session(
        by=referent,
        commune=labege,
        title=LABEGE_SESSION,
        starts_at=starts,
        duration_minutes=120,
        place="Mairie de Labège, salle du conseil",
        facilitator=str(referent),
        modules=[modules["phishing"], modules["social-engineering"]],
        in_advanced_offer=in_offer,
        outside_offer_reason=""
        if in_offer
        else "Session pilote avant l'adhésion à l'offre avancée",
    )
    labege_manager = User.objects.get(username="labege-manager")
    people = [
        {"user": User.objects.get(username="labege-it")},
        {"user": labege_manager},
        {"full_name": "Nadia Accueil", "job_title": "Agent d'accueil"},
        {"full_name": "Paul Urbanisme", "job_title": "Instructeur du droit des sols"},
        {"full_name": "Sophie État-civil", "job_title": "Officier d'état civil"},
    ]
    attendees = [
        services.register_attendee(session=session, by=labege_manager, **person)
        for person in people
    ]
    services.record_attendance(
        session=session, by=referent, present_ids=[a.pk for a in attendees[:4]]
    )
