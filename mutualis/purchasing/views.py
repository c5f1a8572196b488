"""Pages of purchasing: catalogue and join requests, needs campaigns, roadmaps, suppliers and
contracts. Commune objects are looked up through helpers that answer 404 to anyone else."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutualis.accounts import perms
from mutualis.core.access import access
from mutualis.core.charts import bar_chart
from mutualis.core.uploads import serve_protected_file
from mutualis.programme.selection import programme_for
from mutualis.purchasing import audience, services
from mutualis.purchasing import perms as purchasing_perms
from mutualis.purchasing.aggregate import campaign_table, roadmap_summary
from mutualis.purchasing.enums import JoinStatus, RoadmapStatus
from mutualis.purchasing.exports import campaign_csv, campaign_xlsx
from mutualis.purchasing.forms import (
    AnswerForm,
    CampaignForm,
    CampaignItemFormSet,
    ContractForm,
    JoinDecisionForm,
    JoinRequestForm,
    OfferDocumentForm,
    OfferForm,
    RoadmapItemForm,
    RoadmapStatusForm,
    SupplierForm,
    TerminateForm,
    WithdrawForm,
)
from mutualis.purchasing.measures import measure_label
from mutualis.purchasing.models import (
    AnswerLine,
    Campaign,
    CampaignAnswer,
    Contract,
    JoinRequest,
    NegotiatedOffer,
    OfferDocument,
    RoadmapItem,
    Supplier,
)

STAFF = perms.is_coordinator_or_referent


def _offer_for(user, offer_id: int) -> NegotiatedOffer:
    offers = NegotiatedOffer.objects.select_related("supplier")
    if not perms.is_staff_member(user):
        offers = offers.published()
    return get_object_or_404(offers, pk=offer_id)


def _scoped(queryset, user, pk: int):
    """An object of a commune the user may see, else 404."""
    obj = queryset.filter(pk=pk).select_related("commune").first()
    if obj is None or not perms.can_view_commune(user, obj.commune):
        raise Http404
    return obj


def _refused(request, error) -> None:
    messages.error(request, str(error.args[0] if error.args else error))


# --- Catalogue ---------------------------------------------------------------------------------


@access(perms.is_signed_in)
def catalogue(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    show_all = perms.is_staff_member(request.user) and request.GET.get("tout") == "1"
    offers = NegotiatedOffer.objects.select_related("supplier").annotate(
        document_count=Count("documents")
    )
    offers = offers if show_all else offers.valid_on(today)
    commune = perms.active_commune(request)
    mine = {}
    if commune is not None:
        mine = dict(
            JoinRequest.objects.filter(commune=commune)
            .order_by("requested_at")
            .values_list("offer_id", "status")
        )
    rows = [
        (offer, JoinStatus(mine[offer.pk]).label if offer.pk in mine else "") for offer in offers
    ]
    return render(
        request,
        "purchasing/catalogue.html",
        {"rows": rows, "show_all": show_all, "today": today, "can_edit": STAFF(request.user)},
    )


@access(STAFF)
def offer_edit(request: HttpRequest, offer_id: int | None = None) -> HttpResponse:
    offer = _offer_for(request.user, offer_id) if offer_id else None
    form = OfferForm(request.POST or None, instance=offer)
    if request.method == "POST" and form.is_valid():
        offer = services.save_offer(offer=form.save(commit=False), by=request.user)
        messages.success(request, _("L'offre « %(t)s » est enregistrée.") % {"t": offer.title})
        return redirect("purchasing:offer", offer_id=offer.pk)
    return render(request, "purchasing/offer_edit.html", {"form": form, "offer": offer})


@access(perms.is_signed_in)
def offer(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = _offer_for(request.user, offer_id)
    commune = perms.active_commune(request)
    can_ask = bool(commune and perms.is_manager_of(request.user, commune))
    join_form = JoinRequestForm(request.POST or None) if can_ask else None
    if request.method == "POST" and join_form is not None and join_form.is_valid():
        try:
            services.request_to_join(
                offer=offer, commune=commune, by=request.user, need=join_form.cleaned_data["need"]
            )
        except services.Refused as error:
            _refused(request, error)
        else:
            messages.success(request, _("Votre demande est envoyée à l'équipe intercommunale."))
            return redirect("purchasing:join_requests")
    requests_ = (
        offer.join_requests.select_related("commune")
        if perms.is_staff_member(request.user)
        else offer.join_requests.filter(commune=commune)
        if commune
        else []
    )
    return render(
        request,
        "purchasing/offer.html",
        {
            "offer": offer,
            "documents": offer.documents.all(),
            "join_form": join_form,
            "commune": commune,
            "join_requests": requests_,
            "valid": offer.is_valid_on(timezone.localdate()),
            "can_edit": STAFF(request.user),
            "document_form": OfferDocumentForm() if STAFF(request.user) else None,
            "withdraw_form": WithdrawForm() if STAFF(request.user) else None,
        },
    )


@access(STAFF)
@require_POST
def offer_document_add(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = _offer_for(request.user, offer_id)
    form = OfferDocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_offer_document(
                offer=offer,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                by=request.user,
            )
            messages.success(request, _("Le document est ajouté à l'offre."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("purchasing:offer", offer_id=offer.pk)


@access(STAFF)
@require_POST
def offer_withdraw(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = _offer_for(request.user, offer_id)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.withdraw_offer(
                offer=offer, by=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("L'offre est retirée du catalogue."))
        except services.Refused as error:
            _refused(request, error)
    else:
        messages.error(request, _("Indiquez le motif du retrait."))
    return redirect("purchasing:offer", offer_id=offer.pk)


@access(perms.is_signed_in)
def offer_document(request: HttpRequest, document_id: int) -> HttpResponse:
    """The catalogue is shared with every signed-in user; a withdrawn offer's files with staff."""
    document = get_object_or_404(OfferDocument.objects.select_related("offer"), pk=document_id)
    _offer_for(request.user, document.offer_id)
    return serve_protected_file(
        request, document.file, kind=document.kind, filename=document.download_name()
    )


