"""Find a commune's security records for a user, or answer 404: pages and API use these only,
so another commune's diagnostic, plan, evidence or advice is indistinguishable from a missing one."""

from django.http import Http404

from mutualis.accounts import perms
from mutualis.core.lookups import get_visible_or_404
from mutualis.cyber import perms as cyber_perms
from mutualis.cyber.models import Diagnostic, Evidence, FirstAdviceRecord, PlanMeasure
from mutualis.territory.models import Commune


def get_security_commune(user, insee_code: str) -> Commune:
    commune = perms.get_commune_for_user(user, insee_code)
    if not cyber_perms.can_view_commune_security(user, commune):
        raise Http404
    return commune


def get_diagnostic(user, diagnostic_id: int) -> Diagnostic:
    return get_visible_or_404(
        Diagnostic.objects.select_related("commune", "referential_version", "previous"),
        user,
        check=lambda user, d: cyber_perms.can_view_commune_security(user, d.commune),
        pk=diagnostic_id,
    )


def get_plan_measure(user, plan_measure_id: int) -> PlanMeasure:
    return get_visible_or_404(
        PlanMeasure.objects.select_related(
            "diagnostic__commune", "diagnostic__referential_version"
        ),
        user,
        check=lambda user, m: cyber_perms.can_view_commune_security(user, m.diagnostic.commune),
        pk=plan_measure_id,
    )


def get_evidence(user, evidence_id: int) -> Evidence:
    return get_visible_or_404(
        Evidence.objects.select_related("plan_measure__diagnostic__commune"),
        user,
        check=lambda user, e: cyber_perms.can_view_commune_security(
            user, e.plan_measure.diagnostic.commune
        ),
        pk=evidence_id,
    )


def get_first_advice(user, advice_id: int) -> FirstAdviceRecord:
    return get_visible_or_404(
        FirstAdviceRecord.objects.select_related("commune", "referential_version", "taken_by"),
        user,
        check=lambda user, r: cyber_perms.can_view_commune_security(user, r.commune),
        pk=advice_id,
    )
