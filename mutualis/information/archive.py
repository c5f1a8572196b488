"""The information part of a commune's archive: its own documents (every version, as files),
its acknowledgements of alerts, and the messages its people wrote in the discussions."""

from mutualis.core.archive import ArchiveFile, records_csv, stored_files
from mutualis.information.models import (
    Acknowledgement,
    Document,
    DocumentVersion,
    Message,
    MessageAttachment,
)


def commune_archive(commune) -> list[ArchiveFile]:
    versions = DocumentVersion.objects.filter(document__owner_commune=commune)
    attachments = MessageAttachment.objects.filter(message__author_commune=commune)
    return [
        records_csv(
            "information/documents.csv",
            Document.objects.filter(owner_commune=commune),
            "Documents propres à la commune",
        ),
        records_csv("information/versions.csv", versions, "Chaque version déposée des documents"),
        *stored_files(
            "information/documents",
            versions.order_by("pk"),
            field="file",
            name=lambda v: v.original_name,
            description="Version d'un document de la commune",
        ),
        records_csv(
            "information/accuses-de-lecture.csv",
            Acknowledgement.objects.filter(commune=commune),
            "Accusés de lecture des alertes par la commune",
        ),
        records_csv(
            "information/messages.csv",
            Message.objects.filter(author_commune=commune),
            "Messages écrits au nom de la commune dans les discussions",
        ),
        records_csv(
            "information/pieces-des-messages.csv", attachments, "Pièces jointes de ces messages"
        ),
        *stored_files(
            "information/pieces-des-messages",
            attachments.order_by("pk"),
            field="file",
            name=lambda a: a.original_name,
            description="Pièce jointe d'un message de la commune",
        ),
    ]
