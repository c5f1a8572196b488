"""Recording a council's deliberation."""

from contextlib import ExitStack

from django.core.files.base import File
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mutualis.core import audit, uploads
from mutualis.membership.models import Deliberation

# --- deliberations and time ---------------------------------------------------------------------


def record_deliberation(*, commune, data: dict, by, pdf: File | None = None) -> Deliberation:
    """Record a deliberation as the document states it (manually or from the reader).

    `data` holds the model's fields, `findings` included (computed by the caller from the
    confirmed values with `deliberations.context.findings_for`)."""
    with ExitStack() as files, transaction.atomic():
        deliberation = Deliberation(commune=commune, recorded_by=by, **data)
        if pdf is not None:
            # Through core.uploads like every upload: checked, randomly named, and removed if
            # the record is not written (a storage failure raises a French UploadError).
            stored = files.enter_context(
                uploads.stored_upload(pdf, prefix="deliberations", kinds=("pdf",))
            )
            deliberation.pdf = stored.name
        deliberation.save()
        audit.record(
            action="membership.deliberation_recorded",
            obj=deliberation,
            by=by,
            summary=_(
                "%(commune)s — délibération n° %(number)s enregistrée (%(errors)s, %(warnings)s "
                "aux contrôles)"
            )
            % {
                "commune": commune.name,
                "number": deliberation.number,
                "errors": ngettext("%(n)d erreur", "%(n)d erreurs", len(deliberation.errors))
                % {"n": len(deliberation.errors)},
                "warnings": ngettext(
                    "%(n)d avertissement", "%(n)d avertissements", len(deliberation.warnings)
                )
                % {"n": len(deliberation.warnings)},
            },
            commune_insee=commune.insee_code,
        )
    return deliberation
