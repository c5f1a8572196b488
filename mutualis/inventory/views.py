"""Inventory and business-software pages of a commune, the cross-commune matrix and proposals."""

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from mutualis.accounts import perms
from mutualis.core.access import access
from mutualis.core.collation import sort_key
from mutualis.core.exports import csv_writer
from mutualis.core.pdf import pdf_response, render_pdf
from mutualis.core.submissions import submitted_once
from mutualis.inventory.csv_import import parse_inventory
from mutualis.inventory.enums import AssetKind, Domain
from mutualis.inventory.forms import AssetForm, ImportForm, RetireForm, SoftwareForm
from mutualis.inventory.matrix import Usage, build_matrix
from mutualis.inventory.models import Asset, BusinessSoftware
from mutualis.inventory.services import import_inventory, retire_asset, save_asset, save_software
from mutualis.territory.attributes import CsvFormatError

MAX_CSV_BYTES = 5 * 1024 * 1024


def _commune(request, insee_code, *, edit=False):
    commune = perms.get_commune_information_system(request.user, insee_code)
    if edit and not perms.can_edit_information_system(request.user, commune):
        raise Http404
    return commune


def _asset(request, insee_code, asset_id, *, edit=False):
    commune = _commune(request, insee_code, edit=edit)
    asset = Asset.objects.filter(pk=asset_id, commune=commune).select_related("commune").first()
    if asset is None:
        raise Http404
    return asset


def _software(request, insee_code, software_id):
    commune = _commune(request, insee_code, edit=True)
    software = (
        BusinessSoftware.objects.filter(pk=software_id, commune=commune)
        .select_related("commune")
        .first()
    )
    if software is None:
        raise Http404
    return software


@access(perms.uses_information_system)
def home(request: HttpRequest) -> HttpResponse:
    """Staff land on the cross-commune view; commune people on their active commune's page."""
    if perms.is_staff_member(request.user):
        return redirect("inventory:matrix")
    commune = perms.active_commune(request)
    if commune is None or not perms.can_view_information_system(request.user, commune):
        raise Http404
    return redirect("inventory:commune", insee_code=commune.insee_code)


@access(perms.is_signed_in)
def commune_page(request: HttpRequest, insee_code: str) -> HttpResponse:
    commune = _commune(request, insee_code)
    today = timezone.localdate()
    assets = list(Asset.objects.current().filter(commune=commune))
    rows = [(a, a.support_end(), a.support_status(today), a.age_years(today)) for a in assets]
    alerts = [r for r in rows if r[2] in {"ended", "ending"}]
    counts = {kind.label: sum(1 for a in assets if a.kind == kind) for kind in AssetKind}
    return render(
        request,
        "inventory/commune.html",
        {
            "commune": commune,
            "rows": rows,
            "alerts": alerts,
            "counts": {k: v for k, v in counts.items() if v},
            "software": BusinessSoftware.objects.filter(commune=commune),
            "can_edit": perms.can_edit_information_system(request.user, commune),
            "retired": Asset.objects.filter(commune=commune, retired_at__isnull=False).count(),
        },
    )


@access(perms.is_signed_in)
@submitted_once
def asset_add(request: HttpRequest, insee_code: str) -> HttpResponse:
    commune = _commune(request, insee_code, edit=True)
    form = AssetForm(request.POST or None, instance=Asset(commune=commune))
    if request.method == "POST" and form.is_valid():
        save_asset(asset=form.instance, by=request.user)
        messages.success(request, _("Équipement ajouté."))
        return redirect("inventory:commune", insee_code=commune.insee_code)
    return render(
        request,
        "inventory/form.html",
        {"commune": commune, "form": form, "title": _("Ajouter un équipement")},
    )


@access(perms.is_signed_in)
def asset_edit(request: HttpRequest, insee_code: str, asset_id: int) -> HttpResponse:
    asset = _asset(request, insee_code, asset_id, edit=True)
    form = AssetForm(request.POST or None, instance=asset)
    if request.method == "POST" and form.is_valid():
        save_asset(asset=form.instance, by=request.user)
        messages.success(request, _("Équipement modifié."))
        return redirect("inventory:commune", insee_code=insee_code)
    return render(
        request,
        "inventory/form.html",
        {
            "commune": asset.commune,
            "form": form,
            "title": str(asset),
            "asset": asset,
            "retire_form": RetireForm(),
        },
    )


@access(perms.is_signed_in)
@require_POST
def asset_retire(request: HttpRequest, insee_code: str, asset_id: int) -> HttpResponse:
    asset = _asset(request, insee_code, asset_id, edit=True)
    form = RetireForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez le motif du retrait."))
        return redirect("inventory:asset_edit", insee_code=insee_code, asset_id=asset.pk)
    retire_asset(asset=asset, by=request.user, reason=form.cleaned_data["reason"])
    messages.success(
        request,
        _("%(name)s est retiré de l'inventaire (il reste dans l'historique).")
        % {"name": asset.name},
    )
    return redirect("inventory:commune", insee_code=insee_code)


@access(perms.is_signed_in)
@submitted_once
def inventory_import(request: HttpRequest, insee_code: str) -> HttpResponse:
    commune = _commune(request, insee_code, edit=True)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = _read_inventory_upload(upload)
        except (CsvFormatError, UnicodeDecodeError) as exc:
            form.add_error(
                "file",
                _("%(file)s refusé, rien n'a été importé : %(problem)s")
                % {"file": upload.name, "problem": exc},
            )
        else:
            result = import_inventory(commune=commune, rows=rows, by=request.user)
            messages.success(request, _import_summary(result))
            return redirect("inventory:commune", insee_code=commune.insee_code)
    return render(
        request,
        "inventory/form.html",
        {"commune": commune, "form": form, "title": _("Importer un inventaire"), "multipart": True},
    )


