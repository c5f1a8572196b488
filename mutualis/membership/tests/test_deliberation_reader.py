"""Reading deliberations in the layouts French town halls and intercommunal bodies use."""

import json
from datetime import date
from pathlib import Path

import pytest

from mutualis.membership.deliberations.checks import CheckContext, check
from mutualis.membership.deliberations.reader import DeliberationReading, read_text

DOCUMENTS = Path(__file__).with_name("documents")
CONTEXTS = json.loads((DOCUMENTS / "contexts.json").read_text(encoding="utf-8"))
SEED = DOCUMENTS / "odars-2024-05-04.txt"


def _read(path: Path) -> dict:
    reading = read_text(path.read_text(encoding="utf-8"))
    return reading.to_dict(check(reading, context=CheckContext(**CONTEXTS[path.name])))


def test_seed_is_read_as_the_issue_states():
    reading = read_text(SEED.read_text(encoding="utf-8"))
    assert reading.commune == "Odars"
    assert reading.number == "2024-05-04"
    assert reading.session_date == date(2024, 5, 22)
    assert reading.convocation_date == date(2024, 5, 17)
    assert reading.president == "Patrice ARSÉGUEL"
    assert reading.secretary == "DECROIX Jacques"
    assert reading.members_in_office == 14
    assert len(reading.present) == 9 and reading.present_count == 10
    assert "JULIEN-DELANNOY Martine" in reading.present
    assert reading.represented == (
        ("BERTHELOT Béatrice", "ARSEGUEL Patrice"),
        ("COUJOU-DELABIE Marie-Ange", "BRETHOUS Jacques"),
        ("SORIANO Timothée", "SCIE-NEGRIN Lydie"),
    )
    assert reading.represented_count == 3
    assert reading.absent == ("MERLE Laure",)
    assert (reading.voters, reading.expressed) == (None, None)
    assert (reading.votes_for, reading.votes_against, reading.votes_abstention) == (13, 0, 0)
    assert reading.subject == "MUTUALISATION DSI SICOVAL"
    assert reading.unanimous is True


def test_seed_findings_are_the_two_mismatches_and_no_error():
    codes = [finding["code"] for finding in _read(SEED)["findings"]]
    assert sorted(codes) == ["members_named_mismatch", "present_count_mismatch"]


def test_seed_json_has_every_key_in_the_documented_order():
    keys = list(_read(SEED))
    assert keys == [
        "commune", "number", "session_date", "convocation_date", "president", "secretary",
        "members_in_office", "present", "present_count", "represented", "represented_count",
        "absent", "voters", "expressed", "votes", "subject", "findings",
    ]  # fmt: skip
    assert list(_read(SEED)["votes"]) == ["for", "against", "abstention"]


@pytest.mark.parametrize("path", sorted(DOCUMENTS.glob("*.txt")), ids=lambda path: path.stem)
def test_every_test_document_reads_as_its_expected_json(path):
    expected = json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))
    assert _read(path) == expected


def test_there_are_at_least_twelve_documents_besides_the_seed():
    assert len([p for p in DOCUMENTS.glob("*.txt") if p != SEED]) >= 12


def test_empty_text_leaves_every_field_unread():
    reading = read_text("")
    assert reading == DeliberationReading()
    data = reading.to_dict()
    assert data["votes"] == {"for": None, "against": None, "abstention": None}
    assert data["present"] == [] and data["represented"] == [] and data["findings"] == []


INLINE = """COMMUNE DE POUZE
Séance du 3 avril 2025
Présents : Mme Anne ROUX, M. Paul BRU, Mme Lise MAS. Absents excusés : M. Marc GAY (pouvoir à \
Mme Anne ROUX). Absente : Mme Zoé PUJOL.
Secrétaire de séance : M. Paul BRU
Objet : Adhésion au socle de base
Le conseil, après en avoir délibéré, adopte à la majorité par 3 voix pour et 1 abstention.
"""


