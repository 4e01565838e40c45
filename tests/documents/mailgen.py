"""Builders for MIME test messages and a minimal winmail.dat."""

from __future__ import annotations

import struct
from email.message import EmailMessage

from openpyxl import Workbook


def message(
    body: str = "Please ship PO 4711.\n",
    *,
    subject: str = "PO 4711",
    sender: str = '"Alice Buyer" <alice@customer.example>',
    charset: str = "utf-8",
) -> EmailMessage:
    """A plain text message with the usual headers."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "orders@supplier.example"
    msg["Subject"] = subject
    msg["Date"] = "Tue, 03 Mar 2026 10:15:00 +0100"
    msg["Message-ID"] = "<abc123@customer.example>"
    msg.set_content(body, charset=charset)
    return msg


def xlsx_bytes() -> bytes:
    """A small order workbook."""
    import io

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["SKU", "Qty"])
    sheet.append(["AB-1", 12])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _tnef_attr(level: int, name: int, kind: int, data: bytes) -> bytes:
    checksum = sum(data) & 0xFFFF
    return struct.pack("<BHHI", level, name, kind, len(data)) + data + struct.pack("<H", checksum)


def winmail_dat(files: dict[str, bytes], body: bytes = b"Order attached.") -> bytes:
    """A TNEF stream with a plain body and the given files."""
    out = struct.pack("<IH", 0x223E9F78, 0x0001)
    out += _tnef_attr(1, 0x9006, 0x0008, struct.pack("<I", 0x00010000))
    out += _tnef_attr(1, 0x9007, 0x0006, struct.pack("<II", 1252, 0))
    out += _tnef_attr(1, 0x800C, 0x0002, body)
    for name, data in files.items():
        out += _tnef_attr(2, 0x9002, 0x0006, b"\x00" * 14)
        out += _tnef_attr(2, 0x8010, 0x0001, name.encode() + b"\x00")
        out += _tnef_attr(2, 0x800F, 0x0006, data)
    return out
