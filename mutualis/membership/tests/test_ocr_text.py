"""What OCR does to a deliberation, undone before reading: each correction on what tesseract
wrote in the scans of the corpus, and clean text left as it is."""

import pytest

from mutualis.membership.deliberations.ocr_text import (
    clean_figure_rows,
    correct,
    fix_letters,
    fix_names,
    strip_line_specks,
    strip_word_specks,
)
from mutualis.membership.deliberations.reader import clean_name, read_text
from mutualis.membership.tests.corpus_helpers import CORPUS, SEED


@pytest.mark.parametrize(
    ("ocr", "clean"),
    [
        ("20 15 3 _|[18 18 |O |o", "20 15 3 18 18 0 0"),
        ("16. 13 1. 14. 14  |0O 0", "16 13 1 14 14 0 0"),
        ("[11 | 10 | 11 |", "11 10 11"),
        # A row a text layer wrote keeps its bars; a date or a single figure is not a row.
        ("| 15 | 12 | 2 |", "| 15 | 12 | 2 |"),
        ("12.05.2024", "12.05.2024"),
        ("1.", "1."),
    ],
)
def test_a_row_of_figures_read_through_its_borders_is_only_figures(ocr, clean):
    assert clean_figure_rows(ocr) == clean


@pytest.mark.parametrize(
    ("ocr", "clean"),
    [
        (": COMMUNE DE MONTBRUN", "COMMUNE DE MONTBRUN"),
        (". Comité syndical du 28 février 2023", "Comité syndical du 28 février 2023"),
        ("| Objet : Adhésion", "Objet : Adhésion"),
        ("_Représenté : Marc MAFFRE", "Représenté : Marc MAFFRE"),
        ("‘convoqué le 7 mai", "‘convoqué le 7 mai"),  # a quote mark before _REPLACEMENTS
        ("'convoqué le 7 mai", "convoqué le 7 mai"),
        ("Rosine RASPAUD par Mme Annie ESCOULAN |", "Rosine RASPAUD par Mme Annie ESCOULAN"),
        ("= ESCRIBE, Dominique FERRIÉ", "ESCRIBE, Dominique FERRIÉ"),
        # A bullet stays, and so do the bars of a table row.
        ("- Secrétaire de séance : Mme X", "- Secrétaire de séance : Mme X"),
        ("| Présents | Votants |", "| Présents | Votants |"),
    ],
)
def test_specks_at_a_lines_edges_are_dropped(ocr, clean):
    assert strip_line_specks(ocr) == clean


