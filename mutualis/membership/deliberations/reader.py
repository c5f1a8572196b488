"""Read a council deliberation's text into its facts, leaving `None` for whatever it cannot read."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from .names import name_key, strip_titles
from .ocr_text import correct as correct_ocr
from .words import (
    find_dates,
    fold,
    leading_number,
    leading_year,
    parse_date,
    trailing_number,
)

# Everything below is compiled once at import; every pattern is linear (no nested unbounded
# repetition) and every window scanned by Python code is bounded, so a long or hostile input
# costs time proportional to its length.

_I = re.IGNORECASE
# Patterns scanning the whole text run without IGNORECASE on a lower-cased copy of it (same
# length, so spans map back to the original): Python's `re` is several times faster that way.
_LM = re.MULTILINE
_LOWER_TABLE = str.maketrans(
    {c: c.lower() for c in map(chr, range(0x41, 0x250)) if c.lower() != c and len(c.lower()) == 1}
)

# str.replace is much faster than str.translate on non-ASCII text.
_REPLACEMENTS = (
    tuple({"\u00ad": "", "\u200b": "", "\u200c": "", "\u200d": "", "\ufeff": ""}.items())
    + tuple({"’": "'", "‘": "'", "`": "'", "\f": "\n", "\r": "\n"}.items())
    + tuple(dict.fromkeys("\u00a0\u2007\u202f", " ").items())
)
_WIDE_GAP_RE = re.compile(r"   +")
_TAB_RUN_RE = re.compile(r" *\t[ \t]*")
# A line whose every gap between words is wide, at least three of them: text justified by a PDF
# producer, not table columns (whose cells hold several words each, or figures).
_JUSTIFIED_LINE_RE = re.compile(r"^[^ \n\t]+(?:  +[^ \n\t]+){3,}$", re.MULTILINE)
_BROKEN_HYPHEN_RE = re.compile(r"(?<=[A-Za-zÀ-ÖØ-öø-ÿ])- (?=[A-ZÀ-ÖØ-Þ])")
# "L an deux mille", "s est réuni", "commune d Odars": a transcription that lost its apostrophes.
_LOST_APOSTROPHE_RE = re.compile(
    r"(?<![\w'.])([LlDdSsNnJjCc]|[Qq]u) (?=[aeiouyhàâäéèêëîïôöûüAEIOUYHÀÂÄÉÈÊËÎÏÔÖÛÜ])"
)
_DOUBLE_SPACE_RE = re.compile(r"  +")

_NAME_TOKEN_RE = re.compile(r"[A-ZÀ-ÖØ-Þ][\wÀ-ÿ'’\-]*\.?|[A-ZÀ-ÖØ-Þ]\.")
_PARTICLES = frozenset(
    {"de", "du", "des", "d", "le", "la", "les", "van", "von", "di", "da", "del", "dos", "ep"}
    | {"epouse", "nee", "der", "den", "y"}
)
_ROLE_WORDS = frozenset(
    {"maire", "adjoint", "adjointe", "adjoints", "president", "presidente", "vice"}
    | {"conseiller", "conseillere", "conseillers", "municipal", "municipale", "municipaux"}
    | {"delegue", "deleguee", "secretaire", "neant", "aucun", "aucune", "absent", "absente"}
    | {"absents", "absentes", "excuse", "excusee", "excuses", "excusees", "present"}
    | {"presente", "presents", "presentes", "represente", "representee", "pouvoir"}
    | {"procuration", "mandat", "membres", "membre", "titulaire", "titulaires", "suppleant"}
    | {"suppleante", "communautaire", "communautaires", "et", "qui", "arrive", "arrivee"}
    | {"parti", "partie", "sortie", "sorti", "non", "ordre", "tableau", "seance", "votant"}
    | {"commune", "conseil", "monsieur", "madame", "total", "nombre", "mme", "messieurs"}
    | {"mm", "mmes", "mlle", "mr", "mesdames", "suivants", "suivantes"}
)

_LIST_SPLIT_RE = re.compile(
    r"\s*(?:[,;\n•●▪◦·/]|\s[-–—]\s|\set\s"
    r"|(?<!\bMM)(?<!\bMme)(?<!\bMmes)(?<!\bMlle)(?<!\bMr)(?<!\bDr)(?<!\bSt)(?<=\w{2})\.\s)\s*",
    re.IGNORECASE,
)
_PAREN_RE = re.compile(r"\([^()\n]{0,120}\)")
_PROXY_IN_ITEM_RE = re.compile(
    r"\b(?:(?:a|avait|ayant|qui\s+a)\s+)?(?:donn[ée]e?|donne|remis|confi[ée]e?)?\s*"
    r"(?:son\s+|sa\s+|un\s+)?(?:pouvoirs?|procurations?|mandat|d[ée]l[ée]gation\s+de\s+vote)\b"
    r"|\brepr[ée]sent[ée]e?s?\s+par\b",
    _I,
)

# Section labels of the attendance block, at a line start or after a separator.
_PRESENT_LABEL_RE = re.compile(
    r"(?:^|(?<=[\s.;:(]))(?:[ée]taient\s+|[ée]tait\s+)?pr[ée]sent(?:e|s|es|\(e\)s?|\(s\))?"
    r"(?:\s+(?:les\s+)?(?:membres|conseillers?(?:\s+municipaux|\s+communautaires)?|"
    r"d[ée]l[ée]gu[ée]s(?:\s+titulaires)?)(?:\s+suivants)?)?\s*(?:\(\s*\d{1,3}\s*\))?\s*:",
    0,
)
_PRESENT_SENTENCE_RE = re.compile(
    r"(?:^|(?<=[\s.;]))[ée]taient\s+pr[ée]sent(?:e|s|es|\(e\)s?)\b"
    r"(?:\s+(?:les\s+)?(?:membres|conseillers|d[ée]l[ée]gu[ée]s)\s+suivants)?\s*[,:]?",
    0,
)
_ABSENT_LABEL_RE = re.compile(
    r"(?:^|(?<=[\s.;:(]))(?:[ée]taient\s+|[ée]tait\s+)?(?:absent(?:e|s|es|\(e\)s?|\(s\))?"
    r"(?:\s+(?:et\s+)?(?:excus[ée](?:e|s|es|\(e\)s?)?|non\s+excus[ée]\w*|"
    r"repr[ée]sent[ée]\w*(?:\(e\)s?)?))?|excus[ée](?:e|s|es|\(e\)s?|\(s\))?)"
    r"(?:\s+(?:et\s+)?(?:ayant|qui\s+ont|qui\s+avaient|avaient|ont|avec)\s[^\n:]{0,40})?"
    r"\s*(?:\(\s*\d{1,3}\s*\))?\s*:",
    0,
)
_PROXY_LABEL_RE = re.compile(
    r"(?:^|(?<=[\s.;:(]))(?:pouvoirs?|procurations?|repr[ée]sent[ée](?:e|s|es|\(e\)s?)?"
    r"|membres?\s+repr[ée]sent[ée]s?|ont\s+donn[ée]\s+(?:pouvoir|procuration))"
    r"\s*(?:\(\s*\d{1,3}\s*\))?\s*:",
    0,
)
_ANY_LABEL_RE = re.compile(
    r"(?:^|(?<=[\s.;(]))(?:[ée]taient\s+|[ée]tait\s+)?(?:pr[ée]sent\w*|absent\w*|excus\w*|"
    r"repr[ée]sent\w*|pouvoirs?|procurations?|secr[ée]taire|nombre|votants|exprim\w*|"
    r"en\s+exercice|quorum|objet|date|ont\s+donn[ée]|participation|pour|contre|abstentions?)"
    r"(?:\s*\(e\)s?)?[^\n:]{0,40}:"
    r"|^\s*(?:secr[ée]taire|le\s+conseil|la\s+s[ée]ance|monsieur\s+le|madame\s+la|le\s+maire|"
    r"la\s+maire|le\s+pr[ée]sident|nombre|date|objet|vu\b|o[uù][iï]\b)",
    _LM,
)
_BLANK_LINE_RE = re.compile(r"\n[ \t]*\n")
_ATTENDANCE_START_RE = re.compile(
    r"(?:[ée]taient\s+)?(?:pr[ée]sent|absent|excus)\w*(?:\s*\(e\)s?)?[^\n:]{0,40}:"
    r"|[ée]taient\s+pr[ée]sents|en\s+exercice",
    0,
)
_BODY_START_RE = re.compile(
    r"(?:expose|rappelle|pr[ée]sente\s+(?:au|à)\s+(?:l['’]assembl|conseil)|(?<![\w-])o[uù][iï]\s"
    r"|apr[èe]s\s+en\s+avoir\s+d[ée]lib|consid[ée]rant|le\s+rapporteur|informe\s+le\s+conseil)"
    r"|^\s*vu\s",
    _LM,
)

_PROXY_FORWARD_RE = re.compile(
    r"(?:pouvoir|procuration|mandat|d[ée]l[ée]gation)(?:\s+de\s+vote)?\s*(?:[:=]\s*)?"
    r"(?:[àa]|au\s+profit\s+de|en\s+faveur\s+de)\s+"
    r"|repr[ée]sent[ée](?:e|\(e\))?\s+par\s+",
)
# Words between a member's name and the proxy keyword: "X, absente, a donné son pouvoir à".
_PROXY_VERB_TAIL_RE = re.compile(
    r"(?:[\s,]+(?:qui|a|avait|ayant|donn[ée]e?|donne|remis|confi[ée]e?|transmis|d[ée]l[ée]gu[ée]e?"
    r"|son|sa|un|le|absente?s?|excus[ée]e?s?|est|[ée]tait))+[\s,]*$",
    _I,
)
_PROXY_FROM_RE = re.compile(
    r"\(\s*(?:(?:porteu(?:r|se)|d[ée]tent(?:eur|rice))\s+(?:d['’]\s*un|du)\s+)?"
    r"(?:pouvoir|procuration|mandat)\s+de\s+([^()\n]{2,60})\)"
)
_PROXY_OF_TO_RE = re.compile(
    r"(?:pouvoir|procuration)\s+de\s+([^\n,;()]{2,60}?)\s+(?:[àa]|au\s+profit\s+de)\s+"
)
_ITEM_PAIR_RE = re.compile(r"^(.{2,60}?)\s+(?:[àa]|par|=>|->|→)\s+(.{2,60})$", _I)

_NUMBER_RE = re.compile(
    # A heading may be wrapped ("DÉLIBÉRATION DU CONSEIL" / "MUNICIPAL N°2024-05-04"): one line
    # break, never a blank line, between the word and its number.
    r"(?:d[ée]lib[ée]ration|d\.c\.m|dcm|acte|extrait)(?:[^\n]|\n(?!\n)){0,80}?\b"
    r"(?:n[°º]|no(?![a-z])\.?|num[ée]ro)\s*[:.]?\s*([a-z]{0,6}[\s_\-]?\d[\w./\-]{0,30}\w|\d)",
    0,
)
_NUMBER_LABEL_RE = re.compile(
    r"(?:^|\n)\s*(?:n[°º]|num[ée]ro)\s*(?:de\s+(?:la\s+)?d[ée]lib[ée]ration|d['’]ordre)?\s*[:.]?\s*"
    r"([a-z]{0,6}[\s_\-]?\d[\w./\-]{0,30}\w|\d)",
    0,
)
_SUBJECT_LABEL_RE = re.compile(
    r"objet(?:\s+de\s+la\s+d[ée]lib[ée]ration)?\s*[:–\-]\s*([^\n]{3,400})"
)
_BOILERPLATE_LINE_RE = re.compile(
    r"^(?:r[ée]publique|d[ée]partement|arrondissement|canton|mairie|commune|ville|communaut[ée]|"
    r"syndicat|m[ée]tropole|extrait|registre|d[ée]lib[ée]ration|conseil|s[ée]ance|proc[èe]s|"
    r"compte|nombre|date|pr[ée]sent|absent|excus|pouvoir|procuration|secr[ée]taire|"
    r"le\s+maire|la\s+maire|le\s+pr[ée]sident|acte|t[ée]l|fax|courriel|mail|libert[ée]|session|"
    r"sous.pr[ée]fecture|pr[ée]fecture|accus[ée]|envoy[ée]|re[çc]u|publi|affich|vote|votant|"
    r"pour\b|contre\b|abstention|unanimit|adopt|participation|membres|en\s+exercice|l['’]an\b|"
    r"[ée]taient|sicoval\b$|sivom|sivu|fait\s|certifi|annexe|page|\d)",
    _I,
)

_PRESIDENT_RE = re.compile(
    r"(?:sous\s+la\s+pr[ée]sidence\s+(?:de|d['’])|pr[ée]sid[ée]e?\s+par|pr[ée]sident(?:e)?\s+de\s+"
    r"(?:la\s+)?s[ée]ance\s*:|pr[ée]sidence\s*:)\s*",
    0,
)
_SECRETARY_FORWARD_RE = re.compile(
    r"secr[ée]taire(?:\s+de\s+(?:la\s+)?s[ée]ance)?(?:\s*\(e\))?\s*(?:d[ée]sign[ée]e?)?\s*:\s*"
)
_SECRETARY_WORD_RE = re.compile(r"secr[ée]taire")
# What stands between a name and "secrétaire" in "Mme X a été désignée secrétaire de séance".
_SECRETARY_BACKWARD_RE = re.compile(
    r"\s+(?:a\s+[ée]t[ée]|est|fut)\s+(?:d[ée]sign[ée]e?|nomm[ée]e?|[ée]lue?|choisie?)\s+"
    r"(?:(?:comme|en\s+qualit[ée]\s+de|pour\s+remplir\s+les\s+fonctions\s+de|pour\s+assurer"
    r"\s+les\s+fonctions\s+de)\s+)?$",
)
_SECRETARY_ROLE_FIRST_RE = re.compile(
    r"(?:a\s+[ée]t[ée]\s+)?(?:d[ée]sign[ée]e?|nomm[ée]e?|[ée]lue?)\s+(?:comme\s+|en\s+qualit[ée]\s+"
    r"de\s+)?secr[ée]taire(?:\s+de\s+s[ée]ance)?\s*(?:[:,]\s*|\s+)",
    0,
)

_BODY_KIND_RE = re.compile(
    r"conseil\s+communautaire|comit[ée]\s+syndical|comit[ée]\s+du\s+syndicat|conseil\s+syndical"
    r"|bureau\s+communautaire|conseil\s+m[ée]tropolitain|conseil\s+de\s+la\s+m[ée]tropole"
    r"|conseil\s+de\s+communaut[ée]",
    0,
)
_COUNCIL_MUNICIPAL_RE = re.compile(r"conseil\s+municipal")
_BODY_NAME_CUT_RE = re.compile(r"[\n,.;:()]")
_BODY_NAME_RE = re.compile(
    r"((?:communaut[ée]\s+(?:de\s+communes|d['’]\s*agglom[ée]ration|urbaine)|m[ée]tropole|"
    r"syndicat\s+(?:mixte|intercommunal|d[ée]partemental)?|sivom|sivu|sivos|siah|siea|smea|sie|"
    r"p[ôo]le\s+d['’][ée]quilibre)\b[^\n,.;:()]{0,100})",
)
_BODY_NAME_END_RE = re.compile(
    r"\s+(?:d[ûu]ment|l[ée]galement|r[ée]guli[èe]rement|s['’\s]est|s$|convoqu|r[ée]uni|"
    r"en\s+session|en\s+s[ée]ance|sous\s+la|le\s+\d|le\s+(?:lundi|mardi|mercredi|jeudi|vendredi|samedi)|"
    r"s[ée]ance|si[èe]ge|\d{5}|\d).*$",
    _I,
)
_COMMUNE_RES = (
    re.compile(
        r"conseil\s+municipal\s+de\s+(?:la\s+(?:commune|ville)\s+)?(?:de\s+|d['’]\s*)?"
        r"(?!la\s|l['’]|cette\s|notre\s)([^\n,.;:()]{2,60})",
    ),
    re.compile(r"(?:commune|ville|mairie)\s+(?:de\s+|d['’]\s*)([^\n,.;:()]{2,60})"),
)
_FAIT_A_RE = re.compile(
    r"fait\s+(?:et\s+d[ée]lib[ée]r[ée]\s+)?(?:en\s+mairie\s+)?[àa]\s+([^\n,;:()]{2,60})"
)
_COMMUNE_END_RE = re.compile(
    r"\s+(?:d[ûu]ment|l[ée]galement|r[ée]guli[èe]rement|s['’\s]est|s$|convoqu|r[ée]uni|"
    r"en\s+session|sous\s+la|le\s+|les\s+|lors|pour|en\s+s[ée]ance|\d).*$|\s*[-–]\s*$",
    _I,
)
_PLACE_RE = re.compile(
    r"^(?:(?:L['’]|D['’])?[A-ZÀ-ÖØ-Þ][\wÀ-ÿ'’]*(?:-[\wÀ-ÿ'’]+)*)"
    r"(?:[\s\-]+(?:(?:L['’]|D['’])?[A-ZÀ-ÖØ-Þ][\wÀ-ÿ'’]*(?:-[\wÀ-ÿ'’]+)*|de|du|des|d['’]\w+"
    r"|sur|sous|en|la|le|les|lès|lez|et|aux?|l['’]\w+)){0,6}"
)

_SESSION_LABEL_RE = re.compile(
    r"(?:s[ée]ance|r[ée]union|session|conseil\s+municipal|conseil\s+communautaire|"
    r"comit[ée]\s+syndical)\s+(?:publique\s+|ordinaire\s+|extraordinaire\s+)?"
    r"(?:du|le)\s+|date\s+de\s+(?:la\s+)?(?:s[ée]ance|r[ée]union)\s*:?\s*",
    0,
)
# "L'an", and "L an" / "Lan" as a transcription or OCR may leave it.
_L_AN_RE = re.compile(r"l['’]\s*an\s+|l\s?an\s+(?=deux|mil|\d)")
_REUNI_RE = re.compile(r"r[ée]uni(?:e|s|es)?\b")
_CONVOCATION_RE = re.compile(
    r"convo(?:cations?\b(?:\s+(?:adress[ée]e?s?|envoy[ée]e?s?|faite|transmise?s?|exp[ée]di[ée]e?s?"
    r"|notifi[ée]e?s?)|\s+aux\s+(?:conseillers|membres|d[ée]l[ée]gu[ée]s)(?:\s+\w+)?)*"
    r"\s*(?:[:\-–]\s*)?(?:(?:le|du|en\s+date\s+du|en\s+date\s*:)\s+)?"
    r"|qu[ée](?:e|s|es|\(e\)s?)?\s+(?:par\s+\w+\s+)?(?:(?:une\s+(?:seconde|deuxi[èe]me"
    r"|nouvelle)\s+fois|[àa]\s+nouveau|de\s+nouveau)\s+)?(?:le|en\s+date\s+du)\s+)",
)

_SECOND_CONVOCATION_RE = re.compile(
    r"convocation|condition\s+de\s+quorum|quorum\s+n['’]\s*(?:ayant|a|avait)\s+pas\s+[ée]t[ée]"
    r"\s+atteint"
)
_SECOND_BEFORE_RE = re.compile(r"(?:deuxi[èe]me|seconde|2\s?(?:e|è|ème|eme|nde|de))\s+$|sans\s+$")
_DELIBERATED_RE = re.compile(r"apr[èe]s\s+en\s+avoir\s+d[ée]lib[ée]r[ée]|d[ée]lib[ée]rant")
_UNANIMITY_RE = re.compile(r"unanim(?:it[ée]|ement)|(?<=[àa] la )(majorit[ée])")

# Count labels: name, label pattern, filler words allowed between a figure and the label.
_COUNT_FILLERS = {"conseillers", "membres", "municipaux", "elus", "delegues", "communautaires"}
_COUNT_LABELS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # "Membres afférents" are the seats the law gives, not the members in office: not read.
    (
        "members_in_office",
        re.compile(
            r"en\s+exercice\b|membres\s+en\s+fonction|en\s+fonction(?=\s*:)"
            r"|(?:conseillers|membres|d[ée]l[ée]gu[ée]s)\s+[ée]lus(?=\s*:)"
        ),
    ),
    ("present_count", re.compile(r"pr[ée]sent(?:e|s|es|\(e\)s?)(?![\wà-ÿ])")),
    (
        "represented_count",
        re.compile(
            r"(?:pouvoirs|pouvoir|procurations?|repr[ée]sent[ée](?:e|s|es|\(e\)s?)?|mandats?)"
            r"(?![\wà-ÿ])"
        ),
    ),
    (
        "voters",
        re.compile(
            r"votants(?![\wà-ÿ])|pris\s+part\s+(?:[àa]\s+la\s+d[ée]lib[ée]ration|au\s+vote)"
        ),
    ),
    ("expressed", re.compile(r"exprim[ée]s(?![\wà-ÿ])")),
)
_VOTE_LABELS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("for", re.compile(r"pour(?![\wà-ÿ])")),
    ("against", re.compile(r"contre(?![\wà-ÿ])")),
    ("abstention", re.compile(r"abstentions?(?![\wà-ÿ])")),
)
_VOTE_FILLERS = {"voix", "vote", "votes", "bulletins", "suffrages"}
_TALLY_WORD_RE = re.compile(
    r"(?<![\wà-ÿ])(?:pour|contre|abstentions?|votants|exprim[ée]s)(?![\wà-ÿ])"
)
_TABLE_HEADERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("members_in_office", re.compile(r"exercice", _I)),
    ("present_count", re.compile(r"^(?:membres\s+|conseillers\s+)?pr[ée]sent", _I)),
    ("represented_count", re.compile(r"repr[ée]sent|procuration|pouvoir", _I)),
    ("voters", re.compile(r"votant", _I)),
    ("expressed", re.compile(r"exprim", _I)),
    ("for", re.compile(r"^(?:votes?\s+|voix\s+)?pour\b", _I)),
    ("against", re.compile(r"^(?:votes?\s+|voix\s+)?contre\b", _I)),
    ("abstention", re.compile(r"abstention", _I)),
    ("absent", re.compile(r"absent", _I)),
)
_CELL_SPLIT_RE = re.compile(r"\s*\|\s*|\t+")

_CORE_LIMIT = 400_000  # characters read; a deliberation is a few pages, never megabytes


@dataclass(frozen=True)
class DeliberationReading:
    """What a deliberation says, as it says it; `None` (or `[]`) for what could not be read."""

    commune: str | None = None
    number: str | None = None
    session_date: date | None = None
    convocation_date: date | None = None
    president: str | None = None
    secretary: str | None = None
    members_in_office: int | None = None
    present: tuple[str, ...] = ()
    present_count: int | None = None
    represented: tuple[tuple[str, str], ...] = ()
    represented_count: int | None = None
    absent: tuple[str, ...] = ()
    voters: int | None = None
    expressed: int | None = None
    votes_for: int | None = None
    votes_against: int | None = None
    votes_abstention: int | None = None
    subject: str | None = None
    unanimous: bool | None = None
    second_convocation: bool = False
    # Whether the document has a list of absent members at all ("Absents : néant" is a list).
    absent_listed: bool = False

    def to_dict(self, findings: Iterable[Any] = ()) -> dict[str, Any]:
        """The reader's JSON shape, keys in their documented order, with the caller's findings."""
        return {
            "commune": self.commune,
            "number": self.number,
            "session_date": self.session_date.isoformat() if self.session_date else None,
            "convocation_date": (
                self.convocation_date.isoformat() if self.convocation_date else None
            ),
            "president": self.president,
            "secretary": self.secretary,
            "members_in_office": self.members_in_office,
            "present": list(self.present),
            "present_count": self.present_count,
            "represented": [
                {"member": member, "proxy_holder": holder} for member, holder in self.represented
            ],
            "represented_count": self.represented_count,
            "absent": list(self.absent),
            "voters": self.voters,
            "expressed": self.expressed,
            "votes": {
                "for": self.votes_for,
                "against": self.votes_against,
                "abstention": self.votes_abstention,
            },
            "subject": self.subject,
            "findings": [_finding_dict(finding) for finding in findings],
        }


def _finding_dict(finding: Any) -> dict[str, str]:
    if isinstance(finding, Mapping):
        return {key: finding[key] for key in ("code", "severity", "message")}
    return {"code": finding.code, "severity": finding.severity, "message": finding.message}


# --------------------------------------------------------------------------- text helpers


def _clean(text: str) -> str:
    """Normalise line ends, spaces, apostrophes and Markdown emphasis, keeping letters as written."""
    text = text[:_CORE_LIMIT].replace("\r\n", "\n").replace("**", "").replace("__", "")
    for character, replacement in _REPLACEMENTS:
        if character in text:
            text = text.replace(character, replacement)
    text = correct_ocr(text)
    # Tabs and wide gaps separate table columns (PDF text layers use them): keep them as a tab.
    # (Patterns starting with a literal are many times faster in `re` than ones starting with
    # a character class, hence these three passes.)
    if "   " in text:
        text = _JUSTIFIED_LINE_RE.sub(_close_justified_gaps, text)
    text = _WIDE_GAP_RE.sub("\t", text)
    if "- " in text:
        text = _BROKEN_HYPHEN_RE.sub("-", text)  # "Marie- Claire": a line break lost its hyphen
    if "'" not in text:  # a transcription that lost its apostrophes lost them all
        text = _LOST_APOSTROPHE_RE.sub(r"\1'", text)
    if "\t" in text:
        text = _TAB_RUN_RE.sub("\t", text)
    text = _DOUBLE_SPACE_RE.sub(" ", text)
    return "\n".join(line.strip(" \t") for line in text.split("\n")).strip()


def _close_justified_gaps(match: re.Match[str]) -> str:
    """A justified line of a PDF text layer, its word gaps back to single spaces; a line of
    figures (a table row) keeps its gaps as columns."""
    line = match.group(0)
    if "   " not in line or not any(c.isalpha() for c in line):
        return line
    return _DOUBLE_SPACE_RE.sub(" ", line)


def _lower(text: str) -> str:
    """Lower-case letters one for one, so that positions in the result are positions in `text`."""
    low = text.lower()
    # lower() never shortens a character, so equal lengths mean a one-for-one mapping.
    return low if len(low) == len(text) else text.translate(_LOWER_TABLE)


def _word_start(low: str, position: int) -> bool:
    return position == 0 or not (low[position - 1].isalnum() or low[position - 1] == "_")


def _name_tokens_ok(words: list[str]) -> bool:
    capitals = 0
    for word in words:
        bare = fold(word).strip(".'-")
        if _NAME_TOKEN_RE.fullmatch(word):
            capitals += 1
            if bare in _ROLE_WORDS:
                return False
        elif bare.rstrip("'") in _PARTICLES or re.fullmatch(r"d'\w+|l'\w+", bare):
            continue
        else:
            return False
    return capitals >= 1


def clean_name(raw: str) -> str | None:
    """A person's name from a list item, without titles or notes, or None if it is not one."""
    text = _PAREN_RE.sub(" ", raw)
    text = text.strip(" \t\n-–—:;,.*•·'\"»«()[]")
    text = strip_titles(text)
    text = re.sub(r"^(?:et|ainsi\s+que)\s+", "", text, flags=_I)
    text = strip_titles(text)
    text = re.sub(
        r"\s*,?\s*(?:maire|adjoint\w*|conseill\w*|pr[ée]sident\w*|vice-\w+)\b.*$",
        "",
        text,
        flags=_I,
    )
    text = text.strip(" \t-–—:;,.'\"»«")
    words = text.split()
    if not 1 <= len(words) <= 6 or len(text) > 60 or sum(c.isalpha() for c in text) < 2:
        return None
    if not _name_tokens_ok(words):
        words = _first_name_capitalised(words)
        if words is None or not _name_tokens_ok(words):
            return None
    return " ".join(words)


