"""Which programme a page is about: named in the URL or query string, else chosen in the session
selector, else the running programme of the person's territory or assignments.

Nothing reads « the programme in force » as a global: several programmes live side by side, for the
same territory over time and for different territories.
"""

from django.db.models import F, Q
from django.http import Http404, HttpRequest

from mutualis.programme.models import Programme, ProgrammeQuerySet, preferred

SESSION_KEY = "programme_id"


def _staff_programmes(programmes: ProgrammeQuerySet, user) -> ProgrammeQuerySet:
    """The programmes a staff member is assigned to (read with their territories, once per user
    object: `User.assigned_programmes`), every programme without any assignment."""
    assigned = [programme.pk for programme in user.assigned_programmes()]
    return programmes.filter(pk__in=assigned) if assigned else programmes


def _latest_first(programmes: list[Programme]) -> list[Programme]:
    """Latest start first (programmes without dates last), then latest created first: the order
    `visible_list` reads from the database."""
    newest = sorted(programmes, key=lambda p: p.created_at, reverse=True)
    return sorted(newest, key=lambda p: (p.start is None, -p.start.toordinal() if p.start else 0))


def visible_programmes(user) -> ProgrammeQuerySet:
    """The programmes a person may choose.

    - Intercommunal staff: the programmes they are assigned to, drafts included; staff without
      any assignment serve every programme of the instance.
    - Commune people: the opened programmes of their communes' territory, and those their
      communes were members of.
    - Anyone else (anonymous included): the opened programmes, whose offers are public.
    """
    programmes = Programme.objects.all()
    if not getattr(user, "is_authenticated", False):
        return programmes.opened()
    if getattr(user, "staff_role", ""):
        return _staff_programmes(programmes, user)
    commune_ids = [c.pk for c in user.communes()]
    if not commune_ids:
        return programmes.opened()
    return (
        programmes.opened()
        .filter(Q(epcis__communes__in=commune_ids) | Q(memberships__commune__in=commune_ids))
        .distinct()
    )


def visible_list(request: HttpRequest, user=None) -> list[Programme]:
    """The programmes the request's person may choose, latest start first: read once per request
    (the page and the header's selector both ask)."""
    if getattr(request, "_visible_programmes", None) is None:
        person = user if user is not None else request.user
        # A staff member's programmes are those read with their assignments: no query of their own.
        assigned = person.assigned_programmes() if getattr(person, "staff_role", "") else []
        request._visible_programmes = _latest_first(assigned) or list(
            visible_programmes(person).order_by(F("start").desc(nulls_last=True), "-created_at")
        )
    return request._visible_programmes


def programme_for(request: HttpRequest, slug: str | None = None, user=None) -> Programme | None:
    """The programme this request is about (see the module's docstring); a slug the person may
    not see answers 404. A programme named in the URL or query string is remembered in the
    session, as the header's selector does. API endpoints pass `user=request.auth`."""
    slug = slug or request.GET.get("programme")
    cached = getattr(request, "_programme", None)
    if cached is not None and (not slug or cached.slug == slug):
        return cached
    visible = visible_list(request, user)
    session = getattr(request, "session", None)
    programme = None
    if slug:
        programme = next((p for p in visible if p.slug == slug), None)
        if programme is None:
            raise Http404
        if session is not None:
            session[SESSION_KEY] = programme.pk
    elif session is not None and session.get(SESSION_KEY):
        programme = next((p for p in visible if p.pk == session[SESSION_KEY]), None)
    programme = programme or preferred(visible)
    request._programme = programme
    return programme


def in_visible_programmes(queryset, user, *, instance_wide: bool = False):
    """The rows of a `programme`-owned model that belong to a programme the person may see (see
    `visible_programmes`), and, where `instance_wide`, those for the whole instance (no
    programme). One subquery: no query of its own."""
    condition = Q(programme__in=visible_programmes(user).values("pk"))
    if instance_wide:
        condition |= Q(programme__isnull=True)
    return queryset.filter(condition)


def of_programme(queryset, programme: Programme | None, *, instance_wide: bool = False):
    """The rows of the programme a page is about (see `programme_for`), and, where
    `instance_wide`, those for the whole instance; none without a programme, or only the
    instance-wide ones."""
    condition = Q(programme=programme) if programme is not None else Q(pk__in=[])
    if instance_wide:
        condition |= Q(programme__isnull=True)
    return queryset.filter(condition)
