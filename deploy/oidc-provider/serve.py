#!/usr/bin/env python
"""Start the local OpenID Connect provider on 127.0.0.1: migrate its SQLite database, create its
identities and the Mutualis client, then serve (one process, so one signing key).

    python deploy/oidc-provider/serve.py --port 8001 \
        --redirect-uri http://127.0.0.1/comptes/proconnect/retour/ \
        --post-logout-uri http://127.0.0.1/comptes/connexion/

Its discovery document is http://127.0.0.1:<port>/o/.well-known/openid-configuration. The
redirect URIs on 127.0.0.1 match any port (RFC 8252), so one registration serves every port.
"""

import argparse
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--client-id", default="mutualis-local")
    parser.add_argument("--client-secret", default="mutualis-local-secret")
    parser.add_argument("--identities", default=str(HERE / "identities.json"))
    parser.add_argument("--redirect-uri", action="append", required=True)
    parser.add_argument("--post-logout-uri", action="append", default=[])
    args = parser.parse_args()

    sys.path.insert(0, str(HERE))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "localprovider.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    seed = ["--identities", args.identities, "--client-id", args.client_id]
    seed += ["--client-secret", args.client_secret]
    for uri in args.redirect_uri:
        seed += ["--redirect-uri", uri]
    for uri in args.post_logout_uri:
        seed += ["--post-logout-uri", uri]
    call_command("seed_provider", *seed)
    call_command("runserver", f"127.0.0.1:{args.port}", use_reloader=False, skip_checks=True)


if __name__ == "__main__":
    main()