_SMALL_FIRST_NAME_RE = re.compile(r"[a-zß-öø-ÿ]{3,}(?:-[a-zß-öø-ÿ]{3,})?")
_SURNAME_CAPITALS_RE = re.compile(r"[A-ZÀ-ÖØ-Þ]{3,}(?:-[A-ZÀ-ÖØ-Þ]{2,})*")
# Words a list item may start with before a name in capitals that are not first names.
_NOT_FIRST_NAMES = frozenset(
    {"avec", "pour", "par", "dont", "sous", "chez", "vers", "selon", "entre", "sans", "contre"}
    | {"les", "des", "aux", "une", "ainsi", "puis", "mais", "donc", "voir", "dit", "dite", "sauf"}
    | {"hors", "excepte", "tous", "toutes", "plus", "moins", "soit", "outre", "via", "pres"}
)


def _first_name_capitalised(words: list[str]) -> list[str] | None:
    """ "serge GOUZY": a first name whose capital OCR read small, before a surname in capitals
    (an item of two words only; a word of the sentence is never taken for a first name)."""
    if len(words) != 2 or not _SMALL_FIRST_NAME_RE.fullmatch(words[0]):
        return None
    if not _SURNAME_CAPITALS_RE.fullmatch(words[1]):
        return None
    bare = fold(words[0])
    if bare in _NOT_FIRST_NAMES | _ROLE_WORDS | _PARTICLES:
        return None
    return [words[0][0].upper() + words[0][1:], words[1]]


