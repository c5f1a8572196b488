"""Crisis and continuity pages of a commune: contacts and the printable crisis sheet, essential
activities, the continuity plan, exercises, crisis log books, the backup study and the register of
advanced security tools."""

from decimal import Decimal

import markdown
import nh3
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutualis.accounts import perms
from mutualis.continuity import backup_rule
from mutualis.continuity.forms import (
    ActionForm,
    ActivityForm,
    BackupCopyForm,
    BackupStudyForm,
    ContactForm,
    ExerciseForm,
    LogEntryForm,
    LogOpenForm,
    PlanForm,
    SecurityToolForm,
)
from mutualis.continuity.models import BackupStudy, CrisisExercise, CrisisLog, ExerciseAction
from mutualis.continuity.services import (
    add_log_entry,
    close_crisis,
    draft_plan,
    open_crisis,
    save_plan,
)
from mutualis.core import audit
from mutualis.core.access import access
from mutualis.core.french import de_name
from mutualis.core.pdf import pdf_response, render_pdf
from mutualis.core.submissions import submitted_once
from mutualis.programme.models import Programme

ADD_FORMS = {
    "contact": (ContactForm, "crisis_contacts", _("Ajouter un contact de crise")),
    "activite": (ActivityForm, "essential_activities", _("Ajouter une activité essentielle")),
    "exercice": (ExerciseForm, "crisis_exercises", _("Enregistrer un exercice de crise")),
    "outil": (SecurityToolForm, "security_tools", _("Ajouter un outil de sécurité")),
}


def _commune(request, insee_code, *, edit=False):
    commune = perms.get_commune_information_system(request.user, insee_code)
    if edit and not perms.can_edit_information_system(request.user, commune):
        raise Http404
    return commune


def _render_markdown(text: str) -> str:
    # The page has its own <h1>: the plan's « # Titre » becomes an <h2> (toc's baselevel).
    html = markdown.markdown(text, extensions=["toc"], extension_configs={"toc": {"baselevel": 2}})
    return mark_safe(nh3.clean(html))  # sanitised by nh3 (Ammonia)


@access(perms.is_commune_member)
def home(request: HttpRequest) -> HttpResponse:
    commune = perms.active_commune(request)
    if commune is None:
        raise Http404
    if perms.can_view_information_system(request.user, commune):
        return redirect("continuity:commune", insee_code=commune.insee_code)
    return redirect("continuity:sheet", insee_code=commune.insee_code)


@access(perms.is_signed_in)
def commune_page(request: HttpRequest, insee_code: str) -> HttpResponse:
    commune = _commune(request, insee_code)
    study = BackupStudy.objects.filter(commune=commune).first()
    checks = backup_rule.check_321(_copies(study)) if study else None
    return render(
        request,
        "continuity/commune.html",
        {
            "commune": commune,
            "contacts": commune.crisis_contacts.all(),
            "activities": commune.essential_activities.all(),
            "plan": commune.continuity_plans.order_by("-version").first(),
            "exercises": commune.crisis_exercises.prefetch_related("actions"),
            "logs": commune.crisis_logs.all(),
            "study": study,
            "checks": checks,
            "tools": commune.security_tools.all(),
            "can_edit": perms.can_edit_information_system(request.user, commune),
            "log_form": LogOpenForm(),
        },
    )


@access(perms.is_signed_in)
@submitted_once
def add_record(request: HttpRequest, insee_code: str, what: str) -> HttpResponse:
    if what not in ADD_FORMS:
        raise Http404
    commune = _commune(request, insee_code, edit=True)
    form_class, _related, title = ADD_FORMS[what]
    if what == "outil" and not commune.has_it_department:
        raise Http404
    form = form_class(request.POST or None, instance=form_class._meta.model(commune=commune))
    if request.method == "POST" and form.is_valid():
        record = form.save()
        audit.record(
            action=f"continuity.{what}_added",
            obj=record,
            by=request.user,
            summary=_("%(kind)s : %(record)s (%(commune)s)")
            % {"kind": record._meta.verbose_name, "record": record, "commune": commune.name},
            commune_insee=commune.insee_code,
        )
        messages.success(request, _("Enregistré."))
        return redirect("continuity:commune", insee_code=commune.insee_code)
    return render(
        request, "continuity/form.html", {"commune": commune, "form": form, "title": title}
    )


