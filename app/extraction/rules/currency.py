"""The order currency: a labelled code or symbol, else the codes or symbols beside amounts."""

from __future__ import annotations

import re
from collections import Counter

from app.extraction.rules.header import CURRENCY_SYMBOLS, ISO_CURRENCIES
from app.extraction.rules.labels import Candidate, find_labelled, rule
from app.extraction.rules.layout import Layout, Token

_CODES = re.compile(rf"\b({'|'.join(ISO_CURRENCIES)})\b")
_SYMBOLS = re.compile(
    r"(US\$|USD\$|CA\$|C\$|AU\$|A\$|NZ\$|HK\$|S\$|R\$|[€£¥₹$])(?=\s?\d)|"
    r"(?<=\d)\s?([€£¥₹])"
)
CURRENCY_RULES = [rule(r"\b(?:currency|währung|devise|moneda)\b\s*:?", 0.95)]


def code_of(text: str) -> str | None:
    """ISO 4217 code of a currency code or symbol as written."""
    text = text.strip().strip(":()")
    if text.upper() in ISO_CURRENCIES:
        return "CNY" if text.upper() == "RMB" else text.upper()
    return CURRENCY_SYMBOLS.get(text)


def _labelled(tokens: list[Token]) -> tuple[str, list[Token]] | None:
    for tok in tokens[:2]:
        code = code_of(tok.text)
        if code:
            return code, [tok]
    return None


def find_currency(layout: Layout) -> Candidate[str] | None:
    """A labelled currency; else the most frequent code, then symbol, near amounts."""
    found = find_labelled(layout, CURRENCY_RULES, _labelled)
    if found:
        return found[0]
    codes: Counter[str] = Counter()
    first: dict[str, tuple[Token, int]] = {}
    for line in layout.lines:
        for m in list(_CODES.finditer(line.text)) + list(_SYMBOLS.finditer(line.text)):
            code = code_of(m.group(1) or m.group(2) or "")
            if code:
                codes[code] += 1 if m.re is _SYMBOLS else 2
                first.setdefault(code, (line.tokens[0], line.index))
    if not codes:
        return None
    code, _ = codes.most_common(1)[0]
    tok, line_no = first[code]
    confidence = (
        0.6
        if code == "USD" and not _CODES.search(" ".join(ln.text for ln in layout.lines))
        else 0.8
    )
    return Candidate(code, [tok], confidence, line_no)
