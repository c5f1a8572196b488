from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from mutualis.inventory.matrix import Usage, build_matrix


def _u(domain, software, commune, satisfaction=None, end=None, vendor=""):
    return Usage(domain, software, vendor, commune, satisfaction, end)


def test_matrix_counts_are_exact():
    rows = build_matrix(
        [
            _u("civil_status", "Logitud", "Odars", 4),
            _u("civil_status", "logitud ", "Labège", 2),
            _u("civil_status", "Arpège", "Escalquens", 5),
            _u("finance", "Berger-Levrault", "Odars"),
        ]
    )
    civil = next(r for r in rows if r.domain == "civil_status")
    assert [(c.software, c.count, c.communes) for c in civil.cells] == [
        ("Logitud", 2, ["Labège", "Odars"]),
        ("Arpège", 1, ["Escalquens"]),
    ]
    assert civil.cells[0].satisfaction == Decimal("3.0")
    assert civil.communes == 3 and civil.harmonisable
    assert civil.candidate().software == "Logitud"
    finance = next(r for r in rows if r.domain == "finance")
    assert not finance.harmonisable and finance.cells[0].satisfaction is None


def test_contracts_ending_within_two_years():
    rows = build_matrix(
        [
            _u("payroll", "A", "Odars", end=date(2027, 3, 1)),
            _u("payroll", "B", "Labège", end=date(2031, 1, 1)),
            _u("payroll", "A", "Pouze", end=date(2020, 1, 1)),
        ]
    )
    assert rows[0].contracts_ending(today=date(2026, 11, 28)) == [("A", "Odars", date(2027, 3, 1))]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "b"]),
            st.sampled_from(["X", "x", "Y"]),
            st.sampled_from(["C1", "C2", "C3"]),
        ),
        max_size=30,
    )
)
def test_every_usage_is_counted_once(triples):
    rows = build_matrix([_u(d, s, c) for d, s, c in triples])
    assert sum(r.communes for r in rows) == len(triples)
