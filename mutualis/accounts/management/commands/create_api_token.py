"""mutualis create_api_token USERNAME: issue a personal API token, shown once."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mutualis.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = "Crée un jeton d'API personnel pour un utilisateur (affiché une seule fois)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="jeton")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(
                _("Aucun utilisateur actif « %(username)s ».") % {"username": options["username"]}
            )
        _token, key = ApiToken.issue(user=user, name=options["name"])
        self.stdout.write(key)
