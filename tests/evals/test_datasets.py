"""The committed eval datasets: the generated set regenerates byte for byte, and every
expected.json follows specs/eval-dataset.md (v1)."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from evals.generator.catalog import DEFAULT_MASTERDATA
from evals.generator.writer import generate

DATASETS = Path(__file__).resolve().parents[2] / "evals" / "datasets"
GENERATED = DATASETS / "generated"
HARD = DATASETS / "hard"
SEED, COUNT = 20261122, 320

HEADER = {"customer_name", "customer_po_number", "order_date", "requested_delivery_date",
          "currency", "ship_to", "lines", "total"}  # fmt: skip
ADDRESS = {"name", "street", "city", "region", "postal_code", "country"}
LINE = {"customer_item_code", "description", "quantity", "uom", "unit_price"}
REASONS = {"unknown_customer", "unknown_item", "new_ship_to", "high_value", "discontinued_item",
           "price_mismatch", "total_mismatch", "possible_injection", "not_a_po", "order_change",
           "credit_hold", "duplicate_po"}  # fmt: skip
SOURCE_SUFFIXES = {".eml", ".pdf", ".xlsx", ".csv", ".txt", ".html"}


def _cases(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
        and not any(part.startswith((".", "_")) for part in p.relative_to(root).parts)
        and p.name != "README.md"
    }


def _is_iso_date(value: object) -> bool:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return False
    date.fromisoformat(value)
    return True


def _opt_str(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() != "")


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def check_expected(gold: dict[str, object]) -> list[str]:
    """Spec violations in one expected.json object (empty when it conforms)."""
    errors: list[str] = []
    ext = gold.get("extraction")
    if not isinstance(ext, dict) or set(ext) != HEADER:
        return [f"extraction keys: {sorted(ext) if isinstance(ext, dict) else ext!r}"]
    for key in ("customer_name", "customer_po_number"):
        if not _opt_str(ext[key]):
            errors.append(f"{key} must be a non-empty string or null")
    for key in ("order_date", "requested_delivery_date"):
        if ext[key] is not None and not _is_iso_date(ext[key]):
            errors.append(f"{key} is not an ISO date: {ext[key]!r}")
    currency = ext["currency"]
    if currency is not None and not (
        isinstance(currency, str) and re.fullmatch(r"[A-Z]{3}", currency)
    ):
        errors.append(f"currency is not ISO 4217: {currency!r}")
    if ext["total"] is not None and not _number(ext["total"]):
        errors.append("total must be a number or null")
    ship = ext["ship_to"]
    if ship is not None:
        if not isinstance(ship, dict) or set(ship) != ADDRESS:
            errors.append(f"ship_to keys: {ship!r}")
        else:
            errors += [f"ship_to.{k} must be a string or null" for k in ADDRESS
                       if not _opt_str(ship[k])]  # fmt: skip
            country = ship["country"]
            if country is not None and not re.fullmatch(r"[A-Z]{2}", str(country)):
                errors.append(f"ship_to.country is not alpha-2: {country!r}")
    lines = ext["lines"]
    if not isinstance(lines, list):
        return [*errors, "lines must be a list"]
    for i, line in enumerate(lines):
        if not isinstance(line, dict) or set(line) != LINE:
            errors.append(f"line {i} keys: {line!r}")
            continue
        if not (_number(line["quantity"]) and line["quantity"] > 0):
            errors.append(f"line {i} quantity must be a positive number")
        if line["unit_price"] is not None and not _number(line["unit_price"]):
            errors.append(f"line {i} unit_price must be a number or null")
        for key in ("customer_item_code", "description", "uom"):
            if not _opt_str(line[key]):
                errors.append(f"line {i} {key} must be a non-empty string or null")
        if line["customer_item_code"] is None and line["description"] is None:
            errors.append(f"line {i} has neither item code nor description")
    route = gold.get("route")
    if route is not None:
        if not isinstance(route, dict) or route.get("decision") not in ("auto", "review"):
            errors.append(f"route: {route!r}")
        else:
            reasons = route.get("reasons", [])
            if not isinstance(reasons, list) or not set(reasons) <= REASONS:
                errors.append(f"route reasons: {reasons!r}")
            elif route["decision"] == "auto" and reasons:
                errors.append("an auto route has no reasons")
            elif "not_a_po" in reasons and (
                lines or any(ext[k] is not None for k in HEADER - {"lines"})
            ):
                errors.append("a non-order has an empty extraction")
    resolution = gold.get("resolution")
    if resolution is not None:
        if not isinstance(resolution, dict) or not isinstance(resolution.get("lines"), list):
            errors.append(f"resolution: {resolution!r}")
        elif len(resolution["lines"]) != len(lines):
            errors.append("resolution.lines must pair with extraction.lines")
    tags = gold.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        errors.append("tags must be a list of strings")
    return errors


@pytest.mark.parametrize("root", [GENERATED, HARD], ids=["generated", "hard"])
def test_every_case_follows_the_spec(root: Path) -> None:
    problems: dict[str, list[str]] = {}
    for case in _cases(root):
        sources = [p for p in case.iterdir() if p.suffix in SOURCE_SUFFIXES
                   and not p.name.startswith((".", "_"))]  # fmt: skip
        errors = [] if sources else ["no source file"]
        errors += check_expected(json.loads((case / "expected.json").read_text(encoding="utf-8")))
        if errors:
            problems[case.name] = errors
    assert problems == {}


def test_dataset_sizes() -> None:
    assert len(_cases(GENERATED)) >= 300
    hard = _cases(HARD)
    assert len(hard) >= 40
    for case in hard:
        assert "hard" in json.loads((case / "expected.json").read_text(encoding="utf-8"))["tags"]


def test_both_routes_and_every_reason_occur() -> None:
    decisions, reasons = set(), set()
    for case in _cases(GENERATED):
        route = json.loads((case / "expected.json").read_text(encoding="utf-8"))["route"]
        decisions.add(route["decision"])
        reasons.update(route.get("reasons", []))
    assert decisions == {"auto", "review"}
    assert reasons >= REASONS - {"credit_hold", "duplicate_po"}


@pytest.mark.slow
def test_generated_set_regenerates_byte_identical(tmp_path: Path) -> None:
    generate(SEED, COUNT, tmp_path, DEFAULT_MASTERDATA)
    committed, fresh = _files(GENERATED), _files(tmp_path)
    assert sorted(committed) == sorted(fresh)
    changed = [name for name in committed if committed[name] != fresh[name]]
    assert changed == []
