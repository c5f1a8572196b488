from django import forms
from django.utils.translation import gettext_lazy as _

from mutualis.continuity.models import (
    BackupCopy,
    BackupStudy,
    CrisisContact,
    CrisisExercise,
    EssentialActivity,
    ExerciseAction,
    SecurityTool,
)
from mutualis.core.forms import BusinessDateField
from mutualis.core.submissions import SubmittedOnce

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ContactForm(SubmittedOnce, forms.ModelForm):
    class Meta:
        model = CrisisContact
        fields = ["name", "function", "call_for", "phone", "other_phone", "email", "order"]


class ActivityForm(SubmittedOnce, forms.ModelForm):
    class Meta:
        model = EssentialActivity
        fields = ["name", "tolerated_downtime_hours", "depends_on", "workaround"]
        widgets = {"workaround": forms.Textarea(attrs={"rows": 3})}


class PlanForm(forms.Form):
    content = forms.CharField(
        label=_("Plan de continuité (Markdown)"), widget=forms.Textarea(attrs={"rows": 24})
    )


class ExerciseForm(SubmittedOnce, forms.ModelForm):
    class Meta:
        field_classes = {"held_on": BusinessDateField}
        model = CrisisExercise
        fields = ["held_on", "scenario", "findings"]
        widgets = {"held_on": DATE, "findings": forms.Textarea(attrs={"rows": 4})}


class ActionForm(SubmittedOnce, forms.ModelForm):
    class Meta:
        field_classes = {"due_on": BusinessDateField}
        model = ExerciseAction
        fields = ["description", "owner", "due_on"]
        widgets = {"due_on": DATE}


class LogOpenForm(SubmittedOnce, forms.Form):
    title = forms.CharField(label=_("Intitulé de la crise"), max_length=200)


class LogEntryForm(SubmittedOnce, forms.Form):
    text = forms.CharField(
        label=_("Événement ou décision"), widget=forms.Textarea(attrs={"rows": 3})
    )


class BackupStudyForm(forms.ModelForm):
    class Meta:
        model = BackupStudy
        fields = ["office_gb", "business_gb", "email_gb", "other_gb", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class BackupCopyForm(SubmittedOnce, forms.ModelForm):
    class Meta:
        model = BackupCopy
        fields = ["name", "medium", "frequency_days", "offsite", "offline"]


class SecurityToolForm(SubmittedOnce, forms.ModelForm):
    def clean(self):
        data = super().clean()
        if (
            data.get("covered") is not None
            and data.get("total") is not None
            and data["covered"] > data["total"]
        ):
            raise forms.ValidationError(_("Le nombre couvert ne peut pas dépasser le total."))
        return data

    class Meta:
        field_classes = {"deployed_on": BusinessDateField}
        model = SecurityTool
        fields = ["category", "product", "covered", "total", "deployed_on", "notes"]
        widgets = {"deployed_on": DATE, "notes": forms.Textarea(attrs={"rows": 2})}
