"""Review pages: the list, one review (programme or commune version), its PDF and CSV, and the
elected officials' dashboard."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutualis.accounts import perms
from mutualis.core.access import access
from mutualis.core.exports import csv_writer
from mutualis.core.pdf import pdf_response, render_pdf
from mutualis.programme.selection import programme_for
from mutualis.reviews import perms as reviews_perms
from mutualis.reviews.forms import CommentsForm, ComputeForm
from mutualis.reviews.models import Review
from mutualis.reviews.periods import review_periods
from mutualis.reviews.presentation import csv_rows, non_empty, sections_for, trend_chart
from mutualis.reviews.services import ReviewRefused, compute_review, publish_review, save_comments
from mutualis.reviews.summary import programme_summary


def _audience(request: HttpRequest) -> str | None:
    """None for the programme version (staff), else the active commune's INSEE code."""
    if perms.is_staff_member(request.user):
        return None
    commune = perms.active_commune(request)
    if commune is None:
        raise Http404
    return commune.insee_code


def _get_review(request: HttpRequest, review_number: int) -> Review:
    programme = programme_for(request)
    review = (
        Review.objects.filter(programme=programme, number=review_number)
        .select_related("programme")
        .first()
    )
    if review is None or not reviews_perms.can_see_review(request.user, review):
        raise Http404
    return review


def _context(request: HttpRequest, review: Review) -> dict:
    audience = _audience(request)
    return {
        "review": review,
        "sections": sections_for(review, commune_insee=audience),
        "trend": trend_chart(review, commune_insee=audience),
        "commune_version": audience is not None,
        "commune": perms.active_commune(request) if audience else None,
        "generated_at": timezone.now(),
    }


@access(perms.is_signed_in)
def review_list(request: HttpRequest) -> HttpResponse:
    if not (perms.is_staff_member(request.user) or perms.is_commune_member(request.user)):
        raise Http404
    programme = programme_for(request)
    reviews = (
        Review.objects.filter(programme=programme).order_by("number")
        if programme
        else Review.objects.none()
    )
    if not perms.is_staff_member(request.user):
        reviews = reviews.filter(state=Review.State.PUBLISHED)
    periods = []
    if programme:
        spec = programme.spec.programme
        periods = review_periods(spec.start, spec.end, spec.review_period_months)
    return render(
        request,
        "reviews/list.html",
        {
            "reviews": reviews,
            "periods": periods,
            "form": ComputeForm(initial={"day": timezone.localdate()}),
            "can_compute": perms.is_coordinator(request.user),
        },
    )


@access(perms.is_signed_in)
def review_detail(request: HttpRequest, review_number: int) -> HttpResponse:
    review = _get_review(request, review_number)
    context = _context(request, review)
    context["comments_form"] = CommentsForm(initial={"comments": review.comments})
    context["can_edit"] = perms.is_coordinator(request.user) and not review.is_published
    context["period_over"] = review.period_end < timezone.localdate()
    return render(request, "reviews/detail.html", context)


@access(perms.is_signed_in)
def review_pdf(request: HttpRequest, review_number: int) -> HttpResponse:
    review = _get_review(request, review_number)
    context = _context(request, review)
    context["sections"] = non_empty(context["sections"])
    if not context["commune_version"]:
        context["summary"] = programme_summary(review)
    pdf = render_pdf("reviews/pdf.html", context)
    suffix = f"-{context['commune'].insee_code}" if context["commune"] else ""
    return pdf_response(pdf, f"bilan-{review.number}{suffix}.pdf")


@access(perms.is_signed_in)
def review_csv(request: HttpRequest, review_number: int) -> HttpResponse:
    review = _get_review(request, review_number)
    audience = _audience(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    suffix = f"-{audience}" if audience else ""
    response["Content-Disposition"] = f'attachment; filename="bilan-{review.number}{suffix}.csv"'
    response.write("\ufeff")
    writer = csv_writer(response, delimiter=";")
    writer.writerows(csv_rows(review, commune_insee=audience))
    return response


@access(perms.is_coordinator)
@require_POST
def review_compute(request: HttpRequest) -> HttpResponse:
    form = ComputeForm(request.POST)
    programme = programme_for(request)
    if not form.is_valid() or programme is None:
        messages.error(request, _("Indiquez une date valide."))
        return redirect("reviews:list")
    try:
        review, changed = compute_review(
            programme=programme, day=form.cleaned_data["day"], by=request.user
        )
    except ReviewRefused as exc:
        messages.error(request, str(exc))
        return redirect("reviews:list")
    if changed:
        messages.success(request, _("Le bilan n° %(n)s est calculé.") % {"n": review.number})
    else:
        messages.warning(
            request,
            _("Le bilan n° %(n)s est publié : ses chiffres sont figés.") % {"n": review.number},
        )
    return redirect("reviews:detail", review_number=review.number)


@access(perms.is_coordinator)
@require_POST
def review_publish(request: HttpRequest, review_number: int) -> HttpResponse:
    review = _get_review(request, review_number)
    form = CommentsForm(request.POST)
    form.is_valid()
    try:
        if request.POST.get("action") == "publish":
            publish_review(
                review=review, by=request.user, comments=form.cleaned_data.get("comments", "")
            )
            messages.success(request, _("Le bilan est publié ; ses chiffres ne changeront plus."))
        else:
            save_comments(
                review=review, by=request.user, comments=form.cleaned_data.get("comments", "")
            )
            messages.success(request, _("Commentaires enregistrés."))
    except ReviewRefused as exc:
        messages.error(request, str(exc))
    return redirect("reviews:detail", review_number=review.number)


@access(perms.is_staff_member)
def officials_dashboard(request: HttpRequest) -> HttpResponse:
    """The elected officials' view: the latest published review and the trends."""
    programme = programme_for(request)
    review = (
        Review.objects.filter(programme=programme, state=Review.State.PUBLISHED)
        .order_by("-number")
        .first()
        if programme
        else None
    )
    context = {"review": review}
    if review:
        context.update(sections=sections_for(review), trend=trend_chart(review, limit=6))
    return render(request, "reviews/dashboard.html", context)
