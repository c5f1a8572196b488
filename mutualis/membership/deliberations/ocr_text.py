"""What OCR does to a French council document, undone before the reader reads it.

Tesseract reads a printed, scanned deliberation well but not perfectly: a speck of dust becomes a
stray « . », « ' », « | » or « _ » glued to a word or alone at a line's start or end, a table's
border becomes a bar, « l'an » loses its apostrophe, « 0 » comes out as « O », an initial capital
comes out small (« serge GOUZY »), a cut name gets a space (« MART Y »). Each function below undoes
one such confusion, only where the result cannot be something a document wrote: clean text (a
text file, a PDF's text layer) goes through unchanged, and nothing is ever invented — a figure
the OCR lost stays lost.

Every function is pure, linear in the length of its input, and starts with a cheap test so that
clean text costs next to nothing.
"""

from __future__ import annotations

import re

_UPPER = "A-ZÀ-ÖØ-Þ"
_LOWER = "a-zß-öø-ÿ"

# --------------------------------------------------------------------------- line edges

# A speck alone at a line's start, before the line's text: ". Comité syndical", "' Présents",
# ": COMMUNE DE …", "_ Délibération", "| Objet : …", "- Secrétaire" is kept (a bullet).
_LEADING_SPECK_RE = re.compile(r"^[.,:;'_|!~«»“”=]{1,3}[ \t]+(?=[^\n|]*$)", re.MULTILINE)
# A speck glued to the first word of a line: "_Inès SARRAUTE", "'convoqué", "“REGISTRE", ".N°".
_GLUED_LEADING_SPECK_RE = re.compile(rf"^[_'“|.]+(?=[{_UPPER}{_LOWER}][^\n|]*$)", re.MULTILINE)
# A lone bar (a table border or a speck) at a line's end: "… Annie ESCOULAN |".
_TRAILING_BAR_RE = re.compile(
    r"[ \t]+[|_!\[\]]{1,3}(?:[ \t]+[|_!.:\[\]]{1,3})*[ \t]*$", re.MULTILINE
)


def strip_line_specks(text: str) -> str:
    """Specks at a line's start or end; a line with several bars (a table row) keeps them."""
    text = _LEADING_SPECK_RE.sub("", text)
    text = _GLUED_LEADING_SPECK_RE.sub("", text)
    if "|" not in text and "_" not in text and "!" not in text and "[" not in text:
        return text
    return _TRAILING_BAR_RE.sub(_drop_trailing_bar, text)


def _drop_trailing_bar(match: re.Match[str]) -> str:
    line_start = match.string.rfind("\n", 0, match.start()) + 1
    line = match.string[line_start : match.start()]
    # A table row ("| 15 | 12 |") keeps its last border; prose ends with a speck.
    return match.group(0) if "|" in line or not line.strip() else ""


# --------------------------------------------------------------------------- table rows

# A table's row of figures as OCR reads it through the cells' borders: "20 15 3 _|[18 18 |O |o",
# "16. 13 1. 14. 14 |0O 0". Only figures, zeros read as O, borders and specks.
_FIGURE_ROW_RE = re.compile(r"^[ \t|\[\]_!{}().,:Oo0-9]+$", re.MULTILINE)
_CLEAN_ROW_RE = re.compile(r"[ \t|]*\d{1,3}(?:[ \t|]+\d{1,3})*[ \t|]*")
_ROW_CELL_RE = re.compile(r"\d{1,3}|[Oo0]{1,3}")
_ROW_JUNK_RE = re.compile(r"[\s|\[\]_!{}().,:]+")


def clean_figure_rows(text: str) -> str:
    """A table's row of figures OCR read through its borders, as figures apart by spaces; a
    row a text layer wrote ("15 | 12 | 2") is left as it is."""
    return _FIGURE_ROW_RE.sub(_clean_row, text)


def _clean_row(match: re.Match[str]) -> str:
    row = match.group(0)
    if _CLEAN_ROW_RE.fullmatch(row) or not any(c.isdigit() for c in row):
        return row
    cells = [cell for cell in _ROW_JUNK_RE.split(row) if cell]
    if len(cells) < 2 or not all(_ROW_CELL_RE.fullmatch(cell) for cell in cells):
        return row
    return " ".join("0" if cell.isalpha() or not cell.isdigit() else cell for cell in cells)


# --------------------------------------------------------------------------- inside lines