@access(perms.is_signed_in)
def join_requests(request: HttpRequest) -> HttpResponse:
    queryset = JoinRequest.objects.select_related("offer", "commune", "requested_by").filter(
        commune__in=perms.visible_communes(request.user)
    )
    status = request.GET.get("etat", "")
    if status in JoinStatus.values:
        queryset = queryset.filter(status=status)
    return render(
        request,
        "purchasing/join_requests.html",
        {"join_requests": queryset[:200], "statuses": JoinStatus.choices, "status": status},
    )


@access(perms.is_signed_in)
def join_request(request: HttpRequest, join_request_id: int) -> HttpResponse:
    join = _scoped(JoinRequest.objects.select_related("offer"), request.user, join_request_id)
    is_open = join.status == JoinStatus.REQUESTED
    can_withdraw = is_open and perms.is_manager_of(request.user, join.commune)
    decide = JoinDecisionForm(request.POST or None) if STAFF(request.user) and is_open else None
    if request.method == "POST":
        to, note = None, ""
        if "withdraw" in request.POST:
            if not can_withdraw:
                raise PermissionDenied
            to = JoinStatus.WITHDRAWN
        elif decide is None:
            raise PermissionDenied
        elif decide.is_valid():
            to, note = decide.cleaned_data["decision"], decide.cleaned_data["note"]
        if to is not None:
            try:
                services.move_join_request(join_request=join, to=to, by=request.user, note=note)
                messages.success(request, _("La demande est mise à jour."))
                return redirect("purchasing:join_request", join_request_id=join.pk)
            except services.Refused as error:
                _refused(request, error)
    return render(
        request,
        "purchasing/join_request.html",
        {
            "join": join,
            "steps": join.steps.select_related("by"),
            "decide": decide,
            "can_withdraw": can_withdraw,
        },
    )


# --- Needs collection campaigns ----------------------------------------------------------------


