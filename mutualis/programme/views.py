"""The programme page: offers, services and rules, straight from the programme file; the header's
selector that remembers the chosen programme."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from mutualis.core.access import PUBLIC, access
from mutualis.programme.selection import SESSION_KEY, programme_for, visible_programmes


@access(PUBLIC)
def detail(request: HttpRequest) -> HttpResponse:
    programme = programme_for(request)
    context = {"programme": programme}
    if programme:
        version = programme.spec_version
        context.update(spec=version.spec, version=version)
    return render(request, "programme/detail.html", context)


@access(PUBLIC)
@require_POST
def select(request: HttpRequest) -> HttpResponse:
    """Remember the programme chosen in the header (only one the person may see)."""
    programme = visible_programmes(request.user).filter(slug=request.POST.get("programme")).first()
    if programme is None:
        raise Http404
    request.session[SESSION_KEY] = programme.pk
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target)
