"""Cross-cutting pages: the coordinators' commune dashboard, a commune's page, the member list."""

from django.contrib import messages
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from mutualis.accounts import perms
from mutualis.core.access import PUBLIC, access
from mutualis.core.collation import french, sort_key
from mutualis.core.french import de_name
from mutualis.core.kept import generation
from mutualis.core.models import AuditEvent
from mutualis.dashboards import commune_page
from mutualis.dashboards.forms import CommuneAttributesForm, CommuneFilterForm, ParticipationForm
from mutualis.dashboards.homes import STAFF_HOMES
from mutualis.dashboards.overview import commune_overview, programme_overview
from mutualis.membership.enums import IN_OFFER, OPEN, STATUS_LABELS
from mutualis.membership.models import Membership, headline
from mutualis.programme.models import Participation, Programme
from mutualis.programme.selection import programme_for
from mutualis.programme.services import set_participation
from mutualis.territory.models import Commune, active_commune_count, territory_generation

# What a row of the dashboard shows (and the filters and sorts use), nothing more: read as named
# tuples, not model instances (50 instances with deferred fields cost 0.4 ms a page to build).
ROW_FIELDS = (
    "id",
    "insee_code",
    "name",
    "population_total",
    "population_vintage",
    "has_it_department",
    "is_active",
)
SORTS = {
    "name": (french("name"),),
    "-name": (french("name").desc(),),
    "insee": ("insee_code",),
    "-insee": ("-insee_code",),
    "population": ("population_total", french("name")),
    "-population": ("-population_total", french("name")),
}


# Communes on a page of the dashboard.
PAGE_SIZE = 50


def _page_headline(programme: Programme, communes: list[int]) -> dict:
    """Each commune's headline membership (`headline`), for the communes of one page: its offer
    and status only, as named tuples (the rows print nothing else)."""
    return headline(
        Membership.objects.filter(programme=programme, commune_id__in=communes)
        .open()
        .order_by("created_at")
        .values_list("commune_id", "offer_code", "status", named=True)
    )


def _offer_names(programme: Programme | None) -> dict[str, str]:
    return {o.code: o.name for o in programme.spec.offers} if programme else {}


@access(perms.is_staff_member)
def communes(request: HttpRequest) -> HttpResponse:
    programme = programme_for(request)
    offer_names = _offer_names(programme)
    form = CommuneFilterForm(request.GET or None, offers=offer_names)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})

    def table() -> dict:
        """The page of communes and its rows: read only when the template does not have the
        table's HTML kept (communes.html: under the query string, the language, the programme,
        the territory's generation and the memberships')."""
        queryset, narrowed = _filtered_communes(programme, data)
        sort = data.get("sort") or "name"
        queryset = queryset.order_by(*SORTS.get(sort, SORTS["name"])).values_list(
            *ROW_FIELDS, named=True
        )
        page = _paginator(queryset, every_active=not narrowed).get_page(request.GET.get("page"))
        communes = list(page)
        headlines = _page_headline(programme, [c.id for c in communes]) if programme else {}
        return {"page": page, "rows": _dashboard_rows(communes, headlines, offer_names)}

    return render(
        request,
        "dashboards/communes.html",
        {
            "form": form,
            "overview": programme_overview(request.user, programme),
            "table": table,
            "table_version": (
                f"{territory_generation()}.{generation(commune_page.MEMBERSHIPS_GENERATION_KEY)}"
                f".{programme.spec_sha256 if programme else ''}"
            ),
            "programme": programme,
        },
    )


def _filtered_communes(programme: Programme | None, data: dict) -> tuple[QuerySet, bool]:
    """The active communes the filters keep, and whether any filter narrowed them."""
    queryset = Commune.objects.active()
    narrowed = False
    if programme and data.get("scope", "programme") != "france":
        queryset = queryset.filter(epci__siren__in=programme.spec.programme.epci_sirens)
        narrowed = True
    search = (data.get("q") or "").strip()
    if search:
        queryset, narrowed = queryset.search(search), True
    if data.get("dsi") in {"yes", "no"}:
        queryset, narrowed = queryset.filter(has_it_department=data["dsi"] == "yes"), True
    if programme and (data.get("offer") or data.get("status")):
        memberships = Membership.objects.filter(programme=programme, commune=OuterRef("pk"))
        if data.get("offer"):
            memberships = memberships.filter(offer_code=data["offer"], status__in=OPEN)
        if data.get("status"):
            memberships = memberships.filter(status=data["status"])
        queryset, narrowed = queryset.filter(Exists(memberships)), True
    return queryset, narrowed


def _paginator(queryset, *, every_active: bool) -> Paginator:
    paginator = Paginator(queryset, PAGE_SIZE)
    if every_active:
        # The count kept in the cache (`count` is a cached property of Django's Paginator: set,
        # it is not counted again).
        paginator.count = active_commune_count()
    return paginator


def _dashboard_rows(communes, headlines: dict, offer_names: dict[str, str]):
    """The dashboard's rows, their words and figures ready to print: the page shows 50 of them,
    and the template engine costs more per row than these few lines of Python."""
    yes, no = _("oui"), _("non")
    rows = []
    for commune in communes:
        membership = headlines.get(commune.id)
        population = commune.population_total
        rows.append(
            {
                "name": commune.name,
                "url": reverse("dashboards:commune", args=[commune.insee_code]),
                "insee_code": commune.insee_code,
                "population": intcomma(population) if population is not None else None,
                "vintage": commune.population_vintage,
                "it_department": yes if commune.has_it_department else no,
                "offer": offer_names.get(membership.offer_code) if membership else None,
                "status": STATUS_LABELS[membership.status] if membership else None,
            }
        )
    return rows


