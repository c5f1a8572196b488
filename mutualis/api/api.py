"""The HTTP API (django-ninja), OpenAPI description at /api/docs and /api/openapi.json."""

from pathlib import Path
from typing import Any

from django.db.models import OuterRef, Subquery
from django.http import Http404
from ninja import NinjaAPI, Swagger
from ninja.pagination import paginate
from pydantic import BaseModel

from mutualis.accounts import perms
from mutualis.accounts.models import ApiToken
from mutualis.awareness.api import router as awareness_router
from mutualis.continuity.api import router as continuity_router
from mutualis.contributions.api import router as contributions_router
from mutualis.core.api_auth import api_access, authentication
from mutualis.core.pagination import LimitOffset
from mutualis.cyber.api import router as cyber_router
from mutualis.information.api import router as information_router
from mutualis.inventory.api import router as inventory_router
from mutualis.membership.api import router as membership_router
from mutualis.membership.models import Membership
from mutualis.programme.selection import programme_for
from mutualis.purchasing.api import router as purchasing_router
from mutualis.support.api import router as support_router
from mutualis.territory.models import Epci


class ErrorOut(BaseModel):
    detail: str | list[dict[str, Any]]


# What a caller may receive besides the endpoint's own answer; `detail` is a French sentence, or
# for 422 the list of the fields refused.
ERRORS = {
    "400": "Requête mal formée.",
    "401": "Jeton absent, inconnu ou révoqué (ou session expirée).",
    "403": "Accès refusé (droits insuffisants, ou contrôle CSRF d'un appel par session).",
    "404": "Objet inconnu, ou d'une commune que l'appelant ne peut pas voir.",
    "422": "Valeurs refusées : `detail` dit lesquelles et pourquoi.",
}
WRITE_METHODS = ("post", "put", "patch", "delete")


class FrenchSwagger(Swagger):
    """The API docs page, in a document that states its language (ninja's omits `lang`)."""

    template_cdn = str(Path(__file__).parent / "templates" / "api" / "swagger.html")


class MutualisAPI(NinjaAPI):
    """The API whose OpenAPI description documents the error answers of every write endpoint."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["Erreur"] = ErrorOut.model_json_schema()
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/Erreur"}}}
        for path in schema["paths"].values():
            for method, operation in path.items():
                if method not in WRITE_METHODS:
                    continue
                responses = operation.setdefault("responses", {})
                for status, description in ERRORS.items():
                    responses.setdefault(status, {"description": description, "content": error})
        return schema


api = MutualisAPI(
    title="Mutualis API",
    version="1.0.0",
    description="API de Mutualis : mêmes règles d'accès que les pages (session ou jeton personnel).",
    auth=authentication(ApiToken.objects.user_for_key),
    docs_url="/docs",
    docs=FrenchSwagger(),
    urls_namespace="api-1.0.0",
)
api.add_router("/cyber", cyber_router)
api.add_router("/inventory", inventory_router)
api.add_router("/continuity", continuity_router)

api.add_router("/purchasing", purchasing_router)
api.add_router("/support", support_router)
api.add_router("", membership_router)
api.add_router("/contributions", contributions_router)
api.add_router("/awareness", awareness_router)
api.add_router("/information", information_router)


# Plain pydantic models, not ninja Schemas: the views hand them dicts, which pydantic validates in
# its compiled core, where a Schema wraps each row in a DjangoGetter and reads every field in Python
# (half the list's CPU with a page of 100 rows). No docstring: it would become the OpenAPI
# description.
class PopulationOut(BaseModel):
    vintage: int
    total: int | None
    municipal: int | None


class CommuneOut(BaseModel):
    insee_code: str
    siren: str
    name: str
    epci_siren: str | None
    is_active: bool
    has_it_department: bool
    population_total: int | None
    population_vintage: int | None


class CommuneDetailOut(CommuneOut):
    council_seats: int | None
    town_hall_address: str
    mayor_name: str
    populations: list[PopulationOut]


class MemberOut(BaseModel):
    commune: str
    insee_code: str
    offer: str
    status: str


COMMUNE_FIELDS = [f for f in CommuneOut.model_fields if f != "epci_siren"]
# The EPCI's SIREN as a subquery, not a join: the paginator's COUNT keeps a query's joins, and with
# one it scans every commune (7 ms for France on SQLite) where the bare table counts at once.
EPCI_SIREN = Subquery(Epci.objects.filter(pk=OuterRef("epci_id")).order_by().values("siren"))


def _commune_out(commune) -> dict:
    return {
        "insee_code": commune.insee_code,
        "siren": commune.siren,
        "name": commune.name,
        "epci_siren": commune.epci.siren if commune.epci_id else None,
        "is_active": commune.is_active,
        "has_it_department": commune.has_it_department,
        "population_total": commune.population_total,
        "population_vintage": commune.population_vintage,
    }


@api.get("/communes", response=list[CommuneOut], tags=["territoire"])
@api_access(perms.is_signed_in)
@paginate(LimitOffset)
def list_communes(request, q: str = ""):
    """Communes whose data the caller may see: every commune for staff, their own for others."""
    return (
        perms.visible_communes(request.auth)
        .search(q)
        .order_by("insee_code")
        .values(*COMMUNE_FIELDS, epci_siren=EPCI_SIREN)
    )


@api.get("/communes/{insee_code}", response=CommuneDetailOut, tags=["territoire"])
@api_access(perms.is_signed_in)
def get_commune(request, insee_code: str):
    commune = perms.get_commune_for_user(request.auth, insee_code)
    return {
        **_commune_out(commune),
        "council_seats": commune.council_seats,
        "town_hall_address": commune.town_hall_address,
        "mayor_name": commune.mayor_name,
        "populations": [
            {"vintage": p.vintage, "total": p.total, "municipal": p.municipal}
            for p in commune.populations.order_by("vintage")
        ],
    }


@api.get("/members", response=list[MemberOut], tags=["programme"])
@api_access(perms.is_signed_in)
def list_members(request):
    """Member communes with their offer and status: shared with every signed-in user."""
    programme = programme_for(request, user=request.auth)
    if programme is None:
        return []
    offers = {o.code: o.name for o in programme.spec.offers}
    headline = (
        Membership.objects.select_related("commune")
        .only("commune__name", "commune__insee_code", "offer_code", "status")
        .headline_by_commune(programme)
    )
    return sorted(
        (
            {
                "commune": m.commune.name,
                "insee_code": m.commune.insee_code,
                "offer": offers.get(m.offer_code, m.offer_code),
                "status": m.status,
            }
            for m in headline.values()
        ),
        key=lambda r: r["commune"],
    )


@api.get("/programme", tags=["programme"])
@api_access(perms.is_signed_in)
def get_programme(request):
    """The current programme file, validated, as JSON (offers, services, rules, dates)."""
    programme = programme_for(request, user=request.auth)
    if programme is None:
        raise Http404
    version = programme.current_version()
    return {
        "version": version.number,
        "loaded_at": version.loaded_at,
        **version.spec.model_dump(mode="json"),
    }
