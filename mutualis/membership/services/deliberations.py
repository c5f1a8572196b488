"""Recording a council's deliberation."""

from django.core.files.base import File
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mutualis.core import audit
from mutualis.membership.models import Deliberation

# --- deliberations and time ---------------------------------------------------------------------


def record_deliberation(*, commune, data: dict, by, pdf: File | None = None) -> Deliberation:
    """Record a deliberation as the document states it (manually or from the reader).

    `data` holds the model's fields, `findings` included (computed by the caller from the
    confirmed values with `deliberations.context.findings_for`)."""
    with transaction.atomic():
        deliberation = Deliberation(commune=commune, recorded_by=by, **data)
        if pdf is not None:
            deliberation.pdf.save("deliberation.pdf", pdf, save=False)
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
