"""What OCR does to a French council document, undone before the reader reads it.

Tesseract reads a printed, scanned deliberation well but not perfectly: a speck of dust becomes a
stray « . », « ' », « | » or « _ » glued to a word or alone at a line's start or end, a table's
border becomes a bar, a table's row of figures is read through its borders, « 0 » comes out as
« O », « l' » as « 1 », a list's blank line or colon appears from nowhere, a cut name gets a space
(« MART Y »). Each function below undoes one such confusion, only where the result cannot be
something a document wrote: clean text (a text file, a PDF's text layer) reads the same with or
without them, and nothing is ever invented — a figure the OCR lost stays lost. (« L an » / « Lan »
and a first name OCR wrote small, « serge GOUZY », are read where dates and names are: reader.)

Every function is pure and linear in the length of its input; patterns start with a literal or a
rare character, and the rarer confusions are looked for only when a cheap test finds their mark,
so that clean text costs little.
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
_SPECK_BEFORE_COLON_RE = re.compile(r"[.,'‘_](?:(?<=\w[.,'‘_])|(?<=\w [.,'‘_]))[ \t]*(?=[ \t]?:)")
_SPECK_AFTER_COLON_RE = re.compile(r":[ \t]+[.,'‘_|:]+(?=[ \t]|$)", re.MULTILINE)
# "Pechbusque S 'est réuni": "s'est" with its letter read big and set apart.
_S_EST_RE = re.compile(r"[Ss] '(?<= [Ss] ')(?=est\b|[ée]tait\b)")
# "sous la présidence dé Mme", "sous là présidence": an article read with an accent.
_LA_ACCENT_RE = re.compile(r"là(?<= là)(?=\s+pr[ée]sidence)")
_DE_ACCENT_RE = re.compile(r"dé(?<= dé)(?=\s(?:M\.|Mme|Monsieur|Madame)\s)")
# A speck between two words where no punctuation stands: "Mme . Sylvie", "DUPONT . (porteur".
# (Not a bar: a table row written with bars has them between its cells.)
_LONE_SPECK_RE = re.compile(r"[.'‘_](?<=[\w,;][ \t][.'‘_])[ \t]+(?=[\w(])")
# A speck glued to a name's first letter inside a line: "), _Inès SARRAUTE".
_GLUED_SPECK_RE = re.compile(rf"[_‘“](?<=[\s(,;][_‘“])(?=[{_UPPER}])")
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
_TRAILING_LETTER_RE = re.compile(r"[LIil](?<=\w[ \t][LIil])[:;.]?[ \t]*$", re.MULTILINE)
# A short word OCR doubled ("délégué à à la protection") or a lone letter a speck became
# ("de e délégué"): French never writes either.
_DOUBLED_WORDS = ("à", "a", "de", "la", "le", "les", "du", "des", "et", "au", "aux")
_DOUBLED_WORD_RE = re.compile(r"(?<![\w'])(à|a|de|la|le|les|du|des|et|au|aux)[ \t]+\1(?![\w'])")
# A period OCR saw between two words of one sentence: "mille. vingt-trois", "sous. la" (a
# sentence never starts with a small letter; "M. le Maire" has a capital before its dot).
_DOT_IN_SENTENCE_RE = re.compile(rf"\.(?<=[{_LOWER}]{{3}}\.)(?=[ \t]+[{_LOWER}])")
# "Mne", "Mrne": "Mme" as OCR may read it.
_MME_RE = re.compile(r"(?<![\w])M(?:ne|rne|mne)(?![\w])")
# A capital alone between a first name and a surname: a speck ("Paul F PEYRE"); an initial
# has its dot.
_LONE_CAPITAL_RE = re.compile(rf" [{_UPPER}](?<=[{_LOWER}] [{_UPPER}])(?= [{_UPPER}]{{2,}})")
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
_NAME_DOT_CANDIDATE_RE = re.compile(rf"\.(?=[ \t]+[{_UPPER}(])")
_WORD_BEFORE_RE = re.compile(rf"(?<![\w.])[{_UPPER}][\w'-]*(?:-[ \t]?[{_UPPER}][\w-]*)?$")
_ABBREVIATIONS = frozenset({"Mme", "Mmes", "Mlle", "Mr", "Dr", "Me", "St", "Ste", "MM", "Pr"})


def strip_word_specks(text: str) -> str:
    """Specks inside a line: around a label's colon, alone between words, glued to a name."""
    if ":" in text:
        text = _SPECK_BEFORE_COLON_RE.sub("", text)
        text = _SPECK_AFTER_COLON_RE.sub(":", text)
    text = _LONE_SPECK_RE.sub("", text)
    if " 'est" in text or " 'était" in text or " 'etait" in text:
        text = _S_EST_RE.sub("s'", text)
    if " là" in text:
        text = _LA_ACCENT_RE.sub("la", text)
    if " dé" in text:
        text = _DE_ACCENT_RE.sub("de", text)
    text = _GLUED_SPECK_RE.sub("", text)
    if "!" in text:
        text = _BANG_LABEL_RE.sub(r"\1 :", text)
    if "par:" in text or "par :" in text:
        text = _COLON_AFTER_BY_RE.sub("", text)
    text = _TRAILING_LETTER_RE.sub("", text)  # (the space before it goes with the line's end)
    if any(f" {word} {word} " in text for word in _DOUBLED_WORDS):
        text = _DOUBLED_WORD_RE.sub(r"\1", text)
    if " e " in text or " i " in text or " u " in text or " x " in text:
        text = _LONE_LETTER_RE.sub("", text)
    text = _DOT_IN_SENTENCE_RE.sub("", text)
    if "Mne" in text or "Mrne" in text or "Mmne" in text:
        text = _MME_RE.sub("Mme", text)
    text = _LONE_CAPITAL_RE.sub("", text)
    if "." in text:
        text = _NAME_DOT_CANDIDATE_RE.sub(_drop_name_dot, text)
    return text


