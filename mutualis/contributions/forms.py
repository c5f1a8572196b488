"""Forms of the contributions pages."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mutualis.contributions.enums import CallStatus
from mutualis.core.forms import BusinessDateField
from mutualis.core.submissions import SubmittedOnce

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SimulatorForm(forms.Form):
    commune = forms.ChoiceField(label=_("Commune"))
    start = BusinessDateField(
        label=_("Début de l'adhésion"),
        widget=DATE,
        help_text=_("Le premier jour de la première période, par exemple le 1er juillet 2024."),
    )
    exit_requested = BusinessDateField(
        label=_("Demande de sortie (facultatif)"),
        required=False,
        widget=DATE,
        help_text=_("Pour voir ce que coûterait une sortie demandée à cette date."),
    )

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = [("", _("— choisir —"))] + [
            (c.insee_code, f"{c.name} ({c.insee_code})") for c in communes
        ]


class IssueCallsForm(SubmittedOnce, forms.Form):
    on = BusinessDateField(
        label=_("Date d'émission"),
        widget=DATE,
        help_text=_("Toutes les périodes commencées à cette date et non appelées seront appelées."),
    )


class CallFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Exercice"), coerce=int, required=False)
    q = forms.CharField(label=_("Commune ou numéro"), required=False)
    status = forms.ChoiceField(
        label=_("État"), choices=[("", _("Tous")), *CallStatus.choices], required=False
    )

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Tous"))] + [(y, str(y)) for y in years]


class CancelCallForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de l'annulation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Figure sur l'avoir. Un nouvel appel, recalculé, remplace celui-ci."),
    )


class PaymentForm(SubmittedOnce, forms.Form):
    amount = forms.DecimalField(
        label=_("Montant (€)"), max_digits=12, decimal_places=2, localize=True
    )
    paid_on = BusinessDateField(label=_("Payé le"), widget=DATE)
    reference = forms.CharField(
        label=_("Référence"), max_length=100, help_text=_("Référence du comptable public.")
    )


class StatementForm(SubmittedOnce, forms.Form):
    file = forms.FileField(
        label=_("Relevé du comptable public (CSV)"),
        help_text=_(
            "Colonnes : date_paiement ; montant ; reference ; numero_appel ; siren_debiteur "
            "(facultative). Tout le relevé est refusé si une ligne est fausse."
        ),
    )


class DayEntryForm(SubmittedOnce, forms.Form):
    worked_on = BusinessDateField(label=_("Date"), widget=DATE)
    half_days = forms.TypedChoiceField(
        label=_("Durée"),
        coerce=int,
        choices=[(1, _("Une demi-journée")), (2, _("Une journée"))],
    )
    service_code = forms.ChoiceField(label=_("Service"))
    description = forms.CharField(
        label=_("Travail effectué"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_code"].choices = services
        self.fields["worked_on"].initial = timezone.localdate()


class ForecastForm(forms.Form):
    queue_start = BusinessDateField(
        label=_("Hypothèse : la file d'attente adhère le"),
        widget=DATE,
        required=False,
    )
