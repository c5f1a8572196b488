"""Posts: the reader's list and page, writing and publishing, acknowledgements of alerts."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from mutualis.accounts import perms
from mutualis.core.access import access
from mutualis.core.lookups import get_visible_or_404
from mutualis.core.models import AuditEvent
from mutualis.core.submissions import submitted_once
from mutualis.core.uploads import serve_protected_file
from mutualis.information import perms as information_perms
from mutualis.information import services
from mutualis.information.enums import AudienceKind, PostStatus
from mutualis.information.forms import DraftFilterForm, PostFilterForm, PostForm, WithdrawForm
from mutualis.information.models import Acknowledgement, Post, PostAttachment, PostRead, Reader
from mutualis.programme.selection import programme_for

PAGE_SIZE = 20


def get_post_for_user(user, post_id: int) -> Post:
    """The post if `user` may read it (the audience rule), else 404 — never a hint it exists."""
    return get_visible_or_404(
        Post, user, visible=lambda posts, user: posts.readable_by(user), pk=post_id
    )


def get_post_to_change(user, post_id: int) -> Post:
    """The post if `user` may also change it (`can_change_for_audience`), else 403 (they may
    read it) or 404."""
    item = get_post_for_user(user, post_id)
    if not information_perms.can_change_for_audience(user, item):
        raise PermissionDenied
    return item


def _pending_alerts(user):
    """Critical alerts addressed to the reader that one of their communes has not acknowledged."""
    reader = Reader.of(user)
    if not reader.grants:
        return []
    alerts = list(
        Post.objects.readable_by(user)
        .current()
        .needing_acknowledgement()
        .order_by("-publish_at")[:20]
    )
    if not alerts:
        return []
    acked = set(
        Acknowledgement.objects.filter(
            post__in=alerts, commune_id__in=[g.commune_id for g in reader.grants]
        ).values_list("post_id", "commune_id")
    )
    ids = [a.pk for a in alerts]
    addressed = {
        (post_id, grant.commune_id)
        for grant in reader.grants
        for post_id in Post.objects.filter(pk__in=ids)
        .addressed_to_grants([grant])
        .values_list("pk", flat=True)
    }
    return [a for a in alerts if any(p == a.pk and (p, c) not in acked for p, c in addressed)]


@access(perms.is_signed_in)
def posts(request: HttpRequest) -> HttpResponse:
    form = PostFilterForm(request.GET or None)
    category = form.cleaned_data["category"] if form.is_valid() else ""
    queryset = (
        Post.objects.readable_by(request.user).current().for_programme(programme_for(request))
    )
    if category:
        queryset = queryset.filter(category=category)
    page = Paginator(queryset.order_by("-publish_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "information/posts.html",
        {
            "form": form,
            "page": page,
            "category": category,
            "pending_alerts": _pending_alerts(request.user),
            "can_publish": information_perms.can_publish_information(request.user),
        },
    )


@access(perms.is_signed_in)
def post(request: HttpRequest, post_id: int) -> HttpResponse:
    item = get_post_for_user(request.user, post_id)
    if item.published_at is not None:
        PostRead.objects.get_or_create(post=item, user=request.user)
    to_acknowledge, acknowledged = [], []
    if item.needs_acknowledgement:
        communes = services.acknowledgeable_communes(item, request.user)
        done = {
            a.commune_id: a
            for a in Acknowledgement.objects.filter(post=item, commune__in=communes).select_related(
                "by"
            )
        }
        acknowledged = [(c, done[c.pk]) for c in communes if c.pk in done]
        to_acknowledge = [c for c in communes if c.pk not in done]
    can_change = information_perms.can_change_for_audience(request.user, item)
    return render(
        request,
        "information/post.html",
        {
            "post": item,
            "attachments": item.attachments.all(),
            "to_acknowledge": to_acknowledge,
            "acknowledged": acknowledged,
            "can_publish": can_change,
            "can_follow": information_perms.can_publish_information(request.user),
            "audience_communes": item.audience_communes.all()
            if item.audience == AudienceKind.COMMUNES and can_change
            else [],
        },
    )


@access(perms.is_signed_in)
def post_attachment(request: HttpRequest, post_attachment_id: int) -> HttpResponse:
    attachment = get_object_or_404(
        PostAttachment.objects.filter(post__in=Post.objects.readable_by(request.user)),
        pk=post_attachment_id,
    )
    return serve_protected_file(
        request,
        attachment.file,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@access(perms.is_signed_in)
@require_POST
def acknowledge(request: HttpRequest, post_id: int) -> HttpResponse:
    item = get_post_for_user(request.user, post_id)
    communes = {c.insee_code: c for c in services.acknowledgeable_communes(item, request.user)}
    commune = communes.get(request.POST.get("commune", ""))
    if commune is None:
        raise Http404
    _ack, created = services.acknowledge(post=item, commune=commune, by=request.user)
    if created:
        messages.success(
            request,
            _("Lecture de l'alerte confirmée pour %(commune)s.") % {"commune": commune.name},
        )
    else:
        messages.info(
            request,
            _("%(commune)s avait déjà confirmé la lecture de cette alerte.")
            % {"commune": commune.name},
        )
    return redirect(item)


# --- Writing (coordinators and the referent) ----------------------------------------------------


@access(information_perms.can_publish_information)
def drafts(request: HttpRequest) -> HttpResponse:
    """Everything written: drafts and imported watch items first, scheduled, published, withdrawn."""
    form = DraftFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    queryset = (
        Post.objects.readable_by(request.user)
        .for_programme(programme_for(request))
        .select_related("feed", "created_by")
        .annotate(ack_count=Count("acknowledgements"))
    )
    if data.get("status"):
        queryset = queryset.filter(status=data["status"])
    else:
        queryset = queryset.filter(status=PostStatus.DRAFT) | queryset.filter(
            status=PostStatus.PUBLISHED, publish_at__gt=timezone.now()
        )
    if data.get("category"):
        queryset = queryset.filter(category=data["category"])
    page = Paginator(queryset.order_by("-updated_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "information/drafts.html", {"form": form, "page": page})


def _post_form_page(request, form, item=None) -> HttpResponse:
    return render(request, "information/post_form.html", {"form": form, "post": item})


@access(information_perms.can_publish_information)
@submitted_once
def post_create(request: HttpRequest) -> HttpResponse:
    form = PostForm(
        request.POST or None,
        request.FILES or None,
        programme=programme_for(request),
        whole_instance_allowed=information_perms.can_address_whole_instance(request.user),
    )
    if request.method == "POST" and form.is_valid():
        item = services.save_post(
            post=form.save(commit=False),
            by=request.user,
            communes=form.cleaned_data["audience_communes"],
            uploads=form.cleaned_data["attachments"],
        )
        messages.success(request, _("Brouillon enregistré : relisez-le puis publiez-le."))
        return redirect(item)
    return _post_form_page(request, form)


@access(information_perms.can_publish_information)
def post_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    item = get_post_to_change(request.user, post_id)
    form = PostForm(
        request.POST or None,
        request.FILES or None,
        instance=item,
        programme=programme_for(request),
        whole_instance_allowed=information_perms.can_address_whole_instance(request.user),
    )
    if request.method == "POST" and form.is_valid():
        services.save_post(
            post=form.save(commit=False),
            by=request.user,
            communes=form.cleaned_data["audience_communes"],
            uploads=form.cleaned_data["attachments"],
        )
        messages.success(request, _("Modifications enregistrées."))
        return redirect(item)
    return _post_form_page(request, form, item)


@access(information_perms.can_publish_information)
@require_POST
def post_publish(request: HttpRequest, post_id: int) -> HttpResponse:
    item = get_post_to_change(request.user, post_id)
    if item.status == PostStatus.PUBLISHED:
        messages.info(request, _("Cette publication est déjà publiée."))
        return redirect(item)
    emailed = services.publish_post(post=item, by=request.user)
    if item.is_current():
        text = _("Publiée.")
        if emailed:
            text += " " + ngettext(
                "Alerte envoyée par courriel à %(n)s personne.",
                "Alerte envoyée par courriel à %(n)s personnes.",
                emailed,
            ) % {"n": emailed}
    else:
        text = _("Publication programmée.")
    messages.success(request, text)
    return redirect(item)


@access(information_perms.can_publish_information)
def post_withdraw(request: HttpRequest, post_id: int) -> HttpResponse:
    item = get_post_to_change(request.user, post_id)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.withdraw_post(post=item, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Publication retirée : plus personne ne la voit."))
        return redirect(item)
    return render(request, "information/post_withdraw.html", {"post": item, "form": form})


@access(information_perms.can_publish_information)
def acknowledgements(request: HttpRequest, post_id: int) -> HttpResponse:
    item = get_post_for_user(request.user, post_id)
    if not item.needs_acknowledgement:
        raise Http404
    status = services.acknowledgement_status(item, perms.visible_communes(request.user))
    reminders = AuditEvent.objects.for_object(item).filter(action="information.reminded")
    return render(
        request,
        "information/acknowledgements.html",
        {"post": item, "status": status, "reminders": reminders.select_related("actor")},
    )


@access(information_perms.can_publish_information)
@require_POST
def remind(request: HttpRequest, post_id: int) -> HttpResponse:
    item = get_post_for_user(request.user, post_id)
    if not item.needs_acknowledgement or not item.is_current():
        raise Http404
    sent = services.remind_pending(
        post=item, by=request.user, within=perms.visible_communes(request.user)
    )
    text = ngettext(
        "Rappel envoyé par courriel à %(n)s personne.",
        "Rappel envoyé par courriel à %(n)s personnes.",
        sent,
    )
    messages.success(request, text % {"n": sent})
    return redirect("information:acknowledgements", post_id=item.pk)
