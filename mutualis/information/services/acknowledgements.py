"""Alerts that communes must acknowledge: who is addressed, who acknowledged, reminders."""

from dataclasses import dataclass

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mutualis.accounts.models import User
from mutualis.core import audit
from mutualis.core.collation import french, sort_key
from mutualis.information.models import Acknowledgement, Post
from mutualis.information.services._common import _site
from mutualis.territory.models import Commune

# --- Acknowledgements ---------------------------------------------------------------------------


def acknowledge(*, post: Post, commune: Commune, by: User) -> tuple[Acknowledgement, bool]:
    """The commune has read the alert. Once per commune: a second click, by anyone of the same
    commune, or two at the same moment, leave exactly one acknowledgement."""
    try:
        with transaction.atomic():
            ack, created = Acknowledgement.objects.get_or_create(
                post=post, commune=commune, defaults={"by": by}
            )
            if created:
                audit.record(
                    action="information.acknowledged",
                    obj=post,
                    by=by,
                    summary=_("%(commune)s a pris connaissance de l'alerte « %(title)s »")
                    % {"commune": commune.name, "title": post.title},
                    commune_insee=commune.insee_code,
                )
    except IntegrityError:
        # The other writer won between our read and our insert (get_or_create's own retry can
        # also lose on PostgreSQL under READ COMMITTED): its row is the acknowledgement.
        return Acknowledgement.objects.get(post=post, commune=commune), False
    return ack, created


@dataclass
class AcknowledgementStatus:
    acknowledged: list[tuple[Commune, Acknowledgement]]
    pending: list[Commune]

    @property
    def total(self) -> int:
        return len(self.acknowledged) + len(self.pending)


def acknowledgement_status(post: Post, within=None) -> AcknowledgementStatus:
    """Which addressed communes have acknowledged the alert, and which have not (2-3 queries);
    `within` (communes, a queryset): only those, the communes the person following it serves (an
    alert for the whole instance reaches every programme's communes)."""
    acks = Acknowledgement.objects.filter(post=post)
    addressed = post.addressed_communes()
    if within is not None:
        acks, addressed = acks.filter(commune__in=within), addressed.filter(pk__in=within)
    acks = {a.commune_id: a for a in acks.select_related("by", "commune")}
    addressed = list(addressed.order_by(french("name")))
    done = [(c, acks[c.pk]) for c in addressed if c.pk in acks]
    # A commune removed from the audience after acknowledging still shows as acknowledged.
    addressed_ids = {c.pk for c in addressed}
    done += [(a.commune, a) for pk, a in acks.items() if pk not in addressed_ids]
    return AcknowledgementStatus(
        acknowledged=sorted(done, key=lambda pair: sort_key(pair[0].name)),
        pending=[c for c in addressed if c.pk not in acks],
    )


def remind_pending(*, post: Post, by: User, within=None) -> int:
    """Email the people of every commune that has not acknowledged the alert (of `within`, see
    `acknowledgement_status`). People sent to."""
    status = acknowledgement_status(post, within)
    pending_ids = {c.pk for c in status.pending}
    recipients = [
        (user, commune) for user, commune in readers_of(post, communes=pending_ids) if user.email
    ]
    link = _site(post.get_absolute_url())
    for user, commune in recipients:
        EmailMessage(
            subject=_("[Rappel] Alerte critique à lire : %(title)s") % {"title": post.title},
            body=render_to_string(
                "information/emails/reminder.txt",
                {"user": user, "post": post, "commune": commune, "link": link},
            ),
            to=[user.email],
        ).send()
    audit.record(
        action="information.reminded",
        obj=post,
        by=by,
        summary=_("Rappel de l'alerte « %(title)s » : %(communes)s, %(recipients)s")
        % {
            "title": post.title,
            "communes": ngettext("%(n)d commune", "%(n)d communes", len(status.pending))
            % {"n": len(status.pending)},
            "recipients": ngettext("%(n)d destinataire", "%(n)d destinataires", len(recipients))
            % {"n": len(recipients)},
        },
        changes={"communes": sorted(c.insee_code for c in status.pending)},
    )
    return len(recipients)


# --- Who receives what --------------------------------------------------------------------------


def readers_of(post: Post, *, communes: set[int] | None = None) -> list[tuple[User, Commune]]:
    """Commune people who may read the post (by `Post.objects.readable_by`, the one rule), each
    with a commune of theirs it is addressed to; limited to `communes` when given."""
    candidates = (
        User.objects.filter(
            is_active=True,
            commune_roles__ended_at__isnull=True,
            commune_roles__commune__in=post.addressed_communes(),
        )
        .distinct()
        .order_by("pk")
    )
    result = []
    for user in candidates:
        if not Post.objects.readable_by(user).filter(pk=post.pk).exists():
            continue
        commune = next(
            (
                c
                for c in user.communes()
                if (communes is None or c.pk in communes) and _addressed_via(post, user, c)
            ),
            None,
        )
        if commune is not None:
            result.append((user, commune))
    return result


def _addressed_via(post: Post, user: User, commune: Commune) -> bool:
    from mutualis.information.models import Reader

    grant = Reader.of(user).grant_for(commune.pk)
    return bool(grant) and Post.objects.filter(pk=post.pk).addressed_to_grants([grant]).exists()


def acknowledgeable_communes(post: Post, user: User) -> list[Commune]:
    """The communes of `user` for which they may acknowledge `post` (addressed there)."""
    if not post.needs_acknowledgement or not post.is_current():
        return []
    return [c for c in user.communes() if _addressed_via(post, user, c)]
