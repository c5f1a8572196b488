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
        from mutualis.dashboards.commune_page import forget_memberships, forget_participations
        from mutualis.dashboards.overview import forget_due_counts
        from mutualis.membership.models import Deliberation, Membership, Transition
        from mutualis.programme.models import Participation
        from mutualis.support.models import SupportRequest

        # What the « À suivre » counts read (overview.py): a write forgets the kept counts.
        for model in (Call, CreditNote, Payment, Diagnostic, PlanMeasure, SupportRequest):
            for signal in (post_save, post_delete):
                signal.connect(
                    forget_due_counts, sender=model, dispatch_uid=f"due-{model.__name__}"
                )
        # The dashboard's table (views.communes) and a commune's memberships card with their steps.
        for model in (Membership, Transition):
            for signal in (post_save, post_delete):
                signal.connect(
                    forget_memberships, sender=model, dispatch_uid=f"memberships-{model.__name__}"
                )
        # A commune's participation card (commune_page.py).
        for signal in (post_save, post_delete):
            signal.connect(
                forget_participations, sender=Participation, dispatch_uid="participations"
            )
        # The parts of a commune's page whose HTML commune.html keeps (commune_page.py): its recent
        # history (audit entries are only ever created, by core.audit.record) and deliberations.
        post_save.connect(_forget_history, sender=AuditEvent, dispatch_uid="recent-history")
        for signal in (post_save, post_delete):
            signal.connect(_forget_deliberations, sender=Deliberation, dispatch_uid="deliberations")


def _forget_history(sender, instance, **kwargs) -> None:
    from mutualis.dashboards.commune_page import HISTORY_FRAGMENT, forget_fragment

    if instance.commune_insee:
        forget_fragment(HISTORY_FRAGMENT, instance.commune_insee)


def _forget_deliberations(sender, instance, **kwargs) -> None:
    from mutualis.dashboards.commune_page import DELIBERATIONS_FRAGMENT, forget_fragment

    forget_fragment(DELIBERATIONS_FRAGMENT, instance.commune_id)