def _drop_name_dot(match: re.Match[str]) -> str:
    """The dot of a candidate ". X" when the word before it and what follows make it a name's."""
    text, dot = match.string, match.start()
    space = max(text.rfind(" ", 0, dot), text.rfind("\n", 0, dot), text.rfind("\t", 0, dot))
    if not text[space + 1 : space + 2].isupper():
        return "."  # a sentence's end after an ordinary word: the common case, decided at once
    word = _WORD_BEFORE_RE.search(text, max(0, dot - 40), dot)
    if not word:
        return "."
    full = _DOT_IN_NAME_RE.match(text, word.start())
    if not full or full.end() != dot + 1 or text[word.start() : dot] in _ABBREVIATIONS:
        return "."
    return ""


# --------------------------------------------------------------------------- letters and figures

# "à 1 offre", "1'adhésion": a lower-case L read as the figure one, before a word that takes
# the article (never before a counted thing: "1 abstention", "1 voix" stay figures).
_ONE_FOR_L_RE = re.compile(rf"1(?:'|[ \t])(?=[aeiouyhéèêâîôû][{_LOWER}]{{2,}})|1'(?=[{_LOWER}])")
_ARTICLE_PLACE_RE = re.compile(r"(?:^|[^\w])(?:[àa]|de|sur|dans|que|par|pour)[ \t]$")
_NOT_AFTER_ONE = ("abstention", "absent", "élu", "excus", "adjoint", "avis", "opposition", "voix")
# A surname's last letter set apart by a space: "DELPECH-MART Y," (a lone capital with no dot
# is never an initial in these documents, which write "J." for one).
# "ler février": the ordinal "1er" with its figure read as a small L.
_FIRST_DAY_RE = re.compile(
    r"ler(?<![\w]ler)(?=[ \t]+(?:janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre"
    r"|octobre|novembre|d[ée]cembre)\b)",
    re.IGNORECASE,
)
_SPLIT_CAPITALS_RE = re.compile(rf" (?<=[{_UPPER}]{{3}} )(?=[{_UPPER}](?:[,;)]|$))", re.MULTILINE)
# The figure zero read as a capital or small O in a count: "Contre : O", "|O |o", "O0,".
_ZERO_END = r"(?=[\s,;.)|]|$)"
# (Three patterns that each start with a letter: much faster in `re` than one alternation.)
_OCR_ZERO_RES = (
    re.compile(r"O(?<=[:|\s(]O)0?" + _ZERO_END),
    re.compile(r"o(?<=[:|\s(]o)0?" + _ZERO_END),
    re.compile(r"0[Oo](?<=[:|\s(]0[Oo])" + _ZERO_END),
)
_COUNT_CONTEXT_RE = re.compile(r"[\d:|]$")
_VOTE_WORD_AFTER_RE = re.compile(r"[ \t]+(?:voix|contre|pour|abstentions?|votes?)\b", re.IGNORECASE)


