"""Calls for contributions, credit notes, payments, confirmed populations and days in kind.

Money records and issued documents are never edited nor deleted: a call is cancelled by a credit
note (and replaced), a shortened period is credited, and every change writes an audit entry.
"""

from decimal import Decimal
from functools import cache

from django.conf import settings
from django.db import models
from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mutualis.contributions.enums import (
    CallStatus,
    CreditNoteKind,
    DayStatus,
    PaymentSource,
)
from mutualis.membership.models import Membership
from mutualis.programme.models import Programme
from mutualis.territory.models import Commune

MONEY = {"max_digits": 12, "decimal_places": 2}
ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def money(value) -> Decimal:
    """A sum read back from the database, to the cent (SQLite returns computed sums unrounded)."""
    return Decimal(value or 0).quantize(CENT)


def _sum_of(model, field: str, fk: str):
    """A correlated subquery: the sum of `field` of `model` rows pointing at the outer call."""
    total = (
        model.objects.filter(**{fk: OuterRef("pk")})
        .order_by()
        .values(fk)
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(
        Subquery(total, output_field=DecimalField(**MONEY)),
        Value(ZERO, output_field=DecimalField(**MONEY)),
    )


@cache
def _settled() -> dict:
    """What has been credited and paid against each call, as expressions over the outer call.
    Built once: expressions are copied when a query resolves them, never changed in place."""
    return {
        "credited": _sum_of(CreditNote, "amount", "call"),
        "paid": _sum_of(Payment, "amount", "call"),
    }


class CallQuerySet(models.QuerySet):
    def live(self) -> "CallQuerySet":
        return self.filter(status=CallStatus.ISSUED)

    def with_balance(self) -> "CallQuerySet":
        """Each call with `credited`, `paid` and `outstanding` (amount − credited − paid)."""
        return self.annotate(**_settled()).annotate(
            outstanding=models.ExpressionWrapper(
                models.F("amount") - models.F("credited") - models.F("paid"),
                output_field=DecimalField(**MONEY),
            )
        )

    def overdue(self, today) -> "CallQuerySet":
        return self.live().with_balance().filter(due_on__lt=today, outstanding__gt=0)

    def count_overdue(self, today) -> int:
        """`overdue(today).count()` without selecting the balances: the dashboards' counts are
        built on every page view, and this query costs a third less to build."""
        return (
            self.live()
            .filter(due_on__lt=today)
            .alias(**_settled())
            .filter(amount__gt=models.F("credited") + models.F("paid"))
            .count()
        )


class Call(models.Model):
    """A call for contributions: one commune, one membership period, one amount. Never edited."""

    number = models.CharField(_("numéro"), max_length=30, unique=True)
    year = models.PositiveSmallIntegerField(_("exercice"))
    seq = models.PositiveIntegerField()
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="calls")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="calls")
    offer_code = models.CharField(_("offre"), max_length=50)
    debtor_name = models.CharField(_("débiteur"), max_length=200)
    debtor_siren = models.CharField(_("SIREN du débiteur"), max_length=9, blank=True)
    period_start = models.DateField(_("début de la période"))
    period_end = models.DateField(_("fin de la période"))
    membership_year = models.PositiveSmallIntegerField(_("année d'adhésion"))
    population = models.PositiveIntegerField(_("population"))
    population_vintage = models.PositiveSmallIntegerField(_("millésime"))
    population_estimated = models.BooleanField(_("population estimée"), default=False)
    rate = models.DecimalField(_("tarif par habitant"), max_digits=10, decimal_places=4)
    days_served = models.PositiveSmallIntegerField(_("jours facturés"))
    days_in_period = models.PositiveSmallIntegerField(_("jours de la période complète"))
    amount = models.DecimalField(_("montant"), **MONEY)
    issued_on = models.DateField(_("émis le"))
    due_on = models.DateField(_("échéance"))
    status = models.CharField(
        _("état"), max_length=20, choices=CallStatus.choices, default=CallStatus.ISSUED
    )
    pdf = models.BinaryField(_("document PDF"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("remplace l'appel"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    population_confirmation = models.ForeignKey(
        "PopulationConfirmation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("annulé le"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancel_reason = models.TextField(_("motif de l'annulation"), blank=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-seq"]
        verbose_name = _("appel de contribution")
        verbose_name_plural = _("appels de contribution")
        constraints = [
            models.UniqueConstraint(fields=["year", "seq"], name="one_call_number_per_year"),
            # A period is called once: a second live call for it is refused by the database too.
            models.UniqueConstraint(
                fields=["membership", "period_start"],
                condition=Q(status="issued"),
                name="one_live_call_per_period",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="call_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.debtor_name}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == CallStatus.CANCELLED

    @property
    def rate_display(self) -> Decimal:
        """The rate with at least two decimals (0.50, 1.20, 0.125)."""
        value = self.rate.normalize()
        return value if -value.as_tuple().exponent >= 2 else value.quantize(Decimal("0.01"))

    @property
    def is_prorated(self) -> bool:
        return self.days_served < self.days_in_period

    def object_label(self) -> str:
        return gettext(
            "Contribution aux services mutualisés, année d'adhésion %(year)s "
            "(période du %(start)s au %(end)s)"
        ) % {
            "year": self.membership_year,
            "start": self.period_start.strftime("%d/%m/%Y"),
            "end": self.period_end.strftime("%d/%m/%Y"),
        }


class CreditNote(models.Model):
    """A credit note (avoir) against one call: its cancellation or the part an exit did not serve."""

    number = models.CharField(_("numéro"), max_length=30, unique=True)
    year = models.PositiveSmallIntegerField(_("exercice"))
    seq = models.PositiveIntegerField()
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="credit_notes")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="credit_notes")
    kind = models.CharField(_("nature"), max_length=20, choices=CreditNoteKind.choices)
    amount = models.DecimalField(_("montant"), **MONEY)
    reason = models.TextField(_("motif"))
    issued_on = models.DateField(_("émis le"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    pdf = models.BinaryField(_("document PDF"))

    class Meta:
        ordering = ["-year", "-seq"]
        verbose_name = _("avoir")
        verbose_name_plural = _("avoirs")
        constraints = [
            models.UniqueConstraint(fields=["year", "seq"], name="one_credit_number_per_year"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="credit_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.call.number}"


class PaymentStatement(models.Model):
    """One imported statement of the public accountant, for the record."""

    filename = models.CharField(_("fichier"), max_length=300)
    sha256 = models.CharField(max_length=64)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)
    rows = models.PositiveIntegerField(_("lignes"))
    recorded = models.PositiveIntegerField(_("paiements enregistrés"))
    skipped = models.PositiveIntegerField(_("déjà enregistrés"))

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("relevé du comptable public")
        verbose_name_plural = _("relevés du comptable public")

    def __str__(self) -> str:
        return self.filename


class Payment(models.Model):
    """Money received against a call. Never edited nor deleted."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="payments")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(_("montant"), **MONEY)
    paid_on = models.DateField(_("payé le"))
    reference = models.CharField(_("référence"), max_length=100)
    source = models.CharField(_("origine"), max_length=20, choices=PaymentSource.choices)
    statement = models.ForeignKey(
        PaymentStatement, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-paid_on", "-id"]
        verbose_name = _("paiement")
        verbose_name_plural = _("paiements")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.call.number} {self.amount} € {self.paid_on}"


class PopulationConfirmation(models.Model):
    """A coordinator's confirmation that a period may be called on an estimated population
    (its vintage was not loaded, so the latest earlier one is used)."""

    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="population_confirmations"
    )
    period_start = models.DateField(_("début de la période"))
    period_end = models.DateField(_("fin de la période"))
    population = models.PositiveIntegerField(_("population retenue"))
    population_vintage = models.PositiveSmallIntegerField(_("millésime retenu"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(_("commentaire"), blank=True)

    class Meta:
        verbose_name = _("confirmation de population estimée")
        verbose_name_plural = _("confirmations de population estimée")
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "period_start"], name="one_confirmation_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} {self.period_start}: {self.population}"


class DayEntryQuerySet(models.QuerySet):
    def counted(self) -> "DayEntryQuerySet":
        """Entries that count as given: submitted or validated (not refused)."""
        return self.exclude(status=DayStatus.REJECTED)


class DayEntry(models.Model):
    """Time an IT agent gave to the shared service, in half days; a coordinator validates it."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="day_entries")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="day_entries")
    worked_on = models.DateField(_("date"))
    half_days = models.PositiveSmallIntegerField(_("demi-journées"))
    service_code = models.CharField(_("service"), max_length=50)
    description = models.TextField(_("description"))
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    logged_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("état"), max_length=20, choices=DayStatus.choices, default=DayStatus.SUBMITTED
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("commentaire du coordinateur"), blank=True)

    objects = DayEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-worked_on", "-id"]
        verbose_name = _("jour en nature")
        verbose_name_plural = _("jours en nature")
        constraints = [
            models.CheckConstraint(
                condition=Q(half_days__gte=1) & Q(half_days__lte=2), name="one_or_two_half_days"
            )
        ]

    def __str__(self) -> str:
        return f"{self.commune_id} {self.worked_on} {self.half_days}"

    @property
    def days(self) -> Decimal:
        return Decimal(self.half_days) / 2


class Reminder(models.Model):
    """A reminder (« relance ») of an overdue call, emailed with its PDF to the commune's managers.
    Kept as sent: who, when, to whom, the balance then, and the document."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="reminders")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    sent_on = models.DateField(_("relancé le"))
    sent_at = models.DateTimeField(_("envoyée le"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recipients = models.JSONField(_("destinataires"), default=list)
    outstanding = models.DecimalField(_("reste dû à la relance"), **MONEY)
    confirmed_again = models.BooleanField(
        _("nouvelle relance le même jour, confirmée"), default=False
    )
    pdf = models.BinaryField(_("document PDF"))

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("relance")
        verbose_name_plural = _("relances")
        constraints = [
            # One reminder per call and day, unless the sender confirmed a second one: a double
            # click cannot send two, whatever the timing.
            models.UniqueConstraint(
                fields=["call", "sent_on"],
                condition=Q(confirmed_again=False),
                name="one_reminder_per_call_and_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.call_id} {self.sent_on}"
