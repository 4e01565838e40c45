"""`intake worker --cpus`: a worker pinned to CPUs, threads and children included."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.jobs.affinity import CpuSpecError, claim_slot, parse_cpus

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="Linux only")


def test_a_cpu_list_takes_numbers_and_ranges() -> None:
    assert parse_cpus("0", {0, 1}) == {0}
    assert parse_cpus(" 0, 2-3 ,5", set(range(8))) == {0, 2, 3, 5}


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ("x", "not a CPU number"),
        ("3-1", "empty CPU range"),
        (",", "no CPU given"),
        ("0,7", r"\[7\] not available"),
    ],
)
def test_a_cpu_list_naming_no_usable_cpu_is_refused(spec: str, problem: str) -> None:
    with pytest.raises(CpuSpecError, match=problem):
        parse_cpus(spec, {0, 1})


def _claim_in_child(slots: Path) -> int:
    code = (
        "import sys; from pathlib import Path; from app.jobs.affinity import claim_slot; "
        "print(claim_slot({0, 1}, Path(sys.argv[1])))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(slots)], cwd=REPO, capture_output=True, check=True
    )
    return int(out.stdout)


def test_auto_gives_each_worker_of_a_host_the_next_free_cpu(tmp_path: Path) -> None:
    assert _claim_in_child(tmp_path) == 0  # alone: the first CPU
    assert _claim_in_child(tmp_path) == 0  # the last one exited: its slot is free again
    assert claim_slot({0, 1}, tmp_path) == 0  # held by this process from here on
    assert _claim_in_child(tmp_path) == 1
    assert claim_slot({0, 1}, tmp_path) == 1
    assert claim_slot({0, 1}, tmp_path) == 0  # more workers than CPUs: round robin


def test_pinning_covers_threads_started_before_and_children_started_after() -> None:
    cpu = min(os.sched_getaffinity(0))
    code = textwrap.dedent(
        f"""
        import os, subprocess, sys, threading
        from app.jobs.affinity import pin_process
        ready, done = threading.Event(), threading.Event()
        seen = {{}}
        def early():
            ready.set(); done.wait(); seen["early"] = sorted(os.sched_getaffinity(0))
        thread = threading.Thread(target=early); thread.start(); ready.wait()
        print(sorted(pin_process("{cpu}")))
        done.set(); thread.join(); print(seen["early"])
        child = "import os; print(sorted(os.sched_getaffinity(0)))"
        print(subprocess.run([sys.executable, "-c", child], capture_output=True,
                             text=True, check=True).stdout.strip())
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert out.stdout.split("\n")[:3] == [f"[{cpu}]"] * 3


def test_the_worker_refuses_cpus_it_may_not_use(tmp_path: Path) -> None:
    beyond = max(os.sched_getaffinity(0)) + 1
    command = ["worker", "--database-url", f"sqlite:///{tmp_path / 'x.db'}", "--cpus", str(beyond)]
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", *command], cwd=REPO, capture_output=True, text=True
    )
    assert done.returncode == 2
    assert f"[{beyond}] not available" in done.stderr


def test_auto_without_a_usable_slot_directory_says_so(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("")
    with pytest.raises(CpuSpecError, match="cannot take a worker slot"):
        claim_slot({0, 1}, blocked)
