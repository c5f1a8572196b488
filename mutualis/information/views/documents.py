"""The document library: shared folders, a commune's own documents, versions and downloads."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from mutualis.accounts import perms
from mutualis.core.access import access
from mutualis.core.collation import french
from mutualis.core.french import de_name
from mutualis.core.lookups import get_visible_or_404
from mutualis.core.submissions import submitted_once
from mutualis.core.uploads import serve_protected_file
from mutualis.information import perms as information_perms
from mutualis.information import services
from mutualis.information.forms import CommuneDocumentForm, DocumentForm, FolderForm, VersionForm
from mutualis.information.models import Document, DocumentVersion, Folder
from mutualis.programme.selection import programme_for


def get_document_for_user(user, document_id: int) -> Document:
    return get_visible_or_404(
        Document.objects.select_related("folder", "owner_commune"),
        user,
        visible=lambda documents, user: documents.readable_by(user),
        pk=document_id,
    )


def _documents(request):
    """The library of the page's programme: its documents, those for the whole instance, and
    the communes' own documents."""
    return (
        Document.objects.readable_by(request.user)
        .for_programme(programme_for(request))
        .select_related("latest_version", "owner_commune", "folder")
    )


@access(perms.is_signed_in)
def library(request: HttpRequest) -> HttpResponse:
    folders = Folder.objects.filter(parent__isnull=True).order_by(french("name"))
    commune = perms.active_commune(request)
    documents = _documents(request)
    own = documents.filter(owner_commune=commune) if commune else documents.none()
    other_communes = (
        documents.filter(owner_commune__isnull=False).order_by(
            french("owner_commune__name"), french("title")
        )
        if information_perms.can_publish_information(request.user)
        else documents.none()
    )
    return render(
        request,
        "information/library.html",
        {
            "folders": folders,
            "loose": documents.filter(folder__isnull=True, owner_commune__isnull=True),
            "commune": commune,
            "own": own.order_by(french("title")),
            "commune_documents": other_communes,
            "can_publish": information_perms.can_publish_information(request.user),
            "can_file": commune is not None
            and information_perms.can_file_commune_document(request.user, commune),
        },
    )


@access(perms.is_signed_in)
def folder(request: HttpRequest, folder_id: int) -> HttpResponse:
    shelf = get_object_or_404(Folder.objects.select_related("parent"), pk=folder_id)
    return render(
        request,
        "information/folder.html",
        {
            "folder": shelf,
            "ancestors": shelf.ancestors(),
            "children": shelf.children.order_by(french("name")),
            "documents": _documents(request)
            .filter(folder=shelf, owner_commune__isnull=True)
            .order_by(french("title")),
            "can_publish": information_perms.can_publish_information(request.user),
        },
    )


@access(information_perms.can_publish_information)
@submitted_once
def folder_create(request: HttpRequest) -> HttpResponse:
    form = FolderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        shelf = form.save()
        messages.success(request, _("Dossier « %(name)s » créé.") % {"name": shelf.name})
        return redirect("information:folder", folder_id=shelf.pk)
    return render(
        request,
        "information/simple_form.html",
        {"form": form, "title": _("Nouveau dossier"), "back": "information:library"},
    )


@access(perms.is_signed_in)
def document(request: HttpRequest, document_id: int) -> HttpResponse:
    item = get_document_for_user(request.user, document_id)
    return render(
        request,
        "information/document.html",
        {
            "document": item,
            "versions": item.versions.select_related("uploaded_by"),
            "can_edit": _can_edit(request.user, item),
            "version_form": VersionForm(),
        },
    )


def _can_edit(user, item: Document) -> bool:
    if item.owner_commune_id:
        return information_perms.can_file_commune_document(user, item.owner_commune)
    return information_perms.can_change_for_audience(user, item)


@access(information_perms.can_publish_information)
@submitted_once
def document_create(request: HttpRequest) -> HttpResponse:
    form = DocumentForm(
        request.POST or None,
        request.FILES or None,
        initial={"folder": request.GET.get("dossier")},
        programme=programme_for(request),
        whole_instance_allowed=information_perms.can_address_whole_instance(request.user),
    )
    if request.method == "POST" and form.is_valid():
        item = services.save_document(
            document=form.save(commit=False),
            by=request.user,
            communes=form.cleaned_data["audience_communes"],
            upload=form.cleaned_data["file"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("Document « %(title)s » ajouté.") % {"title": item.title})
        return redirect(item)
    return render(request, "information/document_form.html", {"form": form})


@access(perms.is_commune_member)
@submitted_once
def commune_document_create(request: HttpRequest) -> HttpResponse:
    commune = perms.active_commune(request)
    if commune is None or not information_perms.can_file_commune_document(request.user, commune):
        raise Http404
    form = CommuneDocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        item = form.save(commit=False)
        item.owner_commune = commune
        services.save_document(
            document=item,
            by=request.user,
            upload=form.cleaned_data["file"],
            note=form.cleaned_data["note"],
        )
        messages.success(
            request,
            _("Document « %(title)s » ajouté aux documents %(of_commune)s.")
            % {"title": item.title, "of_commune": de_name(commune.name)},
        )
        return redirect(item)
    return render(request, "information/document_form.html", {"form": form, "commune": commune})


@access(perms.is_signed_in)
def document_edit(request: HttpRequest, document_id: int) -> HttpResponse:
    item = get_document_for_user(request.user, document_id)
    if not _can_edit(request.user, item):
        raise Http404
    form_class = CommuneDocumentForm if item.owner_commune_id else DocumentForm
    kwargs = {} if item.owner_commune_id else {"require_file": False}
    form = form_class(request.POST or None, instance=item, **kwargs)
    del form.fields["file"], form.fields["note"]  # files change by new versions only
    if request.method == "POST" and form.is_valid():
        services.save_document(
            document=form.save(commit=False),
            by=request.user,
            communes=form.cleaned_data.get("audience_communes", ()),
        )
        messages.success(request, _("Modifications enregistrées."))
        return redirect(item)
    return render(request, "information/document_form.html", {"form": form, "document": item})


@access(perms.is_signed_in)
@submitted_once
def document_version(request: HttpRequest, document_id: int) -> HttpResponse:
    item = get_document_for_user(request.user, document_id)
    if not _can_edit(request.user, item):
        raise Http404
    form = VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        version = services.add_version(
            document=item,
            upload=form.cleaned_data["file"],
            by=request.user,
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("Version %(n)s ajoutée.") % {"n": version.number})
        return redirect(item)
    return render(
        request,
        "information/document.html",
        {
            "document": item,
            "versions": item.versions.select_related("uploaded_by"),
            "can_edit": True,
            "version_form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


@access(perms.is_signed_in)
def version_download(request: HttpRequest, version_id: int) -> HttpResponse:
    version = get_object_or_404(
        DocumentVersion.objects.filter(document__in=Document.objects.readable_by(request.user)),
        pk=version_id,
    )
    return serve_protected_file(
        request, version.file, filename=version.original_name, content_type=version.content_type
    )
