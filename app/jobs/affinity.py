"""Pinning a worker process to CPUs (`intake worker --cpus`, INTAKE_WORKER_CPUS).

A worker runs Python on one core at a time (the GIL), yet its threads (the job, the queue's
event loop, LangGraph's checkpoint writers, pool threads) pass the GIL to each other several
times a job. Left to the scheduler, two busy workers on a 2-core machine kept only 83-86% of
the cores busy, each job taking ~14% longer than with one worker alone; pinned one per core,
they keep 95-96% busy (`intake bench scale`, which pins unless --no-pin). The likely cause is
threads woken on the core the other worker holds while their own idles. One worker alone runs
the same pinned or not. Parse children inherit the pin; PostgreSQL is not pinned.

The spec is "" (no pinning), a list such as "0,2-3", or "auto": the first free slot k of this
host's workers (an flock in the temp directory, released when the process dies) gives CPU
k mod n of the CPUs the process may use. Containers with their own /tmp each see slot 0:
give them explicit lists.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from pathlib import Path
from typing import IO

MAX_SLOTS = 1024
SLOT_DIR = "intake-worker-cpus"

_held: list[IO[bytes]] = []  # the slot's lock stays open as long as the process lives


class CpuSpecError(ValueError):
    """A --cpus value that names no usable CPU."""


def parse_cpus(spec: str, allowed: set[int]) -> set[int]:
    """The CPUs of a list spec ("0,2-3"); each must be one this process may run on."""
    cpus: set[int] = set()
    for part in filter(None, (p.strip() for p in spec.split(","))):
        low, _, high = part.partition("-")
        try:
            first, last = int(low), int(high or low)
        except ValueError:
            raise CpuSpecError(f"not a CPU number or range: {part!r}") from None
        if first > last:
            raise CpuSpecError(f"empty CPU range: {part!r}")
        cpus |= set(range(first, last + 1))
    if not cpus:
        raise CpuSpecError("no CPU given")
    if not cpus <= allowed:
        raise CpuSpecError(
            f"CPU(s) {sorted(cpus - allowed)} not available; this process may use {sorted(allowed)}"
        )
    return cpus


def claim_slot(allowed: set[int], directory: Path | None = None) -> int:
    """The CPU of this host's first free worker slot (held until the process exits)."""
    cpus = sorted(allowed)
    folder = directory or Path(tempfile.gettempdir()) / SLOT_DIR
    for slot in range(MAX_SLOTS):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handle = open(folder / f"slot-{slot}.lock", "ab")  # noqa: SIM115 - held open
        except OSError as exc:
            raise CpuSpecError(f"cannot take a worker slot in {folder}: {exc}") from None
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        _held.append(handle)
        return cpus[slot % len(cpus)]
    raise CpuSpecError(f"no free worker slot among {MAX_SLOTS}")


def pin_process(spec: str, *, slot_dir: Path | None = None) -> set[int] | None:
    """Pin every thread of this process (and what it starts later) to the spec's CPUs; the
    CPUs, or None when the spec is empty or the platform cannot pin."""
    spec = spec.strip()
    if not spec or not hasattr(os, "sched_setaffinity"):
        return None
    allowed = os.sched_getaffinity(0)
    cpus = {claim_slot(allowed, slot_dir)} if spec == "auto" else parse_cpus(spec, allowed)
    for thread in _threads():
        with contextlib.suppress(ProcessLookupError):  # a thread that ended meanwhile
            os.sched_setaffinity(thread, cpus)
    return cpus


def _threads() -> list[int]:
    """This process's thread ids (an affinity is per thread; new threads inherit it)."""
    try:
        return [int(t) for t in os.listdir("/proc/self/task")]
    except OSError:
        return [0]