def _name_at_start(text: str) -> str | None:
    """The name a string starts with: "Patrice ARSÉGUEL, Maire" gives "Patrice ARSÉGUEL"."""
    text = strip_titles(text[:120].lstrip(" :-–\n\t").split("\n", 1)[0])
    words: list[str] = []
    for word in re.split(r"[ \t]+", text):
        stripped = word.rstrip(",;:)")
        if not stripped:
            break
        bare = fold(stripped).strip(".")
        if (_NAME_TOKEN_RE.fullmatch(stripped) and bare not in _ROLE_WORDS) or (
            bare in _PARTICLES and words
        ):
            words.append(stripped)
        else:
            break
        if stripped != word or (stripped.endswith(".") and len(stripped) > 2):
            break
        if len(words) >= 6:
            break
    while words and fold(words[-1]) in _PARTICLES:
        words.pop()
    if not words:
        return None
    return " ".join(words).rstrip(".") if len(words[-1]) > 2 else " ".join(words)


def _name_at_end(text: str) -> str | None:
    """The name a string ends with: "... Mme Sophie MARTIN" gives "Sophie MARTIN"."""
    words = re.split(r"[ \t]+", text[-120:].rsplit("\n", 1)[-1].strip(" ,;:"))
    kept: list[str] = []
    for word in reversed(words):
        if (_NAME_TOKEN_RE.fullmatch(word) and fold(word).strip(".") not in _ROLE_WORDS) or (
            fold(word) in _PARTICLES and kept
        ):
            kept.append(word)
        else:
            break
        if len(kept) >= 6:
            break
    name = clean_name(" ".join(reversed(kept))) if kept else None
    return name