@access(perms.is_signed_in)
def campaigns(request: HttpRequest) -> HttpResponse:
    commune = None if perms.is_staff_member(request.user) else perms.active_commune(request)
    queryset = Campaign.objects.annotate(
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
            campaign = services.open_campaign(**form.cleaned_data, items=rows, by=request.user)
        except services.Refused as error:
            _refused(request, error)
        else:
            messages.success(request, _("La campagne est ouverte aux communes."))
            return redirect("purchasing:campaign", campaign_id=campaign.pk)
    return render(request, "purchasing/campaign_new.html", {"form": form, "items": items})


@access(perms.is_signed_in)
def campaign(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=campaign_id)
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
    expected = audience.member_communes(programme_for(request)).count()
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
    campaign = get_object_or_404(Campaign, pk=campaign_id)
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
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    try:
        services.close_campaign(campaign=campaign, by=request.user)
        messages.success(request, _("La campagne est clôturée : plus aucune réponse n'est reçue."))
    except services.Refused as error:
        _refused(request, error)
    return redirect("purchasing:campaign", campaign_id=campaign.pk)


@access(perms.is_signed_in)
def campaign_answer(request: HttpRequest, campaign_id: int, insee_code: str) -> HttpResponse:
    commune = perms.get_commune_for_user(request.user, insee_code)
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    answer = CampaignAnswer.objects.filter(campaign=campaign, commune=commune).first()
    lines = (
        {line.item_id: line for line in AnswerLine.objects.filter(answer=answer)} if answer else {}
    )
    items = list(campaign.items.all())
    can_answer = perms.is_manager_of(request.user, commune) and campaign.accepts_answers()
    form = AnswerForm(
        request.POST or None,
        items=items,
        lines=lines,
        initial={"comment": answer.comment if answer else ""},
    )
    if request.method == "POST":
        if not perms.is_manager_of(request.user, commune):
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.answer_campaign(
                    campaign=campaign,
                    commune=commune,
                    lines=[
                        services.LineInput(i.pk, data[f"q_{i.pk}"], data[f"r_{i.pk}"])
                        for i in items
                    ],
                    comment=data["comment"],
                    by=request.user,
                )
            except services.Refused as error:
                _refused(request, error)
            else:
                messages.success(
                    request, _("La réponse de %(c)s est enregistrée.") % {"c": commune.name}
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


# --- Roadmaps ----------------------------------------------------------------------------------


@access(perms.is_staff_member)
def roadmaps(request: HttpRequest) -> HttpResponse:
    summary = roadmap_summary(
        RoadmapItem.objects.filter(commune__in=perms.visible_communes(request.user))
    )
    chart = ""
    if summary.years:
        chart = bar_chart(
            [str(y) for y in summary.years],
            {
                label: [summary.cells.get((y, code), 0) for y in summary.years]
                for code, label in summary.categories
            },
            title=_("Achats prévus par année et par catégorie"),
            unit="€",
            stacked=True,
        )
    per_commune = (
        RoadmapItem.objects.exclude(status=RoadmapStatus.CANCELLED)
        .values("commune__insee_code", "commune__name")
        .annotate(items=Count("id"))
        .order_by("commune__name")
    )
    return render(
        request,
        "purchasing/roadmaps.html",
        {"summary": summary, "chart": chart, "per_commune": per_commune},
    )


@access(perms.is_signed_in)
def commune_roadmap(request: HttpRequest, insee_code: str) -> HttpResponse:
    commune = perms.get_commune_for_user(request.user, insee_code)
    advanced = audience.is_advanced(commune)
    can_edit = advanced and purchasing_perms.can_edit_roadmap(request.user, commune)
    form = RoadmapItemForm(request.POST or None, initial={"year": timezone.localdate().year + 1})
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            item = form.save(commit=False)
            item.commune = commune
            services.save_roadmap_item(item=item, by=request.user)
            messages.success(request, _("L'achat est ajouté à la feuille de route."))
            return redirect("purchasing:commune_roadmap", insee_code=commune.insee_code)
    items = list(RoadmapItem.objects.filter(commune=commune).select_related("created_by"))
    for item in items:
        item.measure_text = measure_label(item.measure_id)
    return render(
        request,
        "purchasing/commune_roadmap.html",
        {
            "commune": commune,
            "items": items,
            "summary": roadmap_summary(RoadmapItem.objects.filter(commune=commune)),
            "form": form if can_edit else None,
            "advanced": advanced,
        },
    )


@access(perms.is_signed_in)
def roadmap_item(request: HttpRequest, roadmap_item_id: int) -> HttpResponse:
    item = _scoped(RoadmapItem.objects.all(), request.user, roadmap_item_id)
    if not purchasing_perms.can_edit_roadmap(request.user, item.commune):
        raise PermissionDenied
    form = RoadmapItemForm(request.POST if "save" in request.POST else None, instance=item)
    status_form = RoadmapStatusForm(
        request.POST if "status" in request.POST else None, initial={"status": item.status}
    )
    if request.method == "POST":
        if "save" in request.POST and form.is_valid():
            services.save_roadmap_item(item=form.save(commit=False), by=request.user)
            messages.success(request, _("L'achat est modifié."))
            return redirect("purchasing:commune_roadmap", insee_code=item.commune.insee_code)
        if "status" in request.POST and status_form.is_valid():
            try:
                services.set_roadmap_status(item=item, by=request.user, **status_form.cleaned_data)
                messages.success(request, _("L'état de l'achat est mis à jour."))
                return redirect("purchasing:commune_roadmap", insee_code=item.commune.insee_code)
            except services.Refused as error:
                _refused(request, error)
    return render(
        request,
        "purchasing/roadmap_item.html",
        {
            "item": item,
            "form": form,
            "status_form": status_form,
            "measure": measure_label(item.measure_id),
        },
    )


# --- Suppliers and contracts -------------------------------------------------------------------


@access(perms.is_signed_in)
def suppliers(request: HttpRequest) -> HttpResponse:
    queryset = Supplier.objects.annotate(
        offer_count=Count("offers", filter=Q(offers__withdrawn_at__isnull=True), distinct=True)
    )
    if not perms.is_staff_member(request.user):
        queryset = queryset.filter(is_active=True)
    return render(
        request,
        "purchasing/suppliers.html",
        {"suppliers": queryset, "can_edit": STAFF(request.user)},
    )


@access(STAFF)
def supplier_edit(request: HttpRequest, supplier_id: int | None = None) -> HttpResponse:
    supplier = get_object_or_404(Supplier, pk=supplier_id) if supplier_id else None
    form = SupplierForm(request.POST or None, instance=supplier)
    if request.method == "POST" and form.is_valid():
        supplier = services.save_supplier(supplier=form.save(commit=False), by=request.user)
        messages.success(
            request, _("Le fournisseur « %(n)s » est enregistré.") % {"n": supplier.name}
        )
        return redirect("purchasing:supplier", supplier_id=supplier.pk)
    return render(request, "purchasing/supplier_edit.html", {"form": form, "supplier": supplier})


@access(perms.is_signed_in)
def supplier(request: HttpRequest, supplier_id: int) -> HttpResponse:
    supplier = get_object_or_404(Supplier, pk=supplier_id)
    contracts = supplier.contracts.filter(
        commune__in=perms.visible_communes(request.user)
    ).select_related("commune")
    return render(
        request,
        "purchasing/supplier.html",
        {
            "supplier": supplier,
            "offers": supplier.offers.published(),
            "contracts": contracts,
            "can_edit": STAFF(request.user),
        },
    )


@access(perms.is_signed_in)
def contracts(request: HttpRequest) -> HttpResponse:
    if not perms.is_staff_member(request.user):
        commune = perms.active_commune(request)
        if commune is None:
            raise Http404
        return redirect("purchasing:commune_contracts", insee_code=commune.insee_code)
    today = timezone.localdate()
    return render(
        request,
        "purchasing/contracts.html",
        {
            "alerts": services.contracts_in_alert(
                Contract.objects.filter(commune__in=perms.visible_communes(request.user)),
                programme=programme_for(request),
                today=today,
            ),
            "contracts": Contract.objects.filter(
                commune__in=perms.visible_communes(request.user)
            ).select_related("commune", "supplier")[:500],
            "window": services.alert_window_days(programme_for(request)),
            "today": today,
        },
    )


@access(perms.is_signed_in)
def commune_contracts(request: HttpRequest, insee_code: str) -> HttpResponse:
    commune = perms.get_commune_for_user(request.user, insee_code)
    can_edit = purchasing_perms.can_manage_contracts(request.user, commune)
    form = ContractForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            contract = form.save(commit=False)
            contract.commune = commune
            services.save_contract(contract=contract, by=request.user)
            messages.success(request, _("Le contrat est enregistré."))
            return redirect("purchasing:commune_contracts", insee_code=commune.insee_code)
    contracts = Contract.objects.filter(commune=commune)
    today = timezone.localdate()
    rows = [(c, c.term(today)) for c in contracts.select_related("supplier")]
    return render(
        request,
        "purchasing/commune_contracts.html",
        {
            "commune": commune,
            "rows": rows,
            "alerts": services.contracts_in_alert(
                contracts, programme=programme_for(request), today=today
            ),
            "form": form if can_edit else None,
            "window": services.alert_window_days(programme_for(request)),
        },
    )


@access(perms.is_signed_in)
def contract(request: HttpRequest, contract_id: int) -> HttpResponse:
    contract = _scoped(Contract.objects.select_related("supplier"), request.user, contract_id)
    can_edit = purchasing_perms.can_manage_contracts(request.user, contract.commune)
    editing = request.method == "POST" and "save" in request.POST
    terminating = request.method == "POST" and "terminate" in request.POST
    if (editing or terminating) and not can_edit:
        raise PermissionDenied
    form = ContractForm(request.POST if editing else None, instance=contract)
    terminate = TerminateForm(request.POST if terminating else None)
    if editing and form.is_valid():
        services.save_contract(contract=form.save(commit=False), by=request.user)
        messages.success(request, _("Le contrat est modifié."))
        return redirect("purchasing:contract", contract_id=contract.pk)
    if terminating and terminate.is_valid():
        try:
            services.terminate_contract(
                contract=contract, by=request.user, **terminate.cleaned_data
            )
            messages.success(request, _("Le contrat est marqué comme terminé."))
            return redirect("purchasing:contract", contract_id=contract.pk)
        except services.Refused as error:
            _refused(request, error)
    today = timezone.localdate()
    return render(
        request,
        "purchasing/contract.html",
        {
            "contract": contract,
            "term": contract.term(today),
            "alert": contract.notice_alert(
                today, services.alert_window_days(programme_for(request))
            ),
            "form": form if can_edit and not contract.terminated_on else None,
            "terminate": terminate if can_edit and not contract.terminated_on else None,
        },
    )
