"""The legal counting and timing checks, on readings built by hand."""

from dataclasses import replace
from datetime import date

import pytest

from mutualis.membership.deliberations.checks import MESSAGES, CheckContext, Finding, check
from mutualis.membership.deliberations.law import LawFileError, load_rules, parse_rules
from mutualis.membership.deliberations.reader import DeliberationReading

KNOWN_SMALL = CheckContext(commune_known=True, population_municipale=920)

PRESENT = ("Anne ROUX", "Paul BRU", "Lise MAS", "Jean GAY", "Marc ORS", "Léa VIC", "Eva SOL")
CLEAN = DeliberationReading(
    commune="Odars",
    number="2024-01",
    session_date=date(2024, 5, 22),
    convocation_date=date(2024, 5, 17),
    members_in_office=11,
    present=PRESENT,
    present_count=7,
    represented=(("Zoé PUJOL", "Anne ROUX"),),
    represented_count=1,
    absent=("Luc GRAS", "Noé DOAT", "Ana PONS"),
    absent_listed=True,
    votes_for=8,
    votes_against=0,
    votes_abstention=0,
    subject="Adhésion",
    unanimous=True,
)


def codes(reading: DeliberationReading, context: CheckContext = KNOWN_SMALL) -> list[str]:
    return [finding.code for finding in check(reading, context=context)]


def only(reading: DeliberationReading, code: str, context: CheckContext = KNOWN_SMALL) -> Finding:
    found = [f for f in check(reading, context=context) if f.code == code]
    assert len(found) == 1, found
    return found[0]


def test_a_regular_deliberation_has_no_finding():
    assert codes(CLEAN) == []


def test_unreadable_core_fields_are_one_warning_each():
    reading = replace(CLEAN, commune=None, session_date=None, subject=None)
    findings = [f for f in check(reading, context=KNOWN_SMALL) if f.code == "field_unreadable"]
    assert [f.severity for f in findings] == ["warning"] * 3
    assert "la date de séance" in findings[1].message


def test_present_count_mismatch_names_both_numbers():
    finding = only(replace(CLEAN, present_count=8), "present_count_mismatch")
    assert finding.severity == "warning"
    assert finding.message == "8 présents annoncés, 7 noms listés."


def test_no_count_mismatch_when_the_document_lists_no_names():
    assert "present_count_mismatch" not in codes(replace(CLEAN, present=(), present_count=7))


def test_represented_count_mismatch():
    finding = only(replace(CLEAN, represented_count=2), "represented_count_mismatch")
    assert "2 pouvoirs annoncés, 1 pouvoirs listés" in finding.message


def test_members_named_must_equal_members_in_office_when_absents_are_listed():
    finding = only(replace(CLEAN, absent=("Luc GRAS",)), "members_named_mismatch")
    assert finding.message.startswith("9 membres nommés")
    assert "members_named_mismatch" not in codes(replace(CLEAN, absent=(), absent_listed=False))


def test_quorum_needs_more_than_half_the_members_in_office():
    assert "quorum_not_met" not in codes(replace(CLEAN, present_count=6, present=PRESENT[:6]))
    finding = only(
        replace(CLEAN, present_count=5, present=PRESENT[:5], votes_for=6), "quorum_not_met"
    )
    assert finding.severity == "error"
    assert "5 présents pour 11 membres en exercice, 6 requis" in finding.message


def test_quorum_of_an_even_council_is_half_plus_one():
    reading = replace(CLEAN, members_in_office=14, absent_listed=False)
    assert "quorum_not_met" in codes(replace(reading, present_count=7, present=PRESENT))
    assert "quorum_not_met" not in codes(
        replace(reading, present_count=8, present=(*PRESENT, "Max ALY"), votes_for=9)
    )


def test_quorum_uses_the_announced_count_before_the_listed_names():
    reading = replace(CLEAN, present_count=4, absent_listed=False)
    assert "quorum_not_met" in codes(reading)


def test_second_convocation_is_exempt_from_quorum():
    reading = replace(CLEAN, present_count=3, present=PRESENT[:3], votes_for=4, absent_listed=False)
    assert "quorum_not_met" in codes(reading)
    assert "quorum_not_met" not in codes(replace(reading, second_convocation=True))


def test_health_emergency_lowers_the_quorum_to_one_third():
    reading = replace(
        CLEAN, present_count=4, present=PRESENT[:4], votes_for=5, absent_listed=False,
        convocation_date=None,
    )  # fmt: skip
    assert "quorum_not_met" in codes(replace(reading, session_date=date(2021, 10, 15)))
    assert "quorum_not_met" not in codes(replace(reading, session_date=date(2021, 1, 28)))
    assert "quorum_not_met" not in codes(replace(reading, session_date=date(2022, 7, 31)))
    assert "quorum_not_met" in codes(replace(reading, session_date=date(2022, 8, 1)))


def test_spring_2020_counted_represented_members_towards_the_quorum():
    reading = replace(
        CLEAN, members_in_office=15, present_count=4, present=PRESENT[:4], votes_for=5,
        absent_listed=False, convocation_date=None, represented_count=1,
    )  # fmt: skip
    assert "quorum_not_met" not in codes(replace(reading, session_date=date(2020, 5, 4)))
    assert "quorum_not_met" in codes(replace(reading, session_date=date(2020, 8, 1)))


def test_a_member_holds_at_most_one_proxy_outside_the_emergency():
    reading = replace(
        CLEAN,
        represented=(("Zoé PUJOL", "Anne ROUX"), ("Luc GRAS", "ROUX Anne")),
        represented_count=2,
        absent=("Noé DOAT", "Ana PONS"),
        votes_for=9,
    )
    finding = only(reading, "proxy_holder_has_several")
    assert finding.severity == "error"
    assert "détient 2 pouvoirs (Zoé PUJOL, Luc GRAS) ; 1 au plus" in finding.message
    emergency = replace(reading, session_date=date(2021, 1, 28), convocation_date=None)
    assert "proxy_holder_has_several" not in codes(emergency)


