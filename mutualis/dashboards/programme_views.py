"""The coordinators' programme pages: prepare the successor from the current file, open a draft."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mutualis.accounts import perms
from mutualis.core.access import access
from mutualis.core.forms import BusinessDateField
from mutualis.core.submissions import SubmittedOnce, submitted_once
from mutualis.programme.schema import ProgrammeFileError
from mutualis.programme.selection import programme_for, visible_programmes
from mutualis.programme.services import ProgrammeRefused, open_programme, prepare_successor


class SuccessorForm(SubmittedOnce, forms.Form):
    slug = forms.SlugField(label=gettext_lazy("Identifiant du programme suivant"), max_length=50)
    name = forms.CharField(label=gettext_lazy("Nom"), max_length=200)
    start = BusinessDateField(
        label=gettext_lazy("Début"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = BusinessDateField(
        label=gettext_lazy("Fin"), widget=forms.DateInput(attrs={"type": "date"})
    )
    free_exit_date = BusinessDateField(
        label=gettext_lazy("Sortie sans frais (facultatif)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


def _page(slug: str) -> str:
    return f"{reverse('programme:detail')}?programme={slug}"


@access(perms.is_coordinator)
@submitted_once
def successor(request: HttpRequest) -> HttpResponse:
    """Prepare the successor of the programme shown: its file copied, loaded as a draft."""
    programme = programme_for(request)
    if programme is None:
        raise Http404
    form = SuccessorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = prepare_successor(programme=programme, by=request.user, **form.cleaned_data)
        except (ProgrammeRefused, ProgrammeFileError) as exc:
            form.add_error(None, str(exc))
        else:
            slug = result.version.programme.slug
            messages.success(
                request,
                _("Programme %(slug)s préparé : ajustez son fichier puis ouvrez-le.")
                % {"slug": slug},
            )
            return redirect(_page(slug))
    return render(
        request, "dashboards/programme_successor.html", {"form": form, "programme": programme}
    )


@access(perms.is_coordinator)
@require_POST
def open_draft(request: HttpRequest) -> HttpResponse:
    """Open a draft programme the coordinator serves to applications."""
    programme = visible_programmes(request.user).filter(slug=request.POST.get("programme")).first()
    if programme is None:
        raise Http404
    try:
        open_programme(programme=programme, by=request.user)
    except ProgrammeRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Programme %(slug)s ouvert.") % {"slug": programme.slug})
    return redirect(_page(programme.slug))