@pytest.mark.parametrize(
    ("ocr", "clean"),
    [
        ("Présents. : M. Christian DUPONT", "Présents: M. Christian DUPONT"),
        ("Pouvoir: . Kévin MAUREL à André", "Pouvoir: Kévin MAUREL à André"),
        ("MM. Karl. LACAZE, Louis MONDOU", "MM. Karl LACAZE, Louis MONDOU"),
        ("Henri. JOUVE, Laure LAGARDE", "Henri JOUVE, Laure LAGARDE"),
        ("Agnès. DE LA FONTAINE, Bruno", "Agnès DE LA FONTAINE, Bruno"),
        ("HOUCHARD. Yves, IZAC Mélanie", "HOUCHARD Yves, IZAC Mélanie"),
        ("BOURGES. Jean- François - CAMPS", "BOURGES Jean- François - CAMPS"),
        ("M. Christian DUPONT. (porteur d'un pouvoir", "M. Christian DUPONT (porteur d'un pouvoir"),
        ("FAURÉ-GIRAUD, . Sylvie GAMBETTA", "FAURÉ-GIRAUD, Sylvie GAMBETTA"),
        ("Hélène BOYER), _Inès SARRAUTE", "Hélène BOYER), Inès SARRAUTE"),
        ("Objet ! Plan de mutualisation", "Objet : Plan de mutualisation"),
        ("Présidence : : M. Daniel ROUQUETTE", "Présidence : M. Daniel ROUQUETTE"),
        (
            "le conseil municipal de Pechbusque S 'est réuni",
            "le conseil municipal de Pechbusque s'est réuni",
        ),
        ("sous la présidence dé Mme Sylvie", "sous la présidence de Mme Sylvie"),
        (
            "s'est réuni sous là\nprésidence dé\nMme Sylvie",
            "s'est réuni sous la\nprésidence de\nMme Sylvie",
        ),
        ("c'est là que le dé est jeté", "c'est là que le dé est jeté"),
        ("LAGARDE Noé représenté par: GRANIER Éric", "LAGARDE Noé représenté par GRANIER Éric"),
        ("à André MANDEMENT L:", "à André MANDEMENT"),
        ("délégué à à la protection", "délégué à la protection"),
        ("au x groupement", "au groupement"),
        ("L an deux mille. vingt-trois", "L an deux mille vingt-trois"),
        ("s'est réuni sous. la présidence", "s'est réuni sous la présidence"),
        ("sous la présidence de Mne Sylvie", "sous la présidence de Mme Sylvie"),
        ("Rachel ROUX, Paul F PEYRE à Hervé CALAS", "Rachel ROUX, Paul PEYRE à Hervé CALAS"),
        # What a document writes stays: a sentence's end, an abbreviation, an initial.
        ("à la mairie. Le conseil", "à la mairie. Le conseil"),
        ("M. le Maire expose", "M. le Maire expose"),
        ("Mme. DUPONT, M. J. MARTIN", "Mme. DUPONT, M. J. MARTIN"),
        (
            "créé le 3 mai ; Objet : TRAVAUX. Le conseil",
            "créé le 3 mai ; Objet : TRAVAUX. Le conseil",
        ),
    ],
)
def test_specks_inside_a_line_are_dropped(ocr, clean):
    # (A space left at a line's end goes with the reader's line cleaning.)
    assert strip_word_specks(ocr).rstrip() == clean


@pytest.mark.parametrize(
    ("ocr", "clean"),
    [
        ("Contre : O ; abstention : O", "Contre : 0 ; abstention : 0"),
        (
            "par 10 voix pour, O contre et 1 abstention",
            "par 10 voix pour, 0 contre et 1 abstention",
        ),
        ("Pour : 12, Contre : O0, Abstention : 0", "Pour : 12, Contre : 0, Abstention : 0"),
        ("adhésion à 1 offre de services", "adhésion à l'offre de services"),
        ("approuve 1'adhésion", "approuve l'adhésion"),
        ("Date de convocation : ler février 2024", "Date de convocation : 1er février 2024"),
        ("Chantal DELPECH-MART Y, Maire", "Chantal DELPECH-MARTY, Maire"),
        ("Contre : 0, Abstention : 07 approuve", "Contre : 0, Abstention : 0 approuve"),
        ("Date de convocation : 07 mai 2024", "Date de convocation : 07 mai 2024"),
        # A figure one before a counted thing stays a figure; an O in a word stays a letter.
        ("par 11 voix pour et 1 abstention", "par 11 voix pour et 1 abstention"),
        ("dont 1 absent", "dont 1 absent"),
        ("Mme O DUPONT", "Mme O DUPONT"),
    ],
)
def test_letters_and_figures_ocr_confused_are_put_back(ocr, clean):
    assert fix_letters(ocr) == clean


