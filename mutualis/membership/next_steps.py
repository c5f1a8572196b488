"""The next step of a commune's membership, named for the commune's people (« Prochaine étape :
signer la convention »): pure, from the membership's state."""

from datetime import date

from django.utils.translation import gettext as _

from mutualis.membership.enums import Status


def next_step(status: str, *, base_only: bool = False, exit_on: date | None = None) -> str:
    """What the commune (or the programme team, said so) does next; "" when nothing is due."""
    if status == Status.JOINED:
        return _("demander les services avancés, si le conseil le souhaite") if base_only else ""
    if status == Status.APPLIED:
        return _("attendre la décision d'admission du coordinateur")
    if status == Status.QUEUED:
        return _("attendre qu'une place se libère dans la file d'attente")
    if status == Status.ADMITTED:
        return _("recevoir la convention à faire signer par le maire")
    if status == Status.CONVENTION_ISSUED:
        return _("signer la convention et la renvoyer")
    if status == Status.EXIT_REQUESTED:
        if exit_on:
            return _("sortie effective le %(day)s") % {"day": exit_on.strftime("%d/%m/%Y")}
        return _("attendre la date de sortie")
    return ""
