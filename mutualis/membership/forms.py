"""Forms of the membership pages: deliberations, lifecycle steps, uploads and time logs."""

from datetime import date
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mutualis.membership.models import Deliberation


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _date(label, required=True, help_text=""):
    return forms.DateField(label=label, required=required, widget=DateInput(), help_text=help_text)


def _reason(label=None, required=False, help_text=""):
    return forms.CharField(
        label=label or _("Motif"),
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class PdfField(forms.FileField):
    """A PDF upload: checked by its content (it must start like a PDF), not by its name."""

    def clean(self, data, initial=None):
        data = super().clean(data, initial)
        if not data:
            return data
        if data.size > settings.MUTUALIS_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Le fichier « %(name)s » dépasse la taille maximale (%(max)s Mo)."),
                params={"name": data.name, "max": settings.MUTUALIS_MAX_UPLOAD_BYTES // 2**20},
            )
        head = data.read(1024)
        data.seek(0)
        if b"%PDF-" not in head:
            raise forms.ValidationError(
                _("Le fichier « %(name)s » n'est pas un PDF (son contenu n'en a pas l'en-tête)."),
                params={"name": data.name},
            )
        return data


def _names(text: str) -> list[str]:
    return [line.strip(" -–•\t") for line in (text or "").splitlines() if line.strip(" -–•\t")]


class DeliberationForm(forms.Form):
    """A deliberation as its document states it; lists are one name per line."""

    purpose = forms.ChoiceField(
        label=_("Objet pour le programme"), choices=Deliberation.Purpose.choices
    )
    number = forms.CharField(label=_("Numéro"), max_length=50)
    subject = forms.CharField(label=_("Objet de la délibération"), max_length=300)
    session_date = _date(_("Date de la séance"))
    convocation_date = _date(_("Date de convocation"), required=False)
    second_convocation = forms.BooleanField(
        label=_("Réunion sur seconde convocation (quorum non exigé)"), required=False
    )
    president = forms.CharField(label=_("Président de séance"), max_length=200, required=False)
    secretary = forms.CharField(label=_("Secrétaire de séance"), max_length=200, required=False)
    members_in_office = forms.IntegerField(
        label=_("Membres en exercice"), min_value=1, max_value=200, required=False
    )
    present = forms.CharField(
        label=_("Membres présents"),
        required=False,
        help_text=_("Un nom par ligne."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    present_count = forms.IntegerField(
        label=_("Nombre de présents annoncé"), min_value=0, max_value=200, required=False
    )
    represented = forms.CharField(
        label=_("Membres représentés"),
        required=False,
        help_text=_("Une procuration par ligne : « membre représenté ; mandataire »."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    represented_count = forms.IntegerField(
        label=_("Nombre de procurations annoncé"), min_value=0, max_value=200, required=False
    )
    absent = forms.CharField(
        label=_("Membres absents"),
        required=False,
        help_text=_("Un nom par ligne."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    voters = forms.IntegerField(label=_("Votants"), min_value=0, max_value=200, required=False)
    expressed = forms.IntegerField(
        label=_("Suffrages exprimés"), min_value=0, max_value=200, required=False
    )
    votes_for = forms.IntegerField(label=_("Pour"), min_value=0, max_value=200, required=False)
    votes_against = forms.IntegerField(
        label=_("Contre"), min_value=0, max_value=200, required=False
    )
    votes_abstention = forms.IntegerField(
        label=_("Abstentions"), min_value=0, max_value=200, required=False
    )
    unanimous = forms.BooleanField(label=_("Adoptée à l'unanimité"), required=False)
    decisions = forms.CharField(
        label=_("Décisions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    publication_date = _date(_("Date de publication"), required=False)
    prefecture_sent_on = _date(_("Transmise en préfecture le"), required=False)
    prefecture_ack_number = forms.CharField(
        label=_("Numéro d'accusé de réception de la préfecture"), max_length=100, required=False
    )
    enforceable_on = _date(_("Exécutoire le"), required=False)
    pdf = PdfField(
        label=_("Délibération signée (PDF)"),
        required=False,
        help_text=_("Le fichier n'est visible que par la commune et l'équipe intercommunale."),
    )

    def clean_present(self):
        return _names(self.cleaned_data["present"])

    def clean_absent(self):
        return _names(self.cleaned_data["absent"])

    def clean_represented(self):
        pairs = []
        for number, line in enumerate(_names(self.cleaned_data["represented"]), start=1):
            member, sep, holder = line.partition(";")
            if not sep or not member.strip() or not holder.strip():
                raise forms.ValidationError(
                    _(
                        "Ligne %(n)s : écrivez « membre représenté ; mandataire » (lu : « %(line)s »)."
                    ),
                    params={"n": number, "line": line},
                )
            pairs.append({"member": member.strip(), "proxy_holder": holder.strip()})
        return pairs

    def clean(self):
        data = super().clean()
        session = data.get("session_date")
        if session:
            if session > timezone.localdate():
                self.add_error("session_date", _("La séance ne peut pas être dans le futur."))
            convocation = data.get("convocation_date")
            if convocation and convocation > session:
                self.add_error(
                    "convocation_date", _("La convocation ne peut pas suivre la séance.")
                )
            for name in ("publication_date", "prefecture_sent_on", "enforceable_on"):
                if data.get(name) and data[name] < session:
                    self.add_error(name, _("Cette date ne peut pas précéder la séance."))
        return data

    def model_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("pdf", None)
        return data


class ApplyForm(forms.Form):
    offer_code = forms.ChoiceField(label=_("Offre demandée"))
    deliberation = forms.ModelChoiceField(
        label=_("Délibération qui autorise la candidature"),
        queryset=Deliberation.objects.none(),
        required=False,
        empty_label=_("(aucune pour l'instant)"),
    )
    reason = _reason(_("Message à l'équipe intercommunale"))

    def __init__(self, *args, offers, deliberations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer_code"].choices = [(o.code, o.name) for o in offers]
        self.fields["deliberation"].queryset = deliberations


class JoinBaseForm(forms.Form):
    on = _date(_("Date d'adhésion"), help_text=_("La date de la délibération, en général."))
    deliberation = forms.ModelChoiceField(
        label=_("Délibération qui autorise l'adhésion"),
        queryset=Deliberation.objects.none(),
        required=False,
        empty_label=_("(aucune pour l'instant)"),
    )
    reason = _reason()

    def __init__(self, *args, deliberations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deliberation"].queryset = deliberations


class ReasonForm(forms.Form):
    reason = _reason()


class AdmitForm(forms.Form):
    reason = _reason(
        help_text=_("Obligatoire si la commune n'est pas en tête de la file : il est conservé.")
    )


class MoveInQueueForm(forms.Form):
    position = forms.IntegerField(label=_("Nouveau rang dans la file"), min_value=1, max_value=999)
    reason = _reason(required=True, help_text=_("Le motif est conservé dans l'historique."))


class IssueConventionForm(forms.Form):
    planned_start = _date(
        _("Date de début écrite sur la convention"),
        required=False,
        help_text=_("Laissez vide : le premier jour du mois suivant la signature."),
    )
    reason = _reason()


class SignForm(forms.Form):
    signed_on = _date(_("Date de signature"))
    signed_pdf = PdfField(label=_("Exemplaire signé (PDF)"))


class AmendmentForm(forms.Form):
    subject = _reason(_("Objet de l'avenant"), required=True)


class ExitForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Je confirme la demande de sortie aux conditions indiquées ci-dessus."),
        required=True,
    )
    deliberation = forms.ModelChoiceField(
        label=_("Délibération qui décide la sortie"),
        queryset=Deliberation.objects.none(),
        required=False,
        empty_label=_("(aucune pour l'instant)"),
    )
    reason = _reason()

    def __init__(self, *args, deliberations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deliberation"].queryset = deliberations


class TimeLogForm(forms.Form):
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=None)
    on = _date(_("Date"))
    days = forms.DecimalField(
        label=_("Jours passés"),
        min_value=Decimal("0.25"),
        max_value=Decimal("31"),
        decimal_places=2,
        help_text=_("Par exemple 0,5 pour une demi-journée."),
    )
    note = forms.CharField(label=_("Objet"), max_length=300, required=False)

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes
        self.fields["days"].localize = True
        self.fields["days"].widget.is_localized = True

    def clean_on(self):
        on: date = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise forms.ValidationError(_("La date ne peut pas être dans le futur."))
        return on
