"""For data migrations that give existing rows a programme: the programme a set of EPCIs belongs
to, else the preferred one of the instance. Works on the historical `Programme` model a migration
passes (no model method is available there), so it restates `preferred()`'s order."""

from datetime import date


def programme_picker(Programme, today: date):
    """A function of EPCI ids giving the id of the programme to assign (None if the instance has
    no programme): among the programmes whose territory includes one of those EPCIs (all of them
    when none does), running on `today`, else opened, else the latest; the latest start first."""
    rows = list(
        Programme.objects.order_by("-start", "-created_at").values(
            "pk", "start", "end", "opened_at"
        )
    )
    territory = {
        row["pk"]: set(
            Programme.epcis.through.objects.filter(programme_id=row["pk"]).values_list(
                "epci_id", flat=True
            )
        )
        for row in rows
    }

    def rank(row) -> int:
        if row["opened_at"] is None or row["start"] is None:
            return 3
        if today < row["start"]:
            return 1
        return 0 if today <= row["end"] else 2

    def pick(epci_ids) -> int | None:
        epci_ids = set(epci_ids)
        candidates = [r for r in rows if territory[r["pk"]] & epci_ids] or rows
        best = min(candidates, key=rank, default=None)
        return best["pk"] if best else None

    return pick
