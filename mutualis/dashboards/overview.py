"""What is due for a commune, capability by capability: a few counts with links, each shown only
to those whose rule lets them open the page it links to (isolation: always one commune's data).

One bounded query (a count) per capability, whatever the volume of data; each count kept under
the tokens of the tables it reads (`core.versions.VersionedCount`), so that a view after no write
to them runs none.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mutualis.accounts import perms
from mutualis.contributions import perms as contributions_perms
from mutualis.core import versions
from mutualis.core.prepared import DATE_PLACEHOLDER, ID_PLACEHOLDER
from mutualis.core.urls_cached import cached_reverse
from mutualis.cyber import perms as cyber_perms
from mutualis.territory.models import Commune


def _calls(**scope):
    from mutualis.contributions.models import Call

    return Call.objects.filter(**scope)


def _measures(**scope):
    from mutualis.cyber.models import PlanMeasure

    return PlanMeasure.objects.filter(**scope)


def _requests(**scope):
    from mutualis.support.models import SupportRequest

    return SupportRequest.objects.filter(**scope)


# The counts below run on every view of the dashboards: the ORM writes each one once per process,
# and each result is kept until a table its SQL names is written to.
OVERDUE_CALLS = versions.VersionedCount(
    lambda today: _calls().overdue(today), today=DATE_PLACEHOLDER
)
COMMUNE_OVERDUE_CALLS = versions.VersionedCount(
    lambda today, commune_id: _calls(commune_id=commune_id).overdue(today),
    today=DATE_PLACEHOLDER,
    commune_id=ID_PLACEHOLDER,
)
LATE_MEASURES = versions.VersionedCount(
    lambda today: _measures().overdue(today), today=DATE_PLACEHOLDER
)
COMMUNE_LATE_MEASURES = versions.VersionedCount(
    lambda today, commune_id: _measures(diagnostic__commune_id=commune_id).overdue(today),
    today=DATE_PLACEHOLDER,
    commune_id=ID_PLACEHOLDER,
)
OPEN_REQUESTS = versions.VersionedCount(lambda: _requests().open())
COMMUNE_OPEN_REQUESTS = versions.VersionedCount(
    lambda commune_id: _requests(commune_id=commune_id).open(), commune_id=ID_PLACEHOLDER
)


@dataclass(frozen=True)
class Due:
    title: str
    text: str
    url: str
    count: int
    link: str
    next_step: str = ""  # « Prochaine étape : … », on a commune's cards

    @property
    def level(self) -> str:
        return "warn" if self.count else "ok"


def commune_overview(user, commune: Commune, seen: versions.Versions | None = None) -> list[Due]:
    from mutualis.awareness.models import Campaign, Progress
    from mutualis.information.models import Post

    today = timezone.localdate()
    seen = seen or versions.read()
    member = commune.pk in {c.pk for c in user.communes()}
    items: list[Due] = [membership_card(commune)]

    if contributions_perms.can_see_contributions_of(user, commune):
        unpaid = COMMUNE_OVERDUE_CALLS.cached(seen, today=today, commune_id=commune.pk)
        items.append(
            Due(
                _("Contributions"),
                ngettext(
                    "%(n)d appel de contribution échu et impayé",
                    "%(n)d appels de contribution échus et impayés",
                    unpaid,
                )
                % {"n": unpaid}
                if unpaid
                else _("Aucun appel de contribution en retard de paiement."),
                cached_reverse("contributions:commune", commune.insee_code),
                unpaid,
                _("Voir les appels et paiements"),
                next_step=_("régler les appels échus") if unpaid else "",
            )
        )
    if cyber_perms.can_view_commune_security(user, commune):
        late = COMMUNE_LATE_MEASURES.cached(seen, today=today, commune_id=commune.pk)
        items.append(
            Due(
                _("Cybersécurité"),
                ngettext(
                    "%(n)d mesure du plan de sécurité en retard",
                    "%(n)d mesures du plan de sécurité en retard",
                    late,
                )
                % {"n": late}
                if late
                else _("Aucune mesure du plan de sécurité en retard."),
                cached_reverse("cyber:commune", commune.insee_code),
                late,
                _("Voir le plan de sécurité"),
                next_step=_("avancer les mesures en retard") if late else "",
            )
        )
    if member:
        alerts = (
            Post.objects.readable_by(user)
            .needing_acknowledgement()
            .exclude(acknowledgements__commune=commune)
            .count()
        )
        items.append(
            Due(
                _("Alertes"),
                ngettext(
                    "%(n)d alerte critique à lire et accuser",
                    "%(n)d alertes critiques à lire et accuser",
                    alerts,
                )
                % {"n": alerts}
                if alerts
                else _("Aucune alerte critique en attente de lecture."),
                cached_reverse("information:posts"),
                alerts,
                _("Voir les informations"),
                next_step=_("lire les alertes et en accuser réception") if alerts else "",
            )
        )
        campaigns = Campaign.objects.for_person(user, [commune.pk]).filter(due_date__gte=today)
        passed = Progress.objects.passed().filter(user=user).values("module_version__module")
        training = (
            Campaign.modules.through.objects.filter(campaign__in=campaigns)
            .exclude(awarenessmodule__in=passed)
            .values("awarenessmodule")
            .distinct()
            .count()
        )
        items.append(
            Due(
                _("Sensibilisation"),
                ngettext(
                    "%(n)d module de sensibilisation à suivre",
                    "%(n)d modules de sensibilisation à suivre",
                    training,
                )
                % {"n": training}
                if training
                else _("Aucun module de sensibilisation à suivre pour l'instant."),
                cached_reverse("awareness:home"),
                training,
                _("Mes modules"),
                next_step=_("suivre les modules demandés") if training else "",
            )
        )
    if member or perms.is_staff_member(user):
        requests = COMMUNE_OPEN_REQUESTS.cached(seen, commune_id=commune.pk)
        items.append(
            Due(
                _("Support"),
                ngettext(
                    "%(n)d demande de support ouverte",
                    "%(n)d demandes de support ouvertes",
                    requests,
                )
                % {"n": requests}
                if requests
                else _("Aucune demande de support ouverte."),
                cached_reverse("support:requests"),
                requests,
                _("Voir les demandes"),
                next_step=_("répondre au support sur les demandes ouvertes") if requests else "",
            )
        )
    return items


def membership_card(commune: Commune) -> Due:
    """The commune's membership, with its next step (« signer la convention »): its most advanced
    open membership of the current programme."""
    from mutualis.membership.enums import Status
    from mutualis.membership.models import Membership
    from mutualis.membership.next_steps import next_step
    from mutualis.programme.models import Programme

    programme = Programme.objects.current()  # with its file: read once, not once per membership
    memberships = list(Membership.objects.filter(commune=commune, programme=programme).open())
    for m in memberships:
        m.programme = programme
    advanced = [m for m in memberships if not m.is_base]
    current = advanced[0] if advanced else (memberships[0] if memberships else None)
    if current is None:
        text, step = _("La commune n'a adhéré à aucune offre."), _("adhérer au socle de base")
    else:
        text = _("%(offer)s : %(status)s") % {
            "offer": current.offer_name(),
            "status": current.get_status_display(),
        }
        step = next_step(current.status, base_only=not advanced, exit_on=current.effective_exit)
    # « À faire » only when the next step is the commune's own (joining, signing).
    waiting = current is None or current.status == Status.CONVENTION_ISSUED
    return Due(
        _("Adhésion"),
        text,
        cached_reverse("membership:commune", commune.insee_code),
        int(waiting),
        _("Voir l'adhésion"),
        next_step=step,
    )


def programme_overview(user, seen: versions.Versions | None = None) -> list[Due]:
    """The same, across every commune, for the intercommunal team's dashboard."""

    today = timezone.localdate()
    seen = seen or versions.read()
    items: list[Due] = []
    if perms.is_finance_or_coordinator(user):
        unpaid = OVERDUE_CALLS.cached(seen, today=today)
        items.append(
            Due(
                _("Contributions"),
                ngettext("%(n)d appel échu et impayé", "%(n)d appels échus et impayés", unpaid)
                % {"n": unpaid},
                cached_reverse("contributions:overdue"),
                unpaid,
                _("Voir les impayés"),
            )
        )
    if cyber_perms.can_view_cyber_programme(user):
        late = LATE_MEASURES.cached(seen, today=today)
        items.append(
            Due(
                _("Cybersécurité"),
                ngettext("%(n)d mesure en retard", "%(n)d mesures en retard", late) % {"n": late},
                cached_reverse("cyber:programme"),
                late,
                _("Voir la sécurité du programme"),
            )
        )
    requests = OPEN_REQUESTS.cached(seen)
    items.append(
        Due(
            _("Support"),
            ngettext("%(n)d demande ouverte", "%(n)d demandes ouvertes", requests)
            % {"n": requests},
            cached_reverse("support:requests"),
            requests,
            _("Voir les demandes"),
        )
    )
    return items