def _segment(text: str, low: str, start: int, limit: int = 2500) -> str:
    """The list that starts at `start`: up to a blank line or the next section label."""
    end = min(len(text), start + limit)
    blank = _BLANK_LINE_RE.search(low, start, end)
    if blank:
        end = blank.start()
    label = _ANY_LABEL_RE.search(low, start, end)
    if label and label.start() > start:
        end = label.start()
    return text[start:end]


def _items(segment: str) -> list[str]:
    return [item for item in _LIST_SPLIT_RE.split(segment) if item.strip()]


def _names_in(segment: str) -> list[str]:
    names: list[str] = []
    for item in _items(_PAREN_RE.sub(" ", segment)):
        proxy = _PROXY_IN_ITEM_RE.search(item)
        if proxy:
            item = item[: proxy.start()]
        # A colon inside an item is a speck the OCR read ("Emma: ESPAGNOL"): a label would
        # have ended the list.
        item = item.replace(":", " ")
        for part in _split_glued(strip_titles(item.strip(" \t-–—;,.*•·"))):
            name = clean_name(part)
            if name:
                names.append(name)
    return names


def _dedupe(names: Iterable[str]) -> tuple[str, ...]:
    seen: set[str] = set()
    kept = []
    for name in names:
        key = name_key(name)
        if key and key not in seen:
            seen.add(key)
            kept.append(name)
    return tuple(kept)


_PAGE_NUMBER_LINE_RE = re.compile(
    r"(?:page\s*)?[-–—]?\s*\d{1,3}\s*(?:(?:/|sur)\s*\d{1,3})?\s*[-–—]?", _I
)
_TITLE_START_RE = re.compile(
    r"(?:MM|Mmes|Mme|Mlle|M|Mr|Monsieur|Madame|Messieurs|Mesdames)(?:\.\s*|\s+)(?=[A-ZÀ-ÖØ-Þ])"
)
_TITLE_END_RE = re.compile(r"(?:^|\s)(?:MM|Mmes|Mme|Mlle|M|Mr|Monsieur|Madame)\.?$")
_INLINE_SEPARATOR_RE = re.compile(
    r"[,;•]|(?:^|\s)[-–—](?:\s|$)|\s(?:à|par)(?:\s|$)|(?<=[^\W\d_])-$"
)
# A line that starts with a list's label, maybe after a bullet or an OCR speck (checked at once by
# `_LIST_LINE_RE`, much faster than the label patterns themselves).
_LIST_LINE_RE = re.compile(
    r"^[^\w\n]{0,4}(?:(?:[ée]taient|[ée]tait|d[ée]l[ée]gu[ée]s|conseillers|membres|absents?|excus[ée]s?)\s+)?"
    r"(?:pr[ée]sent|absent|excus|pouvoir|procuration|repr[ée]sent|ont\s+donn)",
    re.MULTILINE,
)
_LIST_LABEL_RES = (_PRESENT_LABEL_RE, _PRESENT_SENTENCE_RE, _ABSENT_LABEL_RE, _PROXY_LABEL_RE)
_ONE_NAME_WORDS = 6
_WRAP_LINES = 40


