"""The master-data CSV files: read and check a directory of them, write them canonically.

A directory holds one file per record type of `tools.masterdata` (`customers.csv`,
`products.csv`, ...), each with a header row naming the record's fields. `customers.csv` and
`products.csv` are required; every other file is optional and an absent file means "no rows".
Any other file in the directory is an error, so a misspelt name never goes unnoticed.

Reading checks every row against its record model, then keys, references and currencies, and
reports every problem at once with file and line. Writing is canonical: columns in field order,
rows sorted by key, decimals via `format_decimal`, ISO dates, HH:MM times, true/false, empty for
None, UTF-8 with LF line endings.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.core.db import format_decimal
from app.core.errors import Unprocessable
from tools.masterdata import (
    RECORD_TYPES,
    Carrier,
    CarrierRate,
    CarrierService,
    CrossReference,
    Customer,
    FxRate,
    PriceAgreement,
    PriceTier,
    Product,
    Record,
    ScheduledReceipt,
    ShipTo,
    StockLevel,
    UomConversion,
    Warehouse,
)

REQUIRED_FILES = frozenset({Customer.csv_name, Product.csv_name})
RECORD_BY_FILE: dict[str, type[Record]] = {rt.csv_name: rt for rt in RECORD_TYPES}
AGREEMENT_KINDS = frozenset({"contract", "promotion"})


@dataclass(frozen=True)
class RowError:
    """One problem in the master-data files; line 0 means the file as a whole."""

    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.reason}"


class MasterDataInvalid(Unprocessable):
    """The master-data files have errors; nothing was loaded."""

    code = "masterdata_invalid"

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(
            f"{len(errors)} error(s) in master data; nothing was loaded",
            details={"errors": [str(e) for e in errors]},
        )
        self.errors = errors


@dataclass(frozen=True)
class LocatedRecord:
    """A record and where it was read from."""

    record: Record
    file: str
    line: int


@dataclass
class _Reading:
    """What reading a directory has found so far."""

    errors: list[RowError] = field(default_factory=list)
    located: list[LocatedRecord] = field(default_factory=list)
    # Ids of rows already reported as invalid, and files not read at all: references to
    # them are not reported again, so one bad row gives one error.
    rejected_ids: set[tuple[type[Record], str]] = field(default_factory=set)
    unread: set[type[Record]] = field(default_factory=set)


def read_directory(directory: Path, *, base_currency: str = "USD") -> list[Record]:
    """Every record of the CSV files in `directory`; raises MasterDataInvalid with all errors."""
    reading = _Reading()
    names = _checked_file_names(directory, reading.errors)
    reading.unread |= {RECORD_BY_FILE[name] for name in REQUIRED_FILES if name not in names}
    for name in names:
        _read_file(directory / name, RECORD_BY_FILE[name], reading)
    reading.errors += _duplicate_keys(reading.located)
    reading.errors += _broken_references(reading, base_currency)
    if reading.errors:
        raise MasterDataInvalid(reading.errors)
    return [loc.record for loc in reading.located]


def write_directory(directory: Path, records: Iterable[Record]) -> dict[str, int]:
    """Write one canonical CSV per record type (header only when empty); rows written per file."""
    directory.mkdir(parents=True, exist_ok=True)
    by_type: dict[type[Record], list[Record]] = {rt: [] for rt in RECORD_TYPES}
    for rec in records:
        by_type[type(rec)].append(rec)
    counts: dict[str, int] = {}
    for record_type, recs in by_type.items():
        recs.sort(key=record_key)
        _write_file(directory / record_type.csv_name, record_type, recs)
        counts[record_type.csv_name] = len(recs)
    return counts


def record_key(rec: Record) -> tuple[Any, ...]:
    """The values of a record's key fields, in order."""
    return tuple(getattr(rec, name) for name in rec.key)


def format_value(value: object) -> str:
    """The canonical CSV text of one field value."""
    match value:
        case None:
            return ""
        case bool():
            return "true" if value else "false"
        case Decimal():
            return format_decimal(value)
        case time():
            return value.strftime("%H:%M:%S" if value.second else "%H:%M")
        case date():
            return value.isoformat()
        case _:
            return str(value)


