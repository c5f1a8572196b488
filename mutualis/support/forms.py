"""Forms of the support app."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from mutualis.accounts.enums import StaffRole
from mutualis.core.forms import BusinessDateField
from mutualis.core.submissions import SubmittedOnce, submission_field
from mutualis.core.uploads import DOCUMENT_KINDS, validate_upload
from mutualis.purchasing.models import Supplier
from mutualis.support.enums import Urgency
from mutualis.territory.models import Commune

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_FILES = 5


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files at once, each checked by content."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("%(n)s fichiers au plus.") % {"n": MAX_FILES})
        cleaned = [super(AttachmentsField, self).clean(f, initial) for f in files]
        for upload in cleaned:
            validate_upload(upload, kinds=DOCUMENT_KINDS)
        return cleaned


ATTACHMENTS_HELP = _("Captures d'écran, PDF, documents : 5 fichiers au plus.")


class RequestForm(forms.Form):
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=Commune.objects.none())
    category = forms.ChoiceField(label=_("Catégorie"))
    urgency = forms.ChoiceField(label=_("Urgence"), choices=Urgency.choices, initial=Urgency.NORMAL)
    subject = forms.CharField(label=_("Objet"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Ce qui se passe, depuis quand, sur quel poste ou logiciel, ce que vous avez essayé."
        ),
    )
    attachments = AttachmentsField(label=_("Pièces jointes"), help_text=ATTACHMENTS_HELP)
    submission = submission_field()

    def __init__(self, *args, communes, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes
        if communes.count() == 1:
            self.fields["commune"].initial = communes.first()
            self.fields["commune"].widget = forms.HiddenInput()
        self.fields["category"].choices = [(c.value, c.label) for c in categories]


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}))
    attachments = AttachmentsField(label=_("Pièces jointes"), help_text=ATTACHMENTS_HELP)
    submission = submission_field()


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Affecter à"),
        queryset=get_user_model().objects.filter(
            staff_role__in=[StaffRole.REFERENT, StaffRole.COORDINATOR], is_active=True
        ),
    )


class EscalateForm(forms.Form):
    note = forms.CharField(
        label=_("Message au prestataire"), widget=forms.Textarea(attrs={"rows": 2})
    )
    provider_reference = forms.CharField(
        label=_("Référence du ticket chez le prestataire"), max_length=100, required=False
    )


class CloseForm(forms.Form):
    resolution = forms.CharField(label=_("Résolution"), widget=forms.Textarea(attrs={"rows": 3}))


class RateForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Votre satisfaction"),
        coerce=int,
        choices=[
            (5, _("5 — très satisfait")),
            (4, _("4 — satisfait")),
            (3, _("3 — moyennement satisfait")),
            (2, _("2 — peu satisfait")),
            (1, _("1 — pas satisfait")),
        ],
    )
    comment = forms.CharField(label=_("Commentaire"), max_length=500, required=False)


class ProviderLinkForm(SubmittedOnce, forms.Form):
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=Commune.objects.none())
    supplier = forms.ModelChoiceField(label=_("Prestataire"), queryset=Supplier.objects.active())
    since = BusinessDateField(label=_("Depuis le"), widget=DATE)

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes


class ProviderReviewForm(forms.Form):
    period_start = BusinessDateField(label=_("Période du"), widget=DATE)
    period_end = BusinessDateField(label=_("au"), widget=DATE)
    notes = forms.CharField(
        label=_("Compte rendu de la revue"), widget=forms.Textarea(attrs={"rows": 4})
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("period_start")
            and data.get("period_end")
            and data["period_end"] < data["period_start"]
        ):
            self.add_error("period_end", _("La fin de la période précède son début."))
        return data
