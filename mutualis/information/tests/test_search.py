"""French search across posts, documents and threads: the same results on SQLite (FTS5) and
PostgreSQL (text search); this file runs on both in CI and expects identical answers."""

import pytest
from django.db import connection
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mutualis.information import search
from mutualis.information.models import Document, Post, Thread
from mutualis.information.normalise import matches, search_text
from mutualis.information.tests.factories import published_post
from mutualis.information.views.search import search_all

pytestmark = pytest.mark.django_db

CORPUS = [
    "Vulnérabilités critiques dans les pare-feux de la mairie",
    "Une vulnérabilité corrigée dans la messagerie",
    "Sauvegarde externalisée des serveurs communaux",
    "Les sauvegardes : règle 3-2-1",
    "Élections municipales et comptes des élus",
    "Données personnelles : le registre des traitements",
    "Mise à jour des postes Windows 11",
]

# query -> titles expected, whatever the database
EXPECTED = {
    "vulnérabilité": {0, 1},
    "VULNERABILITES": {0, 1},
    "vulnérabilités critiques": {0},
    "sauvegardes": {2, 3},
    "sauvegarde externalisee": {2},
    "élus": {4},
    "donnée personnelle": {5},
    "registre traitement": {5},
    "windows 11": {6},
    "postes": {6},
    "mairie messagerie": set(),
    "le la les": set(),  # only stop words
    "introuvablemot": set(),
}


@pytest.fixture
def corpus():
    return [published_post(f"[corpus] {title}", body="") for title in CORPUS]


@pytest.mark.parametrize("query", list(EXPECTED))
def test_the_same_french_queries_give_the_same_results_on_every_database(corpus, query):
    found = set(
        search.matching(Post.objects.filter(title__startswith="[corpus]"), query).values_list(
            "pk", flat=True
        )
    )
    assert found == {corpus[i].pk for i in EXPECTED[query]}, connection.vendor


def test_search_respects_audiences(client, odars, labege, odars_agent, labege_it):
    published_post("Quasiment introuvable : consigne zorglub pour Odars", communes=[odars])
    published_post("Consigne zorglub pour Labège", communes=[labege])
    odars_results = [p.title for p in search_all(odars_agent, "zorglub")["posts"]]
    assert odars_results == ["Quasiment introuvable : consigne zorglub pour Odars"]
    client.force_login(labege_it)
    page = client.get(reverse("information:search"), {"q": "zorglub"}).content.decode()
    assert "Odars" not in page and "Consigne zorglub pour Labège" in page


def test_search_covers_documents_and_threads(labege_it, odars_agent):
    results = search_all(labege_it, "sauvegardes")
    assert "Guide des sauvegardes pour les mairies" in [d.title for d in results["documents"]]
    assert [t.title for t in results["threads"]] == [
        "Sauvegardes externalisées : retours sur les solutions testées"
    ]
    # Odars has no IT department: threads are not for it; its own document is
    assert search_all(odars_agent, "sauvegardes")["threads"] == []
    assert [d.title for d in search_all(odars_agent, "inventaire")["documents"]] == [
        "Odars — inventaire du parc informatique"
    ]
    assert search_all(labege_it, "inventaire")["documents"] == []


def test_a_reply_makes_its_thread_findable(labege_it, labege):
    from mutualis.information import services

    thread = Thread.objects.first()
    services.reply(
        thread=thread, body="Nous utilisons un onduleur Xyloméga.", by=labege_it, commune=labege
    )
    assert list(search.matching(Thread.objects.all(), "xylomega")) == [thread]


def test_editing_a_post_updates_the_index(coordinator):
    from mutualis.information import services

    post = published_post("Titre ancien pamplemousse")
    post.title = "Titre nouveau clémentine"
    services.save_post(post=post, by=coordinator)
    assert not search.matching(Post.objects.all(), "pamplemousse").exists()
    assert list(search.matching(Post.objects.all(), "clementines")) == [post]


WORDS = [
    "mairie",
    "mairies",
    "sécurité",
    "securites",
    "données",
    "réseau",
    "réseaux",
    "poste",
    "étude",
    "élu",
    "été",
    "l'été",
    "mot",
    "passe",
    "2024",
    "v2",
    "œuvre",
]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=6), min_size=1, max_size=6),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=3),
)
def test_the_database_agrees_with_the_reference_rule(coordinator, texts, query_words):
    """Both databases return exactly the records the pure rule `normalise.matches` picks."""
    from mutualis.information import services

    posts = []
    for words in texts:
        post = Post(title="[fuzz] " + " ".join(words), category="news")
        services.save_post(post=post, by=coordinator)
        posts.append(post)
    query = " ".join(query_words)
    scope = Post.objects.filter(pk__in=[p.pk for p in posts])
    found = set(search.matching(scope, query).values_list("pk", flat=True))
    expected = {p.pk for p in posts if matches(search_text(p.title, p.body), query)}
    assert found == expected


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="compares with PostgreSQL's own French stemmer"
)
def test_python_stems_like_postgresql_french_configuration():
    """The stems stored are those PostgreSQL's `french` configuration (french_stem) would give."""
    from mutualis.information.normalise import terms, unaccent

    words = [
        "vulnérabilités",
        "sauvegardes",
        "externalisées",
        "mairies",
        "communes",
        "données",
        "personnelles",
        "traitements",
        "élections",
        "municipales",
        "messagerie",
        "correctifs",
        "réseaux",
        "serveurs",
        "postes",
        "mises",
        "jour",
        "critiques",
        "alertes",
        "études",
        "hameçonnage",
        "rançongiciels",
        "logiciels",
        "conventions",
        "délibérations",
    ]
    with connection.cursor() as cursor:
        for word in words:
            plain = unaccent(word)
            cursor.execute("SELECT ts_lexize('french_stem', %s)", [plain])
            assert cursor.fetchone()[0] == terms(word), word


def test_documents_titles_are_searchable_with_accents_dropped(coordinator):
    assert list(search.matching(Document.objects.all(), "modele charte")) == [
        Document.objects.get(title="Modèle de charte informatique communale")
    ]
