"""Forms of the information platform; every message names the field and the problem, in French."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mutualis.core.collation import french
from mutualis.core.submissions import SubmittedOnce, submission_field
from mutualis.core.uploads import validate_upload
from mutualis.information.enums import UPLOAD_KINDS, AudienceKind, Category, PostStatus
from mutualis.information.models import Document, Feed, Folder, Post
from mutualis.programme.models import Programme
from mutualis.territory.models import Commune

MAX_FILES = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files at once, each checked (size, type sniffed from its content)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_FILES:
            raise ValidationError(_("Au plus %(n)s fichiers à la fois.") % {"n": MAX_FILES})
        errors = []
        for upload in files:
            super().clean(upload, initial)
            try:
                validate_upload(upload, kinds=UPLOAD_KINDS)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return files


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _offer_choices(programme: Programme | None) -> list[tuple[str, str]]:
    offers = [(o.code, o.name) for o in programme.spec.offers] if programme else []
    return [("", "—"), *offers]


def _member_communes(programme: Programme | None):
    communes = Commune.objects.active()
    if programme:
        communes = communes.filter(epci__siren__in=programme.spec.programme.epci_sirens)
    return communes.order_by(french("name"))


class AudienceFormMixin:
    """The audience fields shared by posts and documents, checked the same way."""

    def _setup_audience(self, programme: Programme | None, *, whole_instance_allowed=False):
        """`programme`: the page's, to which a new post or document belongs; staff serving the
        whole instance may address it to every programme instead."""
        self._programme = programme
        if whole_instance_allowed:
            self.fields["whole_instance"] = forms.BooleanField(
                label=_("Pour toute l'instance, tous programmes confondus"),
                required=False,
                initial=self.instance.pk is not None and self.instance.programme_id is None,
                help_text=_("Sinon, seulement pour le programme %(programme)s.")
                % {"programme": programme.name if programme else "—"},
            )
        self.fields["audience_offer"] = forms.ChoiceField(
            label=_("Offre (si « les communes d'une offre »)"),
            choices=_offer_choices(programme),
            required=False,
        )
        self.fields["audience_communes"].queryset = _member_communes(programme)
        self.fields["audience_communes"].label = _("Communes (si « une liste de communes »)")
        self.fields["audience_communes"].widget.attrs["size"] = 10
        self.fields["audience_communes"].help_text = _(
            "Ctrl ou Cmd + clic pour en choisir plusieurs."
        )

    def _clean_audience(self, data: dict) -> None:
        if "whole_instance" in self.fields and data.get("whole_instance"):
            self.instance.programme = None
        elif self.instance.pk is None or (
            "whole_instance" in self.fields and self.instance.programme_id is None
        ):
            self.instance.programme = self._programme
        if data.get("audience") == AudienceKind.OFFER and not data.get("audience_offer"):
            self.add_error(
                "audience_offer", _("Choisissez l'offre dont les communes sont destinataires.")
            )
        if data.get("audience") == AudienceKind.COMMUNES and not data.get("audience_communes"):
            self.add_error("audience_communes", _("Choisissez au moins une commune destinataire."))
        if not (data.get("to_managers") or data.get("to_agents") or data.get("to_it_agents")):
            self.add_error(
                "to_managers",
                _("Cochez au moins un rôle destinataire (responsables, agents ou DSI)."),
            )


AUDIENCE_FIELDS = [
    "audience",
    "audience_offer",
    "audience_communes",
    "to_managers",
    "to_agents",
    "to_it_agents",
]


class PostForm(SubmittedOnce, AudienceFormMixin, forms.ModelForm):
    attachments = MultipleFileField(
        label=_("Pièces jointes"),
        help_text=_("PDF, documents bureautiques, images ou texte ; 20 Mo au plus chacun."),
    )

    class Meta:
        model = Post
        fields = [
            "title",
            "category",
            "severity",
            "body",
            *AUDIENCE_FIELDS,
            "publish_at",
            "expires_at",
        ]
        widgets = {
            "publish_at": LocalDateTimeInput(),
            "expires_at": LocalDateTimeInput(),
            "body": forms.Textarea(attrs={"rows": 14}),
        }
        help_texts = {
            "severity": _(
                "Pour une alerte : une alerte critique demande un accusé de lecture à chaque commune."
            ),
            "body": _("Markdown : **gras**, *italique*, listes, liens, tableaux."),
            "publish_at": _("Une date future programme la publication."),
            "expires_at": _("Facultatif : la publication disparaît des listes après cette date."),
        }

    def __init__(
        self, *args, programme: Programme | None = None, whole_instance_allowed=False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self._setup_audience(programme, whole_instance_allowed=whole_instance_allowed)

    def clean(self):
        data = super().clean()
        if data.get("category") == Category.ALERT and not data.get("severity"):
            self.add_error("severity", _("Une alerte de sécurité doit avoir une gravité."))
        publish_at, expires_at = data.get("publish_at"), data.get("expires_at")
        if publish_at and expires_at and expires_at <= publish_at:
            self.add_error(
                "expires_at", _("La date d'expiration doit suivre la date de publication.")
            )
        self._clean_audience(data)
        return data


class StudyForm(AudienceFormMixin, forms.ModelForm):
    """A thread published as a study: its title, edited text and audience."""

    class Meta:
        model = Post
        fields = ["title", "body", *AUDIENCE_FIELDS]
        widgets = {"body": forms.Textarea(attrs={"rows": 16})}

    def __init__(self, *args, programme: Programme | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_audience(programme)

    def clean(self):
        data = super().clean()
        self._clean_audience(data)
        return data


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Motif du retrait"), max_length=500)


class PostFilterForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Rubrique"), choices=[("", _("Toutes")), *Category.choices], required=False
    )


class DraftFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("État"),
        choices=[("", _("Brouillons et programmées")), *PostStatus.choices],
        required=False,
    )
    category = PostFilterForm.base_fields["category"]


class FeedForm(SubmittedOnce, forms.ModelForm):
    class Meta:
        model = Feed
        fields = ["name", "url", "category", "is_active"]
        help_texts = {"url": _("Par exemple https://www.cert.ssi.gouv.fr/alerte/feed/")}


class FeedFileForm(SubmittedOnce, forms.Form):
    feed = forms.ModelChoiceField(label=_("Flux"), queryset=Feed.objects.all())
    file = forms.FileField(label=_("Fichier RSS ou Atom"), help_text=_("2 Mo au plus."))


class DocumentForm(SubmittedOnce, AudienceFormMixin, forms.ModelForm):
    """A shared library document (programme team): its card, audience and first file."""

    file = forms.FileField(label=_("Fichier"), required=False)
    note = forms.CharField(label=_("Note de version"), max_length=300, required=False)

    class Meta:
        model = Document
        fields = ["title", "kind", "folder", "description", *AUDIENCE_FIELDS]

    def __init__(
        self,
        *args,
        require_file: bool = True,
        programme: Programme | None = None,
        whole_instance_allowed=False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self._setup_audience(programme, whole_instance_allowed=whole_instance_allowed)
        self.fields["folder"].queryset = Folder.objects.order_by(french("name"))
        self.fields["file"].required = require_file

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            validate_upload(upload, kinds=UPLOAD_KINDS)
        return upload

    def clean(self):
        data = super().clean()
        self._clean_audience(data)
        return data


class CommuneDocumentForm(SubmittedOnce, forms.ModelForm):
    """A commune's own document: seen by that commune alone."""

    file = forms.FileField(label=_("Fichier"))
    note = forms.CharField(label=_("Note de version"), max_length=300, required=False)

    class Meta:
        model = Document
        fields = ["title", "kind", "description"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            validate_upload(upload, kinds=UPLOAD_KINDS)
        return upload


class VersionForm(SubmittedOnce, forms.Form):
    file = forms.FileField(label=_("Nouvelle version du fichier"))
    note = forms.CharField(label=_("Ce qui change"), max_length=300, required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_upload(upload, kinds=UPLOAD_KINDS)
        return upload


class FolderForm(SubmittedOnce, forms.ModelForm):
    class Meta:
        model = Folder
        fields = ["name", "parent", "description"]


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Sujet"), max_length=300)
    body = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 8}), help_text=_("Markdown.")
    )
    attachments = MultipleFileField(label=_("Pièces jointes"))
    submission = submission_field()


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Votre réponse"), widget=forms.Textarea(attrs={"rows": 6}))
    attachments = MultipleFileField(label=_("Pièces jointes"))
    submission = submission_field()


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Rechercher"), max_length=200, required=False)
