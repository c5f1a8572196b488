"""The reader on deliberations it was not written against: the corpus of `tests/corpus/` (communes,
intercommunal councils, syndicates, in the layouts real documents use), as text, printed to PDF at
three page widths and fonts, and scanned; and the seed printed and scanned, read as its text file."""

import json
import os
import shutil
import textwrap
from pathlib import Path

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from mutualis.membership.deliberations.checks import CheckContext, check
from mutualis.membership.deliberations.corpus import FIELDS, documents_in, evaluate
from mutualis.membership.deliberations.names import name_key, place_key
from mutualis.membership.deliberations.pdf import read_file
from mutualis.membership.deliberations.reader import (
    _PARTICLES,
    _ROLE_WORDS,
    DeliberationReading,
    read_text,
)
from mutualis.membership.deliberations.words import fold
from mutualis.membership.tests.corpus_helpers import (
    A4_SERIF,
    A5_SANS,
    CORPUS,
    PAGES,
    SEED,
    ocr_available,
    pdf_corpus,
    render_pdf,
    scan_pdf,
)

MINIMUM = 0.95
needs_ocr = pytest.mark.skipif(
    not ocr_available(),
    reason="OCR needs Debian's tesseract-ocr, tesseract-ocr-fra and poppler-utils",
)


def _accuracy_table(folder: Path, capsys, *, table: bool = True) -> dict:
    """The command's figures as JSON, and its table printed in the test output (or the JSON,
    when reading the folder twice would cost too much: scans)."""
    if table:
        call_command("read_deliberation", "--corpus", str(folder), "--errors")
        printed = capsys.readouterr().out
    call_command("read_deliberation", "--corpus", str(folder), "--json")
    output = capsys.readouterr().out
    with capsys.disabled():
        print("\n" + (printed if table else output))
    return json.loads(output)


def _assert_every_field_reads_right(figures: dict) -> None:
    low = {name: rate for name, rate in figures["fields"].items() if rate < MINIMUM}
    assert not low, (low, figures["errors"])


def test_the_corpus_has_thirty_documents_of_every_kind_of_body_and_layout():
    documents = documents_in(CORPUS)
    assert len(documents) >= 30
    names = [document.name for document, _ in documents]
    for body in ("commune-", "communautaire-", "syndicat-"):
        assert sum(name.startswith(body) for name in names) >= 5
    layouts = {json.loads(expected.read_text())["layout"] for _, expected in documents}
    assert {"wrapped-list", "hyphen-cut", "header-counts", "table-counts", "other-words"} < layouts
    assert {"inline-proxies", "heading-date", "lost-characters", "count-no-names"} < layouts


def test_every_expected_file_has_every_field_of_the_reader():
    for _, expected in documents_in(CORPUS):
        data = json.loads(expected.read_text(encoding="utf-8"))
        for key in FIELDS.values():
            key(data)  # raises KeyError on a missing field


@pytest.mark.django_db
def test_the_corpus_as_text_reads_at_least_95_percent_of_each_field(capsys):
    _assert_every_field_reads_right(_accuracy_table(CORPUS, capsys))


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_the_corpus_printed_to_pdf_reads_at_least_95_percent_of_each_field(page, tmp_path, capsys):
    _assert_every_field_reads_right(_accuracy_table(pdf_corpus(tmp_path, page), capsys))


def test_a_wrong_field_lowers_the_accuracy_of_that_field_only(tmp_path):
    folder = pdf_corpus(tmp_path, A4_SERIF, source=CORPUS)
    expected = next(folder.glob("commune-belcastel-*.expected.json"))
    data = json.loads(expected.read_text(encoding="utf-8"))
    data["members_in_office"] = 99
    expected.write_text(json.dumps(data), encoding="utf-8")
    result = evaluate(folder)
    (wrong,) = [r for r in result.documents if r.wrong.get("members_in_office")]
    assert wrong.wrong["members_in_office"] == (99, 13)
    assert result.by_field()["members_in_office"] < 1.0


# --- the seed ---------------------------------------------------------------------------------


def _seed_findings(text: str) -> list[str]:
    reading = read_text(text)
    return sorted(f.code for f in check(reading, context=CheckContext(commune_known=False)))


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_the_seed_printed_to_pdf_reads_exactly_as_its_text(page, tmp_path):
    path = tmp_path / "seed.pdf"
    path.write_bytes(render_pdf(SEED.read_text(encoding="utf-8"), page))
    text = read_file(path)
    reading = read_text(text)
    assert reading == read_text(SEED.read_text(encoding="utf-8"))
    assert (len(reading.present), reading.present_count) == (9, 10)
    assert (len(reading.represented), len(reading.absent), reading.members_in_office) == (3, 1, 14)
    assert "members_named_mismatch" in _seed_findings(text)
    assert "present_count_mismatch" in _seed_findings(text)


