"""Separating a reply's new text from the quoted history, and spotting forwards."""

from __future__ import annotations

import re

_FORWARD_MARKER = re.compile(
    r"^\s*(-{2,}\s*(Forwarded message|Weitergeleitete Nachricht|Message transf[ée]r[ée]|"
    r"Mensaje reenviado|Messaggio inoltrato)\s*-{2,}|Begin forwarded message:)",
    re.IGNORECASE | re.MULTILINE,
)
_FORWARD_SUBJECT = re.compile(r"^\s*(fwd?|wg|tr|rv|i)\s*:", re.IGNORECASE)
_ATTRIBUTION = re.compile(r"^\s*(On\b.{0,300}\bwrote|Am\b.{0,300}\bschrieb.{0,80}):\s*$")
_ORIGINAL = re.compile(
    r"^\s*-{3,}\s*(Original Message|Urspr[üu]ngliche Nachricht|Message d'origine)\s*-{3,}",
    re.IGNORECASE,
)
_HEADER_FROM = re.compile(r"^\s*\*?(From|Von|De)\s*:\*?\s", re.IGNORECASE)
_HEADER_SENT = re.compile(r"^\s*\*?(Sent|Date|Gesendet|Datum|Envoy[ée])\s*:\*?\s", re.IGNORECASE)
_OUTLOOK_HEADER_SPAN = 4


def is_forward(text: str, subject: str) -> bool:
    """True when the subject or a forward marker in the text says the message is a forward."""
    return bool(_FORWARD_SUBJECT.match(subject) or _FORWARD_MARKER.search(text))


def strip_quoted_history(text: str) -> str:
    """The new text of a reply: quoted '>' lines and everything after the history marker cut."""
    lines = text.splitlines()
    end = len(lines)
    for index, line in enumerate(lines):
        joined = f"{line} {lines[index + 1]}" if index + 1 < len(lines) else line
        if (
            _ORIGINAL.match(line)
            or _ATTRIBUTION.match(line)
            or (not line.lstrip().startswith(">") and _ATTRIBUTION.match(joined))
            or _outlook_header(lines, index)
        ):
            end = index
            break
    kept = [line for line in lines[:end] if not line.lstrip().startswith(">")]
    while kept and not kept[-1].strip():
        kept.pop()
    if kept and set(kept[-1].strip()) <= {"_", "-"}:
        kept.pop()  # the rule Outlook draws above the quoted header
    return "\n".join(kept) + ("\n" if kept else "")


def _outlook_header(lines: list[str], index: int) -> bool:
    """True at a "From: ..." line followed closely by "Sent:" or "Date:" (Outlook's quote)."""
    if not _HEADER_FROM.match(lines[index]):
        return False
    following = lines[index + 1 : index + 1 + _OUTLOOK_HEADER_SPAN]
    return any(_HEADER_SENT.match(line) for line in following)