# "Abstention : 07": a count's "0)" read as "07" or "01" (a count never has a leading zero).
_ZERO_BRACKET_RE = re.compile(
    r"(?:pour|contre|abstentions?|votants|exprim[ée]s|pr[ée]sents|repr[ée]sent[ée]s|pouvoirs"
    r"|procurations|exercice)[ \t]*:[ \t]*$",
    re.IGNORECASE,
)
_ZERO_BRACKET_CANDIDATE_RE = re.compile(r"0[17](?![\d/.\-])")


def fix_letters(text: str) -> str:
    """Letters and figures OCR confused: "à 1 offre", "MART Y", a count of "O"."""
    if "1" in text:
        text = _ONE_FOR_L_RE.sub(_one_to_l, text)
    if "ler" in text:
        text = _FIRST_DAY_RE.sub("1er", text)
    text = _SPLIT_CAPITALS_RE.sub("", text)
    for regex in _OCR_ZERO_RES:
        text = regex.sub(_zero_in_count, text)
    if "0" in text:
        text = _ZERO_BRACKET_CANDIDATE_RE.sub(_zero_after_label, text)
    return text


def _zero_after_label(match: re.Match[str]) -> str:
    before = match.string[max(0, match.start() - 30) : match.start()]
    return "0" if _ZERO_BRACKET_RE.search(before) else match.group(0)


def _one_to_l(match: re.Match[str]) -> str:
    before = match.string[max(0, match.start() - 6) : match.start()]
    glued = match.group(0) == "1'" and not (before[-1:].isalnum() or before[-1:] in "'_")
    if not (glued or _ARTICLE_PLACE_RE.search(before)):
        return match.group(0)
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

