"""Shared bits of the membership tests: a tiny real PDF and the moves of a whole lifecycle."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from mutualis.membership import services

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def pdf_upload(name: str = "signee.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def walk_to_active(*, programme, commune, offer_code, by, applied_on=date(2024, 6, 1)):
    """Apply, queue, admit (with a reason, whatever the rank), issue and sign: an active member."""
    membership = services.apply_for_advanced_offer(
        programme=programme, commune=commune, offer_code=offer_code, by=by, on=applied_on
    )
    services.queue_application(membership=membership, by=by, on=applied_on)
    services.admit_commune(membership=membership, by=by, on=applied_on, reason="test")
    convention = services.issue_convention(membership=membership, by=by, on=applied_on)
    services.sign_convention(
        convention=convention, signed_on=applied_on, signed_pdf=pdf_upload(), by=by
    )
    membership.refresh_from_db()
    return membership
