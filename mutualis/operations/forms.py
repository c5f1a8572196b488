from django import forms
from django.utils.translation import gettext_lazy as _


class DeactivationForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de la désactivation"),
        max_length=300,
        help_text=_("Par exemple : départ de la mairie après les élections de mars 2026."),
    )
    confirm = forms.BooleanField(
        label=_("Je confirme : la personne ne pourra plus se connecter"), required=True
    )
