"""Forms of the purchasing app; every message a person reads is French."""

from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mutualis.core.forms import BusinessDateField
from mutualis.core.submissions import SubmittedOnce
from mutualis.core.uploads import DOCUMENT_KINDS, validate_upload
from mutualis.purchasing.enums import JoinStatus, RoadmapStatus
from mutualis.purchasing.measures import measure_titles
from mutualis.purchasing.models import Contract, NegotiatedOffer, RoadmapItem, Supplier

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SupplierForm(SubmittedOnce, forms.ModelForm):
    class Meta:
        model = Supplier
        fields = [
            "name",
            "siret",
            "services",
            "contact_name",
            "email",
            "phone",
            "website",
            "address",
            "notes",
            "is_active",
        ]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class OfferForm(SubmittedOnce, forms.ModelForm):
    class Meta:
        field_classes = {"valid_from": BusinessDateField, "valid_until": BusinessDateField}
        model = NegotiatedOffer
        fields = [
            "title",
            "kind",
            "supplier",
            "description",
            "price",
            "price_unit",
            "conditions",
            "support_included",
            "maintenance_included",
            "support_details",
            "valid_from",
            "valid_until",
        ]
        widgets = {
            "valid_from": DATE,
            "valid_until": DATE,
            "description": forms.Textarea(attrs={"rows": 4}),
            "conditions": forms.Textarea(attrs={"rows": 3}),
            "support_details": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = Supplier.objects.active()

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("La fin de validité précède son début."))
        return data


class OfferDocumentForm(SubmittedOnce, forms.Form):
    title = forms.CharField(label=_("Titre du document"), max_length=200)
    file = forms.FileField(
        label=_("Fichier"), help_text=_("PDF, image, document Word, Excel ou OpenDocument.")
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_upload(upload, kinds=DOCUMENT_KINDS)
        return upload


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Motif du retrait"), max_length=300)


class JoinRequestForm(SubmittedOnce, forms.Form):
    need = forms.CharField(
        label=_("Votre besoin"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Quantités, calendrier, contraintes : ce qui aide l'équipe à traiter la demande."
        ),
    )


class JoinDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[(JoinStatus.ACCEPTED, _("Accepter")), (JoinStatus.REFUSED, _("Refuser"))],
    )
    note = forms.CharField(
        label=_("Message à la commune"), widget=forms.Textarea(attrs={"rows": 2})
    )


class CampaignForm(SubmittedOnce, forms.Form):
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    description = forms.CharField(
        label=_("Présentation"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    deadline = BusinessDateField(
        label=_("Date limite de réponse"),
        widget=DATE,
        help_text=_("Les réponses sont reçues jusqu'à 23 h 59 ce jour-là."),
    )

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise forms.ValidationError(_("La date limite est déjà passée."))
        return deadline


class CampaignItemForm(forms.Form):
    label = forms.CharField(label=_("Article"), max_length=200, required=False)
    unit = forms.CharField(label=_("Unité"), max_length=50, required=False)
    constraints = forms.CharField(label=_("Contraintes"), max_length=500, required=False)

    def clean(self):
        data = super().clean()
        if data.get("label") and not data.get("unit"):
            self.add_error(
                "unit", _("Précisez l'unité de « %(label)s ».") % {"label": data["label"]}
            )
        return data


CampaignItemFormSet = formset_factory(CampaignItemForm, extra=6, max_num=40)


class AnswerForm(forms.Form):
    """One quantity (and an optional remark) per item of the campaign."""

    comment = forms.CharField(
        label=_("Commentaire pour l'équipe"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, items, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            line = lines.get(item.pk)
            help_text = f"{item.unit}" + (f" — {item.constraints}" if item.constraints else "")
            self.fields[f"q_{item.pk}"] = forms.IntegerField(
                label=item.label,
                min_value=0,
                max_value=100000,
                initial=line.quantity if line else 0,
                help_text=help_text,
            )
            self.fields[f"r_{item.pk}"] = forms.CharField(
                label=_("Précision sur « %(label)s »") % {"label": item.label},
                required=False,
                max_length=300,
                initial=line.remark if line else "",
            )

    def quantity_fields(self):
        return [(self[f"q_{i.pk}"], self[f"r_{i.pk}"]) for i in self.items]


class RoadmapItemForm(SubmittedOnce, forms.ModelForm):
    class Meta:
        model = RoadmapItem
        fields = ["year", "label", "category", "estimated_cost", "priority", "measure_id", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def clean_measure_id(self):
        value = self.cleaned_data["measure_id"].strip().upper()
        titles = measure_titles()
        if value and titles and value not in titles:
            raise forms.ValidationError(
                _("La mesure %(id)s n'existe pas dans le référentiel du diagnostic.")
                % {"id": value}
            )
        return value


class RoadmapStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Nouvel état"), choices=RoadmapStatus.choices)
    reason = forms.CharField(label=_("Motif"), max_length=300, required=False)


class ContractForm(SubmittedOnce, forms.ModelForm):
    class Meta:
        field_classes = {"end_date": BusinessDateField, "start_date": BusinessDateField}
        model = Contract
        fields = [
            "subject",
            "supplier",
            "reference",
            "start_date",
            "end_date",
            "notice_months",
            "amount",
            "amount_basis",
            "renewal",
            "renewal_months",
            "max_renewals",
            "notes",
        ]
        widgets = {"start_date": DATE, "end_date": DATE, "notes": forms.Textarea(attrs={"rows": 2})}

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("L'échéance précède le début du contrat."))
        if data.get("renewal") == "tacit" and not data.get("renewal_months"):
            self.add_error(
                "renewal_months", _("Indiquez la durée d'une reconduction tacite (en mois).")
            )
        return data


class TerminateForm(forms.Form):
    on = BusinessDateField(label=_("Terminé le"), widget=DATE)
    reason = forms.CharField(label=_("Motif"), max_length=300)
