"""Text files read by the command-line tools: UTF-8 or a French message saying what is wrong."""

from pathlib import Path

from django.utils.translation import gettext as _


class UnreadableFile(ValueError):
    """A file that cannot be read as UTF-8 text; the message, in French, names it."""


def read_utf8_text(path: Path | str) -> str:
    """The file's text, or UnreadableFile with a French message (never Python's English)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError as error:
        raise UnreadableFile(_("Le fichier %(path)s est introuvable.") % {"path": path}) from error
    except IsADirectoryError as error:
        raise UnreadableFile(
            _("%(path)s est un dossier, pas un fichier.") % {"path": path}
        ) from error
    except PermissionError as error:
        raise UnreadableFile(
            _("Le fichier %(path)s ne peut pas être lu (droits insuffisants).") % {"path": path}
        ) from error
    except OSError as error:
        raise UnreadableFile(
            _("Le fichier %(path)s ne peut pas être lu (erreur système n° %(errno)s).")
            % {"path": path, "errno": error.errno}
        ) from error
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise UnreadableFile(
            _(
                "Le fichier %(path)s n'est pas en UTF-8 (octet invalide ligne %(line)s) : "
                "enregistrez-le en UTF-8 (dans un tableur : « CSV UTF-8 »)."
            )
            % {"path": path, "line": line}
        ) from error
