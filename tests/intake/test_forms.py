"""Form fields decode with the charset the provider names, whatever that name is."""

from __future__ import annotations

from app.intake.forms import FormFields, FormPart


def test_a_charset_name_that_is_not_a_name_falls_back_to_utf8() -> None:
    fields = FormFields(parts=[FormPart(name="text", data="Grüße".encode())])
    assert fields.text("text", charset="utf-8\x00") == "Grüße"
    assert fields.text("text", charset="no-such-charset") == "Grüße"
