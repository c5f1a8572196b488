"""Exchanges (experience sharing): threads among communes of the advanced offers and the
programme team."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from mutualis.accounts import perms
from mutualis.core.access import access
from mutualis.core.submissions import AlreadySubmitted
from mutualis.core.uploads import serve_protected_file
from mutualis.information import perms as information_perms
from mutualis.information import services
from mutualis.information.forms import ReplyForm, StudyForm, ThreadForm
from mutualis.information.models import MessageAttachment, Post, Thread
from mutualis.programme.selection import programme_for


def _speaking_for(request):
    """The commune a person writes for: their active commune if it is in an advanced offer."""
    if perms.is_coordinator_or_referent(request.user):
        return None
    communes = information_perms.experience_communes(request.user)
    active = perms.active_commune(request)
    return next(
        (c for c in communes if active and c.pk == active.pk), communes[0] if communes else None
    )


@access(information_perms.can_read_experience)
def threads(request: HttpRequest) -> HttpResponse:
    queryset = (
        Thread.objects.readable_by(request.user)
        .for_programme(programme_for(request))
        .select_related("created_by")
        .annotate(message_count=Count("messages"))
        .order_by("-last_activity_at", "-id")
    )
    page = Paginator(queryset, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "information/threads.html",
        {"page": page, "can_share": information_perms.can_share_experience(request.user)},
    )


@access(information_perms.can_share_experience)
def thread_create(request: HttpRequest) -> HttpResponse:
    form = ThreadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.start_thread(
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                by=request.user,
                commune=_speaking_for(request),
                programme=programme_for(request),
                uploads=form.cleaned_data["attachments"],
                submission=form.cleaned_data["submission"],
            )
        except AlreadySubmitted as error:
            messages.info(request, str(error))
            return redirect("information:threads")
        messages.success(request, _("Échange ouvert."))
        return redirect(thread)
    return render(request, "information/thread_form.html", {"form": form})


@access(information_perms.can_read_experience)
def thread(request: HttpRequest, thread_id: int) -> HttpResponse:
    item = get_object_or_404(Thread.objects.readable_by(request.user), pk=thread_id)
    can_share = information_perms.can_share_experience(request.user)
    form = ReplyForm(request.POST or None, request.FILES or None) if can_share else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.reply(
                    thread=item,
                    body=form.cleaned_data["body"],
                    by=request.user,
                    commune=_speaking_for(request),
                    uploads=form.cleaned_data["attachments"],
                    submission=form.cleaned_data["submission"],
                )
            except AlreadySubmitted as error:
                messages.info(request, str(error))
            else:
                messages.success(request, _("Réponse publiée."))
            return redirect(item)
    return render(
        request,
        "information/thread.html",
        {
            "thread": item,
            "thread_messages": item.messages.select_related(
                "author", "author_commune"
            ).prefetch_related("attachments"),
            "form": form,
            "studies": Post.objects.readable_by(request.user).filter(thread=item),
            "can_publish": information_perms.can_publish_information(request.user),
        },
        status=400 if request.method == "POST" else 200,
    )


@access(information_perms.can_publish_information)
def thread_study(request: HttpRequest, thread_id: int) -> HttpResponse:
    item = get_object_or_404(
        Thread.objects.readable_by(request.user).select_related("programme"), pk=thread_id
    )
    form = StudyForm(
        request.POST or None,
        programme=item.programme or programme_for(request),  # the study is the thread's
        initial={
            "title": item.title,
            "body": services.study_draft(item),
            "audience": "advanced",
        },
    )
    if request.method == "POST" and form.is_valid():
        study = services.make_study(
            thread=item,
            post=form.save(commit=False),
            by=request.user,
            communes=form.cleaned_data["audience_communes"],
        )
        messages.success(request, _("Étude publiée à partir de l'échange."))
        return redirect(study)
    return render(request, "information/study_form.html", {"form": form, "thread": item})


@access(information_perms.can_read_experience)
def message_attachment(request: HttpRequest, message_attachment_id: int) -> HttpResponse:
    attachment = get_object_or_404(
        MessageAttachment.objects.filter(
            message__thread__in=Thread.objects.readable_by(request.user)
        ),
        pk=message_attachment_id,
    )
    return serve_protected_file(
        request,
        attachment.file,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
