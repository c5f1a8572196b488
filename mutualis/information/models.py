"""Posts (news, alerts, watch, studies), acknowledgements, watch feeds, the document library,
experience-sharing threads, and each person's mail preferences.

Who may read what is decided in one place: `Reader` (what a person is: author, staff, or the
communes, roles and offers they hold) and the `readable_by` QuerySet methods built on it. Lists,
details, search, the digest, alert emails and the API all go through them, so they cannot disagree.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mutualis.accounts import perms
from mutualis.accounts.enums import CommuneRoleKind
from mutualis.core.collation import french
from mutualis.information import perms as information_perms
from mutualis.information.enums import (
    AudienceKind,
    Category,
    DocumentKind,
    PostStatus,
    Severity,
)
from mutualis.membership.models import Membership
from mutualis.programme.models import Programme
from mutualis.programme.selection import in_visible_programmes, of_programme
from mutualis.territory.models import Commune

ROLE_FIELDS = {
    CommuneRoleKind.MANAGER: "to_managers",
    CommuneRoleKind.AGENT: "to_agents",
    CommuneRoleKind.IT_AGENT: "to_it_agents",
}


# --- Who is reading -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Grant:
    """One commune a person acts for: their roles there, and the offers the commune is in."""

    commune_id: int
    roles: frozenset[str]
    offers: frozenset[str]


@dataclass(frozen=True)
class Reader:
    user_id: int | None
    is_author: bool  # coordinators and the referent write posts and see drafts
    is_staff: bool  # every intercommunal role reads what is published
    grants: tuple[Grant, ...]
    # Staff assigned to programmes see only what concerns their territories (None: every one).
    staff_epcis: frozenset | None = None

    @classmethod
    def of(cls, user) -> "Reader":
        """Resolved once per user object (three queries at most), then cached on it."""
        cached = getattr(user, "_information_reader", None)
        if cached is not None:
            return cached
        if not perms.is_signed_in(user):
            return cls(None, False, False, ())
        grants: tuple[Grant, ...] = ()
        roles = user.active_commune_roles()
        if roles:
            by_commune: dict[int, set[str]] = {}
            for role in roles:
                by_commune.setdefault(role.commune_id, set()).add(role.role)
            offers = offers_by_commune(list(by_commune))
            grants = tuple(
                Grant(pk, frozenset(r), frozenset(offers.get(pk, ())))
                for pk, r in by_commune.items()
            )
        reader = cls(
            user.pk,
            information_perms.can_publish_information(user),
            perms.is_staff_member(user),
            grants,
            perms.staff_epci_ids(user) if perms.is_staff_member(user) else None,
        )
        user._information_reader = reader
        return reader

    def grant_for(self, commune_id: int) -> Grant | None:
        return next((g for g in self.grants if g.commune_id == commune_id), None)


def _included_offers() -> dict[str, set[str]]:
    """Offer code -> the offers it includes (an advanced offer includes the base offer), as the
    opened programmes' files say (a renewed programme keeps its offers' codes)."""
    included: dict[str, set[str]] = {}
    for programme in Programme.objects.opened():
        for offer in programme.spec.offers:
            included.setdefault(offer.code, set()).update(offer.includes)
    return included


def offers_by_commune(commune_ids: list[int]) -> dict[int, set[str]]:
    """The offers each commune is in (IN_OFFER memberships), with the offers they include."""
    includes = _included_offers()
    result: dict[int, set[str]] = {}
    for commune_id, code in (
        Membership.objects.in_offer()
        .filter(commune_id__in=commune_ids)
        .values_list("commune_id", "offer_code")
    ):
        result.setdefault(commune_id, set()).update({code, *includes.get(code, ())})
    return result


def offers_granting(code: str) -> set[str]:
    """The memberships that put a commune in the audience of offer `code`."""
    return {code} | {other for other, inc in _included_offers().items() if code in inc}


# --- Audiences ----------------------------------------------------------------------------------


class Audience(models.Model):
    """To whom something is addressed: every member commune, one offer or a list; some roles;
    within the programme it belongs to, or the whole instance."""

    # The programme it belongs to; empty: for the whole instance.
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Vide : pour toute l'instance, tous programmes confondus."),
    )
    audience = models.CharField(
        _("destinataires"), max_length=10, choices=AudienceKind.choices, default=AudienceKind.ALL
    )
    audience_offer = models.CharField(_("offre"), max_length=50, blank=True)
    audience_communes = models.ManyToManyField(
        Commune, verbose_name=_("communes"), blank=True, related_name="+"
    )
    to_managers = models.BooleanField(_("responsables communaux"), default=True)
    to_agents = models.BooleanField(_("agents communaux"), default=True)
    to_it_agents = models.BooleanField(_("agents des DSI communales"), default=True)

    class Meta:
        abstract = True

    def role_labels(self) -> list[str]:
        return [
            str(CommuneRoleKind(role).label)
            for role, field in ROLE_FIELDS.items()
            if getattr(self, field)
        ]

    def audience_offer_name(self) -> str:
        """The addressed offer's name from the programme file (its code if the file dropped it)."""
        for programme in Programme.objects.opened().order_by("-start"):
            for offer in programme.spec.offers:
                if offer.code == self.audience_offer:
                    return offer.name
        return self.audience_offer

    def addressed_communes(self) -> models.QuerySet:
        """The communes this is addressed to (any of whose people with the roles may read it):
        within its programme's territory when it belongs to one."""
        communes = self._addressed_communes()
        if self.programme_id is not None:
            communes = communes.filter(epci__programmes=self.programme_id)
        return communes

    def _addressed_communes(self) -> models.QuerySet:
        in_offer = Membership.objects.in_offer().filter(commune=OuterRef("pk"))
        if self.audience == AudienceKind.ALL:
            return Commune.objects.filter(Exists(in_offer))
        if self.audience == AudienceKind.OFFER:
            granting = offers_granting(self.audience_offer)
            return Commune.objects.filter(Exists(in_offer.filter(offer_code__in=granting)))
        if self.audience == AudienceKind.ADVANCED:
            advanced = information_perms.advanced_offer_codes()
            return Commune.objects.filter(Exists(in_offer.filter(offer_code__in=advanced)))
        return self.audience_communes.all()