def test_inline_lists_end_at_the_next_label():
    reading = read_text(INLINE)
    assert reading.present == ("Anne ROUX", "Paul BRU", "Lise MAS")
    assert reading.represented == (("Marc GAY", "Anne ROUX"),)
    assert reading.absent == ("Zoé PUJOL",)
    assert reading.absent_listed
    assert reading.unanimous is False
    assert (reading.votes_for, reading.votes_against, reading.votes_abstention) == (3, None, 1)
    assert reading.commune == "POUZE"
    assert reading.session_date == date(2025, 4, 3)


def test_absents_neant_is_an_empty_but_given_list():
    reading = read_text("Présents : Paul BRU, Anne ROUX\nAbsents : néant\nEn exercice : 2")
    assert reading.absent == ()
    assert reading.absent_listed


def test_procuration_a_and_represente_par_and_pouvoir_de_forms():
    text = (
        "Présents : Anne ROUX, Paul BRU (pouvoir de Luc MAS), Jean GAY\n"
        "Absents excusés : Marie ORS donne procuration à Anne ROUX ; "
        "Léa VIC représentée par Jean GAY\n"
    )
    assert set(read_text(text).represented) == {
        ("Luc MAS", "Paul BRU"),
        ("Marie ORS", "Anne ROUX"),
        ("Léa VIC", "Jean GAY"),
    }


def test_a_proxy_in_the_decision_text_is_not_a_councillor_proxy():
    text = (
        "Présents : Anne ROUX, Paul BRU\nSecrétaire de séance : Paul BRU\n\n"
        "Après en avoir délibéré, le conseil donne pouvoir à Monsieur le Maire pour signer."
    )
    assert read_text(text).represented == ()


def test_counts_written_before_their_label():
    text = "Nombre de membres : 15 en exercice, 11 présents, 2 représentés, 13 votants.\n"
    reading = read_text(text)
    assert (reading.members_in_office, reading.present_count) == (15, 11)
    assert (reading.represented_count, reading.voters) == (2, 13)


def test_counts_in_a_table_with_votants_and_exprimes():
    text = (
        "En exercice\tPrésents\tVotants\tExprimés\tPour\tContre\tAbstentions\n"
        "19\t15\t17\t16\t16\t0\t1\n"
    )
    reading = read_text(text)
    assert (reading.members_in_office, reading.present_count, reading.voters) == (19, 15, 17)
    assert (reading.expressed, reading.votes_for, reading.votes_abstention) == (16, 16, 1)


def test_a_prose_mention_of_two_proxies_is_not_a_count():
    text = (
        "Conformément à la loi n° 2020-1379, le quorum est fixé au tiers des membres en exercice"
        " et chaque conseiller peut être porteur de deux pouvoirs pendant toute la durée de l'état"
        " d'urgence sanitaire.\n"
    )
    assert read_text(text).represented_count is None


def test_a_date_after_the_convocation_word_is_not_the_session_date():
    text = "Le conseil municipal, convoqué le 2 mars 2024, s'est réuni le 8 mars 2024 à 20h."
    reading = read_text(text)
    assert reading.convocation_date == date(2024, 3, 2)
    assert reading.session_date == date(2024, 3, 8)


def test_a_session_date_written_in_words_without_l_an():
    text = "Le vingt-deux mai deux mille vingt-quatre, le conseil municipal s'est réuni en mairie."
    assert read_text(text).session_date == date(2024, 5, 22)


def test_second_convocation_is_recognised():
    text = (
        "Le conseil municipal, réuni sur deuxième convocation, délibère sans condition de quorum."
    )
    assert read_text(text).second_convocation
    assert not read_text("Le conseil municipal s'est réuni.").second_convocation


def test_a_syndicate_is_named_by_its_own_name_not_the_town_it_signs_in():
    text = (
        "SIVOM DE LA VALLÉE DE L'HERS\n"
        "Le comité syndical du SIVOM de la Vallée de l'Hers, dûment convoqué, s'est réuni.\n"
        "Fait à Baziège, le 3 mai 2024"
    )
    assert read_text(text).commune == "SIVOM de la Vallée de l'Hers"


