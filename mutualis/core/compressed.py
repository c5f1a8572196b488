"""Bounded reads of compressed files: a ZIP's declared sizes checked before a member is read, a
member or a gzip stream inflated only up to a limit, so that a small hostile file (a
decompression bomb) is refused in milliseconds instead of filling the memory."""

import gzip
import zipfile
from pathlib import Path

from django.utils.translation import gettext as _

# An office document of a few MB holds at most a few hundred MB of XML; XML compresses some
# tens of times, rarely a hundred. Deflate's maximum is about 1 000.
ZIP_MAX_MEMBERS = 10_000
ZIP_MAX_TOTAL_BYTES = 512 * 1024 * 1024
ZIP_MAX_RATIO = 200
# A member read to decide something (an ODF `mimetype`) is read up to this many bytes.
SNIFF_MEMBER_BYTES = 1024
_CHUNK = 1 << 16


class CompressedTooLarge(ValueError):
    """A compressed file that would inflate beyond the limits; the message is French."""


def check_zip(archive: zipfile.ZipFile, *, name: str) -> None:
    """Refuse an archive whose central directory declares too many members, too many bytes or a
    compression ratio no real document has (a bomb), before any member is inflated."""
    infos = archive.infolist()
    if len(infos) > ZIP_MAX_MEMBERS:
        raise CompressedTooLarge(
            _("L'archive « %(name)s » contient trop de fichiers (%(count)s, au plus %(max)s).")
            % {"name": name, "count": len(infos), "max": ZIP_MAX_MEMBERS}
        )
    total = sum(info.file_size for info in infos)
    if total > ZIP_MAX_TOTAL_BYTES:
        raise CompressedTooLarge(
            _(
                "L'archive « %(name)s » se décompresserait en %(size)s Mo : la limite est de "
                "%(max)s Mo."
            )
            % {"name": name, "size": total // 1048576, "max": ZIP_MAX_TOTAL_BYTES // 1048576}
        )
    for info in infos:
        if info.file_size > 1048576 and info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1):
            raise CompressedTooLarge(
                _(
                    "L'archive « %(name)s » est anormalement compressée (« %(member)s » : "
                    "%(ratio)s fois) : elle est refusée."
                )
                % {
                    "name": name,
                    "member": info.filename[:100],
                    "ratio": info.file_size // max(info.compress_size, 1),
                }
            )


def read_member_head(archive: zipfile.ZipFile, member: str, *, limit: int = SNIFF_MEMBER_BYTES):
    """At most `limit` bytes of a member, inflating no more than that (whatever it declares)."""
    with archive.open(member) as handle:
        return handle.read(limit)


def read_bounded(handle, *, limit: int, name: str) -> bytes:
    """The whole content of a (decompressing) file object, refused past `limit` bytes."""
    data = bytearray()
    while chunk := handle.read(_CHUNK):
        data += chunk
        if len(data) > limit:
            raise CompressedTooLarge(
                _(
                    "Le fichier « %(name)s » se décompresse en plus de %(max)s Mo : il est "
                    "refusé (fichier piégé ou trop grand)."
                )
                % {"name": name, "max": limit // 1048576}
            )
    return bytes(data)


def read_maybe_gzip(path: Path | str, *, max_bytes: int, max_ratio: int = 100) -> bytes:
    """A file's bytes, inflated if it is gzip, at most `max_bytes` and at most `max_ratio` times
    its compressed size (JSON compresses about ten times; whitespace a thousand)."""
    path = Path(path)
    with path.open("rb") as raw:
        magic = raw.read(2)
    if magic != b"\x1f\x8b":
        with path.open("rb") as handle:
            return read_bounded(handle, limit=max_bytes, name=str(path))
    limit = min(max_bytes, max(path.stat().st_size, 1) * max_ratio)
    with gzip.open(path, "rb") as handle:
        return read_bounded(handle, limit=limit, name=str(path))
