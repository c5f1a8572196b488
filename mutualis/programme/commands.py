"""The `--programme SLUG` option of every command that belongs to a programme."""

from django.core.management.base import CommandError
from django.utils.translation import gettext_lazy as _

from mutualis.programme.models import Programme, ProgrammeChoiceError

PROGRAMME_HELP = _("identifiant du programme (obligatoire si plusieurs programmes sont chargés)")


def add_programme_argument(parser) -> None:
    parser.add_argument("--programme", help=str(PROGRAMME_HELP))


def programme_from_option(slug: str | None) -> Programme:
    """The programme named by `--programme`; without it, the only one loaded. A French
    CommandError lists the slugs when several could apply or the name is unknown."""
    try:
        return Programme.objects.by_slug(slug)
    except ProgrammeChoiceError as exc:
        raise CommandError(str(exc)) from exc
