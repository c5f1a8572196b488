"""Forms of the cyber pages (the questionnaires are read by services.read_answers instead)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mutualis.core.forms import BusinessDateField
from mutualis.core.submissions import SubmittedOnce
from mutualis.cyber.models import MeasureStatus


class StartDiagnosticForm(SubmittedOnce, forms.Form):
    reason = forms.CharField(
        label=_("Motif (commune hors offre avancée)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire si la commune n'est pas dans une offre avancée."),
    )


class CancelDiagnosticForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de l'annulation"), widget=forms.Textarea(attrs={"rows": 3})
    )


class PlanMeasureForm(forms.Form):
    status = forms.ChoiceField(label=_("État"), choices=MeasureStatus.choices)
    justification = forms.CharField(
        label=_("Justification (obligatoire si sans objet)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    owner = forms.CharField(label=_("Responsable"), required=False, max_length=200)
    due_date = BusinessDateField(
        label=_("Échéance"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = forms.FileField(
        label=_("Ajouter une preuve"),
        required=False,
        help_text=_("Formats acceptés : PDF, PNG, JPEG, DOCX, XLSX, ODT, ODS ; 10 Mo au plus."),
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("status") == MeasureStatus.NOT_APPLICABLE
            and not (data.get("justification") or "").strip()
        ):
            self.add_error("justification", _("Une mesure sans objet doit être justifiée."))
        return data


def question_sections(sections, answers, missing) -> list[dict]:
    """Questionnaire sections ready for the template: each question with its chosen answer."""
    return [
        {
            "theme": theme,
            "questions": [
                {"q": q, "selected": answers.get(q.id), "missing": q.id in missing}
                for q in questions
            ],
        }
        for theme, questions in sections
    ]
