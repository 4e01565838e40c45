"""Dates as written: ISO, US M/D/Y, European D.M.Y, month names in EN/DE/FR/ES."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

DayOrder = Literal["MDY", "DMY"]

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january jan januar janv janvier enero ene jän jänner",
        "february feb februar fév févr février febrero",
        "march mar märz mär mars marzo",
        "april apr avril abril abr",
        "may mai mayo",
        "june jun juni juin junio",
        "july jul juli juil juillet julio",
        "august aug août agosto ago",
        "september sep sept septembre septiembre set",
        "october oct oktober okt octobre octubre",
        "november nov novembre noviembre",
        "december dec dezember dez décembre déc diciembre dic",
    ),
    start=1,
):
    for _name in _names.split():
        MONTHS[_name] = _number

_MONTH = r"(?P<mon>[A-Za-zÀ-ÿ]{3,10})\.?"
_ISO = re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b")
_NUMERIC = re.compile(
    r"(?<![\d/.-])(?P<a>\d{1,2})\s?(?P<sep>[/.\-])\s?(?P<b>\d{1,2})\s?(?P=sep)\s?"
    r"(?P<y>\d{4}|\d{2})(?![\d/])"
)
_DAY_MONTH = re.compile(
    rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th|er|\.|º)?\s+(?:de\s+)?{_MONTH}"
    rf"(?:,?\s+(?:de\s+)?(?P<y>\d{{4}}))?\b"
)
# '02-Oct-2026', '2.Okt.26', '02/Oct/2026': day, month name and year joined by - / or .
_DAY_MON_YEAR = re.compile(
    r"(?<![\w/.-])(?P<d>\d{1,2})\s?(?P<sep>[-/.])\s?(?P<mon>[A-Za-zÀ-ÿ]{3,9})\.?\s?(?P=sep)?\s?"
    r"(?P<y>\d{4}|\d{2})(?![\w/])"
)
_MONTH_DAY = re.compile(rf"\b{_MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y>\d{{4}}))?\b")
_NO_YEAR = re.compile(r"(?<![\d/.-])(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?![\d/.])")


@dataclass(frozen=True)
class FoundDate:
    """A date found in a string, with its span."""

    value: date
    start: int
    end: int
    has_year: bool = True


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _full_year(year: str) -> int:
    value = int(year)
    return value + 2000 if len(year) == 2 else value


def infer_day_order(texts: Iterable[str], *, european_hint: bool = False) -> DayOrder:
    """MDY or DMY for a document: unambiguous dates decide, else dots or the hint."""
    votes = {"MDY": 0, "DMY": 0}
    for text in texts:
        for m in _NUMERIC.finditer(text):
            a, b = int(m["a"]), int(m["b"])
            if m["sep"] == "." or a > 12 >= b:
                votes["DMY"] += 1
            elif b > 12 >= a:
                votes["MDY"] += 1
    if votes["DMY"] != votes["MDY"]:
        return "DMY" if votes["DMY"] > votes["MDY"] else "MDY"
    return "DMY" if european_hint else "MDY"


def _numeric(m: re.Match[str], order: DayOrder) -> date | None:
    a, b, year = int(m["a"]), int(m["b"]), _full_year(m["y"])
    if m["sep"] == "." or order == "DMY":
        return _make(year, b, a) or _make(year, a, b)
    return _make(year, a, b) or _make(year, b, a)


def _named(m: re.Match[str], default_year: int | None) -> tuple[date | None, bool]:
    month = MONTHS.get(m["mon"].casefold())
    if month is None:
        return None, False
    year = int(m["y"]) if m["y"] else default_year
    if year is None:
        return None, False
    return _make(year, month, int(m["d"])), bool(m["y"])


def find_dates(
    text: str,
    *,
    order: DayOrder = "MDY",
    default_year: int | None = None,
    allow_no_year: bool = False,
) -> list[FoundDate]:
    """Every date in the text, in order of appearance."""
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []

    def add(value: date | None, span: tuple[int, int], has_year: bool = True) -> None:
        if value is None or any(s < span[1] and span[0] < e for s, e in taken):
            return
        taken.append(span)
        found.append(FoundDate(value, span[0], span[1], has_year))

    for m in _ISO.finditer(text):
        add(_make(int(m["y"]), int(m["m"]), int(m["d"])), m.span())
    for m in _NUMERIC.finditer(text):
        add(_numeric(m, order), m.span())
    for m in _DAY_MON_YEAR.finditer(text):
        month = MONTHS.get(m["mon"].casefold())
        add(_make(_full_year(m["y"]), month, int(m["d"])) if month else None, m.span())
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        for m in pattern.finditer(text):
            value, has_year = _named(m, default_year)
            add(value, m.span(), has_year)
    if allow_no_year and default_year is not None:
        for m in _NO_YEAR.finditer(text):
            a, b = int(m["a"]), int(m["b"])
            day_first = m["sep"] == "." or order == "DMY"
            add(
                _make(default_year, b, a) if day_first else _make(default_year, a, b),
                m.span(),
                False,
            )
    return sorted(found, key=lambda f: f.start)


def parse_date(
    text: str, *, order: DayOrder = "MDY", default_year: int | None = None
) -> date | None:
    """The first date in the text, or None."""
    found = find_dates(text, order=order, default_year=default_year)
    return found[0].value if found else None


def year_of(iso: str | None) -> int | None:
    """The year of an ISO 8601 timestamp, or None."""
    if iso and re.match(r"\d{4}-", iso):
        return int(iso[:4])
    return None
