"""A tiny PDF writer for test fixtures: text at positions, ruled lines, images, RC4 encryption."""

from __future__ import annotations

import hashlib
import struct
import zlib
from dataclasses import dataclass, field

_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
_FILE_ID = bytes.fromhex("0123456789abcdef0123456789abcdef")


@dataclass
class FakePage:
    """One page: text runs (x, y from the top, size, text), lines and an optional image."""

    texts: list[tuple[float, float, float, str]] = field(default_factory=list)
    lines: list[tuple[float, float, float, float]] = field(default_factory=list)
    image: tuple[int, int, bytes] | None = None  # width, height, 8-bit gray pixels
    flate_content: bytes | None = None  # replaces the content stream, already deflated
    width: float = 612.0
    height: float = 792.0


def _rc4(key: bytes, data: bytes) -> bytes:
    """RC4, as the PDF standard security handler revision 2 uses it."""
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _content(page: FakePage) -> bytes:
    ops: list[str] = []
    if page.image is not None:
        ops.append(f"q {page.width} 0 0 {page.height} 0 0 cm /Im1 Do Q")
    for x0, top, x1, bottom in page.lines:
        ops.append(f"{x0} {page.height - top} m {x1} {page.height - bottom} l S")
    for x, y, size, text in page.texts:
        baseline = page.height - y - size
        ops.append(f"BT /F1 {size} Tf {x} {baseline} Td ({_escape(text)}) Tj ET")
    return "\n".join(ops).encode("latin-1")


def build_pdf(
    pages: list[FakePage], *, user_password: str | None = None, owner_password: str = "owner"
) -> bytes:
    """Serialize pages to PDF bytes, RC4-encrypted when user_password is given."""
    objects: list[bytes] = [b"", b""]  # 1 catalog, 2 page tree, filled in below
    streams: dict[int, bytes] = {}
    font = len(objects) + 1
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    kids: list[int] = []
    for page in pages:
        resources = f"/Font << /F1 {font} 0 R >>"
        if page.image is not None:
            w, h, pixels = page.image
            streams[len(objects) + 1] = zlib.compress(pixels)
            objects.append(
                f"<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace "
                f"/DeviceGray /BitsPerComponent 8 /Filter /FlateDecode".encode()
            )
            resources += f" /XObject << /Im1 {len(objects)} 0 R >>"
        if page.flate_content is not None:
            streams[len(objects) + 1] = page.flate_content
            objects.append(b"<< /Filter /FlateDecode")
        else:
            streams[len(objects) + 1] = _content(page)
            objects.append(b"<<")
        content = len(objects)
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {page.width} {page.height}] "
            f"/Resources << {resources} >> /Contents {content} 0 R >>".encode()
        )
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    refs = " ".join(f"{k} 0 R" for k in kids)
    objects[1] = f"<< /Type /Pages /Kids [{refs}] /Count {len(kids)} >>".encode()
    key: bytes | None = None
    trailer_extra = ""
    if user_password is not None:
        permissions = -4
        owner_key = hashlib.md5((owner_password.encode() + _PAD)[:32]).digest()[:5]
        o_value = _rc4(owner_key, (user_password.encode() + _PAD)[:32])
        digest = hashlib.md5(
            (user_password.encode() + _PAD)[:32]
            + o_value
            + struct.pack("<i", permissions)
            + _FILE_ID
        ).digest()
        key = digest[:5]
        u_value = _rc4(key, _PAD)
        objects.append(
            f"<< /Filter /Standard /V 1 /R 2 /O <{o_value.hex()}> /U <{u_value.hex()}> "
            f"/P {permissions} >>".encode()
        )
        trailer_extra = f" /Encrypt {len(objects)} 0 R"
    out = bytearray(b"%PDF-1.4\n")
    offsets: list[int] = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode()
        if number in streams:
            data = streams[number]
            if key is not None:
                object_key = hashlib.md5(key + struct.pack("<i", number)[:3] + b"\0\0").digest()
                data = _rc4(object_key[: min(len(key) + 5, 16)], data)
            out += body + f" /Length {len(data)} >>\nstream\n".encode() + data
            out += b"\nendstream"
        else:
            out += body
        out += b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /ID [<{_FILE_ID.hex()}> "
        f"<{_FILE_ID.hex()}>]{trailer_extra} >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)
