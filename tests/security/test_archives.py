"""Item 8: zip attachments. Limits are read from the central directory before anything is
inflated, unsafe paths are refused, archives in archives are not opened, and the PDFs,
spreadsheets and CSV files inside become documents like any attachment."""

from __future__ import annotations

import io
import struct
import zipfile
from typing import Any

import pytest
from openpyxl import Workbook

from app.documents.archives import ArchiveLimits, open_zip, safe_member_name
from app.documents.mail import parse_message
from app.documents.model import DocumentKind
from tests.security.hostile import mail_with, text_pdf, zip_of

CSV = b"item,qty\nABR-1015,10\nCHM-1020,12\n"


def _xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["item", "qty"])
    sheet.append(["ABR-1015", 10])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def no_member_is_opened(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if any member is read (writing the test's archive is fine)."""
    original = zipfile.ZipFile.open

    def refuse_reads(archive: zipfile.ZipFile, name: Any, mode: str = "r", **kw: Any) -> Any:
        if mode == "r":
            raise AssertionError("a member was opened before the limits were checked")
        return original(archive, name, mode, **kw)

    monkeypatch.setattr(zipfile.ZipFile, "open", refuse_reads)


def test_pdf_xlsx_and_csv_inside_a_zip_become_documents() -> None:
    archive = zip_of(
        {
            "po.pdf": text_pdf("PO 45821 ABR-1015 qty 10"),
            "lines.csv": CSV,
            "lines.xlsx": _xlsx(),
            "notes/readme.txt": b"see lines",
        }
    )
    parsed = parse_message(mail_with(archive, "order.zip", subtype="zip"))

    by_name = {d.filename: d for d in parsed.documents}
    assert by_name["po.pdf"].kind == DocumentKind.PDF and "PO 45821" in by_name["po.pdf"].text
    assert by_name["lines.csv"].kind == DocumentKind.CSV
    assert by_name["lines.csv"].tables[0].rows[1] == ["ABR-1015", "10"]
    assert by_name["lines.xlsx"].kind == DocumentKind.SPREADSHEET
    assert "ABR-1015" in by_name["lines.xlsx"].text
    assert "readme.txt" in by_name  # the base name only, never a path
    assert not [p for d in parsed.documents for p in d.problems if p.startswith("archive")]


def test_too_many_files_is_refused_from_the_central_directory(no_member_is_opened: None) -> None:
    archive = zip_of({f"f{n}.csv": CSV for n in range(60)})
    opened = open_zip(archive)
    assert opened.members == [] and opened.problems == ["archive_too_many_files: 60 > 50"]


def test_total_uncompressed_size_is_refused_before_inflating(no_member_is_opened: None) -> None:
    archive = zip_of({"a.csv": b"1" * 600, "b.csv": b"2" * 600}, compression=zipfile.ZIP_STORED)
    opened = open_zip(archive, limits=ArchiveLimits(max_total_bytes=1000))
    assert opened.members == []
    assert opened.problems == ["archive_too_large: 1200 > 1000 bytes"]


def test_compression_ratio_bomb_is_refused_before_inflating(no_member_is_opened: None) -> None:
    archive = zip_of({"zeros.csv": bytes(20 * 1024 * 1024)})  # 20 MB of zeros: ~20 KB deflated
    assert len(archive) < 100_000
    opened = open_zip(archive)
    assert opened.members == [] and opened.problems == ["archive_ratio: zeros.csv"]


def test_a_central_directory_that_lies_about_sizes_inflates_no_more_than_it_says() -> None:
    archive = bytearray(zip_of({"big.csv": b"ABR-1015,10\n" * 50_000}))
    central = archive.index(b"PK\x01\x02")
    archive[central + 24 : central + 28] = struct.pack("<I", 12)  # "12 bytes uncompressed"
    opened = open_zip(bytes(archive))
    assert opened.members == []
    assert opened.problems and opened.problems[0].startswith(
        ("archive_unreadable", "archive_ratio")
    )


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/cron.d/evil.csv",
        "/etc/passwd",
        "C:\\boot.ini",
        "..\\..\\windows\\evil.csv",
        "ok/../../evil.csv",
    ],
)
def test_path_traversal_and_absolute_paths_are_refused(name: str) -> None:
    assert safe_member_name(name) is None
    opened = open_zip(zip_of({name: CSV, "lines.csv": CSV}))
    assert [m.name for m in opened.members] == ["lines.csv"]
    assert opened.problems and opened.problems[0].startswith("archive_unsafe_path")


def test_refused_members_are_reported_as_problems_that_send_the_order_to_review() -> None:
    parsed = parse_message(
        mail_with(zip_of({"../evil.csv": CSV, "po.csv": CSV}), "order.zip", subtype="zip")
    )
    problems = [p for d in parsed.documents for p in d.problems]
    assert any(p.startswith("archive_unsafe_path") for p in problems)
    assert [d.filename for d in parsed.documents if d.kind == DocumentKind.CSV] == ["po.csv"]


def test_an_archive_inside_an_archive_is_not_opened() -> None:
    inner = zip_of({"hidden.csv": CSV})
    outer = zip_of({"inner.zip": inner, "po.csv": CSV})
    parsed = parse_message(mail_with(outer, "order.zip", subtype="zip"))

    names = [d.filename for d in parsed.documents]
    assert "po.csv" in names and "hidden.csv" not in names
    [nested] = [d for d in parsed.documents if d.filename == "inner.zip"]
    assert nested.problems == ["archive_nested"]


def test_an_unreadable_archive_is_a_problem_not_an_exception() -> None:
    parsed = parse_message(mail_with(b"PK\x03\x04 not really a zip", "order.zip", subtype="zip"))
    [doc] = [d for d in parsed.documents if d.filename == "order.zip"]
    assert doc.problems[0].startswith("archive_unreadable")
