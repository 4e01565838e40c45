"""Our table searches find exactly pdfplumber's points and cells, in its order, on many PDFs."""

from __future__ import annotations

from itertools import islice
from pathlib import Path

import pdfplumber
import pytest
from pdfplumber.table import TableFinder, TableSettings
from pdfplumber.table import edges_to_intersections as plumbers_intersections
from pdfplumber.table import intersections_to_cells as plumbers_cells

from app.documents.tablecells import edges_to_intersections, find_tables, intersections_to_cells

REPO = Path(__file__).resolve().parents[2]
REAL = sorted((REPO.parent / "shared" / "realdata").glob("*/*.pdf"))
GENERATED = sorted(islice(sorted((REPO / "evals" / "datasets").glob("*/*/*.pdf")), 0, None, 7))
SETTINGS = (
    {"vertical_strategy": "lines", "horizontal_strategy": "lines"},
    {"vertical_strategy": "text", "horizontal_strategy": "text"},
)


@pytest.mark.parametrize("path", REAL + GENERATED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_same_cells_and_tables_as_pdfplumber(path: Path) -> None:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages[:4]:
            for settings in SETTINGS:
                resolved = TableSettings.resolve(settings)
                finder = TableFinder(page, resolved)
                tolerances = (resolved.intersection_x_tolerance, resolved.intersection_y_tolerance)
                ours_points = edges_to_intersections(finder.edges, *tolerances)
                theirs = plumbers_intersections(finder.edges, *tolerances)
                assert list(ours_points.items()) == list(theirs.items())
                assert intersections_to_cells(finder.intersections) == plumbers_cells(
                    finder.intersections
                )
                ours = [t.extract() for t in find_tables(page, settings)]
                assert ours == [t.extract() for t in finder.tables]


def test_the_corpus_has_ruled_tables() -> None:
    """Guard for the test above: some pages must have a grid to compare."""
    cells = 0
    for path in REAL[:6]:
        with pdfplumber.open(path) as pdf:
            finder = TableFinder(pdf.pages[0], TableSettings.resolve(SETTINGS[0]))
            cells += len(plumbers_cells(finder.intersections))
    assert len(REAL) >= 10 and cells > 20
