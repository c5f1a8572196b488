"""Forms of the awareness pages: campaigns, on-site sessions, attendees, cancellations."""

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mutualis.accounts.models import User
from mutualis.awareness.models import AwarenessModule, CampaignScope
from mutualis.core.forms import BusinessDateField
from mutualis.core.french import de_name
from mutualis.core.submissions import SubmittedOnce
from mutualis.territory.models import Commune


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ModuleChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj) -> str:
        return obj.title


class PersonChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj) -> str:
        return str(obj)


class CampaignForm(SubmittedOnce, forms.Form):
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    modules = ModuleChoiceField(label=_("Modules"), queryset=AwarenessModule.objects.none())
    due_date = BusinessDateField(label=_("À terminer avant le"), widget=DateInput())
    scope = forms.ChoiceField(label=_("Public"), widget=forms.RadioSelect)
    communes = forms.ModelMultipleChoiceField(
        label=_("Communes (si « des communes choisies »)"),
        queryset=Commune.objects.none(),
        required=False,
        help_text=_("Maintenez Ctrl (ou Cmd) pour en choisir plusieurs."),
    )
    agents = PersonChoiceField(
        label=_("Agents (si « des agents choisis »)"), queryset=User.objects.none(), required=False
    )
    message = forms.CharField(
        label=_("Message aux agents (facultatif)"), widget=forms.Textarea(attrs={"rows": 3}),
        required=False, max_length=2000,
    )  # fmt: skip

    def __init__(self, *args, commune: Commune | None, communes, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["modules"].queryset = AwarenessModule.objects.exclude(current_version=None)
        if commune is None:
            self.fields["scope"].choices = [
                (CampaignScope.ALL, _("Toutes les communes")),
                (CampaignScope.COMMUNES, _("Des communes choisies")),
            ]
            self.fields["communes"].queryset = communes
            del self.fields["agents"]
        else:
            self.fields["scope"].choices = [
                (
                    CampaignScope.COMMUNES,
                    _("Tous les agents %(of_name)s") % {"of_name": de_name(commune.name)},
                ),
                (CampaignScope.AGENTS, _("Des agents choisis")),
            ]
            self.fields["agents"].queryset = people
            del self.fields["communes"]

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due < timezone.localdate():
            raise forms.ValidationError(
                _("L'échéance est déjà passée : choisissez une date à venir.")
            )
        return due

    def clean(self):
        data = super().clean()
        scope = data.get("scope")
        if (
            scope == CampaignScope.COMMUNES
            and "communes" in self.fields
            and not data.get("communes")
        ):
            self.add_error("communes", _("Choisissez au moins une commune."))
        if scope == CampaignScope.AGENTS and not data.get("agents"):
            self.add_error("agents", _("Choisissez au moins un agent."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class SessionForm(SubmittedOnce, forms.Form):
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=Commune.objects.none())
    title = forms.CharField(
        label=_("Thème"), max_length=200, initial=_("Sensibilisation à la cybersécurité")
    )
    date = BusinessDateField(label=_("Date"), widget=DateInput())
    time = forms.TimeField(
        label=_("Heure de début"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    duration_minutes = forms.IntegerField(
        label=_("Durée (minutes)"), min_value=15, max_value=480, initial=90
    )
    place = forms.CharField(label=_("Lieu"), max_length=300, initial=_("Salle du conseil"))
    facilitator = forms.CharField(label=_("Animée par"), max_length=200)
    modules = ModuleChoiceField(
        label=_("Modules abordés"), queryset=AwarenessModule.objects.none(), required=False
    )
    outside_offer_reason = forms.CharField(
        label=_("Motif si la commune n'a pas d'offre avancée en cours"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes
        self.fields["modules"].queryset = AwarenessModule.objects.exclude(current_version=None)

    def starts_at(self) -> datetime:
        data = self.cleaned_data
        return timezone.make_aware(datetime.combine(data["date"], data["time"]))


class AttendeeForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Agent de la commune"), queryset=User.objects.none(), required=False,
        empty_label=_("— personne sans compte (saisir le nom) —"),
    )  # fmt: skip
    full_name = forms.CharField(label=_("Nom et prénom"), max_length=200, required=False)
    job_title = forms.CharField(label=_("Fonction"), max_length=200, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people

    def clean(self):
        data = super().clean()
        if not data.get("user") and not (data.get("full_name") or "").strip():
            raise forms.ValidationError(_("Choisissez un agent ou saisissez un nom."))
        return data


class VerifyForm(forms.Form):
    number = forms.CharField(label=_("Numéro de l'attestation"), max_length=30)
    code = forms.CharField(label=_("Code de vérification"), max_length=20)
