"""Watch feeds become draft posts, deduplicated; hostile feeds are refused with nothing written."""

import io
from pathlib import Path
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from mutualis.information import services
from mutualis.information.enums import Category, PostStatus
from mutualis.information.feeds import FeedRefused
from mutualis.information.models import Feed, Post
from mutualis.information.services import watch
from mutualis.information.tests.test_feeds import BILLION_LAUGHS

pytestmark = pytest.mark.django_db
FEEDS = Path(__file__).resolve().parent / "feeds"


@pytest.fixture
def feed(coordinator):
    return services.save_feed(
        feed=Feed(
            name="Veille test", url="https://exemple.invalid/flux.xml", category=Category.TECH_WATCH
        ),
        by=coordinator,
    )


def _sample() -> bytes:
    # The demo already imported the shipped samples: rename the entries to get fresh ones.
    return (FEEDS / "certfr-avis.xml").read_bytes().replace(b"2099-AVI", b"2098-AVI")


def test_importing_a_feed_adds_draft_watch_items(feed, coordinator):
    result = services.import_feed(feed=feed, data=_sample(), by=coordinator)
    assert (result.added, result.known) == (4, 0)
    drafts = Post.objects.filter(feed=feed)
    assert drafts.count() == 4
    assert {p.status for p in drafts} == {PostStatus.DRAFT}
    assert {p.category for p in drafts} == {Category.TECH_WATCH}
    post = drafts.get(title__startswith="CERTFR-2098-AVI-0101")
    assert post.source_url == "https://www.cert.ssi.gouv.fr/avis/CERTFR-2098-AVI-0101/"
    assert "Exemplor" in post.body_html and "<script" not in post.body_html


def test_importing_the_same_feed_twice_adds_nothing(feed, coordinator):
    services.import_feed(feed=feed, data=_sample(), by=coordinator)
    before = Post.objects.count()
    result = services.import_feed(feed=feed, data=_sample(), by=coordinator)
    assert (result.added, result.known) == (0, 4)
    assert Post.objects.count() == before
    feed.refresh_from_db()
    assert feed.last_result == "0 nouvelle entrée, déjà connues : 4"


def test_an_edited_and_published_item_is_not_imported_again(feed, coordinator):
    services.import_feed(feed=feed, data=_sample(), by=coordinator)
    post = Post.objects.filter(feed=feed).first()
    post.title = "Titre retravaillé"
    services.save_post(post=post, by=coordinator)
    services.publish_post(post=post, by=coordinator)
    assert services.import_feed(feed=feed, data=_sample(), by=coordinator).added == 0


def test_the_same_entry_in_another_feed_is_not_duplicated(feed, coordinator):
    other = services.save_feed(feed=Feed(name="Autre", url=""), by=coordinator)
    services.import_feed(feed=feed, data=_sample(), by=coordinator)
    assert services.import_feed(feed=other, data=_sample(), by=coordinator).added == 0


def test_a_hostile_feed_is_refused_and_nothing_is_written(feed, coordinator):
    before = Post.objects.count()
    with pytest.raises(FeedRefused, match="refusé par sécurité"):
        services.import_feed(feed=feed, data=BILLION_LAUGHS, by=coordinator)
    assert Post.objects.count() == before
    feed.refresh_from_db()
    assert feed.last_result.startswith("Refusé : Le flux contient une déclaration")


def test_refresh_fetches_the_url_without_the_network(feed, coordinator):
    fetch = mock.Mock(return_value=_sample())
    result = services.refresh_feed(feed=feed, by=coordinator, fetch=fetch)
    fetch.assert_called_once_with("https://exemple.invalid/flux.xml")
    assert result.added == 4


class _Response(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *args):
        return False


def test_fetch_url_refuses_a_body_above_the_limit():
    with (
        mock.patch("urllib.request.urlopen", return_value=_Response(b"x" * 2000)) as urlopen,
        pytest.raises(FeedRefused, match="taille maximale"),
    ):
        services.fetch_url("https://exemple.invalid/flux.xml", max_bytes=1000)
    assert urlopen.call_args.kwargs["timeout"] == services.FETCH_TIMEOUT


def test_fetch_url_reports_a_timeout_in_french():
    with (
        mock.patch("urllib.request.urlopen", side_effect=TimeoutError("timed out")),
        pytest.raises(FeedRefused, match="n'a pas pu être relevé"),
    ):
        services.fetch_url("https://exemple.invalid/flux.xml")


def test_fetch_url_refuses_other_schemes():
    with pytest.raises(FeedRefused, match="http:// et https://"):
        services.fetch_url("file:///etc/passwd")


def test_the_import_feeds_command_fetches_each_active_feed(feed):
    out, err = io.StringIO(), io.StringIO()
    with mock.patch.object(watch, "fetch_url", return_value=_sample()) as fetch:
        call_command("import_feeds", "--feed", str(feed.pk), stdout=out, stderr=err)
    assert fetch.call_count == 1
    assert "Veille test : 4 nouvelles entrées, déjà connues : 0" in out.getvalue()
    assert "100 %" in err.getvalue()  # the progress line
    with mock.patch.object(watch, "fetch_url", return_value=_sample()):
        call_command("import_feeds", "--feed", str(feed.pk), stdout=out, stderr=err)
    assert "Veille test : 0 nouvelle entrée, déjà connues : 4" in out.getvalue()


def test_the_command_exits_non_zero_when_a_feed_fails(feed):
    with (
        mock.patch.object(
            watch,
            "fetch_url",
            side_effect=FeedRefused("Le flux n'a pas pu être relevé (panne)."),
        ),
        pytest.raises(CommandError, match=r"\d+ échec"),  # exit status 1, and the scheduler goes on
    ):
        call_command("import_feeds", stdout=io.StringIO(), stderr=io.StringIO())
    feed.refresh_from_db()
    assert feed.last_result.startswith("Échec")


def test_a_coordinator_imports_a_file_from_the_page(client, coordinator, feed):
    client.force_login(coordinator)
    upload = SimpleUploadedFile("avis.xml", _sample())
    response = client.post(
        reverse("information:feed_upload"), {"file-feed": feed.pk, "file-file": upload}, follow=True
    )
    assert "4 brouillons ajoutés, entrées déjà connues : 0." in response.content.decode()
    bad = SimpleUploadedFile("bombe.xml", BILLION_LAUGHS)
    response = client.post(
        reverse("information:feed_upload"), {"file-feed": feed.pk, "file-file": bad}, follow=True
    )
    assert "« bombe.xml » : Le flux contient une déclaration" in response.content.decode()


def test_commune_people_cannot_reach_the_feeds(client, odars_manager, feed):
    client.force_login(odars_manager)
    assert client.get(reverse("information:feeds")).status_code == 403
    assert client.post(reverse("information:feed_refresh", args=[feed.pk])).status_code == 403