def _starts_section(low: str, position: int) -> bool:
    """Whether the line at `position` opens a new part (a label, a count, the body), not the
    continuation of a list wrapped by a narrow page."""
    if _ANY_LABEL_RE.match(low, position) or _BODY_START_RE.match(low, position):
        return True
    head = low[position : position + 60].split("\n", 1)[0]
    colon = head.find(":")
    return colon >= 0 and any(regex.search(head, 0, colon + 1) for regex in _LIST_LABEL_RES)


def _one_per_line(lines: list[str]) -> bool:
    """A list written one name per line: no line holds a separator or more than one name, nor
    a lone first name (a fragment of a name the page wrapped)."""
    return all(
        not _INLINE_SEPARATOR_RE.search(line.strip())
        and len(line.split()) <= _ONE_NAME_WORDS
        and not (len(line.split()) == 1 and line.strip().istitle())
        for line in lines
        if line.strip()
    )


def _join_wrapped(first: str, following: list[str]) -> str:
    """The lines of one list joined where the page wrapped them: a name cut at its hyphen is
    mended ("JULIEN-" / "DELANNOY Martine"), a first name sent to the next line goes back to
    its surname ("… - FAURE" / "Cécile - HAMON …"); a line that starts with a civil title stays
    a new item."""
    lines = [
        line
        for index, line in enumerate(following)
        # A page number between two lines of the list, not a figure after a label's colon.
        if not _PAGE_NUMBER_LINE_RE.fullmatch(line.strip())
        or index == len(following) - 1
        or (following[index - 1] if index else first).rstrip().endswith(":")
    ]
    content = first.split(":", 1)[1] if ":" in first else first
    if _one_per_line([content, *lines]) and (not content.strip() or len(lines) > 1):
        return "\n".join([first, *(line for line in lines if line.strip())])
    joined = first.rstrip(" ")
    for line in lines:
        line = line.strip(" ")
        if not line:
            continue
        if joined.endswith("-") and joined[-2:-1].isalpha():
            joined += line
        elif (
            _TITLE_START_RE.match(line)
            and not _TITLE_END_RE.search(joined)
            and joined.count("(") <= joined.count(")")  # "(pouvoir de" / "Mme X)" is one note
        ):
            joined += "\n" + line
        else:
            joined += " " + line
    return joined


def _list_end(text: str, low: str, line_end: int, region_end: int, bare: bool) -> int:
    """End of the lines that continue the list whose label line ends at `line_end`; a bare label
    ("Présents :" alone) may have its names as short paragraphs of their own."""
    end = line_end
    position = line_end + 1
    for _ in range(_WRAP_LINES):
        if position >= region_end:
            break
        next_end = low.find("\n", position)
        if next_end < 0:
            next_end = len(low)
        line = low[position:next_end]
        if not line.strip():
            following = low.find("\n", next_end + 1)
            candidate = low[next_end + 1 : following if following >= 0 else len(low)]
            if _PAGE_NUMBER_LINE_RE.fullmatch(candidate.strip()) and following >= 0:
                position = following + 1  # a page break inside the list: its number, then on
                while low.startswith("\n", position):
                    position += 1
                continue
            if not bare or not candidate.strip() or len(candidate) > 80:
                break
            position = next_end + 1
            continue
        if _starts_section(low, position) or (bare and len(line) > 80):
            break
        end = next_end
        position = next_end + 1
    return end


def _unwrap_lists(text: str, low: str, region: tuple[int, int]) -> str:
    """The attendance lists with each one back on its line, wherever a PDF or a narrow page
    wrapped them; the rest of the text unchanged."""
    region_start, region_end = region
    if not region_end:
        return text
    starts = [
        match.start()
        for match in _LIST_LINE_RE.finditer(low, low.rfind("\n", 0, region_start) + 1, region_end)
        if ":" in low[match.start() : match.start() + 80].split("\n", 1)[0]
        or _PRESENT_SENTENCE_RE.match(low, match.start())
    ]
    pieces: list[str] = []
    cursor = 0
    for start in starts:
        if start < cursor:
            continue
        line_end = low.find("\n", start)
        if line_end < 0 or line_end >= region_end:
            continue
        colon = low.find(":", start, line_end)
        bare = colon >= 0 and not text[colon + 1 : line_end].strip()
        end = _list_end(text, low, line_end, region_end, bare)
        if end == line_end:
            continue
        line_start = low.rfind("\n", 0, start) + 1
        following = text[line_end + 1 : end].split("\n")
        pieces += [text[cursor:line_start], _join_wrapped(text[line_start:line_end], following)]
        cursor = end
    if not pieces:
        return text
    pieces.append(text[cursor:])
    return "".join(pieces)


def _capital_runs(words: list[str]) -> list[list[str]] | None:
    """Runs of upper-case surnames and capitalised first names, or None when a word is neither."""
    runs: list[list[str]] = []
    previous = None
    for word in words:
        letters = [c for c in word if c.isalpha()]
        if not letters or not letters[0].isupper():
            return None
        kind = all(c.isupper() for c in letters) and len(letters) > 1
        if kind != previous:
            runs.append([])
            previous = kind
        runs[-1].append(word)
    return runs


def _split_glued(item: str) -> list[str]:
    """Names whose separators were lost ("ARSÉGUEL Patrice BRETHOUS Jacques", as OCR may read
    a list): split where the capitalisation of surnames says a new person starts."""
    words = item.split()
    if len(words) < 4:
        return [item]
    runs = _capital_runs(words)
    if runs is None or len(runs) < 4 or len(runs) % 2:
        return [item]
    return [" ".join(runs[i] + runs[i + 1]) for i in range(0, len(runs), 2)]


# ------------------------------------------------------------------------------- fields


def _attendance_region(low: str) -> tuple[int, int]:
    start_match = _ATTENDANCE_START_RE.search(low, 0, 20_000)
    if not start_match:
        return 0, 0
    start = start_match.start()
    body = _BODY_START_RE.search(low, start, start + 8000)
    end = body.start() if body else min(len(low), start + 8000)
    return start, end


def _read_lists(
    text: str, low: str, region: tuple[int, int]
) -> tuple[list[str], list[str], bool, int]:
    start, end = region
    present: list[str] = []
    absent: list[str] = []
    absent_listed = False
    last_end = start
    origin = max(0, start - 40)
    found_present = False
    for regex in (_PRESENT_LABEL_RE, _PRESENT_SENTENCE_RE):
        for match in regex.finditer(low, origin, end):
            segment = _segment(text[:end], low[:end], match.end())
            names = _names_in(segment)
            if names:
                present.extend(names)
                found_present = True
                last_end = max(last_end, match.end() + len(segment))
        if found_present:
            break
    for match in _ABSENT_LABEL_RE.finditer(low, origin, end):
        segment = _segment(text[:end], low[:end], match.end())
        absent_listed = True
        absent.extend(_names_in(segment))
        last_end = max(last_end, match.end() + len(segment))
    return present, absent, absent_listed, last_end


def _proxy_holder_from(text: str) -> str | None:
    head = re.split(
        r"[,;\n)(]|\s[-–—]\s|\s+et\s+|\s+(?:qui|absent\w*|excus\w*)\b", text[:90], maxsplit=1
    )[0]
    return clean_name(head) or _name_at_start(head)


def _proxy_member_before(text: str) -> str | None:
    window = text[-160:]
    parts = re.split(r"[,;\n:(•·]|\s[-–—]\s|\s+et\s+", window)
    for part in reversed(parts):
        part = re.sub(
            r"\b(?:qui|a|avait|ayant|absente?s?|excus[ée]e?s?|représenté\w*|donn\w*)\b\s*$",
            "",
            part.strip(),
            flags=_I,
        ).strip()
        if not part:
            continue
        part = re.sub(r"\s+(?:qui|absente?s?|excus[ée]e?s?)(?:\s+\w+){0,2}$", "", part, flags=_I)
        name = clean_name(part)
        if name:
            return name
        if fold(part).strip(" .") in _ROLE_WORDS or re.fullmatch(
            r"(?:absent|excus|qui|a\b|avait)[\w\s]*", fold(part)
        ):
            continue
        return _name_at_end(part)
    return None