@access(perms.is_signed_in)
def members(request: HttpRequest) -> HttpResponse:
    """The member communes with their offer and status: shared with every signed-in user."""
    programme = programme_for(request)
    offer_names = _offer_names(programme)
    rows = []
    if programme:
        headline = Membership.objects.headline_by_commune(programme)
        names = dict(Commune.objects.filter(pk__in=headline).values_list("pk", "name"))
        rows = sorted(
            (
                {
                    "name": names[pk],
                    "offer": offer_names.get(m.offer_code, m.offer_code),
                    "status": m.get_status_display(),
                }
                for pk, m in headline.items()
            ),
            key=lambda r: sort_key(r["name"]),
        )
    return render(request, "dashboards/members.html", {"rows": rows, "programme": programme})


@access(perms.is_commune_member)
def my_commune(request: HttpRequest) -> HttpResponse:
    commune = perms.active_commune(request)
    if commune is None:
        raise Http404
    return redirect("dashboards:commune", insee_code=commune.insee_code)


@access(perms.is_signed_in)
def commune(request: HttpRequest, insee_code: str) -> HttpResponse:
    commune = perms.get_commune_for_user(request.user, insee_code)
    programme = programme_for(request)
    can_manage = perms.can_manage_commune(request.user, commune)
    offer_names = _offer_names(programme)
    memberships = commune_page.memberships(commune, offer_names)
    return render(
        request,
        "dashboards/commune.html",
        {
            "commune": commune,
            "overview": commune_overview(request.user, commune, programme, memberships),
            # « À jour » means something only for a commune in one of the offers.
            "in_offer": any(m.status in IN_OFFER for m in memberships),
            "programme": programme,
            # Read only when their kept HTML is missing (commune.html, see commune_page.py).
            "populations": lambda: commune_page.populations(commune),
            "participation": lambda: (
                commune_page.participation(programme, commune) if programme else None
            ),
            "territory_version": territory_generation(),
            "participations_version": generation(commune_page.PARTICIPATIONS_GENERATION_KEY),
            "memberships": memberships,
            "memberships_with_steps": lambda: commune_page.with_steps(memberships),
            "memberships_version": generation(commune_page.MEMBERSHIPS_GENERATION_KEY),
            "deliberations": lambda: commune_page.deliberations(commune),
            "recent_history": lambda: commune_page.recent_history(commune),
            "can_manage": can_manage,
            "across_programmes": commune_page.across_programmes(memberships, programme),
            "can_edit": perms.is_coordinator(request.user),
        },
    )


@access(perms.is_signed_in)
def commune_history(request: HttpRequest, insee_code: str) -> HttpResponse:
    """A commune's whole audit trail, newest first, 50 entries a page: for those who manage it."""
    commune = perms.get_commune_for_user(request.user, insee_code)
    if not perms.can_manage_commune(request.user, commune):
        raise Http404
    events = AuditEvent.objects.for_commune(commune.insee_code).select_related("actor")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "dashboards/commune_history.html", {"commune": commune, "page": page})


@access(perms.is_coordinator)
def commune_edit(request: HttpRequest, insee_code: str) -> HttpResponse:
    commune = perms.get_commune_for_user(request.user, insee_code)
    programme = programme_for(request)
    participation = (
        Participation.objects.filter(programme=programme, commune=commune).first()
        if programme
        else None
    )
    attributes = CommuneAttributesForm(request.POST or None, instance=commune, prefix="attr")
    participation_form = ParticipationForm(
        request.POST or None,
        prefix="part",
        initial={
            "co_construction": participation.co_construction if participation else False,
            "commitment_letter_date": participation.commitment_letter_date
            if participation
            else None,
        },
    )
    if request.method == "POST" and attributes.is_valid() and participation_form.is_valid():
        from mutualis.territory.attributes import CommuneAttributes
        from mutualis.territory.services import apply_commune_attributes

        data = attributes.cleaned_data
        apply_commune_attributes(
            rows=[CommuneAttributes(line=0, insee_code=commune.insee_code, **data)], by=request.user
        )
        if programme:
            set_participation(
                programme=programme,
                commune=commune,
                by=request.user,
                **participation_form.cleaned_data,
            )
        messages.success(
            request,
            _("Les informations %(of_name)s sont enregistrées.")
            % {"of_name": de_name(commune.name)},
        )
        return redirect("dashboards:commune", insee_code=commune.insee_code)
    return render(
        request,
        "dashboards/commune_edit.html",
        {
            "commune": commune,
            "attributes": attributes,
            "participation_form": participation_form,
            "programme": programme,
        },
    )


@access(PUBLIC)
def home(request: HttpRequest) -> HttpResponse:
    """The site's root sends each visitor to where their roles start."""
    user = request.user
    if not user.is_authenticated:
        return redirect("accounts:login")
    if perms.is_staff_member(user):
        return redirect(STAFF_HOMES[user.staff_role])
    if perms.is_commune_member(user):
        return redirect("dashboards:my_commune")
    return redirect("programme:detail")