def test_a_secretary_named_before_the_role():
    text = "Mme Sophie MARTIN a été désignée pour remplir les fonctions de secrétaire de séance."
    assert read_text(text).secretary == "Sophie MARTIN"


def test_windows_line_ends_and_markdown_emphasis_do_not_matter():
    text = SEED.read_text(encoding="utf-8").replace("\n", "\r\n")
    assert read_text(text) == read_text(SEED.read_text(encoding="utf-8"))


CLASSIC_HEADER = """Nombre de membres afférents au Conseil municipal : 19
Nombre de membres en exercice : 18
Nombre de membres qui ont pris part à la délibération : 16
Date de la convocation : 02.05.24
"""


def test_classic_header_keeps_seats_apart_from_members_in_office():
    reading = read_text(CLASSIC_HEADER)
    assert reading.members_in_office == 18
    assert reading.voters == 16
    assert reading.convocation_date == date(2024, 5, 2)


def test_absents_having_given_proxy_as_a_list_of_pairs():
    text = (
        "Présents : Mme Anne ROUX, M. Paul BRU\n"
        "Absents ayant donné procuration : Mme Léa VIC à M. Paul BRU, M. Luc MAS à Mme Anne ROUX\n"
    )
    reading = read_text(text)
    assert reading.represented == (("Léa VIC", "Paul BRU"), ("Luc MAS", "Anne ROUX"))
    assert reading.absent == ()


def test_a_prefecture_stamp_does_not_become_a_session_or_convocation_date():
    text = (
        "Accusé de réception en préfecture 031-213104029-20240524-2024-05-04-DE\n"
        "Date de réception préfecture : 24/05/2024\n"
    )
    reading = read_text(text)
    assert (reading.session_date, reading.convocation_date, reading.number) == (None, None, None)


BIG_CITY = """VILLE DE RAMONVILLE-SAINT-AGNE
Séance du mardi 14 mai 2024
Délibération n° 2024/05/061
Nombre de conseillers : 33  En exercice : 33  Présents : 27  Votants : 31
Le 14 mai 2024 à 18h30, le Conseil municipal de Ramonville-Saint-Agne, légalement convoqué le \
7 mai 2024, s'est assemblé sous la présidence de M. Christophe LUBAC, Maire.
Étaient présents : M. LUBAC, Maire, Mme ARDERIU, M. PUJOL, Mme BRIGNOLI, Adjoints, M. AUDOUIN
Étaient excusés et avaient donné procuration : Mme GARCIA à M. LUBAC, M. FERRER à Mme ARDERIU
Étaient absents : M. SAUVAGE
OBJET : Mutualisation informatique – convention avec le Sicoval
Le Conseil Municipal, après en avoir délibéré, par 29 voix pour et 2 abstentions, APPROUVE.
"""


def test_big_city_layout_with_roles_inside_the_list():
    reading = read_text(BIG_CITY)
    assert reading.commune == "Ramonville-Saint-Agne"
    assert reading.present == ("LUBAC", "ARDERIU", "PUJOL", "BRIGNOLI", "AUDOUIN")
    assert reading.represented == (("GARCIA", "LUBAC"), ("FERRER", "ARDERIU"))
    assert reading.absent == ("SAUVAGE",)
    assert (reading.members_in_office, reading.present_count, reading.voters) == (33, 27, 31)
    assert (reading.votes_for, reading.votes_abstention) == (29, 2)
    assert reading.convocation_date == date(2024, 5, 7)


