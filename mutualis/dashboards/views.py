"""Cross-cutting pages: the coordinators' commune dashboard, a commune's page, the member list."""

from html import escape

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from mutualis.accounts import perms
from mutualis.core import versions
from mutualis.core.access import PUBLIC, access
from mutualis.core.models import AuditEvent
from mutualis.core.prepared import ID_PLACEHOLDER, PreparedCount, PreparedQuery
from mutualis.dashboards import commune_page
from mutualis.dashboards.forms import CommuneAttributesForm, CommuneFilterForm, ParticipationForm
from mutualis.dashboards.overview import commune_overview, programme_overview
from mutualis.membership.enums import OPEN, STATUS_LABELS
from mutualis.membership.models import Membership, headline
from mutualis.programme.models import Participation, Programme
from mutualis.programme.selection import programme_for
from mutualis.programme.services import set_participation
from mutualis.territory.models import Commune, Epci

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
    "name": ("name",),
    "-name": ("-name",),
    "insee": ("insee_code",),
    "-insee": ("-insee_code",),
    "population": ("population_total", "name"),
    "-population": ("-population_total", "name"),
}


# The dashboard's count of every active commune of France, as all communes less the inactive ones:
# SQLite counts a whole table from its b-tree pages in microseconds, but counting the rows where
# `is_active` steps through 35,000 index entries (1.3 ms on every unfiltered view); the inactive
# communes are a few. Both counts are written to SQL once per process.
ALL_COMMUNES = PreparedCount(lambda: Commune.objects.order_by())
INACTIVE_COMMUNES = PreparedCount(lambda: Commune.objects.filter(is_active=False).order_by())

# What the dashboard's count and rows are read from (their cache follows these tables' writes).
DASHBOARD_TABLES = [Commune, Epci, Membership]

# Communes on a page of the dashboard.
PAGE_SIZE = 50
# The open memberships of a page's communes in the programme, oldest first, written to SQL once per
# process (building it took 1.5 ms of the ORM for a 0.05 ms query): one parameter per commune of
# the page, the missing ones of a short page bound to an id no commune has.
PAGE_MEMBERSHIPS = PreparedQuery(
    lambda programme, **communes: (
        Membership.objects.filter(programme_id=programme, commune_id__in=list(communes.values()))
        .open()
        .only("commune_id", "offer_code", "status", "created_at")
        .order_by("created_at")
    ),
    programme=ID_PLACEHOLDER,
    **{f"c{n}": ID_PLACEHOLDER - 1 - n for n in range(PAGE_SIZE)},
)


def _page_headline(programme: Programme, communes: list[int]) -> dict[int, Membership]:
    """Each commune's headline membership (`headline`), for the communes of one page."""
    slots = {
        f"c{n}": communes[n] if n < len(communes) else ID_PLACEHOLDER for n in range(PAGE_SIZE)
    }
    return headline(PAGE_MEMBERSHIPS(programme=programme.pk, **slots))


def _offer_names(programme: Programme | None) -> dict[str, str]:
    return {o.code: o.name for o in programme.spec.offers} if programme else {}


