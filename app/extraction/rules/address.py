"""The ship-to block: found under or beside its label, then split into address parts."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.extraction.rules.layout import Layout, Line, Token
from app.extraction.schema import Address

SHIP_TO = re.compile(
    r"(?i)\b(ship(?:ping)?[\s-]*to|deliver(?:y)?\s*to|delivery\s*address|shipping\s*address|"
    r"ship\s*address|consignee|lieferadresse|lieferanschrift|liefern\s*an|adresse\s*de\s*"
    r"livraison|livrer\s*[àa]|direcci[óo]n\s*de\s*entrega|enviar\s*a)\b\s*:?"
)
_STOP = re.compile(
    r"(?i)\b(bill(?:ing)?\s*to|invoice\s*to|sold\s*to|vendor|supplier|ship\s*via|"
    r"terms|attn|phone|tel|fax|e-?mail|contact|rechnungsadresse|facturation)\b"
)
US_STATES = frozenset(
    [
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "DC",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
        "PR",
        "ON",
        "QC",
        "BC",
        "AB",
        "MB",
        "SK",
        "NS",
        "NB",
        "NL",
        "PE",
    ]
)
COUNTRIES = {
    "us": "US",
    "usa": "US",
    "u.s.a.": "US",
    "united states": "US",
    "united states of america": "US",
    "canada": "CA",
    "ca": "CA",
    "mexico": "MX",
    "mx": "MX",
    "germany": "DE",
    "deutschland": "DE",
    "de": "DE",
    "france": "FR",
    "fr": "FR",
    "spain": "ES",
    "españa": "ES",
    "es": "ES",
    "italy": "IT",
    "italia": "IT",
    "uk": "GB",
    "gb": "GB",
    "united kingdom": "GB",
    "england": "GB",
    "netherlands": "NL",
    "nederland": "NL",
    "belgium": "BE",
    "belgique": "BE",
    "austria": "AT",
    "österreich": "AT",
    "switzerland": "CH",
    "schweiz": "CH",
    "suisse": "CH",
    "ireland": "IE",
    "portugal": "PT",
    "poland": "PL",
    "polska": "PL",
    "sweden": "SE",
    "denmark": "DK",
    "norway": "NO",
    "japan": "JP",
    "china": "CN",
    "australia": "AU",
    "india": "IN",
}
_US_CITY_LINE = re.compile(
    r"^(?P<city>[A-Za-z][A-Za-z .'-]+?),?\s+(?P<region>[A-Z]{2})\.?,?\s+"
    r"(?P<postal>\d{5}(?:-\d{4})?|[A-Z]\d[A-Z]\s?\d[A-Z]\d)$"
)
_EU_CITY_LINE = re.compile(r"^(?:[A-Z]{1,2}-)?(?P<postal>\d{4,5})\s+(?P<city>[^\d,]{2,40})$")
_UK_CITY_LINE = re.compile(
    r"^(?P<city>[A-Za-z][A-Za-z .'-]+?),?\s+(?P<postal>[A-Z]{1,2}\d[A-Z\d]?"
    r"\s?\d[A-Z]{2})$"
)
_STREET_WORD = re.compile(
    r"(?i)\b(street|st\.|road|rd\.?|avenue|ave\.?|drive|dr\.?|"
    r"lane|ln\.?|blvd|boulevard|way|circle|court|ct\.?|place|pl\.?|highway|hwy|"
    r"parkway|pkwy|straße|strasse|str\.|weg|platz|gasse|rue|avenue|calle|via|"
    r"p\.?o\.? box)\b"
)
_COMPOUND_STREET = re.compile(
    r"(?i)(straße|strasse|str\.|weg|platz|gasse|allee|ring|laan|"
    r"gracht|vej|gatan)\s*\d"
)
_HOUSE_NUMBER = re.compile(r"^\d+[a-zA-Z]?\b")
_SUITE = re.compile(
    r"(?i)^(suite|ste\.?|unit|floor|fl\.?|building|bldg\.?|apt\.?|dock|"
    r"gate|room)\b"
)
_POSTAL = re.compile(r"^(\d{5}(?:-\d{4})?|\d{4})$")


@dataclass
class ShipTo:
    """A ship-to block: its lines as text and the tokens they came from."""

    lines: list[str]
    tokens: list[Token]
    confidence: float


def _phrases(line: Line) -> list[list[Token]]:
    """Runs of words split at gaps wider than about two of their own glyphs."""
    runs: list[list[Token]] = []
    for tok in line.tokens:
        glyph = (tok.x1 - tok.x0) / max(len(tok.text), 1)
        if runs and tok.x0 - runs[-1][-1].x1 <= 2.5 * glyph:
            runs[-1].append(tok)
        else:
            runs.append([tok])
    return runs


def _block_run(line: Line, x0: float, x1: float, char_width: float) -> list[Token]:
    """The phrase of a line under the label's x-range (or starting close to its left edge)."""
    runs = _phrases(line)
    best: list[Token] = []
    best_overlap = 0.0
    for run in runs:
        overlap = min(x1, run[-1].x1) - max(x0, run[0].x0)
        if overlap > best_overlap:
            best, best_overlap = run, overlap
    if best:
        return best
    gaps = [(max(x0 - r[-1].x1, r[0].x0 - x1), k) for k, r in enumerate(runs)]
    near = [(g, k) for g, k in gaps if g <= 10 * char_width]
    return runs[min(near)[1]] if near else []


BILL_TO = re.compile(
    r"(?i)\b(bill(?:ing)?[\s-]*to|invoice[\s-]*to|sold[\s-]*to|rechnungsadresse|"
    r"adresse\s*de\s*facturation|facturar\s*a)\b\s*:?"
)


