"""States and kinds of contribution records, with their French labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CallStatus(models.TextChoices):
    ISSUED = "issued", _("Émis")
    CANCELLED = "cancelled", _("Annulé")


class CreditNoteKind(models.TextChoices):
    CANCELLATION = "cancellation", _("Annulation de l'appel")
    EXIT = "exit", _("Sortie : période écourtée")


class PaymentSource(models.TextChoices):
    MANUAL = "manual", _("Saisie du service financier")
    STATEMENT = "statement", _("Relevé du comptable public")


class DayStatus(models.TextChoices):
    SUBMITTED = "submitted", _("À valider")
    VALIDATED = "validated", _("Validé")
    REJECTED = "rejected", _("Refusé")