# A blank line OCR put inside a list: after a civil title or a proxy's "à" that cannot end it
# ("…, M." / "" / "Gilbert FONTAN"), or between a first name and its surname ("…, Daniel" / "" /
# "DUPUY, …").
_BLANK_LINE_RE = re.compile(rf"\n[ \t]*\n[ \t]*(?=[{_UPPER}])")
_COMMA_BLANK_LINE_RE = re.compile(rf",[ \t]*\n[ \t]*\n[ \t]*(?=[{_UPPER}M])")
_OPEN_END_RE = re.compile(
    rf"(?:[ \t,(](?:M\.|Mme|Mmes|MM\.|Mlle|à|par)"
    rf"|[,;] [{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?)[ \t]*$"
)
_SURNAME_ITEM_RE = re.compile(rf"[{_UPPER}]{{2,}}(?:[-'][{_UPPER}]+)*[ \t]*[,;]")
_TITLE_END_RE = re.compile(r"(?:M\.|Mme|Mmes|MM\.|Mlle|à|par)[ \t]*$")
# A person at the start of a line: "Dominique CAPDEVILLE", "CAPDEVILLE Dominique", "M. X".
_PERSON_START_RE = re.compile(
    rf"(?:M\.|Mme|Mmes|MM\.|Mlle)[ \t]|[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?[ \t]+"
    rf"[{_UPPER}]{{2,}}\b|[{_UPPER}]{{2,}}(?:-[{_UPPER}]{{2,}})?[ \t]+[{_UPPER}][{_LOWER}]+\b"
)
# "Présents Jacques OBERTI, …": a list's label whose colon OCR lost, before a person.
_LABEL_NO_COLON_RE = re.compile(
    r"^(Pr[ée]sents|PR[ÉE]SENTS|Absents|ABSENTS|Excus[ée]s|Pouvoirs|POUVOIRS|Procurations)"
    r"(?=[ \t]+(?:(?:M\.|Mme|Mmes|MM\.)[ \t]|[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+(?:-[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+)?"
    r"[ \t]+[A-ZÀ-ÖØ-Þ]{2,}\b|[A-ZÀ-ÖØ-Þ]{2,}[ \t]+[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+\b))",
    re.MULTILINE,
)
# A speck read as a colon between a first name and its surname: "Emma: ESPAGNOL (porteuse …".
_NAME_COLON_RE = re.compile(
    rf":(?=[ \t]+[{_UPPER}]{{2,}}(?:[-'][{_UPPER}]+)*[ \t]*(?:[,;(]|$))", re.MULTILINE
)
_FIRST_NAME_BEFORE_RE = re.compile(
    rf"(?:^|[,;(] )([{_UPPER}][{_LOWER}]{{2,}}(?:-[{_UPPER}][{_LOWER}]+)?)$"
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
    """Lists of names as OCR breaks them: a blank line after a title or inside a name, a colon
    between a first name and its surname. (A first name OCR wrote small is mended where names
    are read: see reader.clean_name.)"""
    if "\n\n" in text:
        text = _BLANK_LINE_RE.sub(_join_list_lines, text)
        text = _COMMA_BLANK_LINE_RE.sub(_comma_join, text)
    if "Pr" in text or "PR" in text or "Ab" in text or "AB" in text or "Ex" in text or "Po" in text:
        text = _LABEL_NO_COLON_RE.sub(r"\1 :", text)
    if ":" in text:
        text = _NAME_COLON_RE.sub(_drop_name_colon, text)
    return text


def _join_list_lines(match: re.Match[str]) -> str:
    text = match.string
    last = text[match.start() - 1] if match.start() else "."
    if last in ".:;!?" and not text.endswith(("M.", "MM."), 0, match.start()):
        return match.group(0)  # a paragraph that ends as paragraphs do
    line_start = text.rfind("\n", 0, match.start()) + 1
    before = text[max(line_start, match.start() - 60) : match.start()]
    if not _OPEN_END_RE.search(before):
        return match.group(0)
    if _TITLE_END_RE.search(before) or _SURNAME_ITEM_RE.match(text, match.end()):
        return " "
    return match.group(0)


def _comma_join(match: re.Match[str]) -> str:
    return ", " if _PERSON_START_RE.match(match.string, match.end()) else match.group(0)


def _drop_name_colon(match: re.Match[str]) -> str:
    line_start = match.string.rfind("\n", 0, match.start()) + 1
    before = match.string[max(line_start, match.start() - 40) : match.start()]
    word = _FIRST_NAME_BEFORE_RE.search(before)
    if word is None or word.group(1).lower() in _LABEL_WORDS:
        return ":"
    return ""


# --------------------------------------------------------------------------- all of them


def correct(text: str) -> str:
    """The text with the confusions OCR makes undone; clean text comes back unchanged."""
    text = clean_figure_rows(text)
    text = strip_line_specks(text)
    text = strip_word_specks(text)
    text = fix_names(text)
    return fix_letters(text)
