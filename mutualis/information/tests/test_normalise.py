"""The French search normalisation: accents, plurals, stop words; pure, no database."""

import re

from hypothesis import given
from hypothesis import strategies as st

from mutualis.information.normalise import matches, query_terms, search_text, terms


def test_plural_and_singular_give_the_same_stem():
    assert terms("vulnérabilités") == terms("vulnérabilité")
    assert terms("mairies") == terms("mairie")
    assert terms("sauvegardes externalisées") == terms("sauvegarde externalisée")


def test_accents_do_not_matter():
    assert terms("sécurité") == terms("securite") == terms("SÉCURITÉ")
    assert terms("données") == terms("donnees")


def test_stop_words_are_left_out():
    assert terms("la mise à jour des postes de la mairie") == terms("mise jour postes mairie")


def test_a_query_matches_when_every_stem_is_present():
    stored = search_text("Vulnérabilités critiques dans les pare-feux", "Appliquer le correctif")
    assert matches(stored, "vulnerabilite")
    assert matches(stored, "correctifs critique")
    assert not matches(stored, "vulnérabilité messagerie")
    assert not matches(stored, "")
    assert not matches(stored, "le la les")  # only stop words: no query


@given(st.text(max_size=300))
def test_stored_text_is_only_lowercase_ascii_tokens(text):
    stored = search_text(text)
    assert all(re.fullmatch(r"[a-z0-9]+", token) for token in stored.split())


@given(
    st.lists(
        st.sampled_from(["mairie", "mairies", "Sécurité", "données", "été", "œuvre", "Étude"]),
        max_size=6,
    ),
    st.text(max_size=50),
)
def test_a_record_always_matches_its_own_words(words, noise):
    text = " ".join(words) + " " + noise
    stored = search_text(text)
    for word in words:
        if query_terms(word):
            assert matches(stored, word)


@given(st.text(max_size=200))
def test_query_terms_are_distinct_and_bounded(query):
    found = query_terms(query)
    assert len(found) == len(set(found)) <= 12