@access(perms.is_staff_member)
def communes(request: HttpRequest) -> HttpResponse:
    programme = programme_for(request)
    offer_names = _offer_names(programme)
    form = CommuneFilterForm(request.GET or None, offers=offer_names)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    queryset = Commune.objects.active()
    narrowed = False  # whether any filter leaves out some active commune
    if programme and data.get("scope", "programme") != "france":
        queryset = queryset.filter(epci__siren__in=programme.spec.programme.epci_sirens)
        narrowed = True
    search = (data.get("q") or "").strip()
    if search:
        queryset = queryset.search(search)
        narrowed = True
    if data.get("dsi") in {"yes", "no"}:
        queryset = queryset.filter(has_it_department=data["dsi"] == "yes")
        narrowed = True
    if programme and (data.get("offer") or data.get("status")):
        memberships = Membership.objects.filter(programme=programme, commune=OuterRef("pk"))
        if data.get("offer"):
            memberships = memberships.filter(offer_code=data["offer"], status__in=OPEN)
        if data.get("status"):
            memberships = memberships.filter(status=data["status"])
        queryset = queryset.filter(Exists(memberships))
        narrowed = True
    sort = data.get("sort") or "name"
    queryset = queryset.order_by(*SORTS.get(sort, SORTS["name"])).values_list(
        *ROW_FIELDS, named=True
    )
    # The count and the rows are kept under the tokens of the tables they read (core.versions):
    # any write to the communes, EPCIs or memberships computes them again.
    seen = versions.read()
    # The programme decides the scope's EPCIs, the offers' names and whose memberships are shown.
    version = (programme.pk, programme.spec_version.sha256) if programme else None
    filters = sorted((k, str(v)) for k, v in data.items() if k != "page")

    def count() -> int:
        if narrowed:
            return queryset.count()
        return ALL_COMMUNES() - INACTIVE_COMMUNES()  # instead of the queryset's COUNT

    paginator = Paginator(queryset, PAGE_SIZE)
    paginator.count = seen.cached(("dashboard count", version, filters), DASHBOARD_TABLES, count)
    page = paginator.get_page(request.GET.get("page"))

    def rows_html() -> str:
        communes = list(page)
        headline = _page_headline(programme, [c.id for c in communes]) if programme else {}
        return _rows_html(
            [
                {
                    "commune": commune,
                    "offer": offer_names.get(headline[commune.id].offer_code)
                    if commune.id in headline
                    else None,
                    "status": STATUS_LABELS[headline[commune.id].status]
                    if commune.id in headline
                    else None,
                }
                for commune in communes
            ]
        )

    rows = seen.cached(
        ("dashboard rows", version, filters, page.number, get_language()),
        DASHBOARD_TABLES,
        rows_html,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "dashboards/communes.html",
        {
            "form": form,
            "overview": programme_overview(request.user, seen),
            "page": page,
            "rows_html": rows,
            # The filter form's HTML depends only on the filters and the programme's offers.
            "filters_key": "|".join([version[1] if version else "", query.urlencode()]),
            "sort": sort,
            "query": query.urlencode(),
            "programme": programme,
        },
    )


def _rows_html(rows: list[dict]) -> SafeString:
    """The dashboard's table rows, every value escaped. Built here rather than in the template:
    on the coordinators' most used page, 50 rows of template tags cost more than all the rest of
    the page (bench/: the dashboard's share of the trivial view)."""
    commune_url = escape(reverse("dashboards:commune", args=["00000"]).removesuffix("00000/"))
    separator = get_format("THOUSAND_SEPARATOR")
    yes, no, none = escape(_("oui")), escape(_("non")), escape(_("aucune adhésion"))
    lines = []
    for row in rows:
        commune = row["commune"]
        code = escape(commune.insee_code)
        if commune.population_total is None:
            population = "—"
        else:
            total = f"{commune.population_total:,}".replace(",", separator)
            population = f'{total} <span class="muted">({commune.population_vintage})</span>'
        if row["status"]:
            status = f'<span class="badge">{escape(row["status"])}</span>'
        else:
            status = f'<span class="muted">{none}</span>'
        lines.append(
            f'<tr><td><a href="{commune_url}{code}/">{escape(commune.name)}</a></td><td>{code}</td>'
            f'<td class="num">{population}</td><td>{yes if commune.has_it_department else no}</td>'
            f"<td>{escape(row['offer'] or '—')}</td><td>{status}</td></tr>"
        )
    return mark_safe("\n".join(lines))  # every value above went through escape()


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
            key=lambda r: r["name"],
        )
    return render(request, "dashboards/members.html", {"rows": rows, "programme": programme})


@access(perms.is_commune_member)
def my_commune(request: HttpRequest) -> HttpResponse:
    commune = perms.active_commune(request)
    if commune is None:
        raise Http404
    return redirect("dashboards:commune", insee_code=commune.insee_code)


def _across_programmes(commune) -> list[Membership]:
    """The commune's memberships in every programme, oldest programme first, renewals linked."""
    return list(
        Membership.objects.filter(commune=commune)
        .exclude(status="")
        .select_related("programme", "renews__programme")
        .order_by("programme__start", "created_at")
    )


@access(perms.is_signed_in)
def commune(request: HttpRequest, insee_code: str) -> HttpResponse:
    commune = perms.get_commune_for_user(request.user, insee_code)
    programme = programme_for(request)
    can_manage = perms.can_manage_commune(request.user, commune)
    history, more_history = commune_page.recent_history(commune) if can_manage else ([], False)
    seen = versions.read()
    return render(
        request,
        "dashboards/commune.html",
        {
            "commune": commune,
            "overview": commune_overview(request.user, commune, seen),
            "programme": programme,
            "sections": commune_page.sections(seen, programme, commune, _offer_names(programme)),
            "history": history,
            "more_history": more_history,
            "across_programmes": _across_programmes(commune),
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
            request, _("Les informations de %(name)s sont enregistrées.") % {"name": commune.name}
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
        return redirect("dashboards:communes")
    if perms.is_commune_member(user):
        return redirect("dashboards:my_commune")
    return redirect("programme:detail")
