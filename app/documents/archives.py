"""Zip attachments, opened only after their central directory passes the limits.

Sizes, file counts and compression ratios are read from the central directory before a single
byte is inflated; members with absolute paths or `..` are refused; a member is read at most to
its declared size (zipfile stops there and checks the CRC), so a directory that lies cannot
make us inflate more than the limits allow. Archives inside an archive are not opened.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath, PureWindowsPath

MAX_MEMBERS = 50
MAX_TOTAL_BYTES = 50 * 1024 * 1024  # uncompressed, over every member
MAX_RATIO = 100  # uncompressed / compressed, per member
ZIP_MAGIC = b"PK\x03\x04"

ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    KeyError,
    IndexError,
)


@dataclass(frozen=True)
class ArchiveLimits:
    """What an archive may hold before it is refused whole."""

    max_members: int = MAX_MEMBERS
    max_total_bytes: int = MAX_TOTAL_BYTES
    max_ratio: int = MAX_RATIO


@dataclass(frozen=True)
class ArchiveMember:
    """One file from an archive: its base name (never a path) and its bytes."""

    name: str
    data: bytes


@dataclass
class OpenedArchive:
    """The members that passed, and a problem for everything refused."""

    members: list[ArchiveMember] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def open_zip(data: bytes, *, limits: ArchiveLimits | None = None) -> OpenedArchive:
    """Members of a zip archive; an archive over a limit yields no members, only its problem."""
    limits = limits or ArchiveLimits()
    result = OpenedArchive()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS as exc:
        result.problems.append(f"archive_unreadable: {type(exc).__name__}")
        return result
    with archive:
        files = [info for info in archive.infolist() if not info.is_dir()]
        refusal = _refusal(files, limits)
        if refusal is not None:
            result.problems.append(refusal)
            return result
        for info in files:
            name = safe_member_name(info.filename)
            if name is None:
                result.problems.append(f"archive_unsafe_path: {_shown(info.filename)}")
                continue
            if info.flag_bits & 0x1:
                result.problems.append(f"archive_encrypted_member: {name}")
                continue
            try:
                with archive.open(info) as member:
                    content = member.read(info.file_size + 1)
            except ZIP_ERRORS as exc:
                result.problems.append(f"archive_unreadable: {name}: {type(exc).__name__}")
                continue
            if len(content) > info.file_size:  # cannot happen with zipfile; never trust it
                result.problems.append(f"archive_size_mismatch: {name}")
                continue
            result.members.append(ArchiveMember(name=name, data=content))
    return result


def _refusal(files: list[zipfile.ZipInfo], limits: ArchiveLimits) -> str | None:
    """Why the central directory alone rules the archive out, if it does."""
    if len(files) > limits.max_members:
        return f"archive_too_many_files: {len(files)} > {limits.max_members}"
    total = sum(info.file_size for info in files)
    if total > limits.max_total_bytes:
        return f"archive_too_large: {total} > {limits.max_total_bytes} bytes"
    for info in files:
        if info.file_size > limits.max_ratio * max(info.compress_size, 1):
            return f"archive_ratio: {_shown(info.filename)}"
    return None


def safe_member_name(filename: str) -> str | None:
    """The base name of a member, or None when its path is absolute or climbs out (`..`)."""
    posix, windows = PurePosixPath(filename), PureWindowsPath(filename)
    if (
        posix.is_absolute()
        or windows.is_absolute()
        or windows.drive
        or filename.startswith(("/", "\\"))
    ):
        return None
    if ".." in posix.parts or ".." in windows.parts:
        return None
    name = windows.name  # splits on both separators
    return name.strip() or None


def _shown(filename: str) -> str:
    """A member name as it may appear in a problem: printable and short."""
    return "".join(c if c.isprintable() else "?" for c in filename)[:120]
