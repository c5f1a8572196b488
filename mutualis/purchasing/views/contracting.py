"""Suppliers and the communes' contracts."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.accounts import perms
from mutualis.core.access import access
from mutualis.core.submissions import submitted_once
from mutualis.programme.selection import programme_for
from mutualis.purchasing import perms as purchasing_perms
from mutualis.purchasing import services
from mutualis.purchasing.forms import ContractForm, SupplierForm, TerminateForm
from mutualis.purchasing.models import Contract, Supplier
from mutualis.purchasing.views._common import STAFF, _refused, _scoped

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
@submitted_once
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
@submitted_once
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
