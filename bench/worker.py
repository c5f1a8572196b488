"""The bench's Django side, run in a child process per database: `python -m bench.worker CMD`.

Each command prints one JSON document on stdout. The child is configured by the environment
(DJANGO_SETTINGS_MODULE=bench.settings plus DATABASE_URL or MUTUALIS_SQLITE_PATH), so that a figure
measures a fresh process (peak memory) and one database at a time.
"""

import argparse
import io
import json
import random
import resource
import sys
import time
from datetime import date


def _setup() -> None:
    import django

    django.setup()


def migrate(args) -> dict:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    return {"ok": True}


def import_territory(args) -> dict:
    """The whole `mutualis import_territory` command: read, parse and write one vintage."""
    from django.core.management import call_command

    started = time.perf_counter()
    call_command(
        "import_territory",
        communes=args.communes,
        epcis=args.epcis,
        vintage=args.vintage,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    from mutualis.territory.models import Commune

    return {"seconds": seconds, "peak_mb": peak_mb, "communes": Commune.objects.count()}


def load_france(args) -> dict:
    """Every vintage found in the data folder, newest first (older ones only add populations)."""
    from pathlib import Path

    from django.core.management import call_command

    folder = Path(args.data)
    vintages = sorted(
        (int(p.name.split("-")[1].split(".")[0]) for p in folder.glob("communes-*.json*")),
        reverse=True,
    )
    for vintage in vintages:
        communes = next(folder.glob(f"communes-{vintage}.json*"))
        epcis = next(folder.glob(f"epci-{vintage}.json*"))
        call_command(
            "import_territory",
            communes=str(communes),
            epcis=str(epcis),
            vintage=vintage,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    from mutualis.territory.models import Commune

    return {"vintages": vintages, "communes": Commune.objects.count()}


def demo(args) -> dict:
    """The demo data set, then a realistic set of memberships (see `_memberships`)."""
    from django.db import transaction

    from mutualis.demo.steps import load_demo

    load_demo(log=lambda line: None)
    with transaction.atomic():
        return _memberships(national_share=args.national_share, seed=args.seed)


def _memberships(*, national_share: float, seed: int) -> dict:
    """Every Sicoval commune in the base offer (through the service, with its audit entries), a
    dozen of them further along an advanced offer, and, when the whole of France is loaded, a
    seeded share of the other communes with a base membership, bulk-created with its transition,
    as a national operator would hold."""
    from bench.pages import SICOVAL
    from mutualis.accounts.models import User
    from mutualis.membership.enums import Status
    from mutualis.membership.models import Membership, Transition
    from mutualis.membership.services import join_base_offer
    from mutualis.programme.models import Programme
    from mutualis.territory.models import Commune

    rng = random.Random(seed)
    programme = Programme.objects.preferred()  # the demo's running programme
    coordinator = User.objects.get(username="coordinator")
    sicoval = list(Commune.objects.filter(epci__siren=SICOVAL).order_by("insee_code"))
    joined = set(
        Membership.objects.filter(programme=programme).values_list("commune_id", flat=True)
    )
    for commune in sicoval:
        if commune.pk not in joined:
            join_base_offer(
                programme=programme, commune=commune, by=coordinator, reason="Délibération (banc)"
            )
    chain = [
        Status.APPLIED,
        Status.QUEUED,
        Status.ADMITTED,
        Status.CONVENTION_ISSUED,
        Status.ACTIVE,
    ]
    # The demo already takes some communes along an advanced offer: the bench adds others.
    taken = set(
        Membership.objects.filter(programme=programme)
        .exclude(offer_code="base")
        .values_list("commune_id", flat=True)
    )
    candidates = [c for c in sicoval if c.pk not in taken]
    advanced = rng.sample(candidates, k=min(12, len(candidates)))
    steps = []
    for commune in advanced:
        offer = "advanced-with-it" if commune.has_it_department else "advanced-without-it"
        reached = chain[: rng.randint(1, len(chain))]
        membership = Membership.objects.create(
            programme=programme,
            commune=commune,
            offer_code=offer,
            status=reached[-1],
            applied_on=date(2024, 6, 15),
            start_date=date(2024, 9, 1) if reached[-1] == Status.ACTIVE else None,
        )
        previous = ""
        for status in reached:
            steps.append(
                Transition(
                    membership=membership, from_status=previous, to_status=status, by=coordinator
                )
            )
            previous = status
    Transition.objects.bulk_create(steps)

    others = list(
        Commune.objects.exclude(epci__siren=SICOVAL).order_by("pk").values_list("pk", flat=True)
    )
    national = sorted(rng.sample(others, k=int(len(others) * national_share)))
    created = Membership.objects.bulk_create(
        [
            Membership(
                programme=programme,
                commune_id=pk,
                offer_code="base",
                status=Status.JOINED,
                start_date=date(2024, 7, 1),
            )
            for pk in national
        ],
        batch_size=2000,
    )
    if created and created[0].pk is None:  # backends that return no ids on bulk insert
        created = list(Membership.objects.filter(commune_id__in=national, offer_code="base"))
    Transition.objects.bulk_create(
        [
            Transition(membership=m, from_status="", to_status=Status.JOINED, by=coordinator)
            for m in created
        ],
        batch_size=2000,
    )
    return {
        "sicoval_base": len(sicoval),
        "advanced": len(advanced),
        "national_base": len(national),
        "memberships": Membership.objects.count(),
        "communes": Commune.objects.count(),
    }


def signed_in_client(username: str):
    """Django's test client signed in as the user, past the second factor as in production (a
    confirmed TOTP device, the session verified with it, as `django_otp.login` leaves it)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from mutualis.accounts.models import User

    user = User.objects.get(username=username)
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, name="bench", defaults={"confirmed": True}
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def session(args) -> dict:
    """A signed-in session of the user, as the cookies a browser would send."""
    client = signed_in_client(args.username)
    # A browser holds the CSRF cookie from its first page on: without it every page would mint one.
    client.get("/", follow=True)
    cookies = {"sessionid": client.cookies["sessionid"].value}
    if "csrftoken" in client.cookies:
        cookies["csrftoken"] = client.cookies["csrftoken"].value
    return cookies


def queries(args) -> dict:
    """SQL queries per page for a signed-in coordinator, counted on a second request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.pages import PAGES
    from mutualis.territory.models import Commune

    client = signed_in_client("coordinator")
    counts = {}
    for name, url in PAGES:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        counts[name] = len(captured.captured_queries)
        if args.show:
            for query in captured.captured_queries:
                print(name, "|", query["sql"][:300], file=sys.stderr)
    return {"communes": Commune.objects.count(), "queries": counts}


COMMANDS = {
    "migrate": migrate,
    "import": import_territory,
    "load-france": load_france,
    "demo": demo,
    "session": session,
    "queries": queries,
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.worker")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate")
    p = sub.add_parser("import")
    p.add_argument("--communes", required=True)
    p.add_argument("--epcis", required=True)
    p.add_argument("--vintage", type=int, required=True)
    sub.add_parser("load-france").add_argument("--data", required=True)
    p = sub.add_parser("demo")
    p.add_argument("--national-share", type=float, default=0.0)
    p.add_argument("--seed", type=int, default=5)
    sub.add_parser("session").add_argument("username")
    sub.add_parser("queries").add_argument("--show", action="store_true")
    args = parser.parse_args(argv)
    _setup()
    print(json.dumps(COMMANDS[args.command](args)))


if __name__ == "__main__":
    main()
