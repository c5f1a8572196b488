"""The programme on one screen, for elected officials: a few figures of the published reviews, each
with its unit and one sentence in plain French, and the maturity trend by period.

Read from the reviews' frozen figures (each capability's `review.py`), never computed again: the
officials' home and the first page of a review's PDF say the same thing as the review.
"""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mutualis.core.charts import line_chart
from mutualis.reviews.models import Review
from mutualis.reviews.periods import period_name


@dataclass(frozen=True)
class Fact:
    label: str
    value: str  # the figure with its unit, formatted in French
    reading: str  # one sentence saying what it means
    url: str = ""
    link: str = ""


@dataclass
class Summary:
    review: Review
    period: str
    facts: list[Fact] = field(default_factory=list)
    trend: list[tuple[str, float | None]] = field(default_factory=list)
    trend_reading: str = ""
    trend_chart: str = ""


def euros(value) -> str:
    return f"{number_format(value or 0, decimal_pos=2, force_grouping=True)} €"


def _number(value) -> str:
    return number_format(value or 0, decimal_pos=None, force_grouping=True)


def _index(review: Review) -> dict[tuple[str, str], dict]:
    return {
        (s["key"], f["key"]): f
        for s in (review.figures or {}).get("sections", [])
        for f in s["figures"]
    }


def _value(index: dict, section: str, key: str):
    figure = index.get((section, key))
    return None if figure is None else figure.get("value")


def programme_summary(review: Review, *, communes_total: int | None = None) -> Summary:
    """The summary of a review of the programme (staff version), with the trend of the reviews
    up to it (published ones, and this one)."""
    index = _index(review)
    period = period_name(review.period_start, review.period_end)
    summary = Summary(review=review, period=period)
    detail = reverse("reviews:detail", args=[review.number])
    spec = review.programme.spec
    for offer in spec.offers:
        n = _value(index, "membership", f"members_{offer.code}") or 0
        reading = (
            ngettext(
                "%(n)d commune sur %(total)d en fin de période.",
                "%(n)d communes sur %(total)d en fin de période.",
                n,
            )
            % {"n": n, "total": communes_total}
            if communes_total
            else ngettext(
                "%(n)d commune en fin de période.", "%(n)d communes en fin de période.", n
            )
            % {"n": n}
        )
        summary.facts.append(
            Fact(
                offer.name,
                ngettext("%(n)s commune", "%(n)s communes", n) % {"n": _number(n)},
                reading,
                reverse("dashboards:members"),
                _("Voir les communes membres"),
            )
        )
    called = _value(index, "contributions", "called") or 0
    paid = _value(index, "contributions", "paid") or 0
    outstanding = _value(index, "contributions", "outstanding") or 0
    summary.facts.append(
        Fact(
            _("Contributions appelées"),
            euros(called),
            _("Depuis le début du programme, net des avoirs.")
            if called
            else _("Aucune contribution appelée pour l'instant."),
            detail + "#section-contributions",
            _("Détail des contributions"),
        )
    )
    summary.facts.append(
        Fact(
            _("Contributions encaissées"),
            euros(paid),
            _("%(percent)s %% des sommes appelées ; reste %(left)s à encaisser.")
            % {"percent": _number(round(paid * 100 / called)), "left": euros(outstanding)}
            if called
            else _("Rien à encaisser pour l'instant."),
            detail + "#section-contributions",
            _("Détail des contributions"),
        )
    )
    trained = _value(index, "awareness", "agents_trained") or 0
    summary.facts.append(
        Fact(
            _("Personnes formées"),
            ngettext("%(n)s personne", "%(n)s personnes", trained) % {"n": _number(trained)},
            _("Agents des communes ayant réussi au moins un module ou suivi une séance sur site."),
            detail + "#section-awareness",
            _("Détail de la sensibilisation"),
        )
    )
    alerts = _value(index, "information", "critical_alerts") or 0
    acknowledged = _value(index, "information", "alerts_acknowledged_percent")
    summary.facts.append(
        Fact(
            _("Alertes critiques"),
            ngettext("%(n)s alerte", "%(n)s alertes", alerts) % {"n": _number(alerts)},
            (
                _("Publiées pendant la période ; %(percent)s %% des accusés de lecture reçus.")
                % {"percent": number_format(acknowledged)}
            )
            if alerts and acknowledged is not None
            else _("Aucune alerte critique publiée pendant la période.")
            if not alerts
            else _("Publiées pendant la période."),
            detail + "#section-information",
            _("Détail de l'information"),
        )
    )
    _add_trend(summary, review)
    return summary


def _add_trend(summary: Summary, review: Review) -> None:
    reviews = [
        r
        for r in Review.objects.filter(
            programme_id=review.programme_id, number__lte=review.number
        ).order_by("number")
        if r.is_published or r.pk == review.pk
    ]
    summary.trend = [
        (period_name(r.period_start, r.period_end), _value(_index(r), "cyber", "maturity_average"))
        for r in reviews
    ]
    known = [(label, v) for label, v in summary.trend if v is not None]
    if not known:
        summary.trend_reading = _("Aucun diagnostic terminé : pas encore de score de maturité.")
        return
    (first_label, first), (last_label, last) = known[0], known[-1]
    if len(known) == 1 or first == last:
        summary.trend_reading = _(
            "Score de maturité moyen des communes diagnostiquées : %(score)s sur 100 (%(period)s)."
        ) % {"score": number_format(last), "period": last_label}
    else:
        summary.trend_reading = _(
            "Le score de maturité moyen est passé de %(first)s à %(last)s sur 100 entre le "
            "%(start)s et le %(end)s."
        ) % {
            "first": number_format(first),
            "last": number_format(last),
            "start": first_label,
            "end": last_label,
        }
    if len(summary.trend) > 1:
        summary.trend_chart = line_chart(
            [label for label, _v in summary.trend],
            {_("Score de maturité moyen"): [v for _label, v in summary.trend]},
            title=_("Maturité cyber des communes, par période"),
            unit="/ 100",
        )
