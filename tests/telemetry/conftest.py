from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.telemetry.flow import DATA, Run, build_run, close_run


@pytest.fixture(scope="package")
def full_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    """One message committed by policy, one approved by a reviewer and resumed, one waiting."""
    run = build_run(tmp_path_factory.mktemp("full-run"))
    run.post("auto", (DATA / "auto_po.eml").read_bytes())
    run.post("review", (DATA / "review_po.eml").read_bytes())
    run.post("pending", (DATA / "pending_po.eml").read_bytes())
    run.drain()
    run.approve("review")
    run.drain()
    yield run
    close_run(run)
