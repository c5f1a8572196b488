"""Create (or update) the provider's people and its one client, Mutualis. Idempotent."""

import json
from pathlib import Path

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from oauth2_provider.models import Application

from localprovider.models import Identity


class Command(BaseCommand):
    help = "Create the local provider's identities and the Mutualis client."

    def add_arguments(self, parser):
        parser.add_argument("--identities", type=Path, required=True)
        parser.add_argument("--client-id", required=True)
        parser.add_argument("--client-secret", required=True)
        parser.add_argument("--redirect-uri", action="append", required=True)
        parser.add_argument("--post-logout-uri", action="append", default=[])

    def handle(self, *args, identities, client_id, client_secret, redirect_uri, **options):
        for person in json.loads(identities.read_text(encoding="utf-8")):
            user, _ = User.objects.get_or_create(username=person["email"])
            user.email = person["email"]
            user.first_name = person["given_name"]
            user.set_password(person["password"])
            user.save()
            Identity.objects.update_or_create(
                user=user,
                defaults={
                    "usual_name": person["usual_name"],
                    "siret": person.get("siret", ""),
                    "acr": person.get("acr", "eidas1"),
                },
            )
        Application.objects.filter(client_id=client_id).delete()
        Application.objects.create(
            name="Mutualis",
            client_id=client_id,
            client_secret=client_secret,
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=" ".join(redirect_uri),
            post_logout_redirect_uris=" ".join(options["post_logout_uri"]),
            algorithm=Application.RS256_ALGORITHM,
            skip_authorization=True,
        )
        self.stdout.write(f"client {client_id}, {User.objects.count()} identities")
