"""Per-commune balances: called, credited, paid, overdue."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from mutualis.contributions.models import ZERO, Call, CreditNote, Payment, money

# --- Balances ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Balance:
    commune_id: int
    name: str
    insee_code: str
    called: Decimal
    credited: Decimal
    paid: Decimal
    overdue: Decimal

    @property
    def balance(self) -> Decimal:
        """What the commune still owes (negative: overpaid, to refund)."""
        return self.called - self.credited - self.paid

    @property
    def owed(self) -> Decimal:
        """What the commune still owes, never negative (« reste dû »)."""
        return max(self.balance, ZERO)

    @property
    def to_refund(self) -> Decimal:
        """What the intercommunality owes back (« à rembourser »): credits beyond what is
        still owed once a paid call is credited, e.g. after an exit."""
        return max(-self.balance, ZERO)


def balances(*, communes, today: date | None = None) -> list[Balance]:
    """Per commune: called, credited, paid, balance, overdue. A fixed number of queries."""
    today = today or timezone.localdate()

    def by_commune(queryset, field_name):
        return dict(
            queryset.order_by()
            .values("commune_id")
            .annotate(total=Sum(field_name))
            .values_list("commune_id", "total")
        )

    scope = {"commune__in": communes}
    called = by_commune(Call.objects.filter(**scope), "amount")
    credited = by_commune(CreditNote.objects.filter(**scope), "amount")
    paid = by_commune(Payment.objects.filter(**scope), "amount")
    overdue: dict[int, Decimal] = {}
    for commune_id, outstanding in (
        Call.objects.filter(**scope).overdue(today).values_list("commune_id", "outstanding")
    ):
        overdue[commune_id] = overdue.get(commune_id, ZERO) + money(outstanding)
    names = {
        c.pk: c for c in communes.filter(pk__in=set(called) | set(paid)).only("name", "insee_code")
    }
    return sorted(
        (
            Balance(
                commune_id=pk,
                name=names[pk].name,
                insee_code=names[pk].insee_code,
                called=money(called.get(pk)),
                credited=money(credited.get(pk)),
                paid=money(paid.get(pk)),
                overdue=overdue.get(pk, ZERO),
            )
            for pk in names
        ),
        key=lambda b: b.name,
    )