def test_everything_in_words():
    text = (
        "Séance du premier juillet deux mille vingt-quatre\n"
        "Convoqué le vingt-cinq juin deux mille vingt-quatre, le conseil s'est réuni.\n"
        "Membres en exercice : quinze ; présents : onze ; pouvoirs : deux ; votants : treize\n"
        "Pour : treize ; contre : néant ; abstention : néant\n"
    )
    reading = read_text(text)
    assert (reading.session_date, reading.convocation_date) == (date(2024, 7, 1), date(2024, 6, 25))
    assert (reading.members_in_office, reading.present_count) == (15, 11)
    assert (reading.represented_count, reading.voters) == (2, 13)
    assert (reading.votes_for, reading.votes_against, reading.votes_abstention) == (13, 0, 0)


def test_a_session_date_only_in_a_heading_with_a_split_ordinal():
    assert read_text("COMMUNE DE CORRONSAC\nSÉANCE DU 1 ER MARS 2019\n").session_date == date(
        2019, 3, 1
    )


def test_lost_apostrophes_and_broken_hyphens_are_mended():
    text = (
        "L an deux mille dix-neuf, le seize mai, le conseil municipal s est réuni.\n"
        "Présents : Roland PUJOL, Marie- Claire DAVEZAC\n"
    )
    reading = read_text(text)
    assert reading.session_date == date(2019, 5, 16)
    assert reading.present == ("Roland PUJOL", "Marie-Claire DAVEZAC")


def test_a_convocation_without_its_year_takes_the_session_s():
    text = "L'an deux mille dix-neuf, le premier mars, le conseil, convoqué le vingt-deux février."
    reading = read_text(text)
    assert (reading.session_date, reading.convocation_date) == (date(2019, 3, 1), date(2019, 2, 22))


def test_counts_in_other_words_and_a_majority_without_figure_stays_unread():
    text = "Nombre de conseillers élus : 11\nEn fonction : 11\nConseillers présents : 9\n"
    reading = read_text(text)
    assert (reading.members_in_office, reading.present_count) == (11, 9)
    prose = (
        "Les conseillers présents formant la majorité des membres en exercice, le conseil siège."
    )
    assert (read_text(prose).members_in_office, read_text(prose).present_count) == (None, None)


def test_a_proxy_carried_inline_in_the_present_list():
    text = (
        "Présents : M. Christian DUPONT (porteur d'un pouvoir de Mme Sylvie MARTIN), "
        "Mme Élise BARTHE\nAbsent : M. Noël IMBERT\n"
    )
    reading = read_text(text)
    assert reading.present == ("Christian DUPONT", "Élise BARTHE")
    assert reading.represented == (("Sylvie MARTIN", "Christian DUPONT"),)


def test_a_count_without_names_and_names_without_count_are_read_as_they_are():
    assert read_text("Présents : 11\nVotants : 13\n").present == ()
    assert read_text("Présents : 11\nVotants : 13\n").present_count == 11
    reading = read_text("Présents : Anne ROUX, Paul BRU\nSecrétaire : Paul BRU\n")
    assert (reading.present_count, len(reading.present)) == (None, 2)


def test_a_list_wrapped_by_a_page_with_its_page_number_reads_whole():
    text = (
        "Présents : AZÉMA Ginette - BENECH Paul - CAMBON Marie-\n"
        "Thérèse - DELPOUX Rémi - ESQUIROL\n2\nManon - HUC Gérard\nAbsent : MAZARS Hugo\n"
    )
    assert read_text(text).present == (
        "AZÉMA Ginette",
        "BENECH Paul",
        "CAMBON Marie-Thérèse",
        "DELPOUX Rémi",
        "ESQUIROL Manon",
        "HUC Gérard",
    )


def test_names_that_lost_their_separators_are_split_by_their_capitals():
    reading = read_text("Présents : ARSÉGUEL Patrice BRETHOUS Jacques DECROIX Jacques\n")
    assert reading.present == ("ARSÉGUEL Patrice", "BRETHOUS Jacques", "DECROIX Jacques")


def test_a_table_whose_figures_follow_its_header_one_per_line():
    text = "En exercice Présents Votants Pour Contre\n\n19\n\n15\n\n17\n\n16\n\n0\n"
    reading = read_text(text)
    assert (reading.members_in_office, reading.present_count, reading.voters) == (19, 15, 17)
    assert (reading.votes_for, reading.votes_against) == (16, 0)