@needs_ocr
def test_the_seed_scanned_at_300_dpi_reads_as_its_text(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(
        scan_pdf(render_pdf(SEED.read_text(encoding="utf-8"), A4_SERIF), dpi=300, seed=7)
    )
    scanned_text = read_file(path)
    scanned = read_text(scanned_text)
    text = read_text(SEED.read_text(encoding="utf-8"))
    # The scan is of the first page, which holds the whole attendance block; the vote (« à
    # l'unanimité ») is on the second. Names and places compare whatever their case and accents
    # (OCR may read « ARSÉGUEL » as « ARSEGUEL »); every other field is exactly the text's.
    assert place_key(scanned.commune) == place_key(text.commune)
    assert name_key(scanned.president) == name_key(text.president)
    same = {"commune", "president", "unanimous"}
    for field in set(DeliberationReading.__dataclass_fields__) - same:
        if field in {"present", "absent"}:
            assert [name_key(n) for n in getattr(scanned, field)] == [
                name_key(n) for n in getattr(text, field)
            ], field
        elif field == "represented":
            assert [(name_key(m), name_key(h)) for m, h in scanned.represented] == [
                (name_key(m), name_key(h)) for m, h in text.represented
            ]
        else:
            assert getattr(scanned, field) == getattr(text, field), field
    assert (len(scanned.present), len(scanned.represented), len(scanned.absent)) == (9, 3, 1)
    assert (scanned.members_in_office, scanned.present_count) == (14, 10)
    findings = _seed_findings(scanned_text)
    assert findings == _seed_findings(SEED.read_text(encoding="utf-8"))
    assert {"present_count_mismatch", "members_named_mismatch"} <= set(findings)


# Three documents, one of each kind of body, printed and scanned at 200, 250 and 300 dpi.
SCANNED = (
    ("commune-belcastel-2024-03-12", A4_SERIF, 200),
    ("communautaire-save-2024-04-15", A5_SANS, 250),
    ("syndicat-hers-2022-09-20", A4_SERIF, 300),
)
SCAN_DPIS = (200, 250, 300)
# The whole corpus scanned (MUTUALIS_SCAN_CORPUS=1, some minutes): each document on one of the
# three pages at one of the three resolutions, with its own noise. It reads 96.7 % of the fields
# right (the corpus text and text-layer PDFs: 100 %); scans of other noise read 96 to 98 %.
WHOLE_CORPUS_SCAN_MINIMUM = 0.95
WHOLE_CORPUS_SCAN_SEED = 5


@needs_ocr
@pytest.mark.django_db
def test_scans_of_the_corpus_read_through_ocr_at_least_95_percent_of_their_fields(tmp_path, capsys):
    """OCR misreads a speck or a letter now and then (« ROUARX » for « ROUAIX »): what it
    confuses in a known way is undone before reading, and the table shows what was misread."""
    for stem, page, dpi in SCANNED:
        text = (CORPUS / f"{stem}.txt").read_text(encoding="utf-8")
        (tmp_path / f"{stem}.pdf").write_bytes(scan_pdf(render_pdf(text, page), dpi=dpi, seed=3))
        shutil.copy(CORPUS / f"{stem}.expected.json", tmp_path)
    figures = _accuracy_table(tmp_path, capsys, table=False)
    assert figures["documents"] == len(SCANNED)
    assert figures["overall"] >= MINIMUM, figures["errors"]


@needs_ocr
@pytest.mark.django_db
@pytest.mark.skipif(
    os.environ.get("MUTUALIS_SCAN_CORPUS") != "1",
    reason="the whole corpus through OCR takes minutes: MUTUALIS_SCAN_CORPUS=1 runs it",
)
def test_the_whole_corpus_scanned_reads_at_least_95_percent_of_its_fields(tmp_path, capsys):
    seed = WHOLE_CORPUS_SCAN_SEED
    for index, (document, expected) in enumerate(documents_in(CORPUS)):
        page = PAGES[(index + seed) % len(PAGES)]
        dpi = SCAN_DPIS[(index // len(PAGES) + seed) % len(SCAN_DPIS)]
        printed = render_pdf(document.read_text(encoding="utf-8"), page)
        scan = scan_pdf(printed, dpi=dpi, seed=seed * 100 + index)
        (tmp_path / f"{document.stem}.pdf").write_bytes(scan)
        shutil.copy(expected, tmp_path)
    figures = _accuracy_table(tmp_path, capsys, table=False)
    assert figures["documents"] == len(documents_in(CORPUS))
    assert figures["overall"] >= WHOLE_CORPUS_SCAN_MINIMUM, figures["errors"]


# --- names wrapped at any column --------------------------------------------------------------

# Words of the documents' own vocabulary are not names ("Oui", "Pour", "Maire"…): a generated
# name may not be one.
_VOCABULARY = _ROLE_WORDS | _PARTICLES | {"oui", "pour", "contre", "vote", "votes", "objet"}
_VOCABULARY |= {"date", "votants", "exprimes", "quorum", "abstention", "abstentions", "vu"}


def _not_vocabulary(name: str) -> bool:
    return not any(fold(part) in _VOCABULARY for part in name.split("-"))


_SURNAME = st.from_regex(r"[A-Z][A-ZÉÈ]{2,9}(-[A-Z][A-ZÉ]{2,7})?", fullmatch=True).filter(
    _not_vocabulary
)
_FIRST = st.from_regex(r"[A-Z][a-zéèï]{2,8}(-[A-Z][a-zéè]{2,7})?", fullmatch=True).filter(
    _not_vocabulary
)
_PERSON = st.tuples(_SURNAME, _FIRST)


@settings(max_examples=150, deadline=None)
@given(
    people=st.lists(_PERSON, min_size=1, max_size=14, unique_by=lambda p: name_key(" ".join(p))),
    surname_first=st.booleans(),
    separator=st.sampled_from([" - ", ", ", " ; ", " – "]),
    width=st.integers(25, 120),
    label=st.sampled_from(["Présents : ", "PRÉSENTS : ", "Étaient présents : "]),
)
def test_any_list_of_names_wrapped_at_any_column_reads_back_the_same_names(
    people, surname_first, separator, width, label
):
    names = [f"{s} {f}" if surname_first else f"{f} {s}" for s, f in people]
    paragraph = label + separator.join(names)
    wrapped = "\n".join(textwrap.wrap(paragraph, width, break_on_hyphens=True))
    text = f"COMMUNE DE TEST\n{wrapped}\nSecrétaire de séance : {names[0]}\n"
    assert [name_key(n) for n in read_text(text).present] == [name_key(n) for n in names]
