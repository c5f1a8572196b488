"""Watch feeds: the coordinators' list of feeds, fetching one now, importing a feed file."""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from mutualis.core.access import access
from mutualis.core.collation import french
from mutualis.core.submissions import submitted_once
from mutualis.information import perms as information_perms
from mutualis.information import services
from mutualis.information.enums import PostStatus
from mutualis.information.feeds import MAX_FEED_BYTES, FeedRefused
from mutualis.information.forms import FeedFileForm, FeedForm
from mutualis.information.models import Feed


@access(information_perms.can_publish_information)
@submitted_once
def feeds(request: HttpRequest) -> HttpResponse:
    form = FeedForm(request.POST or None, prefix="feed")
    if request.method == "POST" and form.is_valid():
        feed = services.save_feed(feed=form.save(commit=False), by=request.user)
        messages.success(request, _("Flux « %(name)s » ajouté.") % {"name": feed.name})
        return redirect("information:feeds")
    rows = Feed.objects.annotate(
        drafts=Count("posts", filter=Q(posts__status=PostStatus.DRAFT)),
        published=Count("posts", filter=Q(posts__status=PostStatus.PUBLISHED)),
    ).order_by(french("name"))
    return render(
        request,
        "information/feeds.html",
        {"feeds": rows, "form": form, "file_form": FeedFileForm(prefix="file")},
    )


@access(information_perms.can_publish_information)
@require_POST
def feed_refresh(request: HttpRequest, feed_id: int) -> HttpResponse:
    feed = get_object_or_404(Feed, pk=feed_id)
    if not feed.url:
        messages.error(request, _("Ce flux n'a pas d'adresse : importez-le depuis un fichier."))
        return redirect("information:feeds")
    try:
        result = services.refresh_feed(feed=feed, by=request.user)
    except FeedRefused as error:
        messages.error(
            request, _("Flux « %(name)s » : %(error)s") % {"name": feed.name, "error": error}
        )
    else:
        _report(request, feed, result)
    return redirect("information:feeds")


@access(information_perms.can_publish_information)
@require_POST
@submitted_once
def feed_upload(request: HttpRequest) -> HttpResponse:
    form = FeedFileForm(request.POST, request.FILES, prefix="file")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("information:feeds")
    feed = form.cleaned_data["feed"]
    upload = form.cleaned_data["file"]
    data = upload.read(MAX_FEED_BYTES + 1)
    try:
        result = services.import_feed(feed=feed, data=data, by=request.user)
    except FeedRefused as error:
        messages.error(
            request, _("« %(file)s » : %(error)s") % {"file": upload.name, "error": error}
        )
    else:
        _report(request, feed, result)
    return redirect("information:feeds")


def _report(request, feed, result) -> None:
    messages.success(
        request,
        ngettext(
            "Flux « %(name)s » : %(added)s brouillon ajouté, entrées déjà connues : %(known)s.",
            "Flux « %(name)s » : %(added)s brouillons ajoutés, entrées déjà connues : %(known)s.",
            result.added,
        )
        % {"name": feed.name, "added": result.added, "known": result.known},
    )