class AudienceQuerySet(models.QuerySet):
    def _grant_q(self, grant: Grant) -> Q:
        """What one commune's person with these roles is addressed (audience and roles)."""
        role_q = Q()
        fields = [field for role, field in ROLE_FIELDS.items() if role in grant.roles]
        if not fields:
            return Q(pk__in=[])
        role_q = Q(**{fields[0]: True})
        for field in fields[1:]:
            role_q |= Q(**{field: True})
        through = self.model.audience_communes.through
        owner = self.model._meta.model_name
        listed = through.objects.filter(commune_id=grant.commune_id).values(f"{owner}_id")
        kind_q = Q(audience=AudienceKind.COMMUNES, pk__in=listed)
        if grant.offers:
            kind_q |= Q(audience=AudienceKind.ALL) | Q(
                audience=AudienceKind.OFFER, audience_offer__in=sorted(grant.offers)
            )
        if grant.offers & information_perms.advanced_offer_codes():
            kind_q |= Q(audience=AudienceKind.ADVANCED)
        return role_q & kind_q

    def served_by(self, reader: "Reader") -> models.QuerySet:
        """For staff assigned to programmes: all but what is addressed to a list of communes none
        of which is in their territories."""
        if reader.staff_epcis is None:
            return self.all()
        through = self.model.audience_communes.through
        owner = self.model._meta.model_name
        listed = through.objects.filter(commune__epci_id__in=reader.staff_epcis)
        return self.filter(
            ~Q(audience=AudienceKind.COMMUNES) | Q(pk__in=listed.values(f"{owner}_id"))
        )

    def for_programme(self, programme: Programme | None) -> models.QuerySet:
        """What a page about `programme` lists: its own, and what is for the whole instance."""
        return of_programme(self, programme, instance_wide=True)

    def addressed_to_grants(self, grants) -> models.QuerySet:
        if not grants:
            return self.none()
        condition = self._grant_q(grants[0])
        for grant in grants[1:]:
            condition |= self._grant_q(grant)
        return self.filter(condition)


# --- Posts --------------------------------------------------------------------------------------


