"""Forms of the dashboards: list filters, commune attributes and participation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mutualis.core.forms import BusinessDateField, ListSelect
from mutualis.membership.enums import Status
from mutualis.territory.models import Commune


class CommuneFilterForm(forms.Form):
    q = forms.CharField(label=_("Rechercher (nom ou code INSEE)"), required=False)
    # Read on every request of the dashboard: its selects render their options inline.
    scope = forms.ChoiceField(
        label=_("Territoire"),
        choices=[("programme", _("Territoire du programme")), ("france", _("Toute la France"))],
        required=False,
        widget=ListSelect,
    )
    dsi = forms.ChoiceField(
        label=_("DSI"),
        choices=[("", _("Toutes")), ("yes", _("Avec DSI")), ("no", _("Sans DSI"))],
        required=False,
        widget=ListSelect,
    )
    offer = forms.ChoiceField(label=_("Offre"), required=False, widget=ListSelect)
    status = forms.ChoiceField(
        label=_("État"),
        choices=[("", _("Tous")), *Status.choices],
        required=False,
        widget=ListSelect,
    )
    sort = forms.ChoiceField(
        label=_("Trier par"),
        required=False,
        choices=[
            ("name", _("Nom (A → Z)")),
            ("-name", _("Nom (Z → A)")),
            ("insee", _("Code INSEE")),
            ("-population", _("Population (décroissante)")),
            ("population", _("Population (croissante)")),
        ],
        widget=ListSelect,
    )

    def __init__(self, *args, offers: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer"].choices = [("", _("Toutes")), *offers.items()]


class CommuneAttributesForm(forms.ModelForm):
    class Meta:
        model = Commune
        fields = ["has_it_department", "council_seats", "town_hall_address", "mayor_name"]
        widgets = {"town_hall_address": forms.Textarea(attrs={"rows": 3})}


class ParticipationForm(forms.Form):
    co_construction = forms.BooleanField(
        label=_("A participé à la co-construction"), required=False
    )
    commitment_letter_date = BusinessDateField(
        label=_("Lettre d'engagement signée le"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
