"""States of a commune's membership of one offer, with their French labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    JOINED = "joined", _("Adhérente (socle de base)")
    APPLIED = "applied", _("Candidature déposée")
    QUEUED = "queued", _("En file d'attente")
    ADMITTED = "admitted", _("Admise")
    CONVENTION_ISSUED = "convention_issued", _("Convention émise")
    ACTIVE = "active", _("Convention signée, active")
    EXIT_REQUESTED = "exit_requested", _("Sortie demandée")
    EXITED = "exited", _("Sortie")
    ENDED = "ended", _("Programme terminé")
    WITHDRAWN = "withdrawn", _("Candidature retirée")


# Status labels (lazy, translated when shown), read per row without building the choices each time
# (a model's get_status_display() rebuilds and translates every choice on each call).
STATUS_LABELS = dict(Status.choices)

# A commune counts as "in" an offer (its services, its audience) in these states.
IN_OFFER = frozenset({Status.JOINED, Status.ACTIVE, Status.EXIT_REQUESTED})
# States still open: the membership may move on.
OPEN = frozenset(
    {
        Status.JOINED,
        Status.APPLIED,
        Status.QUEUED,
        Status.ADMITTED,
        Status.CONVENTION_ISSUED,
        Status.ACTIVE,
        Status.EXIT_REQUESTED,
    }
)
# Admitted memberships hold their pool's capacity until they leave.
CAPACITY_HOLDING = frozenset(
    {Status.ADMITTED, Status.CONVENTION_ISSUED, Status.ACTIVE, Status.EXIT_REQUESTED}
)
# An application not yet started: asking to leave withdraws it.
NOT_STARTED = frozenset({Status.APPLIED, Status.QUEUED, Status.ADMITTED, Status.CONVENTION_ISSUED})
