"""The public accountant's statement parser: documented format, every bad row named, fuzzed."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mutualis.contributions.statement import (
    StatementError,
    StatementRow,
    parse_amount,
    parse_statement,
)

HEADER = "date_paiement;montant;reference;numero_appel;siren_debiteur\n"


def test_the_documented_example_is_read():
    rows = parse_statement(HEADER + "15/01/2025;475,00;TIT-2025-000123;2024-0001;213104029\n")
    assert rows == [
        StatementRow(
            line=2,
            paid_on=date(2025, 1, 15),
            amount=Decimal("475.00"),
            reference="TIT-2025-000123",
            call_number="2024-0001",
            debtor_siren="213104029",
        )
    ]


def test_bom_iso_dates_thousands_separators_euro_sign_and_no_siren_column():
    text = (
        "\ufeffdate_paiement;montant;reference;numero_appel\n2025-02-01;1 141,20 €;R1;2026-0002\n"
    )
    (row,) = parse_statement(text)
    assert (row.paid_on, row.amount, row.debtor_siren) == (date(2025, 2, 1), Decimal("1141.20"), "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("475", Decimal("475")),
        ("475.5", Decimal("475.5")),
        ("-10,00", Decimal("-10.00")),
        ("1\u202f141,20", Decimal("1141.20")),
        ("4,755", None),
        ("abc", None),
        ("", None),
        ("1.000,00", None),
    ],
)
def test_amounts(text, expected):
    assert parse_amount(text) == expected


def test_every_bad_row_is_reported_with_its_line_and_column():
    text = (
        HEADER
        + "32/01/2025;475,00;R1;2024-0001;\n"
        + "15/01/2025;quatre;R2;2024-0002;12345\n"
        + "\n"
        + "15/01/2025;10;;;\n"
    )
    with pytest.raises(StatementError) as error:
        parse_statement(text)
    errors = error.value.errors
    assert errors[0].startswith("ligne 2, colonne date_paiement")
    assert any(e.startswith("ligne 3, colonne montant") for e in errors)
    assert any(e.startswith("ligne 3, colonne siren_debiteur") for e in errors)
    assert any(e.startswith("ligne 5, colonne reference") for e in errors)
    assert any(e.startswith("ligne 5, colonne numero_appel") for e in errors)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "colonnes obligatoires absentes"),
        ("date;montant\n", "colonnes obligatoires absentes"),
        (HEADER.replace("siren_debiteur", "commentaire"), "colonne inconnue : commentaire"),
        (HEADER, "aucune ligne"),
        (HEADER + "01/01/2025;1;R;2024-0001;213104029;en trop\n", "plus de valeurs"),
    ],
)
def test_structural_problems_are_refused(text, message):
    with pytest.raises(StatementError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_statement(text)


@settings(max_examples=400, deadline=None, database=None)
@given(st.text(max_size=400))
def test_any_text_is_either_read_or_refused_with_a_statement_error(text):
    try:
        rows = parse_statement(text)
    except StatementError as exc:
        assert exc.errors and all(isinstance(e, str) and e for e in exc.errors)
    else:
        assert rows


cells = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=20).filter(
    lambda s: ";" not in s and '"' not in s
)


@settings(max_examples=300, deadline=None, database=None)
@given(st.lists(st.tuples(cells, cells, cells, cells, cells), min_size=1, max_size=5))
def test_fuzzed_rows_never_crash_the_parser(rows):
    text = HEADER + "\n".join(";".join(r) for r in rows) + "\n"
    try:
        parse_statement(text)
    except StatementError as exc:
        assert all(e.startswith("ligne") or "aucune ligne" in e for e in exc.errors)


@settings(max_examples=200, deadline=None, database=None)
@given(
    st.lists(
        st.tuples(
            st.dates(date(2024, 1, 1), date(2027, 12, 31)),
            st.integers(1, 10_000_000),
            st.from_regex(r"[A-Z0-9-]{1,20}", fullmatch=True),
            st.from_regex(r"20[0-9]{2}-[0-9]{4}", fullmatch=True),
            st.one_of(st.just(""), st.from_regex(r"[0-9]{9}", fullmatch=True)),
        ),
        min_size=1,
        max_size=10,
    ),
    st.booleans(),
)
def test_well_formed_rows_round_trip(rows, french):
    lines = []
    for paid_on, cents, reference, number, siren in rows:
        amount = f"{Decimal(cents).scaleb(-2):.2f}"
        day = paid_on.strftime("%d/%m/%Y") if french else paid_on.isoformat()
        lines.append(
            ";".join(
                [day, amount.replace(".", ",") if french else amount, reference, number, siren]
            )
        )
    parsed = parse_statement(HEADER + "\n".join(lines) + "\n")
    assert [(r.paid_on, r.amount, r.reference, r.call_number, r.debtor_siren) for r in parsed] == [
        (paid_on, Decimal(cents).scaleb(-2), reference, number, siren)
        for paid_on, cents, reference, number, siren in rows
    ]