@access(perms.is_signed_in)
def crisis_sheet(request: HttpRequest, insee_code: str) -> HttpResponse:
    """The printable crisis sheet: any person of the commune must be able to print it."""
    commune = perms.get_commune_for_user(request.user, insee_code)
    context = {
        "commune": commune,
        "contacts": commune.crisis_contacts.all(),
        "activities": commune.essential_activities.all(),
        "generated_at": timezone.now(),
    }
    return pdf_response(
        render_pdf("continuity/crisis_sheet.html", context),
        f"fiche-reflexe-crise-{commune.insee_code}.pdf",
    )


@access(perms.is_signed_in)
def plan(request: HttpRequest, insee_code: str) -> HttpResponse:
    commune = _commune(request, insee_code)
    versions = list(commune.continuity_plans.order_by("-version"))
    wanted = request.GET.get("version")
    current = next(
        (p for p in versions if str(p.version) == wanted), versions[0] if versions else None
    )
    can_edit = perms.can_edit_information_system(request.user, commune)
    form = PlanForm(
        request.POST or None,
        initial={"content": current.content if current else draft_plan(commune)},
    )
    if request.method == "POST":
        if not can_edit:
            raise Http404
        if form.is_valid():
            saved = save_plan(
                commune=commune, content=form.cleaned_data["content"], by=request.user
            )
            messages.success(request, _("Plan enregistré (version %(v)s).") % {"v": saved.version})
            return redirect("continuity:plan", insee_code=commune.insee_code)
    return render(
        request,
        "continuity/plan.html",
        {
            "commune": commune,
            "versions": versions,
            "current": current,
            "html": _render_markdown(current.content) if current else None,
            "form": form if can_edit else None,
        },
    )


def _exercise(request, insee_code, exercise_id, *, edit=False):
    commune = _commune(request, insee_code, edit=edit)
    exercise = CrisisExercise.objects.filter(pk=exercise_id, commune=commune).first()
    if exercise is None:
        raise Http404
    return commune, exercise


@access(perms.is_signed_in)
@submitted_once
def exercise(request: HttpRequest, insee_code: str, exercise_id: int) -> HttpResponse:
    commune, item = _exercise(request, insee_code, exercise_id)
    can_edit = perms.can_edit_information_system(request.user, commune)
    form = ActionForm(request.POST or None, instance=ExerciseAction(exercise=item))
    if request.method == "POST":
        if not can_edit:
            raise Http404
        done = request.POST.get("done")
        if done:
            action = item.actions.filter(pk=done, done_on__isnull=True).first()
            if action:
                action.done_on = timezone.localdate()
                action.save(update_fields=["done_on"])
                messages.success(request, _("Action marquée comme faite."))
            return redirect("continuity:exercise", insee_code=insee_code, exercise_id=item.pk)
        if form.is_valid():
            form.save()
            messages.success(request, _("Action de suivi ajoutée."))
            return redirect("continuity:exercise", insee_code=insee_code, exercise_id=item.pk)
    return render(
        request,
        "continuity/exercise.html",
        {
            "commune": commune,
            "exercise": item,
            "form": form if can_edit else None,
            "today": timezone.localdate(),
        },
    )


@access(perms.is_signed_in)
@require_POST
@submitted_once
def log_open(request: HttpRequest, insee_code: str) -> HttpResponse:
    commune = _commune(request, insee_code, edit=True)
    form = LogOpenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Donnez un intitulé à la crise."))
        return redirect("continuity:commune", insee_code=insee_code)
    log = open_crisis(commune=commune, title=form.cleaned_data["title"], by=request.user)
    return redirect("continuity:log", insee_code=insee_code, log_id=log.pk)


