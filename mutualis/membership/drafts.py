"""The draft deliberation for joining: the model text the intercommunality sends its communes.

The text is built once, as a list of blocks (title, heading, paragraph, bullet, box to tick, blank
line to fill), from the programme file and the commune; the PDF (WeasyPrint, through
`core.pdf.render_pdf`) and the Word document (python-docx) are two renderings of the same blocks,
so they can never say different things. What only the council can know (session date, members
present, votes) is left blank as "___" for the town hall to fill in.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mutualis.core.french import de_name
from mutualis.membership.deliberations.law import load_rules
from mutualis.membership.rules import of_place
from mutualis.programme.schema import Offer, ProgrammeFile
from mutualis.territory.models import Commune

BLANK = "___"
BlockKind = Literal["title", "subtitle", "heading", "paragraph", "bullet", "box", "signature"]


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str


@dataclass(frozen=True)
class Draft:
    commune: Commune
    title: str
    blocks: tuple[Block, ...]

    @property
    def filename_stem(self) -> str:
        return f"projet-deliberation-adhesion-{self.commune.insee_code}"

    def text(self) -> str:
        """The whole text, one block a line (for tests and search)."""
        return "\n".join(block.text for block in self.blocks)


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}".replace(".", ",") + " €"


def _day(day: date) -> str:
    return date_format(day, "j F Y")


def _ordinal(n: int) -> str:
    return _("1re") if n == 1 else _("%(n)se") % {"n": n}


def _contribution(offer: Offer, population: int | None) -> str:
    contribution = offer.contribution
    if contribution.kind == "free":
        return _("gratuit")
    if contribution.kind == "days_in_kind":
        return _(
            "une contribution en nature de %(days)s jours par an des agents du service"
            " informatique de la commune"
        ) % {"days": str(contribution.days_per_year).replace(".", ",")}
    parts = []
    for year, rate in enumerate(contribution.rates, start=1):
        part = _("%(rate)s par habitant la %(year)s année") % {
            "rate": _money(rate),
            "year": _ordinal(year),
        }
        if population:
            part += _(" (soit environ %(total)s pour %(population)s habitants)") % {
                "total": _money(rate * population),
                "population": population,
            }
        parts.append(part)
    return _("une contribution annuelle de %(parts)s") % {"parts": ", ".join(parts)}


def _audience(offer: Offer) -> str:
    return {
        "all": _("pour toutes les communes"),
        "without_it_department": _("pour les communes sans service informatique (DSI)"),
        "with_it_department": _("pour les communes avec service informatique (DSI)"),
    }[offer.open_to.value]


def build_draft(commune: Commune, spec: ProgrammeFile, *, today: date) -> Draft:
    """The model deliberation for `commune` joining the programme, pre-filled with what is known."""
    info = spec.programme
    population_total = commune.population_total
    municipal = commune.population_municipale_on(today.year)
    seats = commune.council_seats
    if seats is None and municipal is not None:
        seats = load_rules().council_size(municipal)
    of_commune = of_place(commune.name)
    mayor = commune.mayor_name or BLANK
    title = _("Projet de délibération — Adhésion au programme « %(p)s »") % {"p": info.name}
    blocks: list[Block] = [
        Block("title", _("Commune %(c)s") % {"c": of_commune}),
        Block("subtitle", _("Délibération du conseil municipal n° %(b)s") % {"b": BLANK}),
        Block("heading", _("Objet : adhésion au programme « %(p)s »") % {"p": info.name}),
        Block(
            "paragraph",
            _(
                "L'an %(b)s, le %(b)s, à %(b)s heures, le conseil municipal de la commune %(c)s,"
                " dûment convoqué le %(b)s, s'est réuni en mairie sous la présidence %(of_m)s,"
                " Maire."
            )
            % {"b": BLANK, "c": of_commune, "of_m": de_name(mayor)},
        ),
        Block(
            "paragraph",
            _(
                "Membres en exercice : %(s)s. Présents : %(b)s. Représentés : %(b)s. Votants : %(b)s."
            )
            % {"s": seats if seats is not None else BLANK, "b": BLANK},
        ),
        Block("paragraph", _("Étaient présents : %(b)s") % {"b": BLANK}),
        Block(
            "paragraph",
            _("Absents représentés (membre — a donné pouvoir à) : %(b)s") % {"b": BLANK},
        ),
        Block("paragraph", _("Absents : %(b)s") % {"b": BLANK}),
        Block("paragraph", _("Secrétaire de séance : %(b)s") % {"b": BLANK}),
        Block("heading", _("Exposé")),
        Block("paragraph", _("Monsieur ou Madame le Maire rappelle le contexte :")),
    ]
    if info.description:
        blocks.append(Block("paragraph", " ".join(info.description.split())))
    blocks.append(
        Block(
            "paragraph",
            _("%(o)s propose les %(n)s offres de services suivantes :")
            % {"o": info.operator_name, "n": len(spec.offers)},
        )
    )
    for offer in spec.offers:
        heading = _("%(name)s — %(audience)s, %(contribution)s.") % {
            "name": offer.name,
            "audience": _audience(offer),
            "contribution": _contribution(offer, population_total),
        }
        blocks.append(Block("heading", heading))
        if offer.summary:
            blocks.append(Block("paragraph", offer.summary))
        if offer.includes:
            included = ", ".join(spec.offer(code).name for code in offer.includes)
            blocks.append(Block("paragraph", _("Cette offre inclut : %(i)s.") % {"i": included}))
        for axis in offer.axes:
            services = "; ".join(service.name for service in axis.services)
            blocks.append(Block("bullet", f"{axis.name} : {services}"))
    facts = _("La commune compte %(p)s habitants (population légale totale, millésime %(v)s)")
    if population_total:
        blocks.append(
            Block(
                "paragraph",
                (facts % {"p": population_total, "v": commune.population_vintage or BLANK})
                + (
                    _(" et dispose d'un service informatique (DSI).")
                    if commune.has_it_department
                    else _(" et ne dispose pas de service informatique (DSI).")
                ),
            )
        )
    exit_sentence = (
        _(" avec possibilité de sortie sans frais le %(d)s") % {"d": _day(info.free_exit_date)}
        if info.free_exit_date
        else ""
    )
    blocks += [
        Block(
            "paragraph",
            _(
                "L'adhésion aux services avancés est accordée dans la limite des moyens"
                " mobilisables : les communes admises sont intégrées au dispositif en fonction"
                " des ressources disponibles et bénéficient du socle de base en attendant."
            ),
        ),
        Block(
            "paragraph",
            _(
                "L'engagement est prévu jusqu'au %(end)s%(exit)s. Des bilans sont réalisés tous les %(m)s mois."
            )
            % {"end": _day(info.end), "exit": exit_sentence, "m": info.review_period_months},
        ),
        Block("heading", _("Décision")),
        Block(
            "paragraph",
            _(
                "Ouï cet exposé et après en avoir délibéré, le conseil municipal, par %(b)s voix"
                " pour, %(b)s voix contre et %(b)s abstentions, décide (cocher les articles"
                " retenus) :"
            )
            % {"b": BLANK},
        ),
        Block(
            "box",
            _("Article 1 : d'adhérer au %(base)s (%(c)s) ;")
            % {
                "base": spec.base_offer.name.lower(),
                "c": _contribution(spec.base_offer, population_total),
            },
        ),
    ]
    for offer in spec.advanced_offers():
        if offer.is_open_to(has_it_department=commune.has_it_department):
            blocks.append(
                Block(
                    "box",
                    _("Article 2 : de solliciter l'adhésion à l'offre « %(o)s », moyennant %(c)s ;")
                    % {"o": offer.name, "c": _contribution(offer, population_total)},
                )
            )
    blocks += [
        Block(
            "box",
            _(
                "Article 3 : d'autoriser le Maire à signer la convention correspondante, ses"
                " avenants et tout document afférent à ce dossier."
            ),
        ),
        Block(
            "paragraph",
            _(
                "Copie de la présente délibération sera transmise au représentant de l'État pour"
                " le contrôle de légalité et à %(o)s."
            )
            % {"o": info.operator_name},
        ),
        Block(
            "signature",
            _("Fait à %(c)s, le %(b)s. Le Maire, %(m)s")
            % {"c": commune.name, "b": BLANK, "m": mayor},
        ),
        Block(
            "paragraph",
            _(
                "La présente délibération peut faire l'objet d'un recours pour excès de pouvoir"
                " devant le tribunal administratif dans un délai de deux mois à compter de sa"
                " publication."
            ),
        ),
    ]
    return Draft(commune=commune, title=title, blocks=tuple(blocks))


def render_docx(draft: Draft) -> bytes:
    """The draft as an editable Word document (.docx)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = Document()
    document.core_properties.title = draft.title
    document.core_properties.language = "fr-FR"
    for block in draft.blocks:
        if block.kind == "title":
            document.add_heading(block.text, level=0)
        elif block.kind == "subtitle":
            document.add_paragraph(block.text).alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif block.kind == "heading":
            document.add_heading(block.text, level=2)
        elif block.kind == "bullet":
            document.add_paragraph(block.text, style="List Bullet")
        elif block.kind == "box":
            document.add_paragraph(f"☐ {block.text}")
        elif block.kind == "signature":
            document.add_paragraph(block.text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
        else:
            document.add_paragraph(block.text)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
