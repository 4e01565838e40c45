"""How busy the machine's CPUs were over a stretch of wall-clock time (Linux /proc/stat)."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

PROC_STAT = Path("/proc/stat")


@dataclass
class CpuSamples:
    """(wall time, busy jiffies, total jiffies) taken now and then; empty off Linux."""

    samples: list[tuple[float, int, int]] = field(default_factory=list)

    def take(self) -> None:
        try:
            fields = PROC_STAT.read_text().split("\n", 1)[0].split()[1:]
        except OSError:
            return
        ticks = [int(f) for f in fields]
        idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)  # idle + iowait
        self.samples.append((time.time(), sum(ticks) - idle, sum(ticks)))

    def busy_pct(self, start: float, end: float) -> float | None:
        """Share of all CPUs busy between the first and last samples inside [start, end]."""
        inside = [s for s in self.samples if start <= s[0] <= end]
        if len(inside) < 2 or inside[-1][2] == inside[0][2]:
            return None
        (_, busy0, total0), (_, busy1, total1) = inside[0], inside[-1]
        return round(100 * (busy1 - busy0) / (total1 - total0), 1)


def tree_cpu_s() -> float:
    """CPU seconds (user + system) this process and its live descendants have spent so far.

    The process's own figure is exact (all its threads); descendants (the forkserver and
    the parse children it forks) are read from /proc in clock ticks, so each adds up to a
    tick of rounding, and a descendant that exited in between takes its time with it.
    """
    own = time.process_time()
    try:
        stats = [_pid_stat(p) for p in Path("/proc").iterdir() if p.name.isdigit()]
    except OSError:
        return own
    children: dict[int, list[tuple[int, int]]] = {}
    for stat in stats:
        if stat is not None:
            pid, ppid, ticks = stat
            children.setdefault(ppid, []).append((pid, ticks))
    total, todo = 0, [os.getpid()]
    while todo:
        for pid, ticks in children.get(todo.pop(), []):
            total += ticks
            todo.append(pid)
    return own + total / os.sysconf("SC_CLK_TCK")


def _pid_stat(proc: Path) -> tuple[int, int, int] | None:
    """(pid, parent pid, user + system ticks) from /proc/PID/stat; None once it is gone."""
    try:
        text = (proc / "stat").read_text()
    except OSError:
        return None
    fields = text.rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
    return int(proc.name), int(fields[1]), int(fields[11]) + int(fields[12])