# A speck before a label's colon or just after it: "Présents. :", "Pouvoir: .", "Objet. :".
_SPECK_BEFORE_COLON_RE = re.compile(r"(?<=\w)[ \t]?[.,'‘_][ \t]*(?=[ \t]?:)")
_SPECK_AFTER_COLON_RE = re.compile(r"(?<=:)[ \t]+[.,'‘_|]+(?=[ \t]|$)", re.MULTILINE)
# A speck between two words where no punctuation stands: "Mme . Sylvie", "DUPONT . (porteur".
_LONE_SPECK_RE = re.compile(r"(?<=[\w,;])[ \t]+[.'‘_|][ \t]+(?=[\w(])")
# A speck glued to a name's first letter inside a line: "), _Inès SARRAUTE".
_GLUED_SPECK_RE = re.compile(rf"(?<=[\s(,;])[_‘“](?=[{_UPPER}])")
# "Objet !" and "représenté par:": a colon read as "!", a speck read as a colon.
_BANG_LABEL_RE = re.compile(
    r"(?<![\w])((?:objet|pr[ée]sents?|absents?|excus[ée]s?|pouvoirs?|procurations?|votants"
    r"|pour|contre|abstentions?|secr[ée]taire(?:\s+de\s+s[ée]ance)?))[ \t]*!",
    re.IGNORECASE,
)
_COLON_AFTER_BY_RE = re.compile(
    r"(?<=repr[ée]sent[ée] par)[ \t]*:|(?<=repr[ée]sent[ée]e par)[ \t]*:"
)
# A letter alone at a line's end, after a word: a speck ("… 2023 L", "MANDEMENT L:").
_TRAILING_LETTER_RE = re.compile(r"(?<=\w)[ \t]+[LIil|][:;.]?[ \t]*$", re.MULTILINE)
# A short word OCR doubled ("délégué à à la protection") or a lone letter a speck became
# ("de e délégué"): French never writes either.
_DOUBLED_WORD_RE = re.compile(r"(?<![\w'])(à|a|de|la|le|les|du|des|et|au|aux)[ \t]+\1(?![\w'])")
# A period OCR saw between two words of one sentence: "mille. vingt-trois", "sous. la" (a
# sentence never starts with a small letter; "M. le Maire" has a capital before its dot).
_DOT_IN_SENTENCE_RE = re.compile(rf"(?<=[{_LOWER}]{{3}})\.(?=[ \t]+[{_LOWER}])")
# "Mne", "Mrne": "Mme" as OCR may read it.
_MME_RE = re.compile(r"(?<![\w])M(?:ne|rne|mne)(?![\w])")
# A capital alone between a first name and a surname: a speck ("Paul F PEYRE"); an initial
# has its dot.
_LONE_CAPITAL_RE = re.compile(rf"(?<=[{_LOWER}]) [{_UPPER}](?= [{_UPPER}]{{2,}})")
_LONE_LETTER_RE = re.compile(rf"(?<=[{_LOWER}])[ \t]+[eiux](?=[ \t]+[{_LOWER}])")
# A dot OCR glued to a name before its other half or its note: "Karl. LACAZE", "HOUCHARD. Yves",
# "DUPONT. (porteur d'un pouvoir", "Henri. JOUVE". A first name (capitalised) before a surname (in
# capitals), or a surname before a first name or a bracket: never a sentence's end there, which
# would be followed by an ordinary word.
_FIRST = rf"[{_UPPER}][{_LOWER}]+(?:-[ \t]?[{_UPPER}][{_LOWER}]+)?"
_SURNAME = rf"[{_UPPER}]{{2,}}(?:(?:[-'][ \t]?|[ \t])[{_UPPER}]{{2,}})*"
_ITEM_END = r"[ \t]*(?:[,;)(\n]|[ \t][-–—][ \t]|$)"
_DOT_IN_NAME_RE = re.compile(
    rf"(?<![\w.])({_FIRST}\.(?=[ \t]+{_SURNAME}(?:{_ITEM_END}|[ \t]+{_FIRST}[ \t]*[,;\n]))"
    rf"|[{_UPPER}]{{2,}}(?:-[{_UPPER}]{{2,}})*\.(?=[ \t]+(?:\(|{_FIRST}{_ITEM_END})))",
    re.MULTILINE,
)
_ABBREVIATIONS = frozenset({"Mme", "Mmes", "Mlle", "Mr", "Dr", "Me", "St", "Ste", "MM", "Pr"})


