"""The buying organisation: a labelled customer, the letterhead, or the email signature."""

from __future__ import annotations

import re

from app.extraction.rules.address import BILL_TO, find_ship_to
from app.extraction.rules.labels import Candidate, find_labelled, rule
from app.extraction.rules.layout import Layout, Token, split_phrases

ORG_SUFFIX = re.compile(
    r"(?i)\b(inc|llc|l\.l\.c|ltd|limited|gmbh|ag|co|corp|corporation|company|s\.?a\.?s?|sarl|"
    r"s\.?l\.?|s\.?r\.?l\.?|b\.?v\.?|n\.?v\.?|plc|llp|pty|kg|oy|ab|spa|s\.p\.a|industries|group|"
    r"technologies|technology|supply|supplies|manufacturing|enterprises|holdings|partners|"
    r"gesellschaft|e\.?k\.?|ug|incorporated)\b\.?"
)
CUSTOMER_RULES = [
    rule(
        r"^\W*(?:customer|customer\s*name|company|buyer\s*company|purchaser|client|kunde|"
        r"besteller|auftraggeber|société|cliente|empresa)\s*:",
        0.85,
        below=False,
    ),
]
_NOT_BUYER = re.compile(
    r"(?i)\b(to|vendor|supplier|lieferant|fournisseur|proveedor|ship|bill|"
    r"sold|remit|purchase order|invoice|page|www\.|http|@)\b|:"
)
_CLOSING = re.compile(
    r"(?i)^(best|kind|warm)?\s*(regards|wishes|thanks|thank you|cheers|sincerely|"
    r"mit freundlichen grüßen|viele grüße|beste grüße|grüße|cordialement|"
    r"bien à vous|salutations|saludos|atentamente|un saludo)\b"
)
_CONTACT = re.compile(
    r"(?i)(@|\bphone\b|\btel\b|\bfax\b|\bmobile\b|\+?\d[\d\s().-]{6,}|www\.|"
    r"http|manager|buyer|purchasing|procurement|director|officer|assistant|"
    r"coordinator|einkauf|achats|compras|department|dept)"
)


def _name(tokens: list[Token]) -> tuple[str, list[Token]] | None:
    text = " ".join(t.text for t in tokens).strip(" ,;")
    if 2 <= len(text) <= 80 and any(c.isalpha() for c in text):
        return text, tokens
    return None


def from_label(layout: Layout) -> Candidate[str] | None:
    """A value labelled Customer / Company / Kunde."""
    found = find_labelled(layout, CUSTOMER_RULES, _name)
    return found[0] if found else None


_BLOCK_LABEL = re.compile(
    r"(?i)^(?:vendor|supplier|seller|to|sold\s*to|bill\s*to|ship\s*to|deliver\s*to|remit\s*to|"
    r"invoice\s*to|lieferant|fournisseur|proveedor|an|à|delivery\s*address|shipping\s*address)"
    r"\s*:?$"
)
_TITLE = re.compile(
    r"(?i)purchase\s*order|bestellung|commande|pedido|order|original|copy|page|\bp\.?o\.?\b|"
    r"number|\bmust\b|\bplease\b|\bshall\b|\bwill\b|\ball\b|\bthe\b"
)
_CITY_LINE = re.compile(r"\b[A-Z]{2}\s+\d{5}\b|\d{4,}")


def _blocked(layout: Layout) -> set[tuple[int, int]]:
    """(line, token index) of words inside vendor/ship-to/bill-to blocks, under their labels."""
    blocked: set[tuple[int, int]] = set()
    for line in layout.lines[:40]:
        for phrase in split_phrases(line, 3 * layout.char_width):
            if not _BLOCK_LABEL.match(" ".join(t.text for t in phrase)):
                continue
            x0, x1 = phrase[0].x0 - 2 * layout.char_width, phrase[-1].x1 + 30 * layout.char_width
            for below in layout.lines[line.index + 1 : line.index + 7]:
                for k, tok in enumerate(below.tokens):
                    if x0 <= tok.x0 <= x1:
                        blocked.add((below.index, k))
    return blocked


def _phrases(layout: Layout, top_lines: int) -> list[tuple[int, list[Token]]]:
    """Phrases of the first lines that lie outside address blocks."""
    blocked = _blocked(layout)
    out: list[tuple[int, list[Token]]] = []
    for line in layout.lines[:top_lines]:
        for phrase in split_phrases(line, 3 * layout.char_width):
            if not any((line.index, line.tokens.index(t)) in blocked for t in phrase):
                out.append((line.index, phrase))
    return out


def _looks_like_name(text: str) -> bool:
    """A short run of words, mostly letters, that is not a title, an address or a sentence."""
    words = text.split()
    if not 2 <= len(words) <= 6 or text.count(",") >= 2:
        return False
    if _TITLE.search(text) or _NOT_BUYER.search(text) or _CITY_LINE.search(text):
        return False
    letters = sum(c.isalpha() for c in text)
    return letters > 0.8 * len(text.replace(" ", ""))


def from_letterhead(layout: Layout, top_lines: int = 12) -> Candidate[str] | None:
    """The first phrase near the top that names a company: a legal-form suffix first, else the
    topmost plain name."""
    phrases = _phrases(layout, top_lines)
    for index, phrase in phrases:
        text = " ".join(t.text for t in phrase).strip(" ,")
        if ORG_SUFFIX.search(text) and not _NOT_BUYER.search(text) and len(text) <= 80:
            return Candidate(text, phrase, 0.6, index)
    if not layout.positioned:
        return None
    for index, phrase in phrases[:4]:
        text = " ".join(t.text for t in phrase).strip(" ,")
        if _looks_like_name(text):
            return Candidate(text, phrase, 0.45, index)
    return None


def from_bill_to(layout: Layout) -> Candidate[str] | None:
    """The first line of the bill-to block: the paying organisation, usually the buyer."""
    block = find_ship_to(layout, set(), BILL_TO)
    if block is None or not block.lines:
        return None
    name = block.lines[0]
    if not any(c.isalpha() for c in name) or _CITY_LINE.search(name):
        return None
    first = [t for t in block.tokens if t.top == block.tokens[0].top]
    return Candidate(name.strip(" ,"), first, 0.45, 0)


def from_signature(layout: Layout) -> Candidate[str] | None:
    """The company line of the signature after a closing such as 'Regards,'."""
    closings = [ln for ln in layout.lines if _CLOSING.match(ln.text)]
    if not closings:
        return None
    block = layout.lines[closings[-1].index + 1 : closings[-1].index + 7]
    for line in block:
        if ORG_SUFFIX.search(line.text) and not _CONTACT.search(line.text):
            return Candidate(line.text.strip(" ,"), line.tokens, 0.6, line.index)
    plain = [ln for ln in block if not _CONTACT.search(ln.text) and not _CITY_LINE.search(ln.text)]
    if len(plain) >= 2 and len(plain[1].text.split()) <= 6:
        return Candidate(plain[1].text.strip(" ,"), plain[1].tokens, 0.4, plain[1].index)
    return None


def from_sender_name(sender_name: str | None) -> str | None:
    """'Jane Doe | Acme Corp' or 'Acme Corp Purchasing' names the company when it has a suffix."""
    if not sender_name:
        return None
    for part in re.split(r"\s*[|/,(\[–-]\s*|\s+(?:at|@|from|von|de)\s+", sender_name):
        m = ORG_SUFFIX.search(part)
        if m and len(part.split()) >= 2:
            return part.strip(" )]")
    return None
