"""Test set-up shared by several apps: a second programme on a second territory, side by side with
the Sicoval's (the CC des Coteaux Bellevue, 7 communes of the Etalab data, in tests/data)."""

import json
from pathlib import Path

from mutualis.programme.models import Programme
from mutualis.programme.services import assign_staff, load_programme, open_programme
from mutualis.territory.etalab import parse_communes, parse_epcis
from mutualis.territory.services import import_territory

HERE = Path(__file__).resolve().parent
SECOND_EPCI = "243100815"
SECOND_FILE = HERE / "programmes" / "coteaux-bellevue-2025.toml"


def _read(name: str):
    return json.loads((HERE / "data" / name).read_text(encoding="utf-8"))


def load_second_programme(*, coordinator_username: str = "bellevue-coordinator"):
    """The second territory, its programme (opened) and its own coordinator, assigned to it."""
    from mutualis.accounts.enums import StaffRole
    from mutualis.accounts.models import User

    for vintage in (2026, 2024):  # the newest first: an older vintage only adds populations
        import_territory(
            communes=parse_communes(_read(f"communes-{vintage}.json")),
            epcis=parse_epcis(_read(f"epci-{vintage}.json")),
            vintage=vintage,
            epci_siren=SECOND_EPCI,
        )
    result = load_programme(text=SECOND_FILE.read_text(encoding="utf-8"), source=SECOND_FILE.name)
    programme: Programme = result.version.programme
    if programme.opened_at is None:
        open_programme(programme=programme, by=None)
    coordinator, _created = User.objects.get_or_create(
        username=coordinator_username,
        defaults={
            "staff_role": StaffRole.COORDINATOR,
            "first_name": "Claire",
            "last_name": "Bellevue",
        },
    )
    assign_staff(user=coordinator, programme=programme, by=None)
    return programme, coordinator
