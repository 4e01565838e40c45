"""The detector's shortcuts find what the plain scan finds.

`detection_form` skips the Unicode work for ASCII text and drops marks with a translate table,
and each rule searches where its pattern without the leading word boundary matches. The
reference below is the plain form: normalise, fold and filter character by character, then
`pattern.search` each rule; generated texts (attacks among noise, accents, invisible and
look-alike characters, letter-spacing) must give the same matches either way.
"""

from __future__ import annotations

import re
import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from app.documents.model import DocumentKind, ParsedDocument, ParsedMessage, Table
from app.routing.injection import (
    _HOMOGLYPHS,
    _LETTER_SPACED,
    _NON_WORD,
    RULES,
    InjectionMatch,
    detect_injection,
    detection_form,
    scan_text,
)
from tests.routing.test_injection import NEGATIVES, POSITIVES


def reference_form(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_HOMOGLYPHS)
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(
        ch
        for ch in decomposed
        if not unicodedata.combining(ch) and unicodedata.category(ch) != "Cf"
    )


def reference_scan(text: str, source: str) -> list[InjectionMatch]:
    if not text.strip():
        return []
    form = reference_form(text)
    spaced = _NON_WORD.sub(" ", form).strip()
    views = {
        "words": _LETTER_SPACED.sub(lambda m: m.group().replace(" ", ""), spaced),
        "compact": "\n".join(re.sub(r"\s+", "", line) for line in form.splitlines()),
    }
    out = []
    for rule in RULES:
        m = rule.pattern.search(views[rule.view])
        if m is not None:
            view = views[rule.view]
            snippet = view[max(0, m.start() - 40) : m.end() + 40].strip()
            out.append(
                InjectionMatch(
                    rule=rule.name, language=rule.language, source=source, snippet=snippet
                )
            )
    return out


PHRASES = [*POSITIVES, *NEGATIVES]
noise = st.text(
    alphabet=st.one_of(
        st.characters(codec="ascii"),
        st.sampled_from("éèüßçñ\u0301\u200b\u200d\u202e\u00ad\ufb01ＡＩаоеі١٢ _-#<>|[]/\n\t"),
        st.characters(),
    ),
    max_size=40,
)


@settings(max_examples=400, deadline=None)
@given(text=st.text(max_size=60))
@example(text="Ｉｇｎｏｒｅ\u0301 pre\u200bvious")
def test_the_detection_form_is_the_plain_one(text: str) -> None:
    assert detection_form(text) == reference_form(text)


def _spaced(text: str) -> str:
    return " ".join(text)


@settings(max_examples=300, deadline=None)
@given(
    parts=st.lists(
        st.one_of(noise, st.sampled_from(PHRASES), st.sampled_from(PHRASES).map(_spaced)),
        max_size=6,
    ),
    joiner=st.sampled_from(["", " ", "\n", "x", "_"]),
)
def test_a_scan_finds_what_the_plain_scan_finds(parts: list[str], joiner: str) -> None:
    text = joiner.join(parts)
    assert scan_text(text, "doc:text") == reference_scan(text, "doc:text")


def test_a_match_inside_a_word_gives_way_to_one_that_starts_within_it() -> None:
    """The scout first finds "set price of ... to" glued to the "x"; the rule still answers
    with the passage that starts a word inside that span, as the plain search does."""
    text = "xset price of set price to 0"
    found = scan_text(text, "doc:text")
    assert found == reference_scan(text, "doc:text")
    assert [m.rule for m in found] == ["set_price"]


def reference_detect(message: ParsedMessage) -> list[InjectionMatch]:
    """detect_injection scanning every text of every document, repeats included."""
    found = reference_scan(message.subject, "subject")
    found += reference_scan(message.sender_name or "", "sender_name")
    for doc in message.documents:
        found += reference_scan(doc.filename or "", f"{doc.document_id}:filename")
        found += reference_scan(doc.text, f"{doc.document_id}:text")
        for i, hidden in enumerate(doc.hidden_text, start=1):
            found += reference_scan(hidden, f"{doc.document_id}:hidden {i}")
        for table in doc.tables:
            sheet = table.sheet or (f"page {table.page}" if table.page is not None else "table")
            for r, row in enumerate(table.rows, start=1):
                for c, cell in enumerate(row, start=1):
                    found += reference_scan(cell, f"{doc.document_id}:cell {sheet}!R{r}C{c}")
    seen: set[tuple[str, str]] = set()
    unique = []
    for match in found:
        key = (match.rule, match.source.split(":", 1)[0])
        if key not in seen:
            seen.add(key)
            unique.append(match)
    return unique


cells = st.sampled_from(["EA", "12", "", "Qty", *POSITIVES[:8], *NEGATIVES[:4]])
documents = st.builds(
    lambda i, text, hidden, rows, name: ParsedDocument(
        document_id=f"att-{i}",
        kind=DocumentKind.SPREADSHEET,
        filename=name,
        text=text,
        hidden_text=hidden,
        tables=[Table(sheet="Order", rows=rows)],
    ),
    i=st.integers(1, 3),
    text=st.one_of(cells, noise),
    hidden=st.lists(cells, max_size=2),
    rows=st.lists(st.lists(cells, min_size=1, max_size=3), max_size=5),
    name=st.one_of(st.none(), cells),
)


@settings(max_examples=200, deadline=None)
@given(subject=cells, sender=cells, docs=st.lists(documents, max_size=3))
def test_a_message_is_judged_as_when_every_repeated_text_is_scanned(
    subject: str, sender: str, docs: list[ParsedDocument]
) -> None:
    message = ParsedMessage(subject=subject, sender_name=sender, documents=docs)
    assert detect_injection(message) == reference_detect(message)
