"""Needs campaigns: creating, answering, closing, exporting."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutualis.accounts import perms
from mutualis.core.access import access
from mutualis.core.charts import bar_chart
from mutualis.core.french import de_name
from mutualis.core.submissions import submitted_once
from mutualis.programme.selection import of_programme, programme_for
from mutualis.purchasing import audience, services
from mutualis.purchasing.aggregate import campaign_table
from mutualis.purchasing.exports import campaign_csv, campaign_xlsx
from mutualis.purchasing.forms import AnswerForm, CampaignForm, CampaignItemFormSet
from mutualis.purchasing.models import AnswerLine, Campaign, CampaignAnswer
from mutualis.purchasing.views._common import STAFF, _refused

# --- Needs collection campaigns ----------------------------------------------------------------


@access(perms.is_signed_in)
def campaigns(request: HttpRequest) -> HttpResponse:
    commune = None if perms.is_staff_member(request.user) else perms.active_commune(request)
    queryset = of_programme(Campaign.objects.all(), programme_for(request)).annotate(
        answer_count=Count("answers"), item_count=Count("items", distinct=True)
    )
    answered = set()
    if commune is not None:
        answered = set(
            CampaignAnswer.objects.filter(commune=commune).values_list("campaign_id", flat=True)
        )
    return render(
        request,
        "purchasing/campaigns.html",
        {
            "campaigns": queryset,
            "answered": answered,
            "commune": commune,
            "can_edit": STAFF(request.user),
            "now": timezone.now(),
        },
    )


@access(STAFF)
@submitted_once
def campaign_new(request: HttpRequest) -> HttpResponse:
    form = CampaignForm(request.POST or None)
    items = CampaignItemFormSet(request.POST or None, prefix="items")
    if request.method == "POST" and form.is_valid() and items.is_valid():
        rows = [
            {k: f.cleaned_data[k] for k in ("label", "unit", "constraints")}
            for f in items
            if f.cleaned_data.get("label")
        ]
        try:
            campaign = services.open_campaign(
                **form.cleaned_data, programme=programme_for(request), items=rows, by=request.user
            )
        except services.Refused as error:
            _refused(request, error)
        else:
            messages.success(request, _("La campagne est ouverte aux communes."))
            return redirect("purchasing:campaign", campaign_id=campaign.pk)
    return render(request, "purchasing/campaign_new.html", {"form": form, "items": items})


@access(perms.is_signed_in)
def campaign(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = get_object_or_404(
        Campaign.objects.visible_to(request.user).select_related("programme"), pk=campaign_id
    )
    if not perms.is_staff_member(request.user):
        commune = perms.active_commune(request)
        if commune is None:
            raise Http404
        return redirect(
            "purchasing:campaign_answer", campaign_id=campaign.pk, insee_code=commune.insee_code
        )
    table = campaign_table(campaign, communes=perms.visible_communes(request.user))
    chart = (
        bar_chart(
            [row.label for row in table.by_item],
            {_("Quantité totale"): table.totals},
            title=_("Besoin agrégé par article"),
        )
        if table.items
        else ""
    )
    expected = audience.member_communes(campaign.programme).count()
    return render(
        request,
        "purchasing/campaign.html",
        {
            "campaign": campaign,
            "table": table,
            "chart": chart,
            "expected": expected,
            "can_edit": STAFF(request.user),
            "accepting": campaign.accepts_answers(),
        },
    )


def _export(request, campaign_id: int):
    campaign = get_object_or_404(Campaign.objects.visible_to(request.user), pk=campaign_id)
    return campaign, campaign_table(campaign, communes=perms.visible_communes(request.user))


@access(perms.is_staff_member)
def campaign_csv_export(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign, table = _export(request, campaign_id)
    response = HttpResponse(campaign_csv(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="campagne-{campaign.pk}.csv"'
    return response


@access(perms.is_staff_member)
def campaign_xlsx_export(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign, table = _export(request, campaign_id)
    response = HttpResponse(
        campaign_xlsx(table),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="campagne-{campaign.pk}.xlsx"'
    return response


@access(STAFF)
@require_POST
def campaign_close(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign.objects.visible_to(request.user), pk=campaign_id)
    try:
        services.close_campaign(campaign=campaign, by=request.user)
        messages.success(request, _("La campagne est clôturée : plus aucune réponse n'est reçue."))
    except services.Refused as error:
        _refused(request, error)
    return redirect("purchasing:campaign", campaign_id=campaign.pk)


@access(perms.is_signed_in)
def campaign_answer(request: HttpRequest, campaign_id: int, insee_code: str) -> HttpResponse:
    commune = perms.get_commune_for_user(request.user, insee_code)
    campaign = get_object_or_404(Campaign.objects.visible_to(request.user), pk=campaign_id)
    answer = CampaignAnswer.objects.filter(campaign=campaign, commune=commune).first()
    items = list(campaign.items.all())
    can_answer = perms.is_manager_of(request.user, commune) and campaign.accepts_answers()
    form = _answer_form(request.POST or None, answer=answer, items=items)
    if request.method == "POST":
        if not perms.is_manager_of(request.user, commune):
            raise PermissionDenied
        if form.is_valid() and _record_answer(request, campaign, commune, items, form.cleaned_data):
            messages.success(
                request,
                _("La réponse %(of_c)s est enregistrée.") % {"of_c": de_name(commune.name)},
            )
            return redirect(
                "purchasing:campaign_answer",
                campaign_id=campaign.pk,
                insee_code=commune.insee_code,
            )
    return render(
        request,
        "purchasing/campaign_answer.html",
        {
            "campaign": campaign,
            "commune": commune,
            "answer": answer,
            "form": form,
            "can_answer": can_answer,
            "late": not campaign.accepts_answers(),
            "closed_message": services.closed_message(campaign),
        },
    )


def _answer_form(data, *, answer, items) -> AnswerForm:
    """The answer form, filled with the commune's previous answer if any."""
    lines = (
        {line.item_id: line for line in AnswerLine.objects.filter(answer=answer)} if answer else {}
    )
    return AnswerForm(
        data, items=items, lines=lines, initial={"comment": answer.comment if answer else ""}
    )


def _record_answer(request, campaign, commune, items, data) -> bool:
    """Save the commune's answer; a refusal is shown as a message and gives False."""
    try:
        services.answer_campaign(
            campaign=campaign,
            commune=commune,
            lines=[services.LineInput(i.pk, data[f"q_{i.pk}"], data[f"r_{i.pk}"]) for i in items],
            comment=data["comment"],
            by=request.user,
        )
    except services.Refused as error:
        _refused(request, error)
        return False
    return True
