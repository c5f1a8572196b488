"""Find a commune's security records for a user, or answer 404: pages and API use these only,
so another commune's diagnostic, plan, evidence or advice is indistinguishable from a missing one."""

from django.http import Http404

from mutualis.accounts import perms
from mutualis.cyber import perms as cyber_perms
from mutualis.cyber.models import Diagnostic, Evidence, FirstAdviceRecord, PlanMeasure
from mutualis.territory.models import Commune


def _check(user, commune: Commune) -> None:
    if not cyber_perms.can_view_commune_security(user, commune):
        raise Http404


def get_security_commune(user, insee_code: str) -> Commune:
    commune = perms.get_commune_for_user(user, insee_code)
    _check(user, commune)
    return commune


def get_diagnostic(user, diagnostic_id: int) -> Diagnostic:
    diagnostic = (
        Diagnostic.objects.select_related("commune", "referential_version", "previous")
        .filter(pk=diagnostic_id)
        .first()
    )
    if diagnostic is None:
        raise Http404
    _check(user, diagnostic.commune)
    return diagnostic


def get_plan_measure(user, plan_measure_id: int) -> PlanMeasure:
    measure = (
        PlanMeasure.objects.select_related("diagnostic__commune", "diagnostic__referential_version")
        .filter(pk=plan_measure_id)
        .first()
    )
    if measure is None:
        raise Http404
    _check(user, measure.diagnostic.commune)
    return measure


def get_evidence(user, evidence_id: int) -> Evidence:
    evidence = (
        Evidence.objects.select_related("plan_measure__diagnostic__commune")
        .filter(pk=evidence_id)
        .first()
    )
    if evidence is None:
        raise Http404
    _check(user, evidence.plan_measure.diagnostic.commune)
    return evidence


def get_first_advice(user, advice_id: int) -> FirstAdviceRecord:
    record = (
        FirstAdviceRecord.objects.select_related("commune", "referential_version", "taken_by")
        .filter(pk=advice_id)
        .first()
    )
    if record is None:
        raise Http404
    _check(user, record.commune)
    return record
