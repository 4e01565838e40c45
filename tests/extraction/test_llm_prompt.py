"""Prompt files: rendering by name, version on the result, the rules the model must follow."""

from __future__ import annotations

import pytest

from prompts import PromptNotFound, available, render


def test_render_carries_name_version_and_file() -> None:
    prompt = render("extract_po", message_year=2026)

    assert (prompt.name, prompt.version, prompt.file) == ("extract_po", "1", "extract_po.v1.md")
    assert "2026" in prompt.text and "$message_year" not in prompt.text
    assert not prompt.text.startswith("---")


def test_prompt_states_the_as_written_rules_and_the_trust_boundary() -> None:
    text = render("extract_po", message_year=2026).text.lower()

    for rule in (
        "buying organisation",
        "never subtotal, tax, freight",
        "exactly as written",
        "null",
        "quantity written in words",
        "never computed",
        "untrusted",
        "suspicious_instructions",
        "<document id=",
    ):
        assert rule in text, rule


def test_missing_variable_and_unknown_prompt_fail_loudly() -> None:
    with pytest.raises(KeyError):
        render("extract_po")
    with pytest.raises(PromptNotFound):
        render("no_such_prompt")
    with pytest.raises(PromptNotFound):
        render("extract_po", version=99, message_year=2026)
    assert available("extract_po") == [1]
