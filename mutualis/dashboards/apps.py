from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "mutualis.dashboards"
    verbose_name = _("Tableaux de bord")

    def ready(self) -> None:
        from mutualis.contributions.models import Call, CreditNote, Payment
        from mutualis.core.models import AuditEvent
        from mutualis.cyber.models import Diagnostic, PlanMeasure
        from mutualis.dashboards.overview import forget_due_counts
        from mutualis.support.models import SupportRequest

        # What the « À suivre » counts read (overview.py): a write forgets the kept counts.
        for model in (Call, CreditNote, Payment, Diagnostic, PlanMeasure, SupportRequest):
            for signal in (post_save, post_delete):
                signal.connect(
                    forget_due_counts, sender=model, dispatch_uid=f"due-{model.__name__}"
                )
        # A commune's recent history, whose HTML commune.html keeps: an entry recorded forgets it
        # (audit entries are only ever created, by core.audit.record).
        post_save.connect(_forget_history, sender=AuditEvent, dispatch_uid="recent-history")


def _forget_history(sender, instance, **kwargs) -> None:
    from mutualis.dashboards.commune_page import forget_recent_history

    if instance.commune_insee:
        forget_recent_history(instance.commune_insee)
