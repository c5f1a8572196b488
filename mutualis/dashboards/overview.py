"""What is due for a commune, capability by capability: a few counts with links, each shown only
to those whose rule lets them open the page it links to (isolation: always one commune's data).

One bounded query (a count) per capability, whatever the volume of data. The counts of calls,
measures and support requests are summaries of pages that are themselves live: each is kept one
minute in Django's cache (`_kept`), and forgotten as soon as a row they count is saved or deleted
(`forget_due_counts`, connected in `apps.py`).
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mutualis.accounts import perms
from mutualis.contributions import perms as contributions_perms
from mutualis.core.kept import generation, next_generation
from mutualis.cyber import perms as cyber_perms
from mutualis.territory.models import Commune

# How long a count is kept at most: the other processes of a server with a per-process cache see a
# write by then.
KEPT_SECONDS = 60
# Part of every count's key: a write to what they count moves it on, and every count is read again.
GENERATION_KEY = "dashboards:due-generation"


def _kept(key: str, count) -> int:
    """The count under `key` (which names what is counted and the day), from the cache or counted."""
    return cache.get_or_set(
        f"dashboards:due:{generation(GENERATION_KEY)}:{key}", count, KEPT_SECONDS
    )


def forget_due_counts(**kwargs) -> None:
    """Receiver of the saves and deletions of calls, payments, credit notes, diagnostics, plan
    measures and support requests: now, and again when the transaction commits (a page may count
    the old rows meanwhile)."""
    next_generation(GENERATION_KEY)


def _calls(**scope):
    from mutualis.contributions.models import Call

    return Call.objects.filter(**scope)


def _measures(**scope):
    from mutualis.cyber.models import PlanMeasure

    return PlanMeasure.objects.filter(**scope)


def _requests(**scope):
    from mutualis.support.models import SupportRequest

    return SupportRequest.objects.filter(**scope)


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


def commune_overview(user, commune: Commune, programme=None, memberships=None) -> list[Due]:
    """The commune's « À suivre » cards; `programme` and `memberships` (every membership of the
    commune, oldest first), when the page has already read them, spare reading them again."""
    from mutualis.awareness.models import Campaign, Progress
    from mutualis.information.models import Post

    today = timezone.localdate()
    member = commune.pk in {c.pk for c in user.communes()}
    items: list[Due] = [membership_card(commune, programme, memberships)]

    if contributions_perms.can_see_contributions_of(user, commune):
        unpaid = _kept(
            f"calls:commune:{commune.pk}:{today}",
            lambda: _calls(commune_id=commune.pk).count_overdue(today),
        )
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
                reverse("contributions:commune", args=[commune.insee_code]),
                unpaid,
                _("Voir les appels et paiements"),
                next_step=_("régler les appels échus") if unpaid else "",
            )
        )
    if cyber_perms.can_view_commune_security(user, commune):
        late = _kept(
            f"measures:commune:{commune.pk}:{today}",
            lambda: _measures(diagnostic__commune_id=commune.pk).overdue(today).count(),
        )
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
                reverse("cyber:commune", args=[commune.insee_code]),
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
                reverse("information:posts"),
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
                reverse("awareness:home"),
                training,
                _("Mes modules"),
                next_step=_("suivre les modules demandés") if training else "",
            )
        )
    if member or perms.is_staff_member(user):
        requests = _kept(
            f"requests:commune:{commune.pk}",
            lambda: _requests(commune_id=commune.pk).open().count(),
        )
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
                reverse("support:requests"),
                requests,
                _("Voir les demandes"),
                next_step=_("répondre au support sur les demandes ouvertes") if requests else "",
            )
        )
    return items


def membership_card(commune: Commune, programme=None, memberships=None) -> Due:
    """The commune's membership, with its next step (« signer la convention »): its most advanced
    open membership of the current programme. `memberships`: every membership of the commune,
    oldest first, when the page has already read them."""
    from mutualis.membership.enums import Status
    from mutualis.membership.models import Membership
    from mutualis.membership.next_steps import next_step
    from mutualis.programme.models import Programme

    if programme is None:  # with its file: read once, not once per membership
        programme = Programme.objects.for_commune(commune)
    if memberships is None or programme is None:
        memberships = Membership.objects.filter(commune=commune, programme=programme).open()
        memberships = list(memberships.order_by("created_at"))
    else:
        memberships = [m for m in memberships if m.programme_id == programme.pk and m.is_open]
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
        reverse("membership:commune", args=[commune.insee_code]),
        int(waiting),
        _("Voir l'adhésion"),
        next_step=step,
    )


def programme_overview(user, programme) -> list[Due]:
    """The same, across the communes of the programme the page is about, for the intercommunal
    team's dashboard: the programme's unpaid calls, late measures and open requests (another
    programme's are not counted, not even as a number); none without a programme."""
    if programme is None:
        return []
    today = timezone.localdate()
    items: list[Due] = []
    if perms.is_finance_or_coordinator(user):
        unpaid = _kept(
            f"calls:programme:{programme.pk}:{today}",
            lambda: _calls(programme=programme).count_overdue(today),
        )
        items.append(
            Due(
                _("Contributions"),
                ngettext("%(n)d appel échu et impayé", "%(n)d appels échus et impayés", unpaid)
                % {"n": unpaid},
                reverse("contributions:overdue"),
                unpaid,
                _("Voir les impayés"),
            )
        )
    if cyber_perms.can_view_cyber_programme(user):
        late = _kept(
            f"measures:programme:{programme.pk}:{today}",
            lambda: (
                _measures(diagnostic__commune__epci__programmes=programme).overdue(today).count()
            ),
        )
        items.append(
            Due(
                _("Cybersécurité"),
                ngettext("%(n)d mesure en retard", "%(n)d mesures en retard", late) % {"n": late},
                reverse("cyber:programme"),
                late,
                _("Voir la sécurité du programme"),
            )
        )
    requests = _kept(
        f"requests:programme:{programme.pk}",
        lambda: _requests(commune__epci__programmes=programme).open().count(),
    )
    items.append(
        Due(
            _("Support"),
            ngettext("%(n)d demande ouverte", "%(n)d demandes ouvertes", requests)
            % {"n": requests},
            reverse("support:requests"),
            requests,
            _("Voir les demandes"),
        )
    )
    return items