@pytest.mark.parametrize(
    ("ocr", "clean"),
    [
        ("Emma: ESPAGNOL (porteuse d'un pouvoir", "Emma ESPAGNOL (porteuse d'un pouvoir"),
        ("Secrétaire: DUPONT, Objet: TRAVAUX", "Secrétaire: DUPONT, Objet: TRAVAUX"),
        ("Fanny ESCAFFRE, M.\n\nGilbert FONTAN", "Fanny ESCAFFRE, M. Gilbert FONTAN"),
        ("Cathy CARRÈRE, Daniel\n\nDUPUY, Estelle", "Cathy CARRÈRE, Daniel DUPUY, Estelle"),
        (
            "Henri BAYSSE,\n\nDominique CAPDEVILLE, Laurent",
            "Henri BAYSSE, Dominique CAPDEVILLE, Laurent",
        ),
        ("Présents Jacques OBERTI, Henri BAYSSE", "Présents : Jacques OBERTI, Henri BAYSSE"),
        ("Vu le code,\n\nVu la loi", "Vu le code,\n\nVu la loi"),
        ("Présents Représentés Votants Pour", "Présents Représentés Votants Pour"),
        # Ordinary words before a name in capitals, and paragraphs, stay as they are.
        ("Le Maire.\n\nObjet : TRAVAUX", "Le Maire.\n\nObjet : TRAVAUX"),
    ],
)
def test_names_ocr_broke_are_mended(ocr, clean):
    assert fix_names(ocr) == clean


@pytest.mark.parametrize(
    ("item", "name"),
    [
        ("serge GOUZY", "Serge GOUZY"),
        ("iris DELMAS", "Iris DELMAS"),
        ("annie AURIOL", "Annie AURIOL"),
        ("Odile HERMET", "Odile HERMET"),
        # Words of a sentence before a name in capitals are not first names.
        ("avec SICOVAL", None),
        ("sauf DUPONT", None),
        ("absent DUPONT", None),
        ("tous les DUPONT", None),
    ],
)
def test_a_first_name_ocr_wrote_small_is_read_as_a_name(item, name):
    assert clean_name(item) == name


def test_clean_text_goes_through_unchanged():
    """The seed and the corpus as their authors wrote them: nothing for OCR corrections to do
    (what they change there, if anything, must not change a single field read)."""
    for path in [*sorted(SEED.parent.glob("*.txt")), *sorted(CORPUS.glob("*.txt"))]:
        text = path.read_text(encoding="utf-8")
        assert read_text(correct(text)) == read_text(text), path.name


def test_an_unreadable_count_stays_unread():
    """OCR lost the figures of a table ("EEE 14 713 ff"): nothing is guessed from what is left."""
    text = (
        "MAIRIE DE VIGOULET-AUZIL\nSéance du 14 décembre 2023\n"
        "En . Présents || Représentés || Votants || Pour || Contre\nexercice\nEEE 14 713 ff\n"
    )
    reading = read_text(text)
    assert (reading.members_in_office, reading.present_count, reading.voters) == (None,) * 3
    assert (reading.votes_for, reading.votes_against) == (None, None)


def test_a_table_whose_header_ocr_split_and_moved_is_read_in_the_header_order():
    wrapped = (
        "En . Présents Représentés Votants Pour Contre\nexercice\n15 12 2 14 13 0\n\n"
        "Présents : Hélène BOYER\n"
    )
    reading = read_text(wrapped)
    assert (reading.members_in_office, reading.present_count, reading.represented_count) == (
        15,
        12,
        2,
    )
    assert (reading.voters, reading.votes_for, reading.votes_against) == (14, 13, 0)
    moved = (
        "Délibération n° 2023/011\n\nMembres en\nexercice\n\n16. 13 1 14. 14 O0 0\n"
        "Présents : Pierre IZARD ; Anne-Marie ABADIE\n\n"
        "Présents Représentés Votants Pour Contre Abstention\n\nObjet : Convention\n"
    )
    reading = read_text(moved)
    assert (reading.members_in_office, reading.present_count, reading.represented_count) == (
        16,
        13,
        1,
    )
    assert (reading.voters, reading.votes_for, reading.votes_against) == (14, 14, 0)
    assert reading.votes_abstention == 0
    # Labels out of a table's order are not matched with the figures: nothing is read.
    shuffled = moved.replace(
        "Présents Représentés Votants Pour Contre Abstention",
        "Votants Présents Représentés Contre Pour Abstention",
    )
    assert read_text(shuffled).present_count is None
