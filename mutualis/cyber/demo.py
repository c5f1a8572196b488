"""The demo's cybersecurity: the shipped referential, Odars' first advice, a completed diagnostic
with a plan partly done (and its 6-month follow-up in draft), and a recent diagnostic for Labège.
Idempotent: a second run adds nothing."""

import datetime

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from mutualis.accounts.models import User
from mutualis.cyber.models import Diagnostic, FirstAdviceRecord, MeasureStatus, PlanMeasure
from mutualis.cyber.referential import Referential, load_referential
from mutualis.cyber.services import (
    add_evidence,
    complete_diagnostic,
    in_advanced_offer,
    load_referential_version,
    record_first_advice,
    save_answers,
    start_diagnostic,
    update_plan_measure,
)
from mutualis.territory.models import Commune

SHIPPED = settings.PACKAGE_DIR / "cyber" / "referentials" / "diagnostic-2024.yaml"
ODARS, LABEGE = "31402", "31254"
OUT_OF_OFFER = "Diagnostic préalable à la candidature à l'offre avancée (démonstration)"
# A one-page PDF, enough for the evidence of a measure.
EVIDENCE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def answers_for(referential: Referential, profile: dict[str, str], default: str) -> dict[str, str]:
    """Answers by theme: ``worst``, ``mid`` (a score of 1 or 2) or ``best``; context questions
    take the answer that shows the most follow-ups."""
    answers: dict[str, str] = {}
    context = referential.worst_answers()
    for question in referential.questions:
        if question.id not in {q.id for q in referential.visible_questions(answers)}:
            continue
        if not question.is_scored:
            answers[question.id] = context.get(question.id, question.answers[0].id)
            continue
        scored = sorted(question.scored_answers(), key=lambda a: a.score or 0)
        kind = profile.get(question.theme, default)
        if kind == "worst":
            answers[question.id] = scored[0].id
        elif kind == "best":
            answers[question.id] = scored[-1].id
        else:
            middle = [a for a in scored if a.score in (1, 2)]
            answers[question.id] = (middle or scored)[0].id
    return answers


def load_cyber_demo(log) -> None:
    result = load_referential_version(referential=load_referential(SHIPPED), source=SHIPPED.name)
    referential = result.version.referential
    log(f"référentiel cyber {referential.version} : {'chargé' if result.created else 'déjà là'}")
    odars = Commune.objects.get(insee_code=ODARS)
    labege = Commune.objects.get(insee_code=LABEGE)
    referent = User.objects.get(username="referent")
    if not FirstAdviceRecord.objects.filter(commune=odars).exists():
        manager = User.objects.get(username="odars-manager")
        asked = {q.id for q in referential.first_advice_questions()}
        answers = answers_for(referential, {"accounts": "worst", "backups": "mid"}, "mid")
        record_first_advice(
            commune=odars, answers={k: v for k, v in answers.items() if k in asked}, by=manager
        )
        log("premier conseil d'Odars : enregistré")
    if not Diagnostic.objects.filter(commune=odars).exists():
        _odars_diagnostics(odars, referential, referent)
        log("diagnostics d'Odars : un terminé (plan en partie fait), un suivi en cours")
    if not Diagnostic.objects.filter(commune=labege).exists():
        answers = answers_for(referential, {"governance": "best", "network": "best"}, "mid")
        diagnostic = start_diagnostic(
            commune=labege,
            by=referent,
            reason="" if in_advanced_offer(labege) else OUT_OF_OFFER,
        )
        save_answers(diagnostic=diagnostic, answers=answers, by=referent)
        complete_diagnostic(diagnostic=diagnostic, by=referent)
        _backdate(diagnostic, days=40)
        first = diagnostic.measures.order_by("position").first()
        if first is not None:
            update_plan_measure(
                measure=first,
                by=User.objects.get(username="labege-it"),
                status=MeasureStatus.IN_PROGRESS,
                owner="Louis (DSI)",
                due_date=timezone.localdate() + datetime.timedelta(days=30),
            )
        log("diagnostic de Labège : terminé")


def _odars_diagnostics(odars: Commune, referential: Referential, referent: User) -> None:
    reason = "" if in_advanced_offer(odars) else OUT_OF_OFFER
    answers = answers_for(
        referential, {"accounts": "worst", "backups": "worst", "governance": "mid"}, "mid"
    )
    diagnostic = start_diagnostic(commune=odars, by=referent, reason=reason)
    save_answers(diagnostic=diagnostic, answers=answers, by=referent)
    complete_diagnostic(diagnostic=diagnostic, by=referent)
    _backdate(diagnostic, days=215)
    manager = User.objects.get(username="odars-manager")
    today = timezone.localdate()
    measures = list(PlanMeasure.objects.filter(diagnostic=diagnostic).order_by("position"))
    plan = [
        (MeasureStatus.DONE, "Martine (secrétaire)", -60, "Fait avec le prestataire."),
        (MeasureStatus.DONE, "Le référent", -30, ""),
        (MeasureStatus.IN_PROGRESS, "Martine (secrétaire)", 20, "Devis demandé."),
        (MeasureStatus.TODO, "Le maire", -10, ""),
    ]
    for measure, (status, owner, days, notes) in zip(measures, plan, strict=False):
        update_plan_measure(
            measure=measure,
            by=manager,
            status=status,
            owner=owner,
            due_date=today + datetime.timedelta(days=days),
            notes=notes,
        )
    if measures:
        upload = SimpleUploadedFile("attestation-prestataire.pdf", EVIDENCE_PDF)
        add_evidence(measure=measures[0], upload=upload, by=manager)
    not_applicable = next((m for m in measures[6:] if m.theme_id == "website"), None)
    if not_applicable is not None:
        update_plan_measure(
            measure=not_applicable,
            by=referent,
            status=MeasureStatus.NOT_APPLICABLE,
            justification="Le site est hébergé et maintenu par le Sicoval.",
        )
    follow_up = start_diagnostic(commune=odars, by=referent, reason=reason)
    better = answers_for(referential, {"backups": "mid", "governance": "best"}, "mid")
    half = dict(list(better.items())[: len(better) // 2])
    save_answers(diagnostic=follow_up, answers=half, by=referent)


def _backdate(diagnostic: Diagnostic, *, days: int) -> None:
    completed = timezone.now() - datetime.timedelta(days=days)
    Diagnostic.objects.filter(pk=diagnostic.pk).update(
        started_at=completed - datetime.timedelta(days=7), completed_at=completed
    )
    diagnostic.refresh_from_db()
