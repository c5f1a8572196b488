"""Campaigns, posts, library documents and threads belong to a programme: created for the page's
programme, listed per programme, never shown to another programme's people (the Sicoval's and the
CC des Coteaux Bellevue's, side by side)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mutualis.accounts.models import User
from mutualis.awareness import services as awareness
from mutualis.awareness.models import AwarenessModule, CampaignScope
from mutualis.awareness.models import Campaign as AwarenessCampaign
from mutualis.information import services as information
from mutualis.information.enums import Category, DocumentKind
from mutualis.information.models import Document, Post, Thread
from mutualis.programme.backfill import programme_picker
from mutualis.programme.models import Programme
from mutualis.programme.tests.second_programme import load_second_programme
from mutualis.purchasing import services as purchasing
from mutualis.purchasing.models import Campaign as NeedsCampaign

pytestmark = pytest.mark.django_db

ITEMS = [{"label": "Poste fixe", "unit": "poste", "constraints": ""}]


def _later(days: int = 20):
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def second():
    return load_second_programme()


def _bellevue_objects(second_programme, bellevue):
    """One of each: an awareness campaign for every commune, a needs campaign, a thread, a
    published post and a library document, all of the second programme."""
    module = AwarenessModule.objects.order_by("pk").first()
    return {
        "awareness": awareness.create_campaign(
            by=bellevue,
            programme=second_programme,
            title="Bellevue : hameçonnage",
            modules=[module],
            due_date=_later(),
            scope=CampaignScope.ALL,
        ),
        "needs": purchasing.open_campaign(
            programme=second_programme,
            title="Bellevue : écrans",
            description="",
            deadline=_later(),
            items=ITEMS,
            by=bellevue,
        ),
        "thread": information.start_thread(
            title="Bellevue : messagerie",
            body="Quelle messagerie ?",
            by=bellevue,
            commune=None,
            programme=second_programme,
        ),
        "post": _published(
            Post(title="Bellevue : coupure réseau", category=Category.NEWS),
            second_programme,
            bellevue,
        ),
    }


def _published(post: Post, programme, by) -> Post:
    post.programme = programme
    information.save_post(post=post, by=by)
    information.publish_post(post=post, by=by)
    return post


def _titles(response, key: str) -> set[str]:
    items = response.context[key]
    return {item.title for item in getattr(items, "object_list", items)}


def test_the_coordinator_of_another_programme_sees_only_its_campaigns_and_threads(
    client, second, coordinator
):
    second_programme, bellevue = second
    mine = _bellevue_objects(second_programme, bellevue)
    sicoval_awareness = AwarenessCampaign.objects.filter(programme__slug="sicoval-2024").first()
    sicoval_needs = NeedsCampaign.objects.filter(programme__slug="sicoval-2024").first()
    sicoval_thread = Thread.objects.filter(programme__slug="sicoval-2024").first()
    assert sicoval_awareness and sicoval_needs and sicoval_thread  # the demo's

    client.force_login(bellevue)
    assert _titles(client.get(reverse("awareness:campaigns")), "campaigns") == {
        "Bellevue : hameçonnage"
    }
    assert _titles(client.get(reverse("purchasing:campaigns")), "campaigns") == {
        "Bellevue : écrans"
    }
    assert _titles(client.get(reverse("information:threads")), "page") == {"Bellevue : messagerie"}
    assert "Bellevue : coupure réseau" in _titles(client.get(reverse("information:posts")), "page")
    for url in (
        reverse("awareness:campaign", args=[sicoval_awareness.pk]),
        reverse("purchasing:campaign", args=[sicoval_needs.pk]),
        reverse("purchasing:campaign_csv", args=[sicoval_needs.pk]),
        reverse("information:thread", args=[sicoval_thread.pk]),
    ):
        assert client.get(url).status_code == 404, url
    api = {c["title"] for c in client.get("/api/purchasing/campaigns").json()}
    assert api == {"Bellevue : écrans"}
    assert client.get(f"/api/purchasing/campaigns/{sicoval_needs.pk}/summary").status_code == 404

    # And the other way round: the Sicoval's coordinator never sees Bellevue's.
    client.force_login(coordinator)
    assert "Bellevue : hameçonnage" not in _titles(
        client.get(reverse("awareness:campaigns")), "campaigns"
    )
    assert "Bellevue : écrans" not in _titles(
        client.get(reverse("purchasing:campaigns")), "campaigns"
    )
    assert "Bellevue : messagerie" not in _titles(
        client.get(reverse("information:threads")), "page"
    )
    assert "Bellevue : coupure réseau" not in _titles(
        client.get(reverse("information:posts")), "page"
    )
    for url in (
        reverse("awareness:campaign", args=[mine["awareness"].pk]),
        reverse("purchasing:campaign", args=[mine["needs"].pk]),
        reverse("information:thread", args=[mine["thread"].pk]),
        reverse("information:post", args=[mine["post"].pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_a_commune_of_another_programme_is_not_assigned_its_campaign_for_every_commune(
    second, odars
):
    second_programme, bellevue = second
    mine = _bellevue_objects(second_programme, bellevue)
    assert odars.pk not in awareness.campaign_people(mine["awareness"])
    odars_agent = User.objects.get(username="odars-agent")
    assigned = AwarenessCampaign.objects.for_person(odars_agent, [odars.pk])
    assert mine["awareness"] not in assigned
    assert assigned.filter(programme__slug="sicoval-2024", scope=CampaignScope.ALL).exists()


def test_objects_created_on_a_page_belong_to_the_pages_programme(client, second):
    second_programme, bellevue = second
    client.force_login(bellevue)
    module = AwarenessModule.objects.order_by("pk").first()
    client.post(
        reverse("awareness:campaign_new"),
        {"title": "Mots de passe", "modules": [module.pk], "due_date": _later().isoformat(),
         "scope": "all"},
    )  # fmt: skip
    client.post(
        reverse("purchasing:campaign_new"),
        {"title": "Imprimantes", "description": "", "deadline": _later().isoformat(),
         "items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "0", "items-0-label": "Imprimante",
         "items-0-unit": "unité", "items-0-constraints": ""},
    )  # fmt: skip
    client.post(reverse("information:thread_create"), {"title": "Wifi", "body": "Quel wifi ?"})
    assert AwarenessCampaign.objects.get(title="Mots de passe").programme == second_programme
    assert NeedsCampaign.objects.get(title="Imprimantes").programme == second_programme
    assert Thread.objects.get(title="Wifi").programme == second_programme


def test_only_staff_serving_every_programme_address_a_post_to_the_whole_instance(
    client, second, coordinator
):
    _second_programme, bellevue = second
    client.force_login(bellevue)  # assigned to one programme: no choice, its programme
    assert (
        "whole_instance"
        not in client.get(reverse("information:post_create")).context["form"].fields
    )
    operator = User.objects.create(username="operator", staff_role=coordinator.staff_role)
    client.force_login(operator)
    form = {"title": "Maintenance de Mutualis", "category": "news", "body": "Samedi.",
            "publish_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "audience": "all",
            "to_managers": "on", "whole_instance": "on"}  # fmt: skip
    assert client.post(reverse("information:post_create"), form).status_code == 302
    post = Post.objects.get(title="Maintenance de Mutualis")
    assert post.programme is None
    information.publish_post(post=post, by=operator)
    client.force_login(bellevue)  # an instance-wide post reaches every programme
    assert "Maintenance de Mutualis" in _titles(client.get(reverse("information:posts")), "page")
    # … which an assigned coordinator reads but does not change: the operator's team's post.
    page = client.get(post.get_absolute_url())
    assert page.status_code == 200
    assert reverse("information:post_edit", args=[post.pk]) not in page.content.decode()
    for name in ("post_edit", "post_withdraw"):
        assert client.get(reverse(f"information:{name}", args=[post.pk])).status_code == 403
    assert client.post(reverse("information:post_publish", args=[post.pk])).status_code == 403
    assert Post.objects.get(pk=post.pk).status == post.status
    client.force_login(operator)
    assert client.get(reverse("information:post_edit", args=[post.pk])).status_code == 200


def test_the_library_lists_the_programmes_documents_and_the_instance_wide_ones(
    client, second, coordinator, programme
):
    second_programme, bellevue = second
    for title, owner in (("Guide Bellevue", second_programme), ("Guide Sicoval", programme),
                         ("Charte de l'instance", None)):  # fmt: skip
        information.save_document(
            document=Document(title=title, kind=DocumentKind.GUIDE, programme=owner),
            by=coordinator,
        )
    client.force_login(bellevue)
    loose = {d.title for d in client.get(reverse("information:library")).context["loose"]}
    assert {"Guide Bellevue", "Charte de l'instance"} <= loose and "Guide Sicoval" not in loose
    # The instance's charter is read, not changed, by a programme's coordinator; their own guide is.
    charter, own = (
        Document.objects.get(title=t) for t in ("Charte de l'instance", "Guide Bellevue")
    )
    assert client.get(reverse("information:document", args=[charter.pk])).status_code == 200
    assert client.get(reverse("information:document_edit", args=[charter.pk])).status_code == 404
    assert client.get(reverse("information:document_edit", args=[own.pk])).status_code == 200
    client.force_login(coordinator)
    loose = {d.title for d in client.get(reverse("information:library")).context["loose"]}
    assert {"Guide Sicoval", "Charte de l'instance"} <= loose and "Guide Bellevue" not in loose


def test_the_backfill_picks_the_programme_of_the_communes_else_the_preferred_one(second, odars):
    second_programme, _bellevue = second
    pick = programme_picker(Programme, timezone.localdate())
    sicoval = Programme.objects.get(slug="sicoval-2024")
    pechbonnieu = second_programme.epcis.get().communes.get(name="Pechbonnieu")
    assert pick({pechbonnieu.epci_id}) == second_programme.pk
    assert pick({odars.epci_id}) == sicoval.pk
    assert pick(set()) == Programme.objects.preferred().pk


def test_the_data_migrations_give_existing_rows_the_programme_of_their_communes(
    second, odars, coordinator
):
    from importlib import import_module

    from django.apps import apps

    from mutualis.purchasing.models import CampaignAnswer

    second_programme, bellevue = second
    sicoval = Programme.objects.get(slug="sicoval-2024")
    pechbonnieu = second_programme.epcis.get().communes.get(name="Pechbonnieu")
    module = AwarenessModule.objects.order_by("pk").first()
    aimed = awareness.create_campaign(
        by=bellevue, programme=second_programme, title="Pechbonnieu", modules=[module],
        due_date=_later(), scope=CampaignScope.COMMUNES, communes=[pechbonnieu],
    )  # fmt: skip
    needs = purchasing.open_campaign(
        programme=second_programme, title="Écrans", description="", deadline=_later(),
        items=ITEMS, by=bellevue,
    )  # fmt: skip
    CampaignAnswer.objects.create(campaign=needs, commune=pechbonnieu)
    thread = information.start_thread(
        title="Wifi", body="?", by=bellevue, commune=pechbonnieu, programme=second_programme
    )
    odars_post = Post.objects.filter(audience_communes=odars).first()
    for model, pks in ((AwarenessCampaign, [aimed.pk]), (NeedsCampaign, [needs.pk]),
                       (Thread, [thread.pk]), (Post, [odars_post.pk])):  # fmt: skip
        model.objects.filter(pk__in=pks).update(programme=None)
    for label in (
        "awareness.migrations.0004_campaign_programme_backfill",
        "purchasing.migrations.0004_campaign_programme_backfill",
        "information.migrations.0007_programme_backfill",
    ):
        import_module(f"mutualis.{label}").forwards(apps, None)
    assert AwarenessCampaign.objects.get(pk=aimed.pk).programme == second_programme
    assert NeedsCampaign.objects.get(pk=needs.pk).programme == second_programme
    assert Thread.objects.get(pk=thread.pk).programme == second_programme
    assert Post.objects.get(pk=odars_post.pk).programme == sicoval
    assert not Post.objects.filter(programme=None, feed=None).exists()


def test_an_instance_wide_alert_is_followed_by_each_team_for_its_own_communes(
    client, second, coordinator
):
    """The operator's critical alert reaches every programme's communes; the coordinator of a
    programme follows and reminds the acknowledgements of their communes only."""
    from mutualis.information.enums import Category
    from mutualis.information.tests.factories import published_post
    from mutualis.membership.enums import Status
    from mutualis.membership.models import Membership
    from mutualis.territory.models import Commune

    second_programme, bellevue = second
    Membership.objects.create(
        programme=second_programme,
        commune=Commune.objects.get(name="Pechbonnieu"),
        offer_code="base",
        status=Status.JOINED,
    )
    alert = published_post("Faille critique", category=Category.ALERT, programme=None)
    client.force_login(bellevue)
    page = client.get(reverse("information:acknowledgements", args=[alert.pk]))
    pending = {c.name for c in page.context["status"].pending}
    assert "Pechbonnieu" in pending and "Odars" not in pending
    assert "Odars" not in page.content.decode()
    client.force_login(coordinator)
    page = client.get(reverse("information:acknowledgements", args=[alert.pk]))
    pending = {c.name for c in page.context["status"].pending}
    assert "Odars" in pending and "Pechbonnieu" not in pending