def _read_proxies(
    text: str, low: str, region: tuple[int, int]
) -> tuple[list[tuple[str, str]], int]:
    start, end = region
    pairs: list[tuple[str, str]] = []
    last_end = start
    origin = max(0, start - 200)
    for match in _PROXY_OF_TO_RE.finditer(low, origin, end):
        member = clean_name(text[match.start(1) : match.end(1)])
        holder = _proxy_holder_from(text[match.end() : end])
        if member and holder:
            pairs.append((member, holder))
            last_end = max(last_end, match.end())
    for match in _PROXY_FORWARD_RE.finditer(low, origin, end):
        if not _word_start(low, match.start()):
            continue
        if _PROXY_OF_TO_RE.search(low, max(0, match.start() - 80), match.end()):
            continue
        holder = _proxy_holder_from(text[match.end() : end])
        before = text[max(origin, match.start() - 160) : match.start()]
        tail = _PROXY_VERB_TAIL_RE.search(before[-60:])
        if tail:
            before = before[: len(before) - (len(before[-60:]) - tail.start())]
        member = _proxy_member_before(before)
        if member and holder and name_key(member) != name_key(holder):
            pairs.append((member, holder))
            last_end = max(last_end, match.end())
    for match in _PROXY_FROM_RE.finditer(low, origin, end):
        member = clean_name(text[match.start(1) : match.end(1)])
        holder = _proxy_member_before(text[max(origin, match.start() - 160) : match.start()])
        if member and holder:
            pairs.append((member, holder))
            last_end = max(last_end, match.end())
    for match in _PROXY_LABEL_RE.finditer(low, origin, end):
        segment = _segment(text[:end], low[:end], match.end())
        for item in _items(segment):
            pair = _ITEM_PAIR_RE.match(item.strip())
            if pair and not _PROXY_IN_ITEM_RE.search(pair.group(1)):
                member, holder = clean_name(pair.group(1)), clean_name(pair.group(2))
                if member and holder:
                    pairs.append((member, holder))
        last_end = max(last_end, match.end() + len(segment))
    kept: list[tuple[str, str]] = []
    seen: set[str] = set()
    for member, holder in pairs:
        key = name_key(member)
        if key not in seen:
            seen.add(key)
            kept.append((member, holder))
    return kept, last_end


_SEPARATOR_RE = re.compile(r"[ \t]*(?:[:=]|\.{2,}|…)")
_FIGURE_NEXT_RE = re.compile(r"[ \t]*[(\d]")
_COLON_NEXT_RE = re.compile(r"[ \t]*:")
# "… (porteur d'un pouvoir de …)": the article, not one proxy.
_NOT_A_COUNT_RE = re.compile(
    r"\d[/.\-]\d+$|\d{5}$|(?:^|\s)(?:[dl]'|donn\w*\s+|porteu\w*\s+)une?$", _I
)


def _labeled_count(
    text: str, low: str, label: re.Pattern[str], fillers: set[str], *, tally: bool = False
) -> tuple[int, int] | None:
    """(value, end) of the first count written beside `label` ("Présents : 10", "10 présents")."""
    for match in label.finditer(low):
        if not _word_start(low, match.start()):
            continue
        after = text[match.end() : match.end() + 60]
        separator = _SEPARATOR_RE.match(after)
        if not separator:
            after = after.split("\n", 1)[0]  # without a colon, the figure is on the same line
        line_start = low.rfind("\n", 0, match.start()) + 1
        line_end = low.find("\n", match.end())
        if line_end < 0:
            line_end = len(low)
        line_length = line_end - line_start
        if tally:
            # "Pour 13 – Contre 0": without a colon, a vote word counts only on a tally line.
            if (
                separator
                or not low[line_start : match.start()].strip(" -–•*|\t")
                or (
                    line_length < 400
                    and len(_TALLY_WORD_RE.findall(low, line_start, line_end)) >= 2
                )
            ):
                value = leading_number(after)
                if value is not None:
                    return value, match.end()
        else:
            value = leading_number(after)
            if value is not None and (
                separator or _FIGURE_NEXT_RE.match(after) or line_length < 200
            ):
                return value, match.end()
        before = text[max(line_start, match.start() - 60) : match.start()]
        if (
            not separator
            and line_start
            and all(fold(word).strip(".,") in fillers for word in before.split())
        ):
            # "par 11 voix pour et 1" / "abstention, …", "par 10" / "voix pour": a page wrapped
            # the count before its words
            previous = text.rfind("\n", 0, line_start - 1) + 1
            before = text[max(previous, line_start - 61) : line_start - 1]
        words = before.split()
        explicit = False  # "onze voix pour", "14 conseillers en exercice"
        while words and fold(words[-1]).strip(".,") in fillers:
            words.pop()
            explicit = True
        if not words or not (explicit or (line_length <= 160 and not _COLON_NEXT_RE.match(after))):
            continue
        joined = " ".join(words[-8:])
        value = trailing_number(joined)
        if value is not None and not _NOT_A_COUNT_RE.search(joined):
            return value, match.end()
    return None


_TABLE_GAP_RE = re.compile(r"[\s|:\-+=]*")


def _table_counts(text: str, low: str) -> dict[str, int]:
    """Counts laid out as a table: a header line of labels over a line of figures."""
    found: dict[str, int] = {}
    lines = text.split("\n")
    low_lines = low.split("\n")
    for index, line in enumerate(lines[:-1]):
        if len(line) > 300 or ("|" not in line and "\t" not in line):
            continue
        line_low = low_lines[index]
        labels = len(_TALLY_WORD_RE.findall(line_low)) + line_low.count("exercice")
        if labels + line_low.count("présent") + line_low.count("present") < 2:
            continue
        cells = [c for c in _CELL_SPLIT_RE.split(line.strip(" |")) if c]
        if len(cells) < 2:
            continue
        keys = []
        for cell in cells:
            key = next((name for name, rx in _TABLE_HEADERS if rx.search(cell)), None)
            keys.append(key)
        if sum(k is not None for k in keys) < 2:
            continue
        for following in lines[index + 1 : index + 4]:
            if _TABLE_GAP_RE.fullmatch(following):
                continue
            values = [c for c in _CELL_SPLIT_RE.split(following.strip(" |")) if c]
            numbers = [leading_number(v) if len(v) < 40 else None for v in values]
            if len(values) == len(keys) and all(n is not None for n in numbers):
                for key, number in zip(keys, numbers, strict=True):
                    if key and key != "absent":
                        found.setdefault(key, number)
            break
    return found


_LONE_FIGURE_RE = re.compile(r"^\d{1,3}(?:[ \t]+\d{1,3})*$", re.MULTILINE)
_HEADER_WORD_RE = re.compile(
    r"exercice|pr[ée]sents?|repr[ée]sent[ée]s?|procurations?|pouvoirs?|votants?|exprim[ée]s"
    r"|pour|contre|abstentions?|absents?"
)
_HEADER_KEYS = (
    ("exercice", "members_in_office"),
    ("pr", "present_count"),
    ("repr", "represented_count"),
    ("proc", "represented_count"),
    ("pouv", "represented_count"),
    ("vot", "voters"),
    ("expr", "expressed"),
    ("pour", "for"),
    ("contre", "against"),
    ("abst", "abstention"),
    ("abse", "absent"),
)


_WRAPPED_EN_RE = re.compile(r"(?<![\w])en$|(?<![\w])en(?=\s)")
# The order of a council's count table: in office, present, represented, voters, expressed, for,
# against, abstentions (absent anywhere).
_HEADER_ORDER = (
    ("exercice", 0),
    ("pr", 1),
    ("repr", 2),
    ("proc", 2),
    ("pouv", 2),
    ("abse", 3),
    ("vot", 4),
    ("expr", 5),
    ("pour", 6),
    ("contre", 7),
    ("abst", 8),
)


def _header_labels(lines: list[str]) -> list[str]:
    """The header words of a table's header lines, cell by cell from left to right: a cell
    that wraps its label ("En" / "exercice") counts where its first line stands."""
    placed: list[tuple[int, int, str]] = []
    for index, line in enumerate(lines):
        for match in _HEADER_WORD_RE.finditer(line):
            row, column = index, match.start()
            if match.group(0) == "exercice" and index and not line[: match.start()].strip():
                wrapped = _WRAPPED_EN_RE.search(lines[index - 1])
                if wrapped:
                    row, column = index - 1, wrapped.start()
            placed.append((row, column, match.group(0)))
    return [label for _row, _column, label in sorted(placed)]


