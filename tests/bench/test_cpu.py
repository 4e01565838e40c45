"""The CPU counter of the pipeline bench: this process and its descendants."""

from __future__ import annotations

import subprocess
import sys
import time

from app.bench.cpu import tree_cpu_s

BUSY_CHILD = "import time\nend = time.process_time() + 0.4\nwhile time.process_time() < end: pass\n"


def test_a_busy_child_counts_while_it_lives() -> None:
    before = tree_cpu_s()
    child = subprocess.Popen(
        [sys.executable, "-c", BUSY_CHILD + "time.sleep(30)"], stdout=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 20
        while tree_cpu_s() - before < 0.35 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert tree_cpu_s() - before >= 0.35
    finally:
        child.kill()
        child.wait()


def test_own_cpu_counts_between_readings() -> None:
    before = tree_cpu_s()
    end = time.process_time() + 0.1
    while time.process_time() < end:
        pass
    assert tree_cpu_s() - before >= 0.1