def find_ship_to(layout: Layout, skip: set[int], label: re.Pattern[str] = SHIP_TO) -> ShipTo | None:
    """The address block after its label (the delivery address unless told otherwise)."""
    for line in layout.lines:
        if line.index in skip:
            continue
        m = label.search(line.text)
        if m is None:
            continue
        block = _collect(layout, line, m.start(), m.end())
        if block is not None:
            return block
    return None


def _label_x(line: Line, start: int, end: int) -> tuple[tuple[float, float], list[Token]]:
    """The x-range of the label, and the words after the label."""
    pos, label, rest = 0, [], []
    for tok in line.tokens:
        if pos >= end:
            rest.append(tok)
        elif pos + len(tok.text) > start:
            label.append(tok)
        pos += len(tok.text) + 1
    if not label:
        return (line.tokens[0].x0, line.tokens[0].x1), rest
    return (label[0].x0, label[-1].x1), rest


def _collect(layout: Layout, line: Line, start: int, end: int) -> ShipTo | None:
    (x0, x1), rest = _label_x(line, start, end)
    lines: list[list[Token]] = []
    right = [t for t in rest if not _STOP.search(t.text)]
    cut = _phrases(Line(right))[0] if right else []
    cut_text = " ".join(t.text for t in cut)
    if cut and not (SHIP_TO.search(cut_text) or BILL_TO.search(cut_text) or _STOP.search(cut_text)):
        lines.append(cut)
        x0, x1 = cut[0].x0, max(x1, cut[-1].x1)
        if cut_text.count(",") >= 2:  # 'Ship to: name, street, city, ST zip' on one line
            return ShipTo([cut_text], cut, 0.7)
    prev = line
    for nxt in layout.lines[line.index + 1 : line.index + 9]:
        if nxt.page != prev.page or nxt.top - prev.bottom > 1.8 * layout.line_height:
            break
        if len(lines) > 1:
            x0, x1 = lines[-1][0].x0, lines[-1][-1].x1
        run = _block_run(nxt, x0, x1, layout.char_width)
        text = " ".join(t.text for t in run)
        if not run or _STOP.search(text) or SHIP_TO.search(text) or BILL_TO.search(text):
            break
        lines.append(run)
        prev = nxt
    if not lines:
        return None
    texts = [" ".join(t.text for t in run) for run in lines]
    return ShipTo(texts, [t for run in lines for t in run], 0.7)


def _country(text: str) -> str | None:
    """ISO code of a country as written: "USA", "U.S.A.", "United States", "Deutschland"..."""
    key = text.strip(" .,").casefold()
    return COUNTRIES.get(key) or COUNTRIES.get(key.replace(".", "").replace(" ", ""))


def _split_parts(lines: list[str]) -> list[str]:
    """One line holding a whole address ('12 Main St, Springfield, IL 62701') becomes parts."""
    if len(lines) == 1 and lines[0].count(",") >= 2:
        parts = [p.strip() for p in lines[0].split(",")]
        return parts
    return lines


def _is_street(text: str) -> bool:
    return bool(
        _STREET_WORD.search(text) or _HOUSE_NUMBER.match(text) or _COMPOUND_STREET.search(text)
    )


def _city_line(text: str, addr: Address) -> bool:
    if _STREET_WORD.search(text):
        return False
    for pattern in (_US_CITY_LINE, _UK_CITY_LINE, _EU_CITY_LINE):
        m = pattern.match(text.strip())
        if m:
            addr.city = m.group("city").strip().rstrip(",")
            addr.postal_code = m.group("postal")
            if "region" in m.groupdict():
                addr.region = m.group("region")
            return True
    return False


def parse_address(lines: list[str]) -> Address:
    """Name, street, city, region, postal code and country from the lines of a block."""
    addr = Address()
    parts = _split_parts([ln.strip() for ln in lines if ln.strip()])
    loose: list[str] = []
    for text in parts:
        if _country(text) and addr.country is None and (addr.city or addr.postal_code or loose):
            addr.country = _country(text)
        elif _city_line(text, addr):
            continue
        elif _POSTAL.match(text) and addr.postal_code is None:
            addr.postal_code = text
        elif text.upper() in US_STATES and len(text) == 2 and addr.region is None and loose:
            addr.region = text.upper()
        elif m := re.match(r"^(?P<region>[A-Z]{2})\s+(?P<postal>\d{5}(?:-\d{4})?)$", text):
            addr.region, addr.postal_code = m.group("region"), m.group("postal")
        else:
            loose.append(text)
    _assign_loose(addr, loose)
    return addr


def _assign_loose(addr: Address, loose: list[str]) -> None:
    """Name, street and (when not yet known) city from the remaining lines."""
    street_at = next((i for i, t in enumerate(loose) if _is_street(t)), None)
    if street_at is None:
        street_at = next(
            (
                i
                for i, t in enumerate(loose)
                if i and (_SUITE.match(t) or any(c.isdigit() for c in t))
            ),
            None,
        )
    if street_at is None:
        if loose:
            addr.name = loose[0]
        if len(loose) > 1 and addr.city is None:
            addr.city = loose[-1]
        return
    if street_at > 0:
        addr.name = loose[0]
    street = [loose[street_at]]
    rest = loose[street_at + 1 :]
    while rest and _SUITE.match(rest[0]):
        street.append(rest.pop(0))
    addr.street = ", ".join(street)
    if rest and addr.city is None:
        addr.city = rest[0]
