from django import forms
from django.utils.translation import gettext_lazy as _

from mutualis.core.forms import BusinessDateField


class ComputeForm(forms.Form):
    day = BusinessDateField(
        label=_("Une date de la période à calculer"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class CommentsForm(forms.Form):
    comments = forms.CharField(
        label=_("Commentaires du coordinateur"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
