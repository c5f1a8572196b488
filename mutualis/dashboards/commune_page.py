"""What a commune's page reads, each query written to SQL by the ORM once per process.

The page runs on every visit to a commune: building its seven querysets with the ORM (filters,
joins, ordering, a prefetch) cost more than running them (issue #5). Each read is a
`core.prepared.PreparedQuery`, and the rows are put together here as the page shows them: a
membership's steps grouped under it (one query for all, not a prefetch built per request).
"""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from mutualis.core import versions
from mutualis.core.models import AuditEvent
from mutualis.core.prepared import ID_PLACEHOLDER, TEXT_PLACEHOLDER, PreparedQuery
from mutualis.membership.enums import STATUS_LABELS
from mutualis.membership.models import Deliberation, Membership, Transition
from mutualis.programme.models import Participation, Programme
from mutualis.territory.models import Commune, Epci, Population

# Entries of the audit trail on a commune's page; the rest is on its history page.
RECENT_HISTORY = 10
# A second id placeholder: each placeholder must be a value no other parameter of the query takes.
_OTHER_ID_PLACEHOLDER = ID_PLACEHOLDER - 1

_POPULATIONS = PreparedQuery(
    lambda commune_id: Population.objects.filter(commune_id=commune_id).order_by("-vintage"),
    commune_id=ID_PLACEHOLDER,
)
_PARTICIPATION = PreparedQuery(
    lambda programme_id, commune_id: Participation.objects.filter(
        programme_id=programme_id, commune_id=commune_id
    ).order_by("pk")[:1],
    programme_id=ID_PLACEHOLDER,
    commune_id=_OTHER_ID_PLACEHOLDER,
)
_MEMBERSHIPS = PreparedQuery(
    lambda commune_id: Membership.objects.filter(commune_id=commune_id).order_by("created_at"),
    commune_id=ID_PLACEHOLDER,
)
# Only what the page shows of a step: its date, the status reached and the reason.
_STEPS = PreparedQuery(
    lambda commune_id: Transition.objects.filter(membership__commune_id=commune_id).only(
        "membership_id", "to_status", "at", "reason"
    ),
    commune_id=ID_PLACEHOLDER,
)
# The columns of the shared deliberation table (membership/_deliberation_table.html), no more:
# the lists of members present, represented and absent are JSON the page never reads.
_DELIBERATIONS = PreparedQuery(
    lambda commune_id: Deliberation.objects.filter(commune_id=commune_id).only(
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
    ),
    commune_id=ID_PLACEHOLDER,
)
# One entry more than shown: it tells whether there are more on the history page.
# Only what a row shows (date, actor's name, summary, reason): building eleven whole users with
# every column of the user table cost more than reading them.
_RECENT_EVENTS = PreparedQuery(
    lambda insee_code: (
        AuditEvent.objects.for_commune(insee_code)
        .select_related("actor")
        .only(
            "at",
            "summary",
            "reason",
            "actor__first_name",
            "actor__last_name",
            "actor__username",
        )[: RECENT_HISTORY + 1]
    ),
    insee_code=TEXT_PLACEHOLDER,
)


def populations(commune: Commune) -> list[Population]:
    """Every vintage loaded, newest first."""
    return _POPULATIONS(commune_id=commune.pk)


def participation(programme, commune: Commune) -> Participation | None:
    return _PARTICIPATION.first(programme_id=programme.pk, commune_id=commune.pk)


def memberships(commune: Commune, offer_names: dict[str, str]) -> list[Membership]:
    """The commune's memberships, oldest first, each with its offer's name, its status label and
    its steps (`steps`, oldest first, each with its `status_label`)."""
    found = _MEMBERSHIPS(commune_id=commune.pk)
    steps = {m.pk: [] for m in found}
    for step in _STEPS(commune_id=commune.pk):
        step.status_label = STATUS_LABELS.get(step.to_status, step.to_status)
        steps[step.membership_id].append(step)
    for membership in found:
        membership.offer_label = offer_names.get(membership.offer_code, membership.offer_code)
        membership.status_label = STATUS_LABELS.get(membership.status, membership.status)
        membership.steps = steps[membership.pk]
    return found


def deliberations(commune: Commune) -> list[Deliberation]:
    return _DELIBERATIONS(commune_id=commune.pk)


def recent_history(commune: Commune) -> tuple[list[AuditEvent], bool]:
    """The newest entries of the commune's audit trail, each with its actor, and whether there
    are older ones."""
    events = _RECENT_EVENTS(insee_code=commune.insee_code)
    return events[:RECENT_HISTORY], len(events) > RECENT_HISTORY


# What the page's identity, populations, participation, memberships and deliberations are read
# from: their HTML is kept under these tables' tokens (core.versions) and rendered again after any
# write to one of them.
SECTION_TABLES = [Commune, Epci, Population, Participation, Membership, Transition, Deliberation]


@dataclass(frozen=True)
class Sections:
    """The HTML of the parts of a commune's page that are the same for everyone who may open it."""

    identity: SafeString
    populations: SafeString
    participation: SafeString
    memberships: SafeString


def sections(
    seen: versions.Versions, programme: Programme | None, commune: Commune, offer_names
) -> Sections:
    """The page's parts that depend on the commune and the programme alone (the view checked that
    the user may open the page), kept per commune, programme version, language and time zone until
    one of SECTION_TABLES is written to."""

    def render() -> Sections:
        return Sections(
            identity=render_to_string("dashboards/_commune_identity.html", {"commune": commune}),
            populations=render_to_string(
                "dashboards/_commune_populations.html", {"populations": populations(commune)}
            ),
            participation=render_to_string(
                "dashboards/_commune_participation.html",
                {
                    "programme": programme,
                    "participation": participation(programme, commune) if programme else None,
                },
            ),
            memberships=render_to_string(
                "dashboards/_commune_memberships.html",
                {
                    "commune": commune,
                    "memberships": memberships(commune, offer_names),
                    "deliberations": deliberations(commune),
                },
            ),
        )

    key = (
        "commune sections",
        commune.pk,
        commune.insee_code,
        programme.pk if programme else None,
        programme.spec_version.sha256 if programme else "",
        get_language(),
        timezone.get_current_timezone_name(),
    )
    return seen.cached(key, SECTION_TABLES, render)
