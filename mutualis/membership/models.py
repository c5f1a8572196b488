"""A commune's membership of one offer of a programme, and every step it went through."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mutualis.membership.enums import IN_OFFER, OPEN, Status
from mutualis.programme.models import Programme
from mutualis.territory.models import Commune


class MembershipQuerySet(models.QuerySet):
    def open(self) -> "MembershipQuerySet":
        return self.filter(status__in=OPEN)

    def in_offer(self) -> "MembershipQuerySet":
        return self.filter(status__in=IN_OFFER)

    def headline_by_commune(self, programme: Programme) -> dict[int, "Membership"]:
        """Each commune's most advanced open membership (advanced offer over base), one query."""
        best: dict[int, Membership] = {}
        for membership in self.filter(programme=programme).open().order_by("created_at"):
            current = best.get(membership.commune_id)
            if current is None or (
                current.offer_code == "base" and membership.offer_code != "base"
            ):
                best[membership.commune_id] = membership
        return best


class Membership(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="memberships")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="memberships")
    offer_code = models.CharField(_("offre"), max_length=50)
    status = models.CharField(_("état"), max_length=20, choices=Status.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_on = models.DateField(_("candidature le"), null=True, blank=True)
    start_date = models.DateField(_("début de l'adhésion"), null=True, blank=True)
    exit_requested_on = models.DateField(_("sortie demandée le"), null=True, blank=True)
    effective_exit = models.DateField(_("sortie effective le"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("adhésion")
        verbose_name_plural = _("adhésions")
        # headline_by_commune looks up a page of communes within one programme: without this
        # index SQLite walks the programme's index (every membership of France) and sorts.
        indexes = [models.Index(fields=["commune", "programme"], name="membership_commune_prog")]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "commune", "offer_code"],
                condition=models.Q(status__in=list(OPEN)),
                name="one_open_membership_per_offer",
            )
        ]

    def __str__(self) -> str:
        return f"{self.commune} — {self.offer_code} — {self.get_status_display()}"

    def offer_name(self) -> str:
        try:
            return self.programme.spec.offer(self.offer_code).name
        except KeyError:
            return self.offer_code


class Transition(models.Model):
    """One step of a membership: from, to, who, when, why. Never edited or deleted."""

    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("motif"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("étape d'adhésion")
        verbose_name_plural = _("étapes d'adhésion")

    def __str__(self) -> str:
        return f"{self.membership_id}: {self.from_status} → {self.to_status}"
