"""The accounts' part of a commune's archive: who held which role there, and invitations."""

from mutualis.accounts.models import CommuneRole, Invitation
from mutualis.core.archive import ArchiveFile, csv_file


def commune_archive(commune) -> list[ArchiveFile]:
    roles = (
        CommuneRole.objects.filter(commune=commune)
        .select_related("user", "granted_by", "ended_by")
        .order_by("granted_at", "id")
    )
    invitations = (
        Invitation.objects.filter(commune=commune)
        .select_related("invited_by")
        .order_by("created_at", "id")
    )
    return [
        csv_file(
            "comptes/roles.csv",
            ["personne", "rôle", "attribué le", "par", "retiré le", "par", "motif du retrait"],
            (
                (
                    r.user,
                    r.get_role_display(),
                    r.granted_at,
                    r.granted_by or "",
                    r.ended_at,
                    r.ended_by or "",
                    r.end_reason,
                )
                for r in roles
            ),
            "Rôles des personnes de la commune sur la plateforme (en cours et passés)",
        ),
        csv_file(
            "comptes/invitations.csv",
            ["adresse", "rôle", "invité par", "envoyée le", "acceptée le"],
            (
                (i.email, i.get_commune_role_display(), i.invited_by, i.created_at, i.accepted_at)
                for i in invitations
            ),
            "Invitations envoyées pour la commune",
        ),
    ]