@access(perms.is_signed_in)
@submitted_once
def log(request: HttpRequest, insee_code: str, log_id: int) -> HttpResponse:
    commune = _commune(request, insee_code)
    book = CrisisLog.objects.filter(pk=log_id, commune=commune).first()
    if book is None:
        raise Http404
    can_edit = perms.can_edit_information_system(request.user, commune)
    form = LogEntryForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            raise Http404
        if request.POST.get("action") == "close":
            close_crisis(log=book, by=request.user)
            messages.success(request, _("Main courante close."))
        elif form.is_valid() and not book.closed_at:
            add_log_entry(log=book, text=form.cleaned_data["text"], by=request.user)
        return redirect("continuity:log", insee_code=insee_code, log_id=book.pk)
    return render(
        request,
        "continuity/log.html",
        {
            "commune": commune,
            "log": book,
            "entries": book.entries.select_related("author"),
            "form": form if can_edit and not book.closed_at else None,
        },
    )


def _copies(study) -> list[backup_rule.Copy]:
    if study is None:
        return []
    return [
        backup_rule.Copy(c.name, c.medium, c.frequency_days, c.offsite, c.offline)
        for c in study.copies.all()
    ]


def _options(commune) -> list[backup_rule.Option]:
    programme = Programme.objects.for_commune(commune)
    if programme is None:
        return []
    return [
        backup_rule.Option(
            o.code,
            o.name,
            o.provider,
            o.price_per_gb_month,
            o.monthly_minimum,
            o.setup_fee,
            o.offsite,
            o.offline,
        )
        for o in programme.spec.backup_options
    ]


def _study_context(commune, study):
    copies = _copies(study)
    volume = study.total_gb if study else Decimal(0)
    return {
        "commune": commune,
        "study": study,
        "copies": study.copies.all() if study else [],
        "checks": backup_rule.check_321(copies),
        "quotes": backup_rule.proposal(_options(commune), volume_gb=volume, copies=copies),
        "volume": volume,
        "generated_at": timezone.now(),
    }


@access(perms.is_signed_in)
@submitted_once
def backup_study(request: HttpRequest, insee_code: str) -> HttpResponse:
    commune = _commune(request, insee_code)
    study = BackupStudy.objects.filter(commune=commune).first()
    can_edit = perms.can_edit_information_system(request.user, commune)
    study_form = BackupStudyForm(
        request.POST if request.POST.get("form") == "study" else None,
        instance=study or BackupStudy(commune=commune),
    )
    copy_form = BackupCopyForm(request.POST if request.POST.get("form") == "copy" else None)
    if request.method == "POST":
        if not can_edit:
            raise Http404
        if request.POST.get("form") == "study" and study_form.is_valid():
            study = study_form.save()
            audit.record(
                action="continuity.backup_study_saved",
                obj=study,
                by=request.user,
                summary=_("Étude de sauvegarde %(of_commune)s")
                % {"of_commune": de_name(commune.name)},
                commune_insee=commune.insee_code,
            )
            messages.success(request, _("Volumes enregistrés."))
            return redirect("continuity:backup", insee_code=insee_code)
        if request.POST.get("form") == "copy" and copy_form.is_valid():
            if study is None:
                study = BackupStudy.objects.create(commune=commune)
            copy_form.instance.study = study
            copy_form.save()
            messages.success(request, _("Sauvegarde ajoutée."))
            return redirect("continuity:backup", insee_code=insee_code)
    context = _study_context(commune, study)
    context.update(
        study_form=study_form if can_edit else None, copy_form=copy_form if can_edit else None
    )
    return render(request, "continuity/backup.html", context)


@access(perms.is_signed_in)
def backup_pdf(request: HttpRequest, insee_code: str) -> HttpResponse:
    commune = _commune(request, insee_code)
    study = BackupStudy.objects.filter(commune=commune).first()
    return pdf_response(
        render_pdf("continuity/backup_pdf.html", _study_context(commune, study)),
        f"etude-sauvegarde-{commune.insee_code}.pdf",
    )
