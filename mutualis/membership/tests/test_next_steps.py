"""The next step named on a commune's membership card, from its state alone."""

from datetime import date

from mutualis.membership.enums import Status
from mutualis.membership.next_steps import next_step


def test_a_convention_issued_is_to_be_signed():
    assert next_step(Status.CONVENTION_ISSUED) == "signer la convention et la renvoyer"


def test_a_commune_on_the_base_offer_alone_may_ask_for_more():
    assert "services avancés" in next_step(Status.JOINED, base_only=True)
    assert next_step(Status.JOINED) == ""


def test_an_exit_names_its_day():
    assert next_step(Status.EXIT_REQUESTED, exit_on=date(2025, 12, 31)) == (
        "sortie effective le 31/12/2025"
    )


def test_every_waiting_state_names_a_step():
    for status in (Status.APPLIED, Status.QUEUED, Status.ADMITTED, Status.CONVENTION_ISSUED):
        assert next_step(status)
