"""`intake masterdata load|export` and the demo loader, on real migrations."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import app.cli
import app.demo
import app.masterdata.cli
from app.core.config import Settings
from app.core.db import make_engine, session_scope
from app.masterdata import service


@pytest.fixture
def url(tmp_path: Path) -> str:
    """A fresh SQLite file; the commands run the real migrations themselves."""
    return f"sqlite:///{tmp_path / 'cli.db'}"


def run(*argv: str) -> int:
    return app.cli.main(list(argv))


def test_load_then_export(
    url: str, demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("masterdata", "load", str(demo_dir), "--database-url", url) == 0
    assert "loaded master data version 1" in capsys.readouterr().out
    assert run("masterdata", "export", str(tmp_path / "out"), "--database-url", url) == 0
    assert "25 customers" in capsys.readouterr().out
    assert (tmp_path / "out" / "products.csv").read_bytes() == (
        demo_dir / "products.csv"
    ).read_bytes()


def test_bad_files_exit_2_with_file_and_line(
    url: str, demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad"
    shutil.copytree(demo_dir, bad)
    with (bad / "fx_rates.csv").open("a") as f:
        f.write("GBP,zero\n")
    assert run("masterdata", "load", str(bad), "--database-url", url) == 2
    err = capsys.readouterr().err
    assert err.startswith("intake: error: 1 error(s) in master data; nothing was loaded")
    assert "fx_rates.csv:4: per_base: Input should be a valid decimal (got 'zero')" in err


def test_missing_directory_and_export_onto_a_file(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("masterdata", "load", str(tmp_path / "nope"), "--database-url", url) == 2
    assert "not a directory" in capsys.readouterr().err
    target = tmp_path / "file.csv"
    target.write_text("")
    assert run("masterdata", "export", str(target), "--database-url", url) == 2


def test_demo_loads_once(url: str) -> None:
    settings = Settings(database_url=url)
    assert app.demo.load_demo_if_empty(settings) is True
    assert app.demo.load_demo_if_empty(settings) is False
    engine = make_engine(url)
    with session_scope(engine) as session:
        assert service.stamp(session).version == 1
    engine.dispose()
