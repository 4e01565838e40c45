"""Numbers as written: US (1,234.56) and European (1.234,56; 12,5) formats, words, odd digits."""

from __future__ import annotations

import functools
import re
import unicodedata
from decimal import Decimal, InvalidOperation

_CURRENCY_MARKS = re.compile(
    r"(?i)(US\$|CA\$|AU\$|C\$|A\$|[$€£¥]|\b(?:USD|EUR|GBP|CAD|AUD|CHF|JPY)\b)"
)
_NUMERIC = re.compile(r"^[-+]?\(?\d[\d.,' ]*\)?-?$")
_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "dozen": 12,
    "eins": 1,
    "zwei": 2,
    "drei": 3,
    "vier": 4,
    "fünf": 5,
    "sechs": 6,
    "sieben": 7,
    "acht": 8,
    "neun": 9,
    "zehn": 10,
    "zwölf": 12,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "dix": 10,
    "douze": 12,
    "dos": 2,
    "tres": 3,
    "cuatro": 4,
    "cinco": 5,
    "diez": 10,
    "doce": 12,
    "elf": 11,
    "zwanzig": 20,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "onze": 11,
    "vingt": 20,
    "seis": 6,
    "siete": 7,
    "ocho": 8,
    "nueve": 9,
    "quince": 15,
    "veinte": 20,
}
NUMBER_WORDS = frozenset(_WORDS)


def has_non_ascii_digits(text: str) -> bool:
    """True when the text holds a decimal digit outside 0-9 (Arabic-Indic, full width, ...)."""
    if text.isascii():
        return False
    return any(ch.isdigit() and not ("0" <= ch <= "9") for ch in text)


def strip_currency(text: str) -> str:
    """The text without currency symbols or codes."""
    return _CURRENCY_MARKS.sub("", text).strip()


@functools.lru_cache(maxsize=1 << 16)
def looks_numeric(text: str) -> bool:
    """True when the text, currency removed, is a plain number."""
    core = strip_currency(text).rstrip("-")
    return bool(_NUMERIC.match(core)) and not has_non_ascii_digits(core)


def _split_decimal(core: str, decimal_comma: bool | None) -> tuple[str, str]:
    """Integer and fraction digits of a number that may group thousands with . or ,."""
    last_dot, last_comma = core.rfind("."), core.rfind(",")
    if last_dot < 0 and last_comma < 0:
        return core, ""
    if last_dot >= 0 and last_comma >= 0:
        sep = "." if last_dot > last_comma else ","
    else:
        sep = "." if last_dot >= 0 else ","
        if core.count(sep) > 1:
            return core.replace(sep, ""), ""
        head, _, tail = core.partition(sep)
        groups_thousands = decimal_comma is True if sep == "." else decimal_comma is not True
        if len(tail) == 3 and groups_thousands and not head.startswith("0"):
            return head + tail, ""
    head, _, tail = core.rpartition(sep)
    return re.sub(r"[.,]", "", head), tail


def parse_number(text: str, *, decimal_comma: bool | None = None) -> Decimal | None:
    """A number in US or European format, or None; `decimal_comma` breaks ties like 1,234."""
    core = (
        strip_currency(unicodedata.normalize("NFKC", text))
        if not has_non_ascii_digits(text)
        else ""
    )
    core = core.replace("\u00a0", " ").replace("\u202f", " ").strip()
    negative = core.startswith(("-", "(")) or core.endswith("-")
    core = core.strip("-+() ")
    if not core or not re.fullmatch(r"\d[\d.,' ]*", core) or re.search(r"\d \d{1,2}$", core):
        return None
    whole, fraction = _split_decimal(core.replace("'", "").replace(" ", ""), decimal_comma)
    if not whole.isdigit() or (fraction and not fraction.isdigit()):
        return None
    try:
        value = Decimal(f"{whole}.{fraction}" if fraction else whole)
    except InvalidOperation:
        return None
    return -value if negative else value


def number_from_words(text: str) -> Decimal | None:
    """'twelve', 'a dozen', 'twenty five' as a number, else None."""
    total, seen = 0, False
    for word in re.split(r"[\s-]+", text.strip().casefold()):
        if word not in _WORDS:
            return None
        value = _WORDS[word]
        if value == 100:
            total = max(total, 1) * 100
        elif value == 12 and word == "dozen":
            total = max(total, 1) * 12
        else:
            total += value
        seen = True
    return Decimal(total) if seen and total > 0 else None