def _header_only_lines(lines: list[str]) -> list[list[str]]:
    """The labels of every line that holds only a table's header words: OCR may move a header
    row away from its figures."""
    found = []
    for line in lines:
        if len(line) > 160 or any(c.isdigit() for c in line):
            continue
        labels = _HEADER_WORD_RE.findall(line)
        rest = _HEADER_WORD_RE.sub(" ", line)
        if len(labels) >= 2 and not re.search(r"[^\W\d_]{3,}", rest.replace("membres", "")):
            found.append(labels)
    return found


def _in_table_order(labels: list[str]) -> bool:
    """Whether header labels come in the order every council table writes them."""
    ranks = [
        next(rank for rank, (prefix, _key) in enumerate(_HEADER_ORDER) if label.startswith(prefix))
        for label in labels
    ]
    return ranks == sorted(ranks) and len(set(ranks)) == len(ranks)


def _stacked_table_counts(low: str) -> dict[str, int]:
    """Counts of a table whose PDF text layer gives its header cells first and then its figures
    one per line ("En exercice Présents Votants" / "19" / "15" / "17"), or whose header row OCR
    read apart from its figures (then only when the labels come in a table's usual order)."""
    found: dict[str, int] = {}
    lines = low.split("\n")
    index = 0
    while index < len(lines):
        if not _LONE_FIGURE_RE.fullmatch(lines[index]):
            index += 1
            continue
        first = index
        figures = []
        while index < len(lines) and (
            _LONE_FIGURE_RE.fullmatch(lines[index]) or not lines[index].strip()
        ):
            figures += [int(figure) for figure in lines[index].split()]
            index += 1
        header_lines = []
        for line in reversed(lines[max(0, first - 6) : first]):
            if not line.strip():
                continue
            if len(line) > 120 or any(c.isdigit() for c in line):
                break
            header_lines.insert(0, line)
        labels = _header_labels(header_lines)
        if 0 < len(labels) < len(figures):
            for orphan in _header_only_lines(lines[index:]):
                if len(labels) + len(orphan) == len(figures) and _in_table_order(labels + orphan):
                    labels = labels + orphan
                    break
        if len(figures) < 2 or len(labels) != len(figures):
            continue
        for label, figure in zip(labels, figures, strict=True):
            key = next(key for prefix, key in _HEADER_KEYS if label.startswith(prefix))
            if key != "absent":
                found.setdefault(key, figure)
    return found


def _read_counts(text: str, low: str) -> dict[str, int | None]:
    counts: dict[str, int | None] = dict.fromkeys(
        ("members_in_office", "present_count", "represented_count", "voters", "expressed")
    )
    counts.update(dict.fromkeys(("for", "against", "abstention")))
    for key, value in _table_counts(text, low).items():
        counts[key] = value
    if _LONE_FIGURE_RE.search(low):
        for key, value in _stacked_table_counts(low).items():
            if counts[key] is None:
                counts[key] = value
    for key, label in _COUNT_LABELS:
        if counts[key] is None:
            found = _labeled_count(text, low, label, _COUNT_FILLERS)
            if found:
                counts[key] = found[0]
    for key, label in _VOTE_LABELS:
        if counts[key] is None:
            found = _labeled_count(text, low, label, _VOTE_FILLERS, tally=True)
            if found:
                counts[key] = found[0]
    return counts


def _read_number(text: str, low: str) -> tuple[str | None, int]:
    match = _NUMBER_RE.search(low, 0, 6000) or _NUMBER_LABEL_RE.search(low, 0, 6000)
    if not match:
        return None, 0
    number = text[match.start(1) : match.end(1)].strip(" ._-/")
    if re.fullmatch(r"\d{5}", number):  # a postal code, not a deliberation number
        return None, 0
    return number, match.end()


def _read_session_date(text: str, low: str) -> date | None:
    for match in _SESSION_LABEL_RE.finditer(low, 0, 8000):
        snippet = text[match.end() : match.end() + 80]
        found = parse_date(snippet)
        if found and _starts_near(snippet):
            return found
    for match in _L_AN_RE.finditer(low, 0, 8000):
        if not _word_start(low, match.start()):
            continue
        snippet = text[match.end() : match.end() + 220]
        year = leading_year(snippet)
        found = parse_date(snippet.split(".")[0] if year is None else snippet, default_year=year)
        if found:
            return found
    for match in _REUNI_RE.finditer(low, 0, 8000):
        sentence_start = max(
            low.rfind(".", 0, match.start()), low.rfind("\n\n", 0, match.start()), 0
        )
        snippet = text[sentence_start : match.end() + 160]
        for candidate in _dates_outside_convocation(snippet):
            return candidate
    return None


def _starts_near(snippet: str) -> bool:
    """Whether a date begins within the first words after a label (not a date further away)."""
    head = snippet[:40]
    return bool(
        re.search(
            r"\d|premier|un|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|vingt|trente",
            fold(head),
        )
    )


def _dates_outside_convocation(snippet: str) -> Iterable[date]:
    for hit in find_dates(snippet):
        before = fold(snippet[max(0, hit.start - 50) : hit.start])
        if re.search(r"convo\w*[^.]{0,30}$|affich\w*[^.]{0,20}$|publi\w*[^.]{0,20}$", before):
            continue
        value = hit.value()
        if value:
            yield value


def _read_convocation_date(text: str, low: str, session: date | None = None) -> date | None:
    for match in _CONVOCATION_RE.finditer(low, 0, 20_000):
        if not _word_start(low, match.start()):
            continue
        snippet = text[match.end() : match.end() + 70]
        hits = find_dates(snippet)
        if hits and hits[0].start <= 30 and _starts_near(snippet):
            found = hits[0].value()
            if found is None and session is not None and hits[0].year is None:
                # "convoqué le vingt-deux février" in a session of 1 March 2019: the year is
                # the session's, or the one before when that would fall after the session.
                found = hits[0].value(session.year)
                if found and found > session:
                    found = hits[0].value(session.year - 1)
            if found:
                return found
    return None


def _wrapped_line(text: str, low: str, start: int, length: int) -> str:
    """The text from `start` with its line continued on the next one when a page wrapped it
    there (the next line is not a new part): "présidence de Mme Chantal" / "DELPECH-MARTY"."""
    rest = text[start : start + length]
    line_end = rest.find("\n")
    line = rest[:line_end].rstrip(" ") if line_end >= 0 else ""
    if not line or (line[-1] in ",.;:" and not _TITLE_END_RE.search(line)):
        return rest
    following = start + line_end + 1
    if following >= len(low) or _starts_section(low, following):
        return rest
    return rest[:line_end] + " " + rest[line_end + 1 :]


def _read_president(text: str, low: str) -> str | None:
    for match in _PRESIDENT_RE.finditer(low, 0, 10_000):
        rest = _wrapped_line(text, low, match.end(), 160)
        name = _name_at_start(rest)
        if name is None:
            # "sous la présidence de Madame la Maire, Mme Claire DURAND"
            comma = rest.find(",")
            if 0 <= comma < 40:
                name = _name_at_start(rest[comma + 1 :])
        if name:
            return name
    return None


def _read_secretary(text: str, low: str) -> str | None:
    for match in _SECRETARY_FORWARD_RE.finditer(low):
        name = _name_at_start(_wrapped_line(text, low, match.end(), 120))
        if name:
            return name
    for match in _SECRETARY_ROLE_FIRST_RE.finditer(low):
        name = _name_at_start(text[match.end() : match.end() + 120])
        if name:
            return name
    for match in _SECRETARY_WORD_RE.finditer(low):
        window_start = max(0, match.start() - 200)
        link = _SECRETARY_BACKWARD_RE.search(low, window_start, match.start())
        if not link:
            continue
        line_start = max(low.rfind("\n", 0, link.start()), low.rfind(". ", 0, link.start()), 0)
        name = _name_at_end(text[max(line_start, link.start() - 120) : link.start()])
        if name:
            return name
    return None


def _trim_place(raw: str) -> str | None:
    raw = _COMMUNE_END_RE.sub("", raw.strip())
    match = _PLACE_RE.match(raw.strip(" '\"«»"))
    if not match:
        return None
    words = match.group(0).split()
    while words and fold(words[-1]) in _PARTICLES | {
        "sur",
        "sous",
        "en",
        "et",
        "lès",
        "lez",
        "aux",
        "au",
    }:
        words.pop()
    place = " ".join(words)
    if len(place) < 2 or fold(place) in _ROLE_WORDS | {"la", "le", "cette", "notre"}:
        return None
    return place