def strip_word_specks(text: str) -> str:
    """Specks inside a line: around a label's colon, alone between words, glued to a name."""
    if ":" in text:
        text = _SPECK_BEFORE_COLON_RE.sub("", text)
        text = _SPECK_AFTER_COLON_RE.sub("", text)
    text = _LONE_SPECK_RE.sub(" ", text)
    text = _GLUED_SPECK_RE.sub("", text)
    if "!" in text:
        text = _BANG_LABEL_RE.sub(r"\1 :", text)
    if "par" in text and ":" in text:
        text = _COLON_AFTER_BY_RE.sub("", text)
    text = _TRAILING_LETTER_RE.sub("", text)
    text = _DOUBLED_WORD_RE.sub(r"\1", text)
    text = _LONE_LETTER_RE.sub("", text)
    text = _DOT_IN_SENTENCE_RE.sub("", text)
    text = _MME_RE.sub("Mme", text)
    text = _LONE_CAPITAL_RE.sub("", text)
    if "." in text:
        text = _DOT_IN_NAME_RE.sub(_drop_name_dot, text)
    return text


def _drop_name_dot(match: re.Match[str]) -> str:
    word = match.group(1)[:-1]
    return match.group(1) if word in _ABBREVIATIONS else word


# --------------------------------------------------------------------------- letters and figures

# "à 1 offre", "1'adhésion": a lower-case L read as the figure one, before a word that takes
# the article (never before a counted thing: "1 abstention", "1 voix" stay figures).
_ONE_FOR_L_RE = re.compile(
    rf"(?:(?<=\b[àa][ \t])|(?<=\bde[ \t])|(?<=\bsur[ \t])|(?<=\bque[ \t])|(?<=\bpar[ \t])"
    rf"|(?<=\bdans[ \t])|(?<=\bpour[ \t]))1(?:'|[ \t])(?=[aeiouyhéèêâîôû][{_LOWER}]{{2,}})"
    rf"|(?<![\w'])1'(?=[{_LOWER}])"
)
_NOT_AFTER_ONE = ("abstention", "absent", "élu", "excus", "adjoint", "avis", "opposition", "voix")
# A surname's last letter set apart by a space: "DELPECH-MART Y," (a lone capital with no dot
# is never an initial in these documents, which write "J." for one).
# "ler février": the ordinal "1er" with its figure read as a small L.
_FIRST_DAY_RE = re.compile(
    r"(?<![\w])ler(?=[ \t]+(?:janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre"
    r"|octobre|novembre|d[ée]cembre)\b)",
    re.IGNORECASE,
)
_SPLIT_CAPITALS_RE = re.compile(rf"(?<=[{_UPPER}]{{3}}) (?=[{_UPPER}](?:[,;)]|$))", re.MULTILINE)
# The figure zero read as a capital or small O in a count: "Contre : O", "|O |o", "O0,".
_OCR_ZERO_RE = re.compile(r"(?<=[:|\s(])[Oo]0?(?=[\s,;.)|]|$)|(?<=[:|\s(])0[Oo](?=[\s,;.)|]|$)")
_COUNT_CONTEXT_RE = re.compile(r"[\d:|]$")
_VOTE_WORD_AFTER_RE = re.compile(r"[ \t]+(?:voix|contre|pour|abstentions?|votes?)\b", re.IGNORECASE)


# "Abstention : 07": a count's "0)" read as "07" or "01" (a count never has a leading zero).
_ZERO_BRACKET_RE = re.compile(
    r"((?:pour|contre|abstentions?|votants|exprim[ée]s|pr[ée]sents|repr[ée]sent[ée]s|pouvoirs"
    r"|procurations|exercice)[ \t]*:[ \t]*)0[17](?![\d/.\-])",
    re.IGNORECASE,
)


def fix_letters(text: str) -> str:
    """Letters and figures OCR confused: "à 1 offre", "MART Y", a count of "O"."""
    if "1" in text:
        text = _ONE_FOR_L_RE.sub(_one_to_l, text)
    if "ler" in text:
        text = _FIRST_DAY_RE.sub("1er", text)
    text = _SPLIT_CAPITALS_RE.sub("", text)
    if "O" in text or "o" in text:
        text = _OCR_ZERO_RE.sub(_zero_in_count, text)
    if "0" in text:
        text = _ZERO_BRACKET_RE.sub(r"\g<1>0", text)
    return text


def _one_to_l(match: re.Match[str]) -> str:
    following = match.string[match.end() : match.end() + 12].lower()
    if following.startswith(_NOT_AFTER_ONE):
        return match.group(0)
    return "l'"


def _zero_in_count(match: re.Match[str]) -> str:
    """An "O" that stands where a count's figure goes (after a colon, a bar or another figure)."""
    line_start = match.string.rfind("\n", 0, match.start()) + 1
    before = match.string[max(line_start, match.start() - 40) : match.start()]
    if _COUNT_CONTEXT_RE.search(before.rstrip(" \t")) or _VOTE_WORD_AFTER_RE.match(
        match.string, match.end()
    ):
        return "0"
    return match.group(0)


