"""Fetch every active watch feed and add its new entries as draft posts (for the scheduler)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mutualis.core.collation import french
from mutualis.core.progress import ProgressLine
from mutualis.information import services
from mutualis.information.feeds import FeedRefused
from mutualis.information.models import Feed


class Command(BaseCommand):
    help = "Relève les flux de veille actifs (RSS, Atom) : les entrées nouvelles deviennent des brouillons."

    def add_arguments(self, parser):
        parser.add_argument("--feed", type=int, help="Ne relever que ce flux (identifiant).")

    def handle(self, *args, feed=None, **options):
        feeds = Feed.objects.filter(is_active=True).exclude(url="").order_by(french("name"))
        if feed:
            feeds = feeds.filter(pk=feed)
        feeds = list(feeds)
        progress = ProgressLine(self.stderr, label="flux ")
        added = failed = 0
        for done, item in enumerate(feeds, start=1):
            try:
                result = services.refresh_feed(feed=item, by=None)
            except FeedRefused as error:
                failed += 1
                self.stderr.write(_("%(feed)s : %(error)s") % {"feed": item.name, "error": error})
            else:
                added += result.added
                self.stdout.write(
                    ngettext(
                        "%(feed)s : %(added)s nouvelle entrée, déjà connues : %(known)s",
                        "%(feed)s : %(added)s nouvelles entrées, déjà connues : %(known)s",
                        result.added,
                    )
                    % {"feed": item.name, "added": result.added, "known": result.known}
                )
            progress("relevé", done, len(feeds))
        summary = ", ".join(
            [
                ngettext("%(n)s flux relevé", "%(n)s flux relevés", len(feeds)) % {"n": len(feeds)},
                ngettext("%(n)s brouillon ajouté", "%(n)s brouillons ajoutés", added)
                % {"n": added},
                ngettext("%(n)s échec", "%(n)s échecs", failed) % {"n": failed},
            ]
        )
        if failed:
            # CommandError (not SystemExit): the scheduler records the failure and goes on.
            raise CommandError(summary)
        self.stdout.write(summary)