def _body_name_at(text: str, low: str, start: int, end: int) -> str:
    """A body's name; one written in a sentence may go on after a line a page wrapped (an
    upper-case letterhead line never does)."""
    raw = _hyphen_continued(text, low, start, end)
    if not low.startswith("\n", end) or len(raw) > end - start:
        return raw
    following = _BODY_NAME_CUT_RE.split(text[end + 1 : end + 60], 1)[0]
    last = fold(raw.split()[-1]) if raw.split() else ""
    if raw.isupper():
        # A letterhead goes on when its line ends with a particle ("… DES" / "COTEAUX DU GIROU")
        # or its next line is more of it, in capitals, not the next heading.
        more = (
            following.isupper()
            and len(following) < 60
            and not _BOILERPLATE_LINE_RE.match(following)
            and not _starts_section(low, end + 1)
        )
        return raw + " " + following if last in _PARTICLES or more else raw
    # The name's last line may go on after the wrap ("… de la Vallée de" / "l'Hers, dûment …").
    last_line = text.rfind("\n", start, end) + 1 or start
    rest = _wrapped_line(text, low, last_line, end - last_line + 60)
    return text[start:last_line] + _BODY_NAME_CUT_RE.split(rest, 1)[0]


def _hyphen_continued(text: str, low: str, start: int, end: int) -> str:
    """A name cut at its hyphen by a line end ("… DE LA HAUTE-" / "GARONNE", "Labastide-" /
    "Beauvoir, dûment …") with its end from the next line."""
    raw = text[start:end]
    if raw.endswith("-") and low.startswith("\n", end):
        return raw + _BODY_NAME_CUT_RE.split(text[end + 1 : end + 60], 1)[0]
    return raw


def _read_commune(text: str, low: str) -> tuple[str | None, bool]:
    """(name, is_a_body): the commune, or the intercommunal body whose deliberation this is."""
    kind = _BODY_KIND_RE.search(low, 0, 6000)
    municipal = _COUNCIL_MUNICIPAL_RE.search(low, 0, 6000)
    if kind and (not municipal or kind.start() < municipal.start()):
        candidates = [
            _body_name_at(text, low, m.start(1), m.end(1))
            for m in _BODY_NAME_RE.finditer(low, 0, 6000)
            if _word_start(low, m.start())
        ]
        # A name written in the preamble sentence reads better than an upper-case letterhead.
        candidates.sort(key=lambda c: c.isupper())
        for raw in candidates:
            name = " ".join(_BODY_NAME_END_RE.sub("", raw).split()).strip(" -–'\"")
            if len(name.split()) >= 2 or name.isupper():
                return name, True
        return None, True
    primary = None
    for regex in _COMMUNE_RES:
        for match in regex.finditer(low, 0, 6000):
            if _word_start(low, match.start()):
                primary = _trim_place(_hyphen_continued(text, low, match.start(1), match.end(1)))
                if primary:
                    break
        if primary:
            break
    signed = None
    for match in _FAIT_A_RE.finditer(low):
        if _word_start(low, match.start()):
            signed = _trim_place(text[match.start(1) : match.end(1)])
            if signed:
                break
    if primary and signed and name_key(primary) == name_key(signed):
        # Same commune: prefer the spelling that is not all capitals ("Odars" over "ODARS").
        return (signed if primary.isupper() and not signed.isupper() else primary), False
    return primary or signed, False


def _read_subject(
    text: str, low: str, number_end: int, attendance_end: int, region: tuple[int, int]
) -> str | None:
    for match in _SUBJECT_LABEL_RE.finditer(low, 0, 20_000):
        if match.start() and low[match.start() - 1] not in " \t\n–-":
            continue
        subject = text[match.start(1) : match.end(1)].strip()
        following = text[match.end() : match.end() + 400].split("\n")
        for index, line in enumerate(following[1:3], start=1):
            tail = (
                # the last words of a long subject that a page sent to a line of their own
                len(subject) >= 30
                and 0 < len(line) <= 40
                and not line.rstrip().endswith(".")
                and index + 1 < len(following)
                and not following[index + 1].strip()
                and not _starts_section(line.lower(), 0)
            )
            if line and (line[0].islower() or tail):
                subject += " " + line.strip()
            else:
                break
        return subject.strip(" .;:") or None
    if number_end:
        line_end = text.find("\n", number_end)
        rest = text[number_end : line_end if line_end >= 0 else len(text)]
        tail = re.match(r"\s*[:–—\-]\s*(\S.{2,300})$", rest)
        if tail:
            return tail.group(1).strip(" .")
    windows = []
    if attendance_end:
        body = _BODY_START_RE.search(low, attendance_end, attendance_end + 3000)
        windows.append((attendance_end, body.start() if body else attendance_end + 1500))
    if number_end and region[0] > number_end:
        windows.append((number_end, region[0]))
    for start, end in windows:
        line_start = text.rfind("\n", 0, start) + 1
        if line_start < start:
            next_line = text.find("\n", start)
            start = next_line + 1 if next_line >= 0 else len(text)
        for line in text[start:end].split("\n"):
            candidate = line.strip(" -–*#•\t")
            letters = [c for c in candidate if c.isalpha()]
            if len(letters) < 4 or len(candidate) > 300 or ":" in candidate:
                continue
            upper = sum(c.isupper() for c in letters) / len(letters)
            if upper >= 0.8 and not _BOILERPLATE_LINE_RE.match(candidate):
                return candidate
    return None


def _read_unanimity(low: str) -> bool | None:
    deliberated = _DELIBERATED_RE.search(low)
    start = deliberated.start() if deliberated else 0
    match = _UNANIMITY_RE.search(low, start) or (_UNANIMITY_RE.search(low) if start else None)
    if not match:
        return None
    return match.group(1) is None


def _read_second_convocation(low: str) -> bool:
    for match in _SECOND_CONVOCATION_RE.finditer(low):
        word = match.group(0)
        if word.startswith("quorum"):
            return True
        if _SECOND_BEFORE_RE.search(low, max(0, match.start() - 14), match.start()):
            return True
    return False


_EXERCICE_RE = re.compile(r"en\s+exercice")


def _count_block_end(low: str, region: tuple[int, int]) -> int:
    """End of the last count or secretary line inside the attendance region."""
    start, end = region
    last = 0
    for regex in (_SECRETARY_FORWARD_RE, _TALLY_WORD_RE, _EXERCICE_RE):
        for match in regex.finditer(low, start, end):
            last = max(last, match.end())
    return last


def read_text(text: str) -> DeliberationReading:
    """Read a deliberation's text; never raises, and leaves `None` for every unread field."""
    text = _clean(text if isinstance(text, str) else "")
    low = _lower(text)
    region = _attendance_region(low)
    if "\n" in text:
        unwrapped = _unwrap_lists(text, low, region)
        if unwrapped is not text:
            text, low = unwrapped, _lower(unwrapped)
            region = _attendance_region(low)
    present, absent, absent_listed, lists_end = _read_lists(text, low, region)
    proxies, proxies_end = _read_proxies(text, low, region)
    counts = _read_counts(text, low)
    number, number_end = _read_number(text, low)
    represented_keys = {name_key(member) for member, _ in proxies}
    present_keys = {name_key(name) for name in present}
    absent = [name for name in absent if name_key(name) not in represented_keys | present_keys]
    commune, _is_body = _read_commune(text, low)
    attendance_end = max(lists_end, proxies_end, _count_block_end(low, region))
    session_date = _read_session_date(text, low)
    return DeliberationReading(
        commune=commune,
        number=number,
        session_date=session_date,
        convocation_date=_read_convocation_date(text, low, session_date),
        president=_read_president(text, low),
        secretary=_read_secretary(text, low),
        members_in_office=counts["members_in_office"],
        present=_dedupe(present),
        present_count=counts["present_count"],
        represented=tuple(proxies),
        represented_count=counts["represented_count"],
        absent=_dedupe(absent),
        voters=counts["voters"],
        expressed=counts["expressed"],
        votes_for=counts["for"],
        votes_against=counts["against"],
        votes_abstention=counts["abstention"],
        subject=_read_subject(text, low, number_end, attendance_end, region),
        unanimous=_read_unanimity(low),
        second_convocation=_read_second_convocation(low),
        absent_listed=absent_listed,
    )
