"""The support part of a commune's archive: its requests, their history and attachments."""

from mutualis.core.archive import ArchiveFile, records_csv, stored_files
from mutualis.support.models import ProviderLink, SupportAttachment, SupportEvent, SupportRequest


def commune_archive(commune) -> list[ArchiveFile]:
    attachments = SupportAttachment.objects.filter(request__commune=commune)
    return [
        records_csv(
            "assistance/demandes.csv",
            SupportRequest.objects.filter(commune=commune),
            "Demandes d'assistance de la commune",
        ),
        records_csv(
            "assistance/historique.csv",
            SupportEvent.objects.filter(request__commune=commune),
            "Historique de chaque demande (messages, réponses, transmissions, clôture)",
        ),
        records_csv("assistance/pieces-jointes.csv", attachments, "Pièces jointes des demandes"),
        *stored_files(
            "assistance/pieces-jointes",
            attachments.order_by("pk"),
            field="file",
            name=lambda a: a.original_name,
            description="Pièce jointe d'une demande d'assistance",
        ),
        records_csv(
            "assistance/prestataires.csv",
            ProviderLink.objects.filter(commune=commune),
            "Prestataires informatiques de la commune au fil du temps",
        ),
    ]
