"""The foreign-digit check reads a regex, not each character's category: the same characters."""

from __future__ import annotations

import sys
import unicodedata

from app.drafts.facts import _FOREIGN_DIGIT, _foreign_digit


def test_the_foreign_digits_are_every_decimal_digit_but_ascii_ones() -> None:
    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        expected = not ch.isascii() and unicodedata.category(ch) == "Nd"
        assert (_FOREIGN_DIGIT.fullmatch(ch) is not None) is expected, hex(code)


def test_a_text_has_a_foreign_digit_wherever_it_is() -> None:
    assert _foreign_digit("Qty ١٢ EA")
    assert _foreign_digit("éé ٣")
    assert not _foreign_digit("Qty 12 EA, prix unitaire 4,50 €")
    assert not _foreign_digit("Ⅻ ½ ²")  # numbers, but not decimal digits
