"""mutualis contribution_schedule: what a commune would owe had it joined on a date (what-if)."""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mutualis.contributions import rules as contribution_rules
from mutualis.contributions.rules import OfferError
from mutualis.contributions.schedule import ScheduleError
from mutualis.programme.commands import add_programme_argument, programme_from_option
from mutualis.territory.models import Commune


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("« %(value)s » n'est pas une date AAAA-MM-JJ.") % {"value": value}
        ) from None


class Command(BaseCommand):
    help = (
        "Affiche l'échéancier de contribution d'une commune comme si elle adhérait à la date "
        "donnée (simulation : rien n'est enregistré)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--insee", required=True, help="code INSEE de la commune")
        parser.add_argument("--start", required=True, help="début d'adhésion AAAA-MM-JJ")
        parser.add_argument("--exit-requested", help="date de la demande de sortie AAAA-MM-JJ")
        parser.add_argument("--offer", help="code de l'offre (défaut : l'offre avancée ouverte)")
        add_programme_argument(parser)
        parser.add_argument("--json", action="store_true", help="sortie JSON")

    def handle(self, *args, **options):
        programme = programme_from_option(options.get("programme"))
        commune = (
            Commune.objects.filter(insee_code=options["insee"])
            .prefetch_related("populations")
            .first()
        )
        if commune is None:
            raise CommandError(
                _("Aucune commune n'a le code INSEE %(insee)s.") % {"insee": options["insee"]}
            )
        spec = programme.spec
        start = _date(options["start"])
        exit_requested = _date(options["exit_requested"]) if options["exit_requested"] else None
        try:
            offer_code = (
                options.get("offer")
                or contribution_rules.default_offer(
                    spec, has_it_department=commune.has_it_department
                ).code
            )
            simulation = contribution_rules.simulate(
                spec=spec,
                offer_code=offer_code,
                populations=contribution_rules.populations_by_vintage(
                    commune.populations.all(), spec.contributions.population_basis
                ),
                start=start,
                exit_requested=exit_requested,
            )
        except (OfferError, ScheduleError) as exc:
            raise CommandError(
                _("%(commune)s (%(insee)s) : %(error)s")
                % {"commune": commune.name, "insee": commune.insee_code, "error": exc}
            ) from None
        data = simulation.schedule.to_dict(commune.insee_code, offer_code)
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            _("%(commune)s — %(offer)s, adhésion au %(start)s")
            % {
                "commune": commune.name,
                "offer": simulation.offer.name,
                "start": start.strftime("%d/%m/%Y"),
            }
        )
        for p in data["periods"]:
            owed = (
                _("%(amount)s €") % {"amount": p["amount"]}
                if p["amount"] is not None
                else _("%(days)s jours") % {"days": p["days_owed"]}
            )
            self.stdout.write(
                _("  année %(year)s : %(start)s → %(end)s  (%(served)s/%(days)s j)  %(owed)s")
                % {
                    "year": p["membership_year"],
                    "start": p["start"],
                    "end": p["end"],
                    "served": p["days_served"],
                    "days": p["days_in_period"],
                    "owed": owed,
                }
            )
        total = (
            data["total_amount"] and _("%(amount)s €") % {"amount": data["total_amount"]}
        ) or _("%(days)s jours") % {"days": data["total_days_owed"]}
        self.stdout.write(_("  total : %(total)s") % {"total": total})
