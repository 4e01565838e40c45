"""The policy file: the shipped default loads, broken files are reported with key paths."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from app.cli import main
from app.routing import (
    DEFAULT_POLICY_PATH,
    REASON_CODES,
    PolicyError,
    load_policy,
    validate_policy_file,
)


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def _default_raw() -> dict[str, object]:
    raw = yaml.safe_load(DEFAULT_POLICY_PATH.read_text(encoding="utf-8"))
    assert isinstance(raw, dict)
    return raw


def test_default_policy_is_valid_and_complete() -> None:
    policy = load_policy()
    assert validate_policy_file(DEFAULT_POLICY_PATH) == []
    assert set(policy.reasons) == set(REASON_CODES)
    assert policy.thresholds.auto_min_confidence == 0.90
    assert policy.thresholds.max_auto_total.limit("USD") == Decimal("10000.00")
    assert policy.thresholds.max_auto_total.limit("XYZ") == Decimal("10000.00")


def test_loads_from_a_path(tmp_path: Path) -> None:
    raw = _default_raw()
    raw["thresholds"]["auto_min_confidence"] = 0.95  # type: ignore[index]
    assert load_policy(_write(tmp_path, raw)).thresholds.auto_min_confidence == 0.95


def test_errors_name_the_file_and_key_path(tmp_path: Path) -> None:
    raw = _default_raw()
    raw["thresholds"]["auto_min_confidence"] = 1.5  # type: ignore[index]
    raw["reasons"]["high_value"]["queue"] = "nowhere"  # type: ignore[index]
    raw["reasons"]["made_up"] = {"queue": "pricing", "priority": 1, "sla_hours": 1}  # type: ignore[index]
    del raw["reasons"]["atp_shortage"]  # type: ignore[attr-defined]
    path = _write(tmp_path, raw)
    problems = validate_policy_file(path)
    assert all(p.startswith(f"{path}: ") for p in problems)
    text = "\n".join(problems)
    assert "thresholds.auto_min_confidence" in text
    assert "reasons.made_up" in text
    assert "reasons missing: atp_shortage" in text
    assert "undefined queues: nowhere" in text
    with pytest.raises(PolicyError):
        load_policy(path)


def test_unknown_keys_are_rejected(tmp_path: Path) -> None:
    raw = _default_raw()
    raw["thresholds"]["auto_min_confidnce"] = 0.5  # type: ignore[index]
    problems = validate_policy_file(_write(tmp_path, raw))
    assert any("thresholds.auto_min_confidnce" in p for p in problems)


def test_bad_currency_code(tmp_path: Path) -> None:
    raw = _default_raw()
    raw["thresholds"]["max_auto_total"]["by_currency"] = {"dollars": "5"}  # type: ignore[index]
    problems = validate_policy_file(_write(tmp_path, raw))
    assert any("thresholds.max_auto_total" in p and "ISO 4217" in p for p in problems)


def test_yaml_syntax_and_missing_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("reasons: [1\n", encoding="utf-8")
    assert "not valid YAML: line" in validate_policy_file(broken)[0]
    assert "cannot read" in validate_policy_file(tmp_path / "absent.yaml")[0]
    assert "must be a mapping" in validate_policy_file(_write(tmp_path, [1, 2]))[0]


def test_cli_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policy", "check", str(DEFAULT_POLICY_PATH)]) == 0
    assert "ok" in capsys.readouterr().out
    raw = _default_raw()
    raw["reasons"]["high_value"]["priority"] = 0  # type: ignore[index]
    assert main(["policy", "check", str(_write(tmp_path, raw))]) == 1
    assert "reasons.high_value.priority" in capsys.readouterr().err
