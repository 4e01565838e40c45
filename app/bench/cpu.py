"""How busy the machine's CPUs were over a stretch of wall-clock time (Linux /proc/stat)."""

from __future__ import annotations

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
