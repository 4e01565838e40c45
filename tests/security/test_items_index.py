"""The README's item index names, for each of items 1-30, tests that exist."""

from __future__ import annotations

import re

from tests.support import REPO

README = REPO / "tests/security/README.md"
ROW = re.compile(r"^\|\s*(\d+)\s*\|[^|]*\|([^|]+)\|\s*$")
REFERENCE = re.compile(r"(tests/[\w/]+\.py)::(test_\w+)")


def index() -> dict[int, list[tuple[str, str]]]:
    """Item number -> (file, test function) pairs, from the README's table."""
    items: dict[int, list[tuple[str, str]]] = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        row = ROW.match(line)
        if row:
            items.setdefault(int(row.group(1)), []).extend(REFERENCE.findall(row.group(2)))
    return items


def test_every_item_names_at_least_one_test() -> None:
    items = index()
    assert sorted(items) == list(range(1, 31))
    assert all(items[n] for n in items), [n for n in items if not items[n]]


def test_every_named_test_exists() -> None:
    missing = []
    for number, references in index().items():
        for path, name in references:
            source = REPO / path
            defined = source.is_file() and re.search(
                rf"^def {name}\(", source.read_text(encoding="utf-8"), re.MULTILINE
            )
            if not defined:
                missing.append(f"item {number}: {path}::{name}")
    assert not missing, missing
