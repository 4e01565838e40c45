"""Decoding bytes of uncertain charset into text."""

from __future__ import annotations

import codecs


def decode_text(data: bytes, declared: str | None = None) -> tuple[str, str | None]:
    """Decode with the declared charset, else UTF-8, cp1252, latin-1; second item is a problem."""
    tried: list[str] = []
    candidates = [declared] if declared else []
    candidates += ["utf-8", "cp1252"]
    for name in candidates:
        if name is None:
            continue
        try:
            codec = codecs.lookup(name).name
        except (LookupError, ValueError):  # unknown, or not even a name (a NUL inside)
            tried.append(name)
            continue
        if codec in tried:
            continue
        try:
            text = data.decode("utf-8-sig" if codec == "utf-8" else codec)
        except UnicodeDecodeError:
            tried.append(codec)
            continue
        if declared and tried:
            return text, f"charset_fallback: {declared} -> {codec}"
        return text, None
    label = declared or "undeclared"
    return data.decode("latin-1"), f"charset_fallback: {label} -> latin-1"
