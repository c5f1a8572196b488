"""What a commune's page reads: its populations, participation, memberships with their steps,
deliberations and recent history, each in one query whatever the commune's volume of data."""

from datetime import date, datetime
from typing import NamedTuple

from django.conf import settings
from django.core.cache.utils import make_template_fragment_key

from mutualis.core.kept import forget, next_generation
from mutualis.core.models import AuditEvent
from mutualis.membership.enums import STATUS_LABELS
from mutualis.membership.models import Deliberation, Membership, Transition
from mutualis.programme.models import Participation, Programme
from mutualis.territory.models import Commune, Population


class Step(NamedTuple):
    """One step of a membership, as the commune's page shows it."""

    at: datetime
    to_status: str
    status_label: str
    reason: str


# Entries of the audit trail on a commune's page; the rest is on its history page.
RECENT_HISTORY = 10


def populations(commune: Commune) -> list[Population]:
    """Every vintage loaded, newest first."""
    return list(Population.objects.filter(commune=commune).order_by("-vintage"))


def participation(programme, commune: Commune) -> Participation | None:
    return Participation.objects.filter(programme=programme, commune=commune).order_by("pk").first()


def memberships(commune: Commune, offer_names: dict[str, str]) -> list[Membership]:
    """The commune's memberships, oldest first, each with its offer's name and its status label."""
    found = list(Membership.objects.filter(commune=commune).order_by("created_at"))
    for membership in found:
        membership.offer_label = offer_names.get(membership.offer_code, membership.offer_code)
        membership.status_label = STATUS_LABELS.get(membership.status, membership.status)
    return found


def with_steps(memberships: list[Membership]) -> list[Membership]:
    """The memberships, each with its steps (`steps`, in the order they were taken: date, status
    reached, its label, reason), read in one query for all: only when the memberships card's
    HTML is not kept (commune.html)."""
    steps: dict[int, list[Step]] = {m.pk: [] for m in memberships}
    if steps:
        # Only what the page shows of a step.
        for membership_id, to_status, at, reason in Transition.objects.filter(
            membership_id__in=steps
        ).values_list("membership_id", "to_status", "at", "reason"):
            label = STATUS_LABELS.get(to_status, to_status)
            steps[membership_id].append(Step(at, to_status, label, reason))
    for membership in memberships:
        membership.steps = steps[membership.pk]
    return memberships


def across_programmes(memberships: list[Membership], programme) -> list[Membership]:
    """The commune's memberships in every programme, oldest programme first, renewals linked,
    from `memberships` (all of them, as `memberships` reads them): the programmes other than the
    page's own are read in one query (none when there is no other), one instance per programme,
    so that each programme's file (the offers' names) is read once."""
    programmes = {programme.pk: programme} if programme else {}
    others = {m.programme_id for m in memberships} - programmes.keys()
    if others:
        programmes.update(Programme.objects.in_bulk(others))
    by_pk = {m.pk: m for m in memberships}
    for membership in memberships:
        membership.programme = programmes[membership.programme_id]
        if membership.renews_id in by_pk:  # a renewal renews the commune's own membership
            membership.renews = by_pk[membership.renews_id]
    return sorted(
        (m for m in memberships if m.status),
        key=lambda m: (m.programme.start is not None, m.programme.start or date.min, m.created_at),
    )


def deliberations(commune: Commune) -> list[Deliberation]:
    # The columns of the shared deliberation table (membership/_deliberation_table.html), no more:
    # the lists of members present, represented and absent are JSON the page never reads.
    return list(
        Deliberation.objects.filter(commune=commune).only(
            "commune_id",
            "purpose",
            "number",
            "session_date",
            "subject",
            "votes_for",
            "votes_against",
            "votes_abstention",
            "publication_date",
            "findings",
        )
    )


class RecentHistory(NamedTuple):
    events: list[AuditEvent]
    more: bool  # older entries are on the history page


def recent_history(commune: Commune) -> RecentHistory:
    """The newest entries of the commune's audit trail, each with its actor, and whether there
    are older ones."""
    # One entry more than shown: it tells whether there are more on the history page.
    events = list(
        AuditEvent.objects.for_commune(commune.insee_code)
        .select_related("actor")
        .only(
            "at", "summary", "reason", "actor__first_name", "actor__last_name", "actor__username"
        )[: RECENT_HISTORY + 1]
    )
    return RecentHistory(events[:RECENT_HISTORY], len(events) > RECENT_HISTORY)


# Parts of the commune's page keep their HTML in Django's cache (dashboards/commune.html, five
# minutes at most; docs/performance.md). Two are forgotten, in every language, by the one kind of
# write that changes each (receivers in apps.py): the recent history, by an audit entry recorded for
# the commune (keyed by its INSEE code: entries only carry it), and the deliberations, by one of
# them saved or deleted (keyed by the commune's id). The others are kept under a generation: the
# identity and populations under the territory's (`territory.models.territory_changed`), the
# participation under the participations', the memberships card (and the dashboard's table) under
# the memberships' (a membership or one of its steps saved or deleted).
PARTICIPATIONS_GENERATION_KEY = "dashboards:participations-generation"
MEMBERSHIPS_GENERATION_KEY = "dashboards:memberships-generation"
HISTORY_FRAGMENT = "commune_history"
DELIBERATIONS_FRAGMENT = "commune_deliberations"


def forget_participations(**kwargs) -> None:
    next_generation(PARTICIPATIONS_GENERATION_KEY)


def forget_memberships(**kwargs) -> None:
    next_generation(MEMBERSHIPS_GENERATION_KEY)


def forget_fragment(fragment: str, commune_key) -> None:
    """Forget one commune's kept fragment in every language."""
    forget(
        *(
            make_template_fragment_key(fragment, [commune_key, language])
            for language, _name in settings.LANGUAGES
        )
    )
