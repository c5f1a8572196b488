from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "mutualis.dashboards"
    verbose_name = _("Tableaux de bord")

    def ready(self) -> None:
        from mutualis.contributions.models import Call, CreditNote, Payment
        from mutualis.cyber.models import Diagnostic, PlanMeasure
        from mutualis.dashboards.overview import forget_due_counts
        from mutualis.support.models import SupportRequest

        # What the « À suivre » counts read (overview.py): a write forgets the kept counts.
        for model in (Call, CreditNote, Payment, Diagnostic, PlanMeasure, SupportRequest):
            for signal in (post_save, post_delete):
                signal.connect(
                    forget_due_counts, sender=model, dispatch_uid=f"due-{model.__name__}"
                )
