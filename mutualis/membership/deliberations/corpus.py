"""How well the reader reads a folder of deliberations whose expected fields are written beside them.

A corpus folder holds documents (`NAME.txt` or `NAME.pdf`) each with `NAME.expected.json`: what the
document states, in the reader's JSON shape (`null` or `[]` for what it does not state), its
`layout` (a free label to group the accuracy by) and `findings`, the codes the checks must raise.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .checks import CheckContext, check
from .names import name_key, place_key
from .pdf import read_file
from .reader import read_text

EXPECTED_SUFFIX = ".expected.json"
DOCUMENT_SUFFIXES = (".txt", ".pdf")
# Findings that depend on the database (the commune's population), not on the document.
CONTEXT_FINDINGS = frozenset({"commune_unknown"})


def _names(values: Iterable[str]) -> list[str]:
    return sorted(name_key(value) for value in values)


def _pairs(values: Iterable[dict[str, str]]) -> list[tuple[str, str]]:
    return sorted((name_key(v["member"]), name_key(v["proxy_holder"])) for v in values)


def _words(value: str | None) -> str | None:
    return None if value is None else place_key(value)


def _person(value: str | None) -> str | None:
    return None if value is None else name_key(value)


def _same(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


# Each field compared the way a person would: names whatever their order, accents or titles,
# places and subjects whatever their case and punctuation.
FIELDS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "commune": lambda d: _words(d["commune"]),
    "number": lambda d: _same(d["number"]),
    "session_date": lambda d: d["session_date"],
    "convocation_date": lambda d: d["convocation_date"],
    "president": lambda d: _person(d["president"]),
    "secretary": lambda d: _person(d["secretary"]),
    "members_in_office": lambda d: d["members_in_office"],
    "present": lambda d: _names(d["present"]),
    "present_count": lambda d: d["present_count"],
    "represented": lambda d: _pairs(d["represented"]),
    "represented_count": lambda d: d["represented_count"],
    "absent": lambda d: _names(d["absent"]),
    "voters": lambda d: d["voters"],
    "expressed": lambda d: d["expressed"],
    "votes_for": lambda d: d["votes"]["for"],
    "votes_against": lambda d: d["votes"]["against"],
    "votes_abstention": lambda d: d["votes"]["abstention"],
    "subject": lambda d: _words(d["subject"]),
    "findings": lambda d: sorted(d["findings"]),
}


@dataclass
class DocumentResult:
    """One document: the fields read right and, for the others, what was read instead."""

    name: str
    layout: str
    right: list[str] = field(default_factory=list)
    wrong: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # field: (expected, read)


@dataclass
class CorpusResult:
    documents: list[DocumentResult]

    def _rate(self, results: Iterable[DocumentResult], name: str | None = None) -> float:
        right = total = 0
        for result in results:
            if name is None:
                right += len(result.right)
                total += len(result.right) + len(result.wrong)
            else:
                right += name in result.right
                total += 1
        return right / total if total else 1.0

    def by_field(self) -> dict[str, float]:
        return {name: self._rate(self.documents, name) for name in FIELDS}

    def by_layout(self) -> dict[str, tuple[int, float]]:
        layouts = sorted({result.layout for result in self.documents})
        return {
            layout: (
                sum(r.layout == layout for r in self.documents),
                self._rate(r for r in self.documents if r.layout == layout),
            )
            for layout in layouts
        }

    def overall(self) -> float:
        return self._rate(self.documents)


def _findings_codes(reading_dict: dict[str, Any]) -> list[str]:
    return sorted(
        {f["code"] for f in reading_dict["findings"] if f["code"] not in CONTEXT_FINDINGS}
    )


def read_document(path: Path) -> dict[str, Any]:
    """The reader's JSON of one document, with its findings as a list of codes."""
    reading = read_text(read_file(path))
    data = reading.to_dict(check(reading, context=CheckContext(commune_known=False)))
    data["findings"] = _findings_codes(data)
    return data


def documents_in(folder: Path) -> list[tuple[Path, Path]]:
    """(document, expected file) of every document of the folder that has its expected file."""
    pairs = []
    for expected in sorted(folder.glob("*" + EXPECTED_SUFFIX)):
        stem = expected.name[: -len(EXPECTED_SUFFIX)]
        for suffix in DOCUMENT_SUFFIXES:
            document = expected.with_name(stem + suffix)
            if document.exists():
                pairs.append((document, expected))
    return pairs


def evaluate(folder: Path) -> CorpusResult:
    """Read every document of the folder and compare each field with its expected value."""
    results = []
    for document, expected_path in documents_in(folder):
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        read = read_document(document)
        result = DocumentResult(document.name, expected.get("layout") or "-")
        for name, key in FIELDS.items():
            want, got = key(expected), key(read)
            if want == got:
                result.right.append(name)
            else:
                result.wrong[name] = (want, got)
        results.append(result)
    return CorpusResult(results)