def test_a_wrapped_list_whose_label_follows_an_ocr_speck():
    text = (
        "- Présents : LACOMBE Bernard - GARRIGUES\nJean-Pierre - VIGUIER\nThierry - MOULIS Sabine\n"
        "\nAbsent : ROQUES Damien\n"
    )
    assert read_text(text).present == (
        "LACOMBE Bernard",
        "GARRIGUES Jean-Pierre",
        "VIGUIER Thierry",
        "MOULIS Sabine",
    )


def test_an_article_before_pouvoir_is_not_a_count_and_a_subject_tail_is_kept():
    text = (
        "Présents : M. Jean DUPONT (porteur d'un\npouvoir de Mme Sylvie MARTIN), Mme Élise BARTHE\n"
        "\nObjet : Mutualisation des services informatiques – adhésion à l'offre avancée sans\n"
        "DSI\n\nLe conseil municipal, après en avoir délibéré, approuve.\n"
    )
    reading = read_text(text)
    assert reading.represented_count is None
    assert reading.represented == (("Sylvie MARTIN", "Jean DUPONT"),)
    assert reading.subject == (
        "Mutualisation des services informatiques – adhésion à l'offre avancée sans DSI"
    )


def test_a_name_with_oui_in_it_is_not_the_body_of_the_deliberation():
    text = "Présents : Anne AAA-OUI - Paul BRU\nOuiame ROUX\nSecrétaire de séance : Paul BRU\n"
    assert read_text(text).present == ("Anne AAA-OUI", "Paul BRU", "Ouiame ROUX")


# --- lines a narrow PDF page wrapped (seen with a fallback font) --------------------------------


def test_a_number_in_a_heading_wrapped_before_it():
    text = "DÉLIBÉRATION DU CONSEIL\nMUNICIPAL N°2024-05-04\n\nL'an deux mil vingt-quatre"
    assert read_text(text).number == "2024-05-04"


def test_a_month_after_a_wrapped_heading_is_not_a_number():
    text = (
        "Registre des délibérations du Conseil Municipal\nSéance du lundi 20 novembre 2023\n\n"
        "N° de la délibération : 2023-47\n"
    )
    assert read_text(text).number == "2023-47"


def test_a_commune_name_cut_at_its_hyphen_by_the_line_end():
    text = (
        "Le conseil municipal de Labastide-\nBeauvoir, dûment convoqué le 1er\n"
        "octobre 2020, s'est réuni sous la présidence de M. Pascal ROUAIX, Maire."
    )
    assert read_text(text).commune == "Labastide-Beauvoir"
    assert read_text("COMMUNE DE MONTBRUN-\nLAURAGAIS\n\nDÉLIBÉRATION N° 2024-003").commune == (
        "MONTBRUN-LAURAGAIS"
    )


def test_a_body_name_wrapped_twice_in_the_preamble_sentence():
    text = (
        "Le comité syndical du Syndicat\nintercommunal des eaux de la Vallée de\n"
        "l'Hers, dûment convoqué le 12\nseptembre 2022, s'est réuni à Baziège"
    )
    assert read_text(text).commune == "Syndicat intercommunal des eaux de la Vallée de l'Hers"


def test_a_body_name_followed_by_a_lost_apostrophe_at_the_line_end():
    text = (
        "L'an deux mille dix-neuf, le comité\nsyndical du SIVU scolaire des Coteaux s\n"
        "est réuni à Belberaud sous la présidence de Mme Marie-Agnès TOUJAS"
    )
    assert read_text(text).commune == "SIVU scolaire des Coteaux"


def test_a_vote_count_wrapped_before_its_words():
    text = "Le conseil municipal approuve par 10\nvoix pour, 0 contre et 1 abstention."
    reading = read_text(text)
    assert (reading.votes_for, reading.votes_against, reading.votes_abstention) == (10, 0, 1)
