from django import forms
from django.utils.translation import gettext_lazy as _

from mutualis.core.forms import BusinessDateField
from mutualis.core.submissions import SubmittedOnce
from mutualis.inventory.models import Asset, BusinessSoftware

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AssetForm(SubmittedOnce, forms.ModelForm):
    class Meta:
        field_classes = {
            "end_of_support": BusinessDateField,
            "purchase_date": BusinessDateField,
            "warranty_end": BusinessDateField,
        }
        model = Asset
        fields = [
            "kind",
            "name",
            "location",
            "owner",
            "operating_system",
            "end_of_support",
            "purchase_date",
            "warranty_end",
            "serial",
            "notes",
        ]
        widgets = {
            "end_of_support": DATE,
            "purchase_date": DATE,
            "warranty_end": DATE,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class RetireForm(forms.Form):
    reason = forms.CharField(label=_("Motif du retrait"), max_length=300)


class ImportForm(SubmittedOnce, forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV de l'inventaire"),
        help_text=_(
            "Colonnes : « type » et « nom », et au choix « lieu », « responsable », "
            "« système d'exploitation », « date d'achat », « fin de garantie », "
            "« numéro de série », « commentaires » ; les exports GLPI/OCS sont reconnus. "
            "Séparateur ; ou ,"
        ),
    )


class SoftwareForm(SubmittedOnce, forms.ModelForm):
    def clean(self):
        data = super().clean()
        duplicate = BusinessSoftware.objects.filter(
            commune=self.instance.commune,
            domain=data.get("domain"),
            software__iexact=data.get("software", ""),
        ).exclude(pk=self.instance.pk)
        if duplicate.exists():
            raise forms.ValidationError(_("Ce logiciel est déjà enregistré pour ce domaine."))
        return data

    class Meta:
        field_classes = {"contract_end": BusinessDateField}
        model = BusinessSoftware
        fields = [
            "domain",
            "software",
            "vendor",
            "version",
            "contract_end",
            "satisfaction",
            "notes",
        ]
        widgets = {"contract_end": DATE, "notes": forms.Textarea(attrs={"rows": 3})}
