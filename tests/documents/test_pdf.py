"""PDF parsing: offsets, layout, tables, encryption, limits, OCR."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from app.documents import ocr, pdf
from app.documents.model import ParsedDocument
from app.documents.pdf import parse_pdf

from .pdfgen import FakePage, build_pdf


def _assert_offsets(doc: ParsedDocument) -> None:
    assert doc.words
    for word in doc.words:
        assert doc.text[word.start : word.end] == word.text


def _grid_page(rows: list[list[str]], *, top: float = 100.0) -> FakePage:
    """A page with a ruled table, one 100pt column per cell and 20pt per row."""
    page = FakePage()
    width = 100.0 * len(rows[0])
    for r, row in enumerate(rows):
        y = top + 20.0 * r
        page.lines.append((50.0, y, 50.0 + width, y))
        for c, cell in enumerate(row):
            page.texts.append((55.0 + 100.0 * c, y + 4.0, 10.0, cell))
    page.lines.append((50.0, top + 20.0 * len(rows), 50.0 + width, top + 20.0 * len(rows)))
    for c in range(len(rows[0]) + 1):
        page.lines.append((50.0 + 100.0 * c, top, 50.0 + 100.0 * c, top + 20.0 * len(rows)))
    return page


def test_shibaura_po_text_words_and_line_table(realdata: Path) -> None:
    path = realdata / "amc-mrp-shibaura-po" / "PO-00076286.pdf"
    doc = parse_pdf(path.read_bytes(), document_id="att-1", filename=path.name)
    assert doc.problems == []
    assert doc.pages == 1 and doc.page_sizes == [(612.0, 792.0)]
    _assert_offsets(doc)
    assert "PO-00076286" in doc.text
    lines = {line.split()[0]: line for line in doc.text.splitlines() if line.strip()}
    assert "N066879 [POPPET C2G16]" in lines["1"]
    # the quantity column lines up under its header
    header = next(line for line in doc.text.splitlines() if "Qty Ordered" in line)
    assert lines["1"].index("1.00") < header.index("Qty Ordered") + len("Qty Ordered")
    items = next(t for t in doc.tables if t.rows[0][0] == "Ln")
    assert items.header_row == 0
    assert items.rows[0][-1] == "Extended Price"
    assert "1,795.00" in items.rows[1][-1]


@pytest.mark.parametrize(
    "name",
    [
        "westell-po-lingbo/PO_LINGBO_GROUP_INC_515291.pdf",
        "amc-mrp-relli-po/2-pager.pdf",
        "industrial-laser-po/PO100563L (1).pdf",
        "pnp-syntex-contoso-po/Contoso-PO-Fabrikam-Lee.pdf",
    ],
)
def test_real_pdfs_have_exact_word_spans(realdata: Path, name: str) -> None:
    doc = parse_pdf((realdata / name).read_bytes(), document_id="att-1")
    assert doc.problems == []
    assert doc.pages == len(doc.page_sizes) == doc.text.count("\f") + 1
    _assert_offsets(doc)
    assert {w.page for w in doc.words} == set(range(1, doc.pages + 1))


def test_columns_align_and_phrases_keep_single_spaces() -> None:
    page = FakePage(
        texts=[
            (50, 100, 10, "Part number"),
            (250, 100, 10, "Qty"),
            (50, 115, 10, "AB-1"),
            (250, 115, 10, "12"),
        ]
    )
    doc = parse_pdf(build_pdf([page]), document_id="att-1")
    header, row = doc.text.splitlines()
    assert header.startswith("Part number  ")
    assert header.index("Qty") == row.index("12")
    _assert_offsets(doc)


def test_ruled_table_repeated_on_next_page_is_merged() -> None:
    header = ["Item", "Description", "Qty", "Price"]
    first = _grid_page([header, ["1", "Bolt", "10", "1.50"], ["2", "Nut", "20", "0.10"]])
    second = _grid_page([header, ["3", "Washer", "30", "0.05"]])
    doc = parse_pdf(build_pdf([first, second]), document_id="att-1")
    assert doc.problems == []
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert table.header_row == 0 and table.page == 1
    assert [row[1] for row in table.rows] == ["Description", "Bolt", "Nut", "Washer"]


def test_pdf_with_empty_user_password_is_read() -> None:
    page = FakePage(texts=[(50, 50, 12, "Order 123")])
    doc = parse_pdf(build_pdf([page], user_password=""), document_id="att-1")
    assert doc.encrypted is True
    assert doc.problems == []
    assert "Order 123" in doc.text


def test_pdf_with_password_is_reported_encrypted() -> None:
    page = FakePage(texts=[(50, 50, 12, "Order 123")])
    doc = parse_pdf(build_pdf([page], user_password="secret"), document_id="att-1")
    assert doc.encrypted is True
    assert doc.problems == ["encrypted"]
    assert doc.text == "" and doc.words == []


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.4\n1 0 obj <<", b"not a pdf at all", b"%PDF-1.7\n" + b"\x00" * 500],
)
def test_corrupt_pdf_becomes_unreadable_problem(data: bytes) -> None:
    doc = parse_pdf(data, document_id="att-1")
    assert len(doc.problems) == 1
    assert doc.problems[0].startswith("unreadable: ")


def test_empty_pdf_attachment() -> None:
    assert parse_pdf(b"", document_id="att-1").problems == ["empty"]


def test_page_cap() -> None:
    pages = [FakePage(texts=[(50, 50, 12, f"page {n}")]) for n in range(3)]
    doc = parse_pdf(build_pdf(pages), document_id="att-1", max_pages=2)
    assert doc.problems == ["too_many_pages"]
    assert doc.pages == 3 and doc.text == ""


def _scanned_page() -> FakePage:
    image = Image.new("L", (850, 1100), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=40)
    draw.text((60, 80), "PURCHASE ORDER 4711", fill=0, font=font)
    draw.text((60, 200), "Widget   Qty 12", fill=0, font=font)
    return FakePage(image=(image.width, image.height, image.tobytes()))


@pytest.mark.skipif(not ocr.tesseract_available(), reason="tesseract is not installed")
def test_scanned_page_is_ocred_with_boxes_in_points() -> None:
    doc = parse_pdf(build_pdf([_scanned_page()]), document_id="att-1")
    assert doc.ocr is True
    assert "PURCHASE ORDER 4711" in doc.text
    _assert_offsets(doc)
    first = doc.words[0]
    # 60 px of an 850 px wide image on a 612 pt page is about 43 pt
    assert 30 < first.bbox.x0 < 60 and first.bbox.x1 < 612


def test_scanned_page_without_tesseract(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "tesseract_available", lambda: False)
    doc = parse_pdf(build_pdf([_scanned_page()]), document_id="att-1")
    assert doc.ocr is False
    assert doc.problems == ["ocr_unavailable", "no_text"]
