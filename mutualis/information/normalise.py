"""French search normalisation, pure: the same stems are stored and searched on every database.

A text becomes a space-separated string of lower-case, unaccented Snowball French stems, without
stop words. Stored in each searchable record and matched as whole tokens by SQLite FTS5 or by
PostgreSQL's text search, it makes both databases find exactly the same records: the French
stemming (the Snowball algorithm of PostgreSQL's own `french` configuration) is done once, here.
"""

import re
import unicodedata

import snowballstemmer

_stemmer = snowballstemmer.stemmer("french")
_WORD = re.compile(r"[a-z0-9]+")
# Frequent French words that carry no meaning for a search (unaccented, as they are compared).
STOP_WORDS = frozenset(
    """
    a au aux avec ce ces cet cette dans de des du elle en et eux il ils je la le les leur leurs lui
    ma mais me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta
    te tes toi ton tu un une vos votre vous c d j l m n s t y est sont ete etre avoir ont a
    """.split()  # noqa: SIM905 - a word list reads better as text
)
MAX_TERMS = 20_000


def unaccent(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def terms(text: str) -> list[str]:
    """The stems of a text, in order, stop words left out (duplicates kept)."""
    words = _WORD.findall(unaccent(text.casefold()).replace("œ", "oe").replace("æ", "ae"))
    words = [w for w in words if w not in STOP_WORDS][:MAX_TERMS]
    return _stemmer.stemWords(words)


def search_text(*parts: str) -> str:
    """What a record stores to be found: the stems of its searchable parts."""
    return " ".join(terms(" ".join(p for p in parts if p)))


def query_terms(query: str) -> list[str]:
    """The distinct stems a search asks for; every one must be in a record for it to match."""
    seen: dict[str, None] = {}
    for term in terms(query)[:12]:
        seen.setdefault(term, None)
    return list(seen)


def matches(stored: str, query: str) -> bool:
    """The reference rule both databases implement: every query stem is a stored token."""
    wanted = query_terms(query)
    tokens = set(stored.split())
    return bool(wanted) and all(term in tokens for term in wanted)