def _write_file(path: Path, record_type: type[Record], records: list[Record]) -> None:
    fields = list(record_type.model_fields)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(fields)
        for rec in records:
            writer.writerow([format_value(getattr(rec, name)) for name in fields])


def _checked_file_names(directory: Path, errors: list[RowError]) -> list[str]:
    """The known CSV files present, in RECORD_TYPES order; unknown and missing ones are errors."""
    if not directory.is_dir():
        errors.append(RowError(str(directory), 0, "not a directory"))
        return []
    present = {p.name for p in directory.iterdir() if p.is_file() and not p.name.startswith(".")}
    for name in sorted(present - RECORD_BY_FILE.keys()):
        known = ", ".join(RECORD_BY_FILE)
        errors.append(RowError(name, 0, f"unknown file; master-data files are: {known}"))
    for name in sorted(REQUIRED_FILES - present):
        errors.append(RowError(name, 0, "required file is missing"))
    return [name for name in RECORD_BY_FILE if name in present]


def _read_file(path: Path, record_type: type[Record], reading: _Reading) -> None:
    reading.unread.add(record_type)
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            _read_rows(path.name, record_type, _numbered_rows(csv.reader(f)), reading)
    except UnicodeDecodeError as exc:
        reading.errors.append(RowError(path.name, 0, f"not UTF-8 text ({exc.reason})"))
    except csv.Error as exc:
        reading.errors.append(RowError(path.name, 0, f"not a readable CSV file ({exc})"))


def _numbered_rows(reader: Any) -> Iterator[tuple[int, list[str]]]:
    """Non-blank rows with the line each starts on (quoted cells may span lines)."""
    start = 1
    for row in reader:
        if any(cell.strip() for cell in row):
            yield start, row
        start = reader.line_num + 1


def _read_rows(
    file: str, record_type: type[Record], rows: Iterator[tuple[int, list[str]]], reading: _Reading
) -> None:
    header = next(rows, None)
    if header is None:
        reading.errors.append(RowError(file, 0, "empty file; the header row is missing"))
        return
    columns = [c.strip() for c in header[1]]
    header_errors = _header_errors(record_type, columns)
    if header_errors:
        reading.errors += [RowError(file, header[0], reason) for reason in header_errors]
        return
    reading.unread.discard(record_type)
    id_column = columns.index(record_type.key[0])
    for line, cells in rows:
        rec, reasons = _parse_row(record_type, columns, cells)
        reading.errors += [RowError(file, line, reason) for reason in reasons]
        if rec is not None:
            reading.located.append(LocatedRecord(rec, file, line))
        elif id_column < len(cells):
            reading.rejected_ids.add((record_type, cells[id_column].strip()))


def _header_errors(record_type: type[Record], columns: list[str]) -> list[str]:
    fields = record_type.model_fields
    reasons = [f"unknown column {c!r}" for c in columns if c not in fields]
    reasons += [f"duplicate column {c!r}" for c in sorted(set(columns)) if columns.count(c) > 1]
    reasons += [
        f"missing required column {name!r}"
        for name, info in fields.items()
        if info.is_required() and name not in columns
    ]
    return reasons


def _parse_row(
    record_type: type[Record], columns: list[str], cells: list[str]
) -> tuple[Record | None, list[str]]:
    """The record of one row, or None and the reasons it is not valid."""
    if len(cells) != len(columns):
        return None, [f"expected {len(columns)} columns, found {len(cells)}"]
    # An empty cell means "not given": the field's default, or "required" when it has none.
    values = {col: cell for col, cell in zip(columns, cells, strict=True) if cell.strip()}
    try:
        rec = record_type.model_validate(values)
    except ValidationError as exc:
        return None, [_validation_reason(err, values) for err in exc.errors()]
    problems = _value_problems(rec)
    return (None if problems else rec), problems


def _validation_reason(err: Any, values: dict[str, str]) -> str:
    field = ".".join(str(part) for part in err["loc"]) or "row"
    given = values.get(field)
    suffix = f" (got {given!r})" if given is not None else ""
    return f"{field}: {err['msg']}{suffix}"