# --------------------------------------------------------------------------- names

# A blank line OCR put inside a list, after a civil title that cannot end it ("…, M." / "" /
# "Gilbert FONTAN").
_BLANK_AFTER_TITLE_RE = re.compile(
    r"(?<=[ \t,(])(M\.|Mme|Mmes|MM\.|Mlle)[ \t]*\n[ \t]*\n[ \t]*(?=[A-ZÀ-ÖØ-Þ])"
)
# A first name whose capital OCR read small before its surname in capitals, as a list item:
# "…, serge GOUZY, …", "Hugo COUZINET, iris DELMAS".
_SMALL_FIRST_NAME_RE = re.compile(
    rf"(?:(?<=[,;])|(?<=[,;][ \t])|(?<=[ \t][-–—][ \t])|(?<=^)|(?<= à )|(?<= par ))"
    rf"([{_LOWER}]{{3,}})"
    rf"(?=[ \t]+[{_UPPER}]{{3,}}(?:-[{_UPPER}]{{2,}})?(?:[ \t]*(?:[,;)\n]|[ \t][-–—][ \t]|$)))",
    re.MULTILINE,
)
# Words that may stand before a name in capitals in a sentence: never taken for a first name.
_NOT_FIRST_NAMES = frozenset(
    {"avec", "pour", "par", "dont", "sous", "chez", "vers", "selon", "entre", "sans", "contre"}
    | {"les", "des", "aux", "une", "ainsi", "puis", "mais", "donc", "voir", "dit", "dite"}
    | {"commune", "ville", "syndicat", "mairie", "madame", "monsieur", "messieurs", "mesdames"}
)


# A blank line OCR put between a first name and its surname: "…, Daniel" / "" / "DUPUY, …".
_BLANK_IN_NAME_RE = re.compile(
    rf"(?<=[,;] )([{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?)[ \t]*\n[ \t]*\n[ \t]*"
    rf"(?=[{_UPPER}]{{2,}}(?:[-'][{_UPPER}]+)*[ \t]*[,;])"
)


# A speck read as a colon between a first name and its surname: "Emma: ESPAGNOL (porteuse …".
_COLON_IN_NAME_RE = re.compile(
    rf"(?:(?<=^)|(?<=[,;(] ))([{_UPPER}][{_LOWER}]{{2,}}(?:-[{_UPPER}][{_LOWER}]+)?):"
    rf"(?=[ \t]+[{_UPPER}]{{2,}}(?:[-'][{_UPPER}]+)*[ \t]*(?:[,;(]|$))",
    re.MULTILINE,
)
# Labels and roles that a colon rightly follows before a name: "Secrétaire: DUPONT".
_LABEL_WORDS = frozenset(
    {"objet", "présents", "presents", "présent", "present", "absents", "absent", "excusés"}
    | {"excusé", "pouvoirs", "pouvoir", "procurations", "procuration", "secrétaire", "séance"}
    | {"votants", "pour", "contre", "abstention", "abstentions", "date", "président", "maire"}
    | {"présidente", "exercice", "représentés", "représenté", "membres", "conseillers"}
    | {"délégués", "présidence", "commune", "lieu", "rapporteur", "rapporteure", "quorum"}
)


def fix_names(text: str) -> str:
    """Lists of names as OCR breaks them: a blank line after a title or inside a name, a small
    first letter."""
    if "\n\n" in text:
        text = _BLANK_AFTER_TITLE_RE.sub(r"\1 ", text)
        text = _BLANK_IN_NAME_RE.sub(r"\1 ", text)
    if ":" in text:
        text = _COLON_IN_NAME_RE.sub(_drop_name_colon, text)
    return _SMALL_FIRST_NAME_RE.sub(_capitalise_first_name, text)


def _drop_name_colon(match: re.Match[str]) -> str:
    word = match.group(1)
    return match.group(0) if word.lower() in _LABEL_WORDS else word


def _capitalise_first_name(match: re.Match[str]) -> str:
    word = match.group(1)
    return word if word in _NOT_FIRST_NAMES else word[0].upper() + word[1:]


# --------------------------------------------------------------------------- all of them


def correct(text: str) -> str:
    """The text with the confusions OCR makes undone; clean text comes back unchanged."""
    text = clean_figure_rows(text)
    text = strip_line_specks(text)
    text = strip_word_specks(text)
    text = fix_names(text)
    return fix_letters(text)