def test_proxy_holder_must_be_present_whatever_the_spelling():
    assert "proxy_holder_absent" not in codes(
        replace(CLEAN, represented=(("Zoé PUJOL", "ROUX ANNE"),))
    )
    reading = replace(CLEAN, represented=(("Zoé PUJOL", "Luc GRAS"),))
    finding = only(reading, "proxy_holder_absent")
    assert (
        finding.message
        == "Luc GRAS, porteur du pouvoir de Zoé PUJOL, ne figure pas parmi les présents."
    )


def test_votes_may_not_exceed_present_and_represented():
    finding = only(
        replace(CLEAN, votes_for=7, votes_against=1, votes_abstention=1, unanimous=None),
        "votes_exceed_voters",
    )
    assert "9 voix" in finding.message and "8 membres présents ou représentés" in finding.message


def test_unanimity_with_a_vote_against_is_a_contradiction():
    finding = only(replace(CLEAN, votes_for=7, votes_against=1), "unanimity_contradiction")
    assert finding.message == "Unanimité annoncée, mais 1 voix contre."


def test_unanimity_needs_every_present_or_represented_vote():
    assert "unanimity_contradiction" in codes(replace(CLEAN, votes_for=7))
    assert "unanimity_contradiction" not in codes(replace(CLEAN, votes_for=7, unanimous=False))


def test_council_larger_than_the_law_allows():
    finding = only(
        replace(CLEAN, members_in_office=19, absent_listed=False), "council_size_exceeds_legal"
    )
    assert "19 membres en exercice pour un conseil de 15 membres au plus" in finding.message
    assert "population municipale 920" in finding.message


@pytest.mark.parametrize(
    ("population", "size"),
    [
        *[(0, 7), (99, 7), (100, 11), (499, 11), (500, 15), (1499, 15), (1500, 19), (3499, 23)],
        *[(3500, 27), (9999, 29), (10000, 33), (14903, 33), (299999, 65), (300000, 69)],
    ],
)
def test_council_size_brackets_of_l2121_2(population, size):
    assert load_rules().council_size(population) == size


def test_convocation_needs_three_clear_days_under_3500_inhabitants():
    on_time = replace(CLEAN, convocation_date=date(2024, 5, 18))  # 19, 20, 21
    assert "convocation_too_late" not in codes(on_time)
    finding = only(replace(CLEAN, convocation_date=date(2024, 5, 19)), "convocation_too_late")
    assert "3 jours francs requis (" in finding.message
    assert finding.message.endswith(", 2 seulement.")


def test_convocation_needs_five_clear_days_from_3500_inhabitants():
    town = CheckContext(commune_known=True, population_municipale=3500)
    reading = replace(CLEAN, members_in_office=11)
    assert "convocation_too_late" not in codes(
        replace(reading, convocation_date=date(2024, 5, 16)), town
    )
    assert "convocation_too_late" in codes(
        replace(reading, convocation_date=date(2024, 5, 17)), town
    )


def test_a_convocation_after_the_session_is_an_error():
    finding = only(replace(CLEAN, convocation_date=date(2024, 5, 23)), "convocation_too_late")
    assert "postérieure" in finding.message


def test_unknown_commune_skips_population_checks_with_one_warning():
    unknown = CheckContext(commune_known=False)
    reading = replace(
        CLEAN, members_in_office=40, absent_listed=False, convocation_date=date(2024, 5, 17)
    )
    findings = [f for f in check(reading, context=unknown) if f.code != "quorum_not_met"]
    assert [(f.code, f.severity) for f in findings] == [("commune_unknown", "warning")]


def test_unknown_commune_still_gets_a_convocation_late_under_any_population():
    unknown = CheckContext(commune_known=False)
    assert "convocation_too_late" in codes(
        replace(CLEAN, convocation_date=date(2024, 5, 20)), unknown
    )


def test_known_commune_without_population_is_skipped_too():
    context = CheckContext(commune_known=True, population_municipale=None)
    reading = replace(CLEAN, members_in_office=40, absent_listed=False)
    finding = only(reading, "commune_unknown", context)
    assert "Population municipale" in finding.message
    assert "council_size_exceeds_legal" not in codes(replace(CLEAN, members_in_office=40), context)


def test_every_message_template_is_french_text():
    assert all(
        (template and not template.isascii()) or " " in template for template in MESSAGES.values()
    )


def test_law_file_periods_cite_their_laws_and_do_not_overlap():
    rules = load_rules()
    references = " ".join(regime.reference for regime in rules.emergencies)
    for law in ("2020-290", "2020-1379", "2021-160", "2021-689", "2021-1465"):
        assert law in references
    assert rules.regime_on(date(2020, 9, 15)) is rules.ordinary
    assert rules.regime_on(None) is rules.ordinary


def test_a_bad_law_file_is_refused_with_a_precise_message():
    with pytest.raises(LawFileError, match="council_size"):
        parse_rules({})
    import tomllib

    from mutualis.membership.deliberations.law import LAW_FILE

    data = tomllib.loads(LAW_FILE.read_text(encoding="utf-8"))
    data["emergency"][1]["start"] = data["emergency"][0]["start"]
    with pytest.raises(LawFileError, match="chevauchent"):
        parse_rules(data)
    data = tomllib.loads(LAW_FILE.read_text(encoding="utf-8"))
    data["ordinary"]["max_proxies_per_member"] = "un"
    with pytest.raises(LawFileError, match="max_proxies_per_member"):
        parse_rules(data)
