"""Users, their intercommunal role, and the roles they hold in communes."""

import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mutualis.accounts.enums import CommuneRoleKind, StaffRole
from mutualis.core.collation import french
from mutualis.territory.models import Commune


class User(AbstractUser):
    staff_role = models.CharField(
        _("rôle intercommunal"), max_length=20, choices=StaffRole.choices, blank=True
    )
    pseudonymised_at = models.DateTimeField(_("pseudonymisé le"), null=True, blank=True)
    # ProConnect: the identity's subject, the SIRET of the organisation it vouches for, last use.
    proconnect_sub = models.CharField(_("identifiant ProConnect"), max_length=255, blank=True)
    siret = models.CharField(_("SIRET de l'organisation"), max_length=14, blank=True)
    proconnect_seen_at = models.DateTimeField(
        _("dernière connexion ProConnect"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_coordinator(self) -> bool:
        return self.staff_role == StaffRole.COORDINATOR

    def has_any_role(self) -> bool:
        """An intercommunal role or an active commune role: what lets a person in."""
        return bool(self.staff_role) or bool(self.active_commune_roles())

    def proconnect_is_stale(self, *, days: int, now=None) -> bool:
        """A ProConnect identity unused for `days`: its organisation may have closed it."""
        if not self.proconnect_sub or self.proconnect_seen_at is None:
            return False
        return self.proconnect_seen_at < (now or timezone.now()) - timedelta(days=days)

    def active_commune_roles(self) -> list["CommuneRole"]:
        """Cached per request object: navigation and permission checks ask for it repeatedly."""
        cached = getattr(self, "_commune_roles_cache", None)
        if cached is None:
            # Through the reverse manager: each role's `user` is this very object.
            roles = self.commune_roles.active()
            # Intercommunal staff seldom hold a commune role as well: a plain existence check
            # spares them the join and the French ordering on every page (about 1 ms a request).
            if self.staff_role and not roles.exists():
                cached = []
            else:
                cached = list(
                    roles.select_related("commune").order_by(french("commune__name"), "role")
                )
            self._commune_roles_cache = cached
        return cached

    def _programme_assignments(self) -> list:
        """This staff member's assignments, each with its programme and the EPCIs of its
        territory (`epci_ids`, comma-separated, None without territory), in one query, once per
        user object: the header's programme selector and the rules on communes both ask on every
        page."""
        cached = getattr(self, "_assignments_cache", None)
        if cached is None:
            cached = list(
                self.programme_assignments.select_related("programme")
                .annotate(
                    epci_ids=models.StringAgg(
                        Cast("programme__epcis", models.CharField()), models.Value(",")
                    )
                )
                .order_by()
            )
            self._assignments_cache = cached
        return cached

    def programme_assignment_rows(self) -> list[tuple[int, int | None]]:
        """(programme, EPCI of its territory) for each programme this staff member is assigned to
        (EPCI None for a programme without territory)."""
        return [
            (assignment.programme_id, int(epci) if epci else None)
            for assignment in self._programme_assignments()
            for epci in (assignment.epci_ids or "").split(",")
        ]

    def assigned_programmes(self) -> list:
        """The programmes this staff member is assigned to, read with their territories (above)."""
        return [assignment.programme for assignment in self._programme_assignments()]

    def roles_in(self, commune_id: int) -> set[str]:
        return {r.role for r in self.active_commune_roles() if r.commune_id == commune_id}

    def communes(self) -> list[Commune]:
        seen: dict[int, Commune] = {}
        for role in self.active_commune_roles():
            seen.setdefault(role.commune_id, role.commune)
        return list(seen.values())


def stale_proconnect_users(*, days: int, now=None):
    """Active accounts whose ProConnect identity has not signed in for `days` (see
    `User.proconnect_is_stale`): the organisation may have closed it, the person may have left."""
    threshold = (now or timezone.now()) - timedelta(days=days)
    return (
        User.objects.filter(is_active=True, proconnect_seen_at__lt=threshold)
        .exclude(proconnect_sub="")
        .order_by("proconnect_seen_at")
    )


class CommuneRoleQuerySet(models.QuerySet):
    def active(self) -> "CommuneRoleQuerySet":
        return self.filter(ended_at__isnull=True)


class CommuneRole(models.Model):
    """A user's role in one commune. Ended, never deleted: councils change, history stays."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="commune_roles")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="user_roles")
    role = models.CharField(_("rôle"), max_length=20, choices=CommuneRoleKind.choices)
    granted_at = models.DateTimeField(_("attribué le"), default=timezone.now)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(_("retiré le"), null=True, blank=True)
    ended_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    end_reason = models.CharField(_("motif du retrait"), max_length=300, blank=True)

    objects = CommuneRoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("rôle communal")
        verbose_name_plural = _("rôles communaux")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "commune", "role"],
                condition=models.Q(ended_at__isnull=True),
                name="one_active_role_per_user_commune",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.commune}"


def _token() -> str:
    return secrets.token_urlsafe(32)


def _in_a_week():
    return timezone.now() + timedelta(days=7)


class Invitation(models.Model):
    """An emailed invitation to create an account with one role (staff or in one commune)."""

    email = models.EmailField(_("adresse électronique"))
    staff_role = models.CharField(
        _("rôle intercommunal"), max_length=20, choices=StaffRole.choices, blank=True
    )
    commune = models.ForeignKey(Commune, null=True, blank=True, on_delete=models.PROTECT)
    commune_role = models.CharField(
        _("rôle communal"), max_length=20, choices=CommuneRoleKind.choices, blank=True
    )
    token = models.CharField(max_length=64, unique=True, default=_token)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=_in_a_week)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return self.email

    def is_usable(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()

    def role_label(self) -> str:
        if self.staff_role:
            return str(self.get_staff_role_display())
        return f"{self.get_commune_role_display()} — {self.commune}"


class ApiTokenQuerySet(models.QuerySet):
    def usable(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True, user__is_active=True)

    def user_for_key(self, key: str) -> "User | None":
        """The user of the usable token with this key, its use stamped; None for any other key."""
        token = self.usable().select_related("user").filter(key_hash=self.model.hash(key)).first()
        if token is None:
            return None
        self.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token.user


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(_("nom"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("jeton d'API")
        verbose_name_plural = _("jetons d'API")

    def __str__(self) -> str:
        return f"{self.user} — {self.name}"

    @staticmethod
    def hash(key: str) -> str:
        import hashlib

        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, *, user: User, name: str) -> tuple["ApiToken", str]:
        key = "mut_" + secrets.token_urlsafe(32)
        return cls.objects.create(user=user, name=name, key_hash=cls.hash(key)), key


class AccessRequestQuerySet(models.QuerySet):
    def pending(self) -> "AccessRequestQuerySet":
        return self.filter(granted_at__isnull=True)


class AccessRequest(models.Model):
    """Someone ProConnect vouches for who holds no role here yet: a coordinator, or the manager of
    the commune the SIRET points to, grants one (the provider alone never does)."""

    email = models.EmailField(_("adresse électronique"), unique=True)
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    siret = models.CharField(_("SIRET de l'organisation"), max_length=14, blank=True)
    proconnect_sub = models.CharField(_("identifiant ProConnect"), max_length=255)
    # The commune whose SIREN is the SIRET's first 9 digits, if any.
    commune = models.ForeignKey(
        Commune, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A known account that holds no role.
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    first_seen_at = models.DateTimeField(_("première demande"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("dernière demande"), default=timezone.now)
    granted_at = models.DateTimeField(_("rôle attribué le"), null=True, blank=True)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = AccessRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-last_seen_at"]
        verbose_name = _("demande d'accès ProConnect")
        verbose_name_plural = _("demandes d'accès ProConnect")

    def __str__(self) -> str:
        return " ".join(n for n in (self.first_name, self.last_name) if n) or self.email
