"""Forms of the accounts pages."""

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from mutualis.accounts.enums import CommuneRoleKind, StaffRole
from mutualis.accounts.models import User
from mutualis.core.submissions import SubmittedOnce
from mutualis.territory.models import Commune


class InvitationForm(SubmittedOnce, forms.Form):
    email = forms.EmailField(label=_("Adresse électronique"))
    staff_role = forms.ChoiceField(
        label=_("Rôle intercommunal"), choices=[("", "—"), *StaffRole.choices], required=False
    )
    commune = forms.ModelChoiceField(
        label=_("Commune"), queryset=Commune.objects.none(), required=False, empty_label="—"
    )
    commune_role = forms.ChoiceField(
        label=_("Rôle dans la commune"),
        choices=[("", "—"), *CommuneRoleKind.choices],
        required=False,
    )

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes

    def clean(self):
        data = super().clean()
        staff = bool(data.get("staff_role"))
        commune = bool(data.get("commune") and data.get("commune_role"))
        if staff == commune:
            raise forms.ValidationError(
                _("Choisissez soit un rôle intercommunal, soit une commune et un rôle communal.")
            )
        return data


class CommuneInvitationForm(forms.Form):
    """A commune's manager (or a coordinator) invites a person into that commune."""

    email = forms.EmailField(label=_("Adresse électronique"))
    commune_role = forms.ChoiceField(label=_("Rôle dans la commune"), choices=())

    def __init__(self, *args, roles: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune_role"].choices = [
            (kind.value, kind.label) for kind in CommuneRoleKind if kind.value in roles
        ]


class EndRoleForm(forms.Form):
    reason = forms.CharField(label=_("Motif"), max_length=300)


class AcceptInvitationForm(forms.Form):
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    username = forms.CharField(label=_("Identifiant de connexion"), max_length=150)
    password = forms.CharField(label=_("Mot de passe"), widget=forms.PasswordInput, strip=False)

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Cet identifiant est déjà pris."))
        return username

    def clean(self):
        data = super().clean()
        if data.get("password"):
            validate_password(
                data["password"],
                User(username=data.get("username", ""), first_name=data.get("first_name", "")),
            )
        return data


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code à 6 chiffres de votre application d'authentification"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
