"""Forms of the membership pages: deliberations, lifecycle steps, uploads and time logs."""

from datetime import date
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mutualis.core.submissions import SubmittedOnce
from mutualis.core.validators import validate_business_date
from mutualis.membership.deliberations.pdf import NeedsOcr, UnreadableDocument, read_bytes
from mutualis.membership.deliberations.reader import DeliberationReading
from mutualis.membership.models import Deliberation


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _date(label, required=True, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        help_text=help_text,
        validators=[validate_business_date],
    )


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
        if not head.startswith(b"%PDF-"):  # a PDF starts with its magic number, nowhere else
            raise forms.ValidationError(
                _("Le fichier « %(name)s » n'est pas un PDF (son contenu n'en a pas l'en-tête)."),
                params={"name": data.name},
            )
        return data


def _names(text: str) -> list[str]:
    return [line.strip(" -–•\t") for line in (text or "").splitlines() if line.strip(" -–•\t")]


class DeliberationForm(SubmittedOnce, forms.Form):
    """A deliberation as its document states it; lists are one name per line."""

    purpose = forms.ChoiceField(
        label=_("Objet pour le programme"),
        choices=[("", _("— choisir —")), *Deliberation.Purpose.choices],
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
    # Carried from the reader: whether the document lists the absent members at all ("Absents :
    # néant" is a list), and the token of the PDF it read, kept until the user confirms.
    absent_listed = forms.BooleanField(required=False, widget=forms.HiddenInput)
    upload_token = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    # Or the scanned PDF read by the OCR job (a ScanReading of the commune), kept the same way.
    scan = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

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
        for name in ("pdf", "absent_listed", "upload_token", "scan"):
            data.pop(name, None)
        return data

    def reading(self, commune_name: str) -> DeliberationReading:
        """The confirmed values as a reading, for the legal checks."""
        data = self.cleaned_data
        return DeliberationReading(
            commune=commune_name,
            number=data.get("number") or None,
            session_date=data.get("session_date"),
            convocation_date=data.get("convocation_date"),
            president=data.get("president") or None,
            secretary=data.get("secretary") or None,
            members_in_office=data.get("members_in_office"),
            present=tuple(data.get("present") or ()),
            present_count=data.get("present_count"),
            represented=tuple(
                (pair["member"], pair["proxy_holder"]) for pair in data.get("represented") or ()
            ),
            represented_count=data.get("represented_count"),
            absent=tuple(data.get("absent") or ()),
            voters=data.get("voters"),
            expressed=data.get("expressed"),
            votes_for=data.get("votes_for"),
            votes_against=data.get("votes_against"),
            votes_abstention=data.get("votes_abstention"),
            subject=data.get("subject") or None,
            unanimous=data.get("unanimous") or None,
            second_convocation=bool(data.get("second_convocation")),
            absent_listed=bool(data.get("absent_listed") or data.get("absent")),
        )


def initial_from_reading(reading: DeliberationReading) -> dict:
    """The form's initial values from what the reader read; what it could not read stays empty."""
    values = {
        "number": reading.number,
        "subject": reading.subject,
        "session_date": reading.session_date,
        "convocation_date": reading.convocation_date,
        "second_convocation": reading.second_convocation or None,
        "president": reading.president,
        "secretary": reading.secretary,
        "members_in_office": reading.members_in_office,
        "present": "\n".join(reading.present),
        "present_count": reading.present_count,
        "represented": "\n".join(f"{member} ; {holder}" for member, holder in reading.represented),
        "represented_count": reading.represented_count,
        "absent": "\n".join(reading.absent),
        "voters": reading.voters,
        "expressed": reading.expressed,
        "votes_for": reading.votes_for,
        "votes_against": reading.votes_against,
        "votes_abstention": reading.votes_abstention,
        "unanimous": reading.unanimous,
        "absent_listed": reading.absent_listed or None,
    }
    return {name: value for name, value in values.items() if value not in (None, "")}


class DeliberationUploadForm(forms.Form):
    """A deliberation's document, text or PDF, to fill the form from the reader. A PDF without
    text layer is not read here (`needs_ocr`): OCR takes too long for a web request."""

    needs_ocr = False
    text = ""

    document = forms.FileField(
        label=_("Document de la délibération (texte ou PDF)"),
        allow_empty_file=True,  # refused below, with a message naming the file
        help_text=_(
            "Le document est lu pour préremplir le formulaire ci-dessous ; rien n'est enregistré"
            " avant votre confirmation."
        ),
    )

    def clean_document(self):
        document = self.cleaned_data["document"]
        # Size and emptiness as every upload; the type by content below (the reader's rules: a
        # PDF by its magic number, text in UTF-8, Windows-1252 or Latin-1, nothing binary).
        if document.size == 0:
            raise forms.ValidationError(
                _("Le fichier « %(name)s » est vide."), params={"name": document.name}
            )
        if document.size > settings.MUTUALIS_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Le fichier « %(name)s » dépasse la taille maximale (%(max)s Mo)."),
                params={"name": document.name, "max": settings.MUTUALIS_MAX_UPLOAD_BYTES // 2**20},
            )
        document.seek(0)
        head = document.read(1024)
        self.kind = "pdf" if head.startswith(b"%PDF-") else "txt"
        document.seek(0)
        try:
            self.text = read_bytes(document.read(), document.name, ocr=False)
        except NeedsOcr:
            self.needs_ocr = True
            return document
        except UnreadableDocument as error:
            raise forms.ValidationError(
                _("Le fichier « %(name)s » n'a pas pu être lu : %(problem)s"),
                params={"name": document.name, "problem": str(error)},
            ) from error
        except UnicodeDecodeError as error:
            raise forms.ValidationError(
                _("Le fichier « %(name)s » n'est ni un texte ni un PDF."),
                params={"name": document.name},
            ) from error
        finally:
            document.seek(0)
        if not self.text.strip():
            raise forms.ValidationError(
                _("Le fichier « %(name)s » ne contient aucun texte."),
                params={"name": document.name},
            )
        return document


class ApplyForm(SubmittedOnce, forms.Form):
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


class JoinBaseForm(SubmittedOnce, forms.Form):
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


class AmendmentForm(SubmittedOnce, forms.Form):
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


class TimeLogForm(SubmittedOnce, forms.Form):
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
