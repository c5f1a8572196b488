"""The membership's part of a commune's archive: its memberships and every step of them."""

from mutualis.core.archive import ArchiveFile, csv_file
from mutualis.membership.models import Membership, Transition


def commune_archive(commune) -> list[ArchiveFile]:
    memberships = list(
        Membership.objects.filter(commune=commune).select_related("programme").order_by("id")
    )
    transitions = (
        Transition.objects.filter(membership__commune=commune)
        .select_related("by")
        .order_by("at", "id")
    )
    return [
        csv_file(
            "adhesions/adhesions.csv",
            [
                "n°",
                "programme",
                "offre",
                "état",
                "candidature le",
                "début",
                "sortie demandée le",
                "sortie effective le",
            ],
            (
                (
                    m.pk,
                    m.programme.name,
                    m.offer_code,
                    m.get_status_display(),
                    m.applied_on,
                    m.start_date,
                    m.exit_requested_on,
                    m.effective_exit,
                )
                for m in memberships
            ),
            "Adhésions de la commune aux offres du programme",
        ),
        csv_file(
            "adhesions/etapes.csv",
            ["adhésion n°", "de", "vers", "le", "par", "motif"],
            (
                (
                    t.membership_id,
                    t.get_from_status_display(),
                    t.get_to_status_display(),
                    t.at,
                    t.by or "",
                    t.reason,
                )
                for t in transitions
            ),
            "Chaque étape des adhésions (qui, quand, pourquoi)",
        ),
    ]
