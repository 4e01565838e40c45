"""Normal forms for matching: item codes, company names, addresses; and look-alike detection."""

from __future__ import annotations

import re
import unicodedata

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_SPACES = "\u00a0\u2007\u202f\u3000"
_SEPARATORS = re.compile(r"[\s\-_]+")

# Scripts and forms whose letters pass for ASCII ones: mixed into a code they spoof it.
_LOOKALIKE_PREFIXES = (
    "CYRILLIC",
    "GREEK",
    "ARMENIAN",
    "CHEROKEE",
    "COPTIC",
    "LISU",
    "FULLWIDTH",
    "MATHEMATICAL",
    "LATIN LETTER SMALL CAPITAL",
    "MODIFIER LETTER",
    "LATIN SMALL LETTER DOTLESS",
)


def suspicious_chars(text: str) -> list[str]:
    """The invisible or look-alike characters in `text`, as "U+XXXX NAME" (dashes are fine)."""
    found: list[str] = []
    for ch in text:
        if ch.isascii() or ch in _DASHES or ch in _SPACES:
            continue
        if _is_suspicious(ch):
            found.append(f"U+{ord(ch):04X} {unicodedata.name(ch, 'UNNAMED')}")
    return found


def _is_suspicious(ch: str) -> bool:
    if unicodedata.category(ch) in {"Cf", "Cc", "Co", "Cn", "Mn", "Me"}:
        return True  # zero-width, bidi controls, soft hyphen, stray combining marks
    if unicodedata.category(ch) == "Nd":
        return True  # digits of other scripts
    if unicodedata.normalize("NFKC", ch) != ch:
        return True  # compatibility forms: fullwidth, super/subscript, ligatures
    return unicodedata.name(ch, "").startswith(_LOOKALIKE_PREFIXES)


def normalise_code(code: str) -> str:
    """An item code for comparison: upper case, no whitespace, dashes or underscores."""
    for dash in _DASHES:
        code = code.replace(dash, "-")
    return _SEPARATORS.sub("", code).upper()


_LEGAL_SUFFIXES = {
    "inc",
    "incorporated",
    "llc",
    "ltd",
    "limited",
    "gmbh",
    "co",
    "company",
    "corp",
    "corporation",
    "plc",
    "ag",
    "sa",
    "sarl",
    "srl",
    "bv",
    "nv",
    "kg",
    "lp",
    "llp",
    "pty",
    "sas",
    "spa",
    "ab",
    "oy",
    "as",
    "kgaa",
    "ug",
    "se",
}
_WORDS = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """The lower-case letter/digit runs of `text`, accents removed."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _WORDS.findall(plain.replace("&", " and "))


def normalise_company(name: str) -> str:
    """A company name without legal suffixes, punctuation, case or a leading "the"."""
    tokens = words(name)
    while tokens and tokens[-1] in _LEGAL_SUFFIXES:
        tokens.pop()
    if tokens and tokens[0] == "the":
        tokens = tokens[1:]
    return " ".join(tokens)


_ADDRESS_ABBREVIATIONS = {
    "street": "st",
    "str": "st",
    "avenue": "ave",
    "av": "ave",
    "road": "rd",
    "suite": "ste",
    "boulevard": "blvd",
    "drive": "dr",
    "lane": "ln",
    "court": "ct",
    "place": "pl",
    "parkway": "pkwy",
    "highway": "hwy",
    "building": "bldg",
    "floor": "fl",
    "fort": "ft",
    "mount": "mt",
    "saint": "st",
    "north": "n",
    "south": "s",
    "east": "e",
    "west": "w",
    "northeast": "ne",
    "northwest": "nw",
    "southeast": "se",
    "southwest": "sw",
    "terrace": "ter",
    "square": "sq",
    "circle": "cir",
    "apartment": "apt",
    "number": "no",
    "strasse": "st",
}


def address_tokens(text: str) -> list[str]:
    """Street/city words with the usual abbreviations folded to one form."""
    text = re.sub(r"(?i)(?<=[^\W\d_])(strasse|straße|str)\b", " strasse", text)
    return [_ADDRESS_ABBREVIATIONS.get(tok, tok) for tok in words(text) if tok != "#"]


def postal_code(text: str) -> str:
    """A postal code for comparison: upper case, no spaces; US ZIP+4 cut to five digits."""
    compact = re.sub(r"[\s\-]", "", text.upper())
    if re.fullmatch(r"\d{9}", compact):
        return compact[:5]
    return compact