class Feed(models.Model):
    """A watch feed (RSS or Atom) a coordinator follows; its entries become draft watch posts."""

    name = models.CharField(_("nom"), max_length=200)
    url = models.URLField(_("adresse du flux"), max_length=500, blank=True)
    category = models.CharField(
        _("rubrique des publications"),
        max_length=20,
        choices=Category.choices,
        default=Category.TECH_WATCH,
    )
    is_active = models.BooleanField(_("relevé automatiquement"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_fetched_at = models.DateTimeField(_("dernier relevé"), null=True, blank=True)
    last_result = models.CharField(_("résultat du dernier relevé"), max_length=500, blank=True)

    class Meta:
        ordering = [french("name")]
        verbose_name = _("flux de veille")
        verbose_name_plural = _("flux de veille")

    def __str__(self) -> str:
        return self.name


class PostQuerySet(AudienceQuerySet):
    def current(self) -> "PostQuerySet":
        """Published, its publication date reached, not expired."""
        now = timezone.now()
        return self.filter(status=PostStatus.PUBLISHED, publish_at__lte=now).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )

    def readable_by(self, user) -> "PostQuerySet":
        """THE audience rule for posts, among those of the programmes the person may see and
        those for the whole instance: authors see every post, drafts included; other staff
        what is current; a commune's people what is current and addressed to one of their
        communes (audience) and to their role there."""
        reader = Reader.of(user)
        posts = in_visible_programmes(self, user, instance_wide=True)
        if reader.is_author:
            return posts.served_by(reader)
        if reader.is_staff:
            return posts.current().served_by(reader)
        return posts.current().addressed_to_grants(reader.grants)

    def needing_acknowledgement(self) -> "PostQuerySet":
        return self.filter(category=Category.ALERT, severity=Severity.CRITICAL)


class Post(Audience):
    title = models.CharField(_("titre"), max_length=300)
    category = models.CharField(_("rubrique"), max_length=20, choices=Category.choices)
    severity = models.CharField(_("gravité"), max_length=10, choices=Severity.choices, blank=True)
    body = models.TextField(_("texte (Markdown)"), blank=True)
    body_html = models.TextField(editable=False, blank=True)
    status = models.CharField(
        _("état"), max_length=10, choices=PostStatus.choices, default=PostStatus.DRAFT
    )
    publish_at = models.DateTimeField(_("date de publication"), default=timezone.now)
    expires_at = models.DateTimeField(_("date d'expiration"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    alert_emailed_at = models.DateTimeField(null=True, blank=True)
    # Watch items imported from a feed: where they come from, and their identity for dedup.
    feed = models.ForeignKey(
        Feed, null=True, blank=True, on_delete=models.PROTECT, related_name="posts"
    )
    source_key = models.CharField(max_length=64, blank=True)
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    thread = models.ForeignKey(
        "Thread", null=True, blank=True, on_delete=models.PROTECT, related_name="studies"
    )
    search_text = models.TextField(editable=False, blank=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-id"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        constraints = [
            models.UniqueConstraint(
                fields=["source_key"], condition=~Q(source_key=""), name="one_post_per_feed_entry"
            )
        ]
        indexes = [models.Index(fields=["status", "publish_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("information:post", args=[self.pk])

    @property
    def needs_acknowledgement(self) -> bool:
        return self.category == Category.ALERT and self.severity == Severity.CRITICAL

    def is_current(self) -> bool:
        now = timezone.now()
        return (
            self.status == PostStatus.PUBLISHED
            and self.publish_at <= now
            and (self.expires_at is None or self.expires_at > now)
        )


class StoredFile(models.Model):
    """A file stored under a random name (see uploads.py); its original name is only a label."""

    file = models.CharField(max_length=300, editable=False)
    original_name = models.CharField(_("nom du fichier"), max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField(_("taille"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name


class PostAttachment(StoredFile):
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="attachments")

    class Meta:
        ordering = ["id"]
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")


class Acknowledgement(models.Model):
    """A commune has read a critical alert: one per commune, by any of its people."""

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="acknowledgements")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        ordering = ["at"]
        verbose_name = _("accusé de lecture")
        verbose_name_plural = _("accusés de lecture")
        constraints = [
            models.UniqueConstraint(fields=["post", "commune"], name="one_ack_per_commune")
        ]

    def __str__(self) -> str:
        return f"{self.post_id} — {self.commune_id}"


class PostRead(models.Model):
    """A person opened a post: the first time only, so reviews can tell what was read."""

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("lu le"), auto_now_add=True)

    class Meta:
        ordering = ["at"]
        verbose_name = _("lecture")
        verbose_name_plural = _("lectures")
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="one_read_per_person")]

    def __str__(self) -> str:
        return f"{self.post_id} — {self.user_id}"


# --- Documents ----------------------------------------------------------------------------------


class Folder(models.Model):
    """A shelf of the shared library (guides, templates, studies, minutes)."""

    name = models.CharField(_("nom"), max_length=200)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = [french("name")]
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list["Folder"]:
        chain, node, seen = [], self.parent, set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            chain.insert(0, node)
            node = node.parent
        return chain


class DocumentQuerySet(AudienceQuerySet):
    def for_programme(self, programme: Programme | None) -> "DocumentQuerySet":
        """What a library page about `programme` lists: its documents, those for the whole
        instance, and the communes' own documents (which belong to their commune, not to a
        programme)."""
        return self.filter(
            Q(owner_commune__isnull=False) | Q(programme=programme) | Q(programme__isnull=True)
        )

    def readable_by(self, user) -> "DocumentQuerySet":
        """THE audience rule for documents: authors see every document; other staff the shared
        library (of the programmes they may see, and for the whole instance); a commune's people the shared documents addressed to them, and their own
        commune's documents (which no other commune ever sees)."""
        reader = Reader.of(user)
        shared = in_visible_programmes(self, user, instance_wide=True).filter(
            owner_commune__isnull=True
        )
        if reader.is_author:
            if reader.staff_epcis is None:
                return self.all()  # staff serving every programme
            served = Q(owner_commune__epci_id__in=reader.staff_epcis)
            return self.filter(served | Q(pk__in=shared.served_by(reader).values("pk")))
        if reader.is_staff:
            return shared.served_by(reader)
        if not reader.grants:
            return self.none()
        own = Q(owner_commune_id__in=[g.commune_id for g in reader.grants])
        addressed = shared.addressed_to_grants(reader.grants).values("pk")
        return self.filter(own | Q(pk__in=addressed))


class Document(Audience):
    title = models.CharField(_("titre"), max_length=300)
    kind = models.CharField(_("nature"), max_length=20, choices=DocumentKind.choices)
    description = models.TextField(_("description"), blank=True)
    folder = models.ForeignKey(
        Folder,
        verbose_name=_("dossier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    owner_commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune propriétaire"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Un document d'une commune n'est visible que par elle."),
    )
    latest_version = models.ForeignKey(
        "DocumentVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    search_text = models.TextField(editable=False, blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = [french("title")]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("information:document", args=[self.pk])


class DocumentVersion(StoredFile):
    """One uploaded version of a document. A new upload is a new version; old ones are kept."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    note = models.CharField(_("ce qui change"), max_length=300, blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("version de document")
        verbose_name_plural = _("versions de documents")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="one_number_per_document")
        ]


# --- Experience sharing -------------------------------------------------------------------------


class ThreadQuerySet(models.QuerySet):
    def readable_by(self, user) -> "ThreadQuerySet":
        """Threads are shared among all who take part in experience sharing, and the staff, of
        the programme they belong to (another programme's people never see them)."""
        if not information_perms.can_read_experience(user):
            return self.none()
        return in_visible_programmes(self, user)

    def for_programme(self, programme: Programme | None) -> "ThreadQuerySet":
        return of_programme(self, programme)


class Thread(models.Model):
    """A conversation among communes with an IT department and the intercommunal staff."""

    title = models.CharField(_("sujet"), max_length=300)
    # The programme whose communes share it: another programme's people never see it.
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_activity_at = models.DateTimeField(default=timezone.now)
    search_text = models.TextField(editable=False, blank=True)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        ordering = ["-last_activity_at", "-id"]
        verbose_name = _("échange d'expérience")
        verbose_name_plural = _("échanges d'expérience")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("information:thread", args=[self.pk])


class Message(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_commune = models.ForeignKey(
        Commune, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("message (Markdown)"))
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.thread_id} — {self.author_id}"


class MessageAttachment(StoredFile):
    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="attachments")

    class Meta:
        ordering = ["id"]
        verbose_name = _("pièce jointe d'un message")
        verbose_name_plural = _("pièces jointes des messages")


# --- Mail -------------------------------------------------------------------------------------


class MailPreference(models.Model):
    """A person's choice about non-critical mail (digest, ordinary alerts)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="information_mail"
    )
    unsubscribed_at = models.DateTimeField(_("désabonné le"), null=True, blank=True)

    class Meta:
        verbose_name = _("préférence de courriel")
        verbose_name_plural = _("préférences de courriel")

    def __str__(self) -> str:
        return str(self.user)


class DigestSent(models.Model):
    """The weekly digest of one person for one ISO week: at most one, whatever the reruns."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    week = models.CharField(_("semaine"), max_length=8)  # "2025-W07"
    sent_at = models.DateTimeField(default=timezone.now)
    post_count = models.PositiveIntegerField()

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("lettre hebdomadaire envoyée")
        verbose_name_plural = _("lettres hebdomadaires envoyées")
        constraints = [models.UniqueConstraint(fields=["user", "week"], name="one_digest_per_week")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.week}"
