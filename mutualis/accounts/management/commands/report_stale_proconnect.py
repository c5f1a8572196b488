"""Tell the coordinators which accounts' ProConnect identity has not signed in for a long time."""

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mutualis.accounts.enums import StaffRole
from mutualis.accounts.models import User, stale_proconnect_users


class Command(BaseCommand):
    help = "Signale aux coordinateurs les comptes dont l'identité ProConnect ne sert plus."

    def handle(self, *args, **options):
        days = settings.MUTUALIS_OIDC_STALE_DAYS
        stale = list(stale_proconnect_users(days=days))
        lines = [
            _("- %(user)s (%(email)s) : dernière connexion ProConnect le %(date)s")
            % {
                "user": user,
                "email": user.email,
                "date": timezone.localtime(user.proconnect_seen_at).strftime("%d/%m/%Y"),
            }
            for user in stale
        ]
        heading = ngettext(
            "%(count)s compte sans connexion ProConnect depuis plus de %(days)s jours",
            "%(count)s comptes sans connexion ProConnect depuis plus de %(days)s jours",
            len(stale),
        ) % {"count": len(stale), "days": days}
        self.stdout.write("\n".join([heading, *lines]))
        recipients = list(
            User.objects.filter(is_active=True, staff_role=StaffRole.COORDINATOR)
            .exclude(email="")
            .values_list("email", flat=True)
        )
        if not stale or not recipients:
            return
        link = settings.MUTUALIS_SITE_URL + reverse("operations:accounts")
        with transaction.atomic():
            send_mail(
                subject=heading,
                message="\n".join(
                    [
                        heading + " :",
                        *lines,
                        "",
                        _(
                            "Leur organisation a peut-être fermé leur compte ProConnect : vérifiez "
                            "s'ils sont toujours en poste et désactivez les comptes des personnes "
                            "parties : %(link)s"
                        )
                        % {"link": link},
                    ]
                ),
                from_email=None,
                recipient_list=recipients,
            )
