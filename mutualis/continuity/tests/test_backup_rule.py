from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from mutualis.continuity.backup_rule import Copy, Option, check_321, proposal

NAS = Copy("NAS", "nas", 1, offsite=False, offline=False)
USB = Copy("Disque USB au domicile du secrétaire", "usb_disk", 7, offsite=True, offline=True)
CLOUD = Option(
    "cloud",
    "Sauvegarde externalisée",
    "Prestataire A",
    Decimal("0.05"),
    Decimal("15"),
    Decimal("100"),
    True,
    True,
)
SYNC = Option(
    "sync",
    "Synchronisation en ligne",
    "Prestataire B",
    Decimal("0.02"),
    Decimal("5"),
    Decimal("0"),
    True,
    False,
)


def _failed(copies):
    return {c.code for c in check_321(copies) if not c.passed}


def test_a_single_nas_fails_everything_but_recency():
    assert _failed([NAS]) == {"three_copies", "two_media", "one_offsite", "one_offline"}


def test_nas_plus_offsite_offline_disk_satisfies_the_rule():
    assert _failed([NAS, USB]) == set()


def test_no_backup_at_all_fails_every_check():
    assert _failed([]) == {"three_copies", "two_media", "one_offsite", "one_offline", "recent"}


def test_proposal_prefers_the_option_fixing_most_then_the_cheapest():
    quotes = proposal([SYNC, CLOUD], volume_gb=Decimal("200"), copies=[NAS])
    assert [q.option.code for q in quotes] == ["cloud", "sync"]
    cloud = quotes[0]
    assert cloud.volume_gb == Decimal("240")
    assert cloud.monthly == Decimal("15.00")  # the monthly minimum applies
    assert cloud.first_year == Decimal("280.00")
    assert set(cloud.fixes) == {"one_offsite", "one_offline", "two_media", "three_copies"}


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.builds(
            Copy,
            st.text(max_size=5),
            st.sampled_from(["nas", "usb", "cloud"]),
            st.integers(1, 60),
            st.booleans(),
            st.booleans(),
        ),
        max_size=5,
    ),
    st.decimals(min_value=0, max_value=100000, places=1),
)
def test_costs_are_never_negative_and_checks_always_five(copies, volume):
    assert len(check_321(copies)) == 5
    for q in proposal([CLOUD, SYNC], volume_gb=volume, copies=copies):
        assert q.monthly >= 0 and q.first_year >= q.monthly
