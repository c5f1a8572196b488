"""A commune's archive: everything the platform holds about one commune, as one ZIP.

Each app contributes its part with one function, listed here. To add an app's part, write
`commune_archive(commune) -> list[ArchiveFile]` in `mutualis/<app>/archive.py` and add one line.
"""

import hashlib
import tempfile
import zipfile
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mutualis.accounts import archive as accounts_archive
from mutualis.awareness import archive as awareness_archive
from mutualis.continuity import archive as continuity_archive
from mutualis.contributions import archive as contributions_archive
from mutualis.core import archive as core_archive
from mutualis.core import audit
from mutualis.core.archive import ArchiveFile, csv_file
from mutualis.core.french import de_name
from mutualis.cyber import archive as cyber_archive
from mutualis.information import archive as information_archive
from mutualis.inventory import archive as inventory_archive
from mutualis.membership import archive as membership_archive
from mutualis.programme import archive as programme_archive
from mutualis.purchasing import archive as purchasing_archive
from mutualis.support import archive as support_archive
from mutualis.territory import archive as territory_archive

ARCHIVE_PARTS: list[Callable[..., list[ArchiveFile]]] = [
    territory_archive.commune_archive,
    programme_archive.commune_archive,
    accounts_archive.commune_archive,
    membership_archive.commune_archive,
    contributions_archive.commune_archive,
    cyber_archive.commune_archive,
    awareness_archive.commune_archive,
    information_archive.commune_archive,
    purchasing_archive.commune_archive,
    support_archive.commune_archive,
    inventory_archive.commune_archive,
    continuity_archive.commune_archive,
    core_archive.commune_archive,
]


def archive_name(commune) -> str:
    return f"archive-{commune.insee_code}-{timezone.localdate():%Y-%m-%d}.zip"


def _readme(commune, files: list[ArchiveFile], now) -> str:
    lines = [
        _("Archive Mutualis de la commune %(of_commune)s (INSEE %(insee)s)")
        % {"of_commune": de_name(commune.name), "insee": commune.insee_code},
        _("Produite le %(date)s à %(time)s.")
        % {
            "date": timezone.localtime(now).strftime("%d/%m/%Y"),
            "time": timezone.localtime(now).strftime("%H:%M"),
        },
        "",
        _(
            "Tout ce que la plateforme détient sur la commune : les enregistrements en CSV "
            "(UTF-8, séparateur virgule) ou JSON, les documents tels qu'ils ont été émis ou "
            "déposés."
        ),
        _(
            "Le fichier index.csv liste chaque fichier, ce qu'il contient, sa taille et son "
            "empreinte SHA-256."
        ),
        "",
    ]
    lines += [f"- {f.path} : {f.description}" for f in files]
    return "\n".join(lines) + "\n"


def build_commune_archive(*, commune, by, parts=None) -> tempfile.SpooledTemporaryFile:
    """Write the ZIP to a temporary file (rewound) and record the export in the audit trail.

    Every part reads inside one transaction, so the archive is a consistent picture.
    """
    now = timezone.now()
    with transaction.atomic():
        files = [f for part in (parts or ARCHIVE_PARTS) for f in part(commune)]
        audit.record(
            action="operations.commune_archive_exported",
            obj=commune,
            by=by,
            summary=ngettext(
                "Archive %(of_commune)s exportée (%(count)d fichier)",
                "Archive %(of_commune)s exportée (%(count)d fichiers)",
                len(files),
            )
            % {"of_commune": de_name(commune.name), "count": len(files)},
            commune_insee=commune.insee_code,
        )
    paths = [f.path for f in files]
    duplicates = {p for p in paths if paths.count(p) > 1}
    if duplicates:
        raise ValueError(f"two archive parts wrote the same path: {sorted(duplicates)}")
    index = csv_file(
        "index.csv",
        ["fichier", "contenu", "octets", "sha256"],
        (
            (f.path, f.description, len(f.content), hashlib.sha256(f.content).hexdigest())
            for f in files
        ),
        "Index de l'archive",
    )
    readme = ArchiveFile("LISEZMOI.txt", _readme(commune, files, now).encode("utf-8"), "")
    output = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)  # noqa: SIM115
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for f in [readme, index, *files]:
            archive.writestr(f.path, f.content)
    output.seek(0)
    return output


def archive_bytes(*, commune, by) -> bytes:
    handle = build_commune_archive(commune=commune, by=by)
    data = handle.read()
    handle.close()
    return data
