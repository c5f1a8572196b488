"""The programme file: its schema, and a loader that refuses a wrong file with key path and problem.

Pure Python (pydantic), no database: the file is validated whole before anything is stored.
"""

import tomllib
from datetime import date
from decimal import Decimal
from enum import StrEnum
from itertools import pairwise
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

Code = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,48}$")]
PositiveDecimal = Annotated[Decimal, Field(ge=0, allow_inf_nan=False)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OpenTo(StrEnum):
    ALL = "all"
    WITHOUT_IT = "without_it_department"
    WITH_IT = "with_it_department"


class Service(Strict):
    code: Code
    name: str = Field(min_length=1)
    app: str = ""


class Axis(Strict):
    code: Code
    name: str = Field(min_length=1)
    services: list[Service] = Field(min_length=1)


class FreeContribution(Strict):
    kind: Literal["free"]


class PerInhabitantContribution(Strict):
    kind: Literal["per_inhabitant"]
    rates: list[PositiveDecimal] = Field(min_length=1)


class DaysInKindContribution(Strict):
    kind: Literal["days_in_kind"]
    days_per_year: Annotated[Decimal, Field(gt=0, allow_inf_nan=False)]


Contribution = Annotated[
    FreeContribution | PerInhabitantContribution | DaysInKindContribution,
    Field(discriminator="kind"),
]


class Offer(Strict):
    code: Code
    name: str = Field(min_length=1)
    kind: Literal["base", "advanced"]
    open_to: OpenTo
    includes: list[Code] = []
    summary: str = ""
    capacity_pool: Code | None = None
    convention_type: Code | None = None
    contribution: Contribution
    axes: list[Axis] = Field(min_length=1)

    def is_open_to(self, *, has_it_department: bool) -> bool:
        if self.open_to == OpenTo.ALL:
            return True
        return has_it_department == (self.open_to == OpenTo.WITH_IT)


class ProgrammeInfo(Strict):
    slug: Code
    name: str = Field(min_length=1)
    operator_name: str = Field(min_length=1)
    operator_siren: str = Field(pattern=r"^\d{9}$")
    epci_sirens: list[Annotated[str, Field(pattern=r"^\d{9}$")]] = Field(min_length=1)
    start: date
    end: date
    free_exit_date: date | None = None
    review_period_months: int = Field(ge=1, le=24)
    description: str = ""
    # The programme this one succeeds (its members are proposed a renewal).
    predecessor: Code | None = None
    # A picture in the static files (e.g. "programme/sicoval.svg") shown in the page header beside
    # the operator's name; none: the name alone, as a text mark.
    logo: str = Field(default="", pattern=r"^([\w.-]+/)*[\w.-]+\.(svg|png|jpg|jpeg|webp)$|^$")

    @model_validator(mode="after")
    def dates_in_order(self):
        if self.end <= self.start:
            raise ValueError(
                _("la date de fin (end) doit être postérieure à la date de début (start)")
            )
        if self.free_exit_date and not self.start <= self.free_exit_date <= self.end:
            raise ValueError(
                _("la date de sortie sans frais (free_exit_date) doit être dans le programme")
            )
        return self


class ContributionRulesSpec(Strict):
    membership_start: Literal["first_day_of_next_month", "signature_date"]
    period_months: Literal[12]
    prorata: Literal["days"]
    rounding: Literal["half_up"]
    money_quantum: Annotated[Decimal, Field(gt=0)]
    days_rounding_step: Annotated[Decimal, Field(gt=0)]
    population_basis: Literal["total", "municipal"]
    population_vintage: Literal["period_start_year"]
    estimated_population_needs_confirmation: bool
    call_when: Literal["period_start"]
    payment_terms_days: int = Field(ge=0, le=365)
    call_number_format: str
    credit_note_number_format: str
    # A renewed membership's year for the rates: counted from its start in the first programme,
    # or restarting at year 1 in this one.
    rates_count_from: Literal["first_programme", "this_programme"] = "this_programme"

    @field_validator("call_number_format", "credit_note_number_format")
    @classmethod
    def number_format_works(cls, value: str) -> str:
        try:
            value.format(year=2024, seq=1)
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(_("format de numéro invalide (%(error)s)") % {"error": exc}) from exc
        return value


class Admission(Strict):
    priority_decided_until: date
    commitment_letter_deadline: date


class Referent(Strict):
    annual_cost: PositiveDecimal
    contract_start: date
    contract_years: int = Field(ge=1, le=10)


class CapacityPool(Strict):
    code: Code
    name: str = Field(min_length=1)
    offers: list[Code] = Field(min_length=1)
    days_per_year: Annotated[Decimal, Field(gt=0)]
    base_load_days: PositiveDecimal
    load_per_1000_inhabitants: PositiveDecimal


class ConventionType(Strict):
    code: Code
    name: str = Field(min_length=1)
    offer: Code


class SupportTarget(Strict):
    urgency: Literal["critical", "high", "normal", "low"]
    response_hours: Annotated[Decimal, Field(gt=0)]
    resolution_hours: Annotated[Decimal, Field(gt=0)]


class Support(Strict):
    working_days: list[Annotated[int, Field(ge=1, le=7)]] = Field(min_length=1)
    working_hours: list[Annotated[str, Field(pattern=r"^\d\d:\d\d$")]] = Field(min_length=2)
    holidays_country: Literal["FR"] = "FR"
    targets: list[SupportTarget] = Field(min_length=1)

    @model_validator(mode="after")
    def hours_in_pairs_and_in_order(self):
        hours = self.working_hours
        if len(hours) % 2:
            raise ValueError(_("les horaires de travail (working_hours) vont par paires début/fin"))
        if any(not "00:00" <= h <= "23:59" or h[3:] > "59" for h in hours):
            raise ValueError(_("un horaire de travail (working_hours) n'est pas une heure HH:MM"))
        if any(a >= b for a, b in pairwise(hours)):
            raise ValueError(
                _("les horaires de travail (working_hours) doivent se suivre dans l'ordre")
            )
        urgencies = [t.urgency for t in self.targets]
        if len(set(urgencies)) != len(urgencies):
            raise ValueError(_("deux délais cibles (targets) portent la même urgence"))
        return self

    def target(self, urgency: str) -> SupportTarget | None:
        return next((t for t in self.targets if t.urgency == urgency), None)


class Purchasing(Strict):
    contract_alert_days: int = Field(default=30, ge=1, le=365)


class BackupOption(Strict):
    """An external backup offer of the programme's catalogue, priced for a study."""

    code: Code
    name: str = Field(min_length=1)
    provider: str = Field(min_length=1)
    price_per_gb_month: PositiveDecimal
    monthly_minimum: PositiveDecimal = Decimal(0)
    setup_fee: PositiveDecimal = Decimal(0)
    offsite: bool
    offline: bool
    description: str = ""


class Issuer(Strict):
    """Who issues and signs the programme's documents (attestations): the intercommunality, and
    the signature block printed under them."""

    name: str = Field(min_length=1)
    signatory_name: str = ""
    signatory_title: str = ""
    place: str = ""


class ProgrammeFile(Strict):
    programme: ProgrammeInfo
    contributions: ContributionRulesSpec
    admission: Admission
    referent: Referent
    capacity_pools: list[CapacityPool] = Field(min_length=1)
    offers: list[Offer] = Field(min_length=1)
    conventions: list[ConventionType] = []
    support: Support | None = None
    backup_options: list[BackupOption] = []
    purchasing: Purchasing = Purchasing()
    issuer: Issuer | None = None

    @property
    def document_issuer(self) -> Issuer:
        """The `[issuer]` section, else the operator's name with no signatory."""
        return self.issuer or Issuer(name=self.programme.operator_name)

    @model_validator(mode="after")
    def references_resolve(self):
        offers = {o.code for o in self.offers}
        if len(offers) != len(self.offers):
            raise ValueError(_("deux offres portent le même code"))
        pools = {p.code for p in self.capacity_pools}
        conventions = {c.code for c in self.conventions}
        if sum(1 for o in self.offers if o.kind == "base") != 1:
            raise ValueError(_('il faut exactement une offre de base (kind = "base")'))
        for offer in self.offers:
            for included in offer.includes:
                if included not in offers:
                    raise ValueError(
                        _("l'offre %(offer)s inclut une offre inconnue : %(included)s")
                        % {"offer": offer.code, "included": included}
                    )
            if offer.kind == "advanced":
                if offer.capacity_pool not in pools:
                    raise ValueError(
                        _(
                            "l'offre %(offer)s doit désigner un vivier de capacité connu "
                            "(capacity_pool), pas %(pool)s"
                        )
                        % {"offer": offer.code, "pool": repr(offer.capacity_pool)}
                    )
                if offer.convention_type not in conventions:
                    raise ValueError(
                        _(
                            "l'offre %(offer)s doit désigner un type de convention connu "
                            "(convention_type), pas %(convention)s"
                        )
                        % {"offer": offer.code, "convention": repr(offer.convention_type)}
                    )
        for pool in self.capacity_pools:
            for code in pool.offers:
                if code not in offers:
                    raise ValueError(
                        _("le vivier %(pool)s cite une offre inconnue : %(offer)s")
                        % {"pool": pool.code, "offer": code}
                    )
        for convention in self.conventions:
            if convention.offer not in offers:
                raise ValueError(
                    _("la convention %(convention)s cite une offre inconnue")
                    % {"convention": convention.code}
                )
        return self

    def offer(self, code: str) -> Offer:
        for offer in self.offers:
            if offer.code == code:
                return offer
        raise KeyError(code)

    @property
    def base_offer(self) -> Offer:
        return next(o for o in self.offers if o.kind == "base")

    def advanced_offers(self) -> list[Offer]:
        return [o for o in self.offers if o.kind == "advanced"]

    def pool_for_offer(self, code: str) -> CapacityPool:
        return next(p for p in self.capacity_pools if code in p.offers)


class ProgrammeFileError(ValueError):
    """A refused programme file; `problems` lists (key path, French message)."""

    def __init__(self, source: str, problems: list[tuple[str, str]]):
        self.source = source
        self.problems = problems
        lines = "\n".join(
            _("  - %(path)s : %(message)s") % {"path": path or _("(racine)"), "message": message}
            for path, message in problems
        )
        super().__init__(
            _("Fichier de programme refusé (%(source)s) :\n%(lines)s")
            % {"source": source, "lines": lines}
        )


_MESSAGES = {
    "missing": "clé obligatoire absente",
    "extra_forbidden": "clé inconnue",
    "int_type": "un nombre entier est attendu",
    "int_parsing": "un nombre entier est attendu",
    "string_type": "un texte est attendu",
    "bool_type": "vrai ou faux (true/false) est attendu",
    "date_type": "une date (AAAA-MM-JJ) est attendue",
    "date_from_datetime_parsing": "une date (AAAA-MM-JJ) est attendue",
    "date_parsing": "une date (AAAA-MM-JJ) est attendue",
    "list_type": "une liste est attendue",
    "decimal_type": "un nombre décimal est attendu",
    "decimal_parsing": "un nombre décimal est attendu",
    "too_short": "la liste ne doit pas être vide",
    "greater_than_equal": "la valeur ne doit pas être négative ni inférieure au minimum",
    "greater_than": "la valeur doit être strictement positive",
    "less_than_equal": "la valeur dépasse le maximum",
    "string_pattern_mismatch": "format invalide",
    "string_too_short": "le texte ne doit pas être vide",
    "literal_error": "valeur non reconnue",
    "enum": "valeur non reconnue",
    "union_tag_invalid": "type inconnu (kind)",
    "union_tag_not_found": "la clé kind est absente",
    "model_type": "une table est attendue",
}


def _french(error: dict) -> str:
    kind = error["type"]
    if kind == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    message = _MESSAGES.get(kind, error["msg"])
    ctx = error.get("ctx") or {}
    if kind in {"greater_than_equal", "greater_than", "less_than_equal"} and ctx:
        limit = next(iter(ctx.values()))
        message = f"{message} ({limit})"
    if kind in {"literal_error", "enum"} and "expected" in ctx:
        message = _("%(message)s ; valeurs possibles : %(expected)s") % {
            "message": message,
            "expected": ctx["expected"],
        }
    if "input" in error and kind not in {"missing", "model_type"}:
        shown = repr(error["input"])
        if len(shown) < 60:
            message = _("%(message)s (valeur lue : %(shown)s)") % {
                "message": message,
                "shown": shown,
            }
    return message


def _path(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in {"free", "per_inhabitant", "days_in_kind"}:
            continue  # the discriminated-union branch name is not a key of the file
        else:
            out += f".{part}" if out else str(part)
    return out


def parse_programme(text: str, *, source: str = "programme") -> ProgrammeFile:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProgrammeFileError(
            source, [("", _("TOML illisible : %(error)s") % {"error": exc})]
        ) from exc
    try:
        return ProgrammeFile.model_validate(raw)
    except ValidationError as exc:
        problems = [(_path(e["loc"]), _french(e)) for e in exc.errors()]
        raise ProgrammeFileError(source, problems) from exc