def _value_problems(rec: Record) -> list[str]:
    """Business rules on one record that its type alone does not express."""
    problems = [
        f"{name}: must be a finite number >= 0 (got {value})"
        for name, value in rec
        if isinstance(value, Decimal) and (not value.is_finite() or value < 0)
    ]
    match rec:
        case PriceAgreement():
            if rec.kind not in AGREEMENT_KINDS:
                problems.append(f"kind: must be contract or promotion (got {rec.kind!r})")
            if rec.kind == "contract" and not rec.customer_id:
                problems.append("customer_id: a contract needs a customer")
            if rec.valid_from and rec.valid_to and rec.valid_from > rec.valid_to:
                problems.append("valid_to: is before valid_from")
        case Product() if rec.pack_multiple < 1:
            problems.append("pack_multiple: must be at least 1")
        case UomConversion() | FxRate():
            value = rec.factor if isinstance(rec, UomConversion) else rec.per_base
            if value == 0:
                problems.append("must not be zero")
    return problems


def _duplicate_keys(located: list[LocatedRecord]) -> list[RowError]:
    first_line: dict[tuple[str, tuple[Any, ...]], int] = {}
    errors: list[RowError] = []
    for loc in located:
        key = (loc.file, record_key(loc.record))
        if key in first_line:
            shown = ", ".join(format_value(v) for v in key[1])
            errors.append(
                RowError(
                    loc.file, loc.line, f"duplicate key ({shown}), first on line {first_line[key]}"
                )
            )
        else:
            first_line[key] = loc.line
    return errors


# (record type, field, referenced record type); a None value refers to nothing.
REFERENCES: tuple[tuple[type[Record], str, type[Record]], ...] = (
    (Customer, "default_ship_to_id", ShipTo),
    (ShipTo, "customer_id", Customer),
    (UomConversion, "sku", Product),
    (CrossReference, "customer_id", Customer),
    (CrossReference, "sku", Product),
    (PriceAgreement, "customer_id", Customer),
    (PriceAgreement, "sku", Product),
    (PriceTier, "agreement_id", PriceAgreement),
    (StockLevel, "sku", Product),
    (StockLevel, "warehouse_id", Warehouse),
    (ScheduledReceipt, "sku", Product),
    (ScheduledReceipt, "warehouse_id", Warehouse),
    (CarrierService, "carrier_id", Carrier),
    (CarrierRate, "service_id", CarrierService),
)


def _broken_references(reading: _Reading, base_currency: str) -> list[RowError]:
    ids: dict[type[Record], set[Any]] = {rt: set() for rt in RECORD_TYPES}
    for loc in reading.located:
        ids[type(loc.record)].add(record_key(loc.record)[0])
    for record_type, rejected_id in reading.rejected_ids:
        ids[record_type].add(rejected_id)
    currencies = {base_currency} | ids[FxRate]
    errors: list[RowError] = []
    for loc in reading.located:
        reasons = [
            f"{name}: {value!r} is not in {target.csv_name}"
            for source, name, target in REFERENCES
            if isinstance(loc.record, source)
            and target not in reading.unread
            and (value := getattr(loc.record, name)) is not None
            and value not in ids[target]
        ]
        currency = _currency_of(loc.record)
        if currency is not None and FxRate not in reading.unread and currency not in currencies:
            reasons.append(f"currency: no rate for {currency!r} in fx_rates.csv")
        errors += [RowError(loc.file, loc.line, reason) for reason in reasons]
    return errors + _foreign_default_ship_tos(reading.located)


def _currency_of(rec: Record) -> str | None:
    match rec:
        case Customer() | Product() | PriceAgreement() | CarrierRate():
            return rec.currency
        case _:
            return None


def _foreign_default_ship_tos(located: list[LocatedRecord]) -> list[RowError]:
    owner = {
        loc.record.ship_to_id: loc.record.customer_id
        for loc in located
        if isinstance(loc.record, ShipTo)
    }
    return [
        RowError(
            loc.file,
            loc.line,
            f"default_ship_to_id: {rec.default_ship_to_id!r} "
            f"belongs to customer {owner[rec.default_ship_to_id]!r}",
        )
        for loc in located
        if isinstance(rec := loc.record, Customer)
        and rec.default_ship_to_id in owner
        and owner[rec.default_ship_to_id] != rec.customer_id
    ]