def _read_inventory_upload(upload) -> list:
    """The rows of an uploaded inventory CSV (UTF-8, or Windows' cp1252 as Excel writes it)."""
    if upload.size > MAX_CSV_BYTES:
        raise CsvFormatError(_("fichier trop volumineux (5 Mo au plus)."))
    raw = upload.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    if "\x00" in text:
        raise CsvFormatError(_("ce n'est pas un fichier texte CSV."))
    return parse_inventory(text)


def _import_summary(result) -> str:
    added = ngettext("%(n)s équipement ajouté", "%(n)s équipements ajoutés", result.added) % {
        "n": result.added
    }
    updated = ngettext("%(n)s mis à jour", "%(n)s mis à jour", result.updated) % {
        "n": result.updated
    }
    unchanged = ngettext("%(n)s inchangé", "%(n)s inchangés", result.unchanged) % {
        "n": result.unchanged
    }
    return _("Inventaire importé : %(added)s, %(updated)s, %(unchanged)s.") % {
        "added": added,
        "updated": updated,
        "unchanged": unchanged,
    }


@access(perms.is_signed_in)
def inventory_export(request: HttpRequest, insee_code: str) -> HttpResponse:
    commune = _commune(request, insee_code)
    today = timezone.localdate()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="inventaire-{commune.insee_code}.csv"'
    response.write("\ufeff")
    writer = csv_writer(response, delimiter=";")
    writer.writerow(
        [
            "kind",
            "name",
            "location",
            "owner",
            "operating_system",
            "end_of_support",
            "support_status",
            "purchase_date",
            "warranty_end",
            "serial",
            "notes",
        ]
    )
    for asset in Asset.objects.current().filter(commune=commune):
        end = asset.support_end()
        writer.writerow(
            [
                asset.kind,
                asset.name,
                asset.location,
                asset.owner,
                asset.operating_system,
                end.isoformat() if end else "",
                asset.support_status(today),
                asset.purchase_date.isoformat() if asset.purchase_date else "",
                asset.warranty_end.isoformat() if asset.warranty_end else "",
                asset.serial,
                asset.notes,
            ]
        )
    return response


@access(perms.is_signed_in)
@submitted_once
def software_add(request: HttpRequest, insee_code: str) -> HttpResponse:
    commune = _commune(request, insee_code, edit=True)
    form = SoftwareForm(request.POST or None, instance=BusinessSoftware(commune=commune))
    if request.method == "POST" and form.is_valid():
        save_software(software=form.instance, by=request.user)
        messages.success(request, _("Logiciel métier enregistré."))
        return redirect("inventory:commune", insee_code=commune.insee_code)
    return render(
        request,
        "inventory/form.html",
        {"commune": commune, "form": form, "title": _("Ajouter un logiciel métier")},
    )


@access(perms.is_signed_in)
def software_edit(request: HttpRequest, insee_code: str, software_id: int) -> HttpResponse:
    software = _software(request, insee_code, software_id)
    form = SoftwareForm(request.POST or None, instance=software)
    if request.method == "POST" and form.is_valid():
        save_software(software=form.instance, by=request.user)
        messages.success(request, _("Logiciel métier modifié."))
        return redirect("inventory:commune", insee_code=insee_code)
    return render(
        request,
        "inventory/form.html",
        {"commune": software.commune, "form": form, "title": str(software)},
    )


def _matrix(user, domain: str | None = None):
    queryset = BusinessSoftware.objects.select_related("commune").filter(
        commune__in=perms.visible_communes(user)
    )
    if domain:
        queryset = queryset.filter(domain=domain)
    usages = [
        Usage(s.domain, s.software, s.vendor, s.commune.name, s.satisfaction, s.contract_end)
        for s in queryset
    ]
    labels = dict(Domain.choices)
    rows = build_matrix(usages)
    for row in rows:
        row.label = labels.get(row.domain, row.domain)
    return rows


@access(perms.is_staff_member)
def software_matrix(request: HttpRequest) -> HttpResponse:
    return render(
        request, "inventory/matrix.html", {"rows": _matrix(request.user), "domains": Domain.choices}
    )


@access(perms.is_staff_member)
def software_proposal(request: HttpRequest, domain: str) -> HttpResponse:
    if domain not in Domain.values:
        raise Http404
    rows = _matrix(request.user, domain)
    row = rows[0] if rows else None
    today: date = timezone.localdate()
    context = {
        "domain_label": Domain(domain).label,
        "row": row,
        "candidate": row.candidate() if row else None,
        "ending": row.contracts_ending(today=today) if row else [],
        "today": today,
    }
    return pdf_response(render_pdf("inventory/proposal.html", context), f"proposition-{domain}.pdf")


@access(perms.is_staff_member)
def support_alerts(request: HttpRequest) -> HttpResponse:
    """Equipment past or near its end of support, across every commune."""
    today = timezone.localdate()
    rows = []
    for asset in (
        Asset.objects.current()
        .filter(commune__in=perms.visible_communes(request.user))
        .select_related("commune")
        .exclude(operating_system="", end_of_support=None)
    ):
        status = asset.support_status(today)
        if status in {"ended", "ending"}:
            rows.append((asset, asset.support_end(), status))
    rows.sort(key=lambda r: (r[1], sort_key(r[0].commune.name)))
    return render(request, "inventory/alerts.html", {"rows": rows})
