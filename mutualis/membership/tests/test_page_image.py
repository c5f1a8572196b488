"""A scanned page's table rules erased before OCR, its text (and a tall letter) kept."""

import pytest

from mutualis.membership.deliberations.page_image import erase_rules, read_pgm, write_pgm

WIDTH, HEIGHT = 400, 300
BLACK, WHITE = 0, 255


def _page(*boxes: tuple[int, int, int, int]) -> bytearray:
    """A white page with black rectangles (x0, y0, x1, y1)."""
    page = bytearray([WHITE]) * (WIDTH * HEIGHT)
    for x0, y0, x1, y1 in boxes:
        for y in range(y0, y1):
            page[y * WIDTH + x0 : y * WIDTH + x1] = bytes([BLACK]) * (x1 - x0)
    return page


def _dark(page: bytes, x0: int, y0: int, x1: int, y1: int) -> int:
    return sum(page[y * WIDTH + x] < 128 for y in range(y0, y1) for x in range(x0, x1))


TABLE = (
    (20, 100, 380, 103),  # top rule
    (20, 170, 380, 173),  # bottom rule
    (20, 100, 23, 173),  # left side
    (200, 100, 203, 173),  # a cell's side
    (377, 100, 380, 173),  # right side
)
FIGURE = (60, 125, 66, 150)  # a figure's stroke inside a cell
TALL_LETTER = (300, 10, 306, 80)  # a heading's tall letter, far from the table


def test_the_rules_of_a_table_are_erased_and_its_figures_kept():
    page = _page(*TABLE, FIGURE, TALL_LETTER)
    cleaned = erase_rules(WIDTH, HEIGHT, bytes(page))
    assert _dark(cleaned, 0, 95, WIDTH, 108) == 0  # the top rule
    assert _dark(cleaned, 195, 100, 208, 173) == 0  # a cell's side
    assert _dark(cleaned, *FIGURE) == 6 * 25  # the figure, untouched
    assert _dark(cleaned, *TALL_LETTER) == 6 * 70  # a vertical stroke that meets no rule


def test_a_rule_with_specks_on_it_is_still_a_rule():
    page = _page(*TABLE)
    for x in range(30, 370, 37):  # noise: single light pixels on the rule
        page[101 * WIDTH + x] = WHITE
    cleaned = erase_rules(WIDTH, HEIGHT, bytes(page))
    assert _dark(cleaned, 0, 95, WIDTH, 108) == 0


def test_a_page_without_a_table_comes_back_unchanged():
    page = bytes(_page(TALL_LETTER, (40, 200, 140, 210)))  # a short underline: a word's width
    assert erase_rules(WIDTH, HEIGHT, page) is page


def test_pgm_images_round_trip_and_a_bad_one_is_refused():
    page = bytes(_page(FIGURE))
    assert read_pgm(write_pgm(WIDTH, HEIGHT, page)) == (WIDTH, HEIGHT, page)
    assert read_pgm(b"P5\n# a comment\n2 1\n255\n\x00\xff") == (2, 1, b"\x00\xff")
    with pytest.raises(ValueError):
        read_pgm(b"P6\n2 1\n255\n\x00\xff\x00\xff\x00\xff")
    with pytest.raises(ValueError):
        read_pgm(b"P5\n2 2\n255\n\x00")
