"""Demo: Odars' crisis sheet, plan, exercise and a closed crisis; backup studies; Labège's tools."""

from datetime import date
from decimal import Decimal

from mutualis.accounts.models import User
from mutualis.continuity.models import (
    BackupCopy,
    BackupStudy,
    CrisisContact,
    CrisisExercise,
    EssentialActivity,
    ExerciseAction,
    SecurityTool,
)
from mutualis.continuity.services import (
    add_log_entry,
    close_crisis,
    draft_plan,
    open_crisis,
    save_plan,
)
from mutualis.territory.models import Commune

CONTACTS = [
    ("Patrice ARSÉGUEL", "Maire", "Décider, alerter les élus", "05 62 71 71 40", 1),
    (
        "Martine Secrétaire-Odars",
        "Secrétaire générale",
        "Coordonner la cellule de crise",
        "01 99 00 12 34",
        2,
    ),
    (
        "Romain Référent",
        "Référent technique (Sicoval)",
        "Panne ou attaque informatique",
        "01 99 00 56 78",
        3,
    ),
    (
        "Assistance du prestataire",
        "Prestataire informatique",
        "Serveur, réseau, sauvegardes",
        "01 99 00 90 12",
        4,
    ),
]
ACTIVITIES = [
    (
        "État civil (naissances, décès)",
        24,
        "Logiciel d'état civil, imprimante",
        "Registres papier, saisie a posteriori",
    ),
    (
        "Accueil du public et téléphone",
        4,
        "Téléphonie, internet",
        "Renvoi d'appel vers le portable de permanence",
    ),
    ("Paie des agents", 120, "Logiciel de paie, trésorerie", "Acompte manuel avec la trésorerie"),
]


def load_continuity_demo(log) -> None:
    odars = Commune.objects.get(insee_code="31402")
    labege = Commune.objects.get(insee_code="31254")
    referent = User.objects.get(username="referent")
    if not odars.crisis_contacts.exists():
        for name, function, call_for, phone, order in CONTACTS:
            CrisisContact.objects.create(
                commune=odars,
                name=name,
                function=function,
                call_for=call_for,
                phone=phone,
                order=order,
            )
        for name, hours, depends, workaround in ACTIVITIES:
            EssentialActivity.objects.create(
                commune=odars,
                name=name,
                tolerated_downtime_hours=hours,
                depends_on=depends,
                workaround=workaround,
            )
    if not odars.continuity_plans.exists():
        save_plan(commune=odars, content=draft_plan(odars), by=referent)
    if not odars.crisis_exercises.exists():
        exercise = CrisisExercise.objects.create(
            commune=odars,
            held_on=date(2025, 10, 7),
            scenario="Rançongiciel sur le poste du secrétariat un lundi matin",
            findings="La sauvegarde du NAS était branchée en permanence : elle aurait été chiffrée aussi. "
            "Le numéro du prestataire n'était connu que de la secrétaire.",
        )
        ExerciseAction.objects.create(
            exercise=exercise,
            description="Mettre en place une copie hors ligne",
            owner="Référent",
            due_on=date(2025, 12, 31),
            done_on=date(2025, 12, 2),
        )
        ExerciseAction.objects.create(
            exercise=exercise,
            description="Afficher la fiche réflexe à l'accueil",
            owner="Secrétaire générale",
            due_on=date(2025, 11, 15),
        )
    if not odars.crisis_logs.exists():
        crisis = open_crisis(commune=odars, title="Coupure de la fibre", by=referent)
        add_log_entry(
            log=crisis,
            text="Accueil téléphonique renvoyé vers le portable de permanence.",
            by=referent,
        )
        close_crisis(log=crisis, by=referent)
    if not BackupStudy.objects.filter(commune=odars).exists():
        study = BackupStudy.objects.create(
            commune=odars,
            office_gb=Decimal("85"),
            business_gb=Decimal("12"),
            email_gb=Decimal("40"),
            other_gb=Decimal("20"),
        )
        BackupCopy.objects.create(
            study=study, name="Copie nocturne sur le NAS", medium="nas", frequency_days=1
        )
    if not labege.security_tools.exists():
        SecurityTool.objects.create(
            commune=labege,
            category="edr",
            product="EDR mutualisé",
            covered=48,
            total=52,
            deployed_on=date(2025, 3, 1),
        )
        SecurityTool.objects.create(
            commune=labege, category="mfa", product="MFA messagerie", covered=35, total=60
        )
    log("crise et continuité : prêtes")
