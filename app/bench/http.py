"""`intake bench http`: 202 latency of the raw intake under concurrent senders.

A uvicorn server in a subprocess (SQLite) and an asyncio load generator posting distinct raw
messages. At the end, the database must hold each message exactly once. By default the
embedded worker is off: this measures intake, not processing. With `worker=True` the server
runs as `intake serve` does by default, its worker turning the messages into drafts (demo
master data loaded first) in the same process while the senders post.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text

from app.bench.fleet import REPO
from app.bench.orders import demo_orders
from app.bench.report import percentile, print_table

TOKEN = "bench-intake-token"


def run(
    *, n: int, concurrency: int, processes: int = 1, warmup: int = 200, worker: bool = False
) -> dict[str, Any]:
    """`warmup` messages first, untimed (a fresh process imports and compiles on its first
    requests), then n timed; every one of the n + warmup must be stored exactly once."""
    with tempfile.TemporaryDirectory(prefix="bench-http-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'intake.db'}"
        if worker:
            _load_master_data(url)
        port = _free_port()
        server = _start_server(url, Path(tmp), port, processes, worker=worker)
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_ready(base, server)
            messages = demo_orders(n + warmup, tag=f"http{time.time_ns()}")
            asyncio.run(_load(base, messages[:warmup], concurrency))
            if worker:
                _wait_for_a_draft(url)  # the worker's one-time start (its graph) is warm-up too
            latencies, statuses, seconds = asyncio.run(_load(base, messages[warmup:], concurrency))
            processed = _picked_up(url)
        finally:
            server.terminate()
            server.wait(30)
        stored, unique = _stored(url)
    return {
        "n": n,
        "warmup": warmup,
        "concurrency": concurrency,
        "server_processes": processes,
        "embedded_worker": worker,
        "picked_up_by_worker": processed,
        "seconds": round(seconds, 3),
        "throughput_per_s": round(n / seconds, 1),
        "p50_ms": round(percentile(latencies, 50) * 1000, 2),
        "p99_ms": round(percentile(latencies, 99) * 1000, 2),
        "max_ms": round(max(latencies) * 1000, 2),
        "status_202": statuses.count(202),
        "other_status": sorted({s for s in statuses if s != 202}),
        "rows": stored,
        "unique_message_ids": unique,
        "stored_exactly_once": stored == n + warmup == unique,
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _load_master_data(url: str) -> None:
    """The demo company, so the worker has customers and products to resolve against."""
    from app.core.db import make_engine, upgrade
    from app.demo import load_demo_masterdata

    upgrade(url)
    engine = make_engine(url)
    try:
        load_demo_masterdata(engine)
    finally:
        engine.dispose()


def _start_server(
    url: str, data_dir: Path, port: int, processes: int, *, worker: bool
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "INTAKE_DATABASE_URL": url,
        "INTAKE_DATA_DIR": str(data_dir),
        "INTAKE_WORKER_EMBEDDED": "true" if worker else "false",
        # spans are made either way; where they go is up to the caller (default: nowhere)
        "INTAKE_OTEL_EXPORTER": os.environ.get("INTAKE_OTEL_EXPORTER", "none"),
        "INTAKE_LOG_LEVEL": "WARNING",
        "INTAKE_INTAKE_TOKEN": TOKEN,
        "INTAKE_SENDER_RATE_PER_MINUTE": "0",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "app.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(processes),
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait_ready(base: str, server: subprocess.Popen[bytes], timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code < 500:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the server did not start")


async def _load(
    base: str, messages: list[bytes], concurrency: int
) -> tuple[list[float], list[int], float]:
    """`concurrency` senders, each on its own keep-alive connection, posting as fast as
    answers come back (a closed loop: a sender waits for its 202 before the next message)."""
    host, port = base.removeprefix("http://").split(":")
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for raw in messages:
        queue.put_nowait(raw)
    latencies: list[float] = []
    statuses: list[int] = []

    async def sender() -> None:
        connection = await LoopbackConnection.open(host, int(port))
        try:
            while not queue.empty():
                raw = queue.get_nowait()
                start = time.perf_counter()
                status = await connection.post("/v1/intake/messages", raw)
                latencies.append(time.perf_counter() - start)
                statuses.append(status)
        finally:
            connection.close()

    start = time.perf_counter()
    await asyncio.gather(*(sender() for _ in range(concurrency)))
    return latencies, statuses, time.perf_counter() - start


class LoopbackConnection:
    """A minimal HTTP/1.1 keep-alive client for the load generator.

    The generator shares two cores with the server it measures; a general client (httpx
    spends ~2.5 ms of CPU per request) would cap the load before the server does.
    """

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    @classmethod
    async def open(cls, host: str, port: int) -> LoopbackConnection:
        reader, writer = await asyncio.open_connection(host, port)
        return cls(reader, writer)

    async def post(self, path: str, body: bytes, timeout_s: float = 60) -> int:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {TOKEN}\r\n"
            f"Content-Type: message/rfc822\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        self.writer.write(head.encode("ascii") + body)
        return await asyncio.wait_for(self._read_response(), timeout_s)

    async def _read_response(self) -> int:
        header_block = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = header_block.decode("latin-1").split("\r\n")
        length = 0
        for line in header_lines:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
            elif name.strip().lower() == "transfer-encoding":
                raise RuntimeError("chunked answers are not expected from the intake")
        await self.reader.readexactly(length)
        return int(status_line.split(" ", 2)[1])

    def close(self) -> None:
        self.writer.close()


def _wait_for_a_draft(url: str, timeout_s: float = 120) -> None:
    """Until the worker has routed its first draft."""
    engine = create_engine(url)
    deadline = time.monotonic() + timeout_s
    try:
        while time.monotonic() < deadline:
            with engine.connect() as conn:
                routed = conn.execute(
                    text("SELECT count(*) FROM draft_orders WHERE status != 'processing'")
                ).scalar_one()
            if routed:
                return
            time.sleep(0.2)
    finally:
        engine.dispose()
    raise RuntimeError(f"the embedded worker routed no draft within {timeout_s:.0f} s")


def _picked_up(url: str) -> int:
    """Messages the worker had taken up (any status past received) when the senders finished,
    the warm-up's included."""
    engine = create_engine(url)
    with engine.connect() as conn:
        taken = conn.execute(
            text("SELECT count(*) FROM inbound_messages WHERE status != 'received'")
        ).scalar_one()
    engine.dispose()
    return int(taken)


def _stored(url: str) -> tuple[int, int]:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = int(conn.execute(text("SELECT count(*) FROM inbound_messages")).scalar_one())
        unique = int(
            conn.execute(
                text("SELECT count(DISTINCT message_id_norm) FROM inbound_messages")
            ).scalar_one()
        )
    engine.dispose()
    return rows, unique


def show(result: dict[str, Any]) -> None:
    print_table(
        f"HTTP intake, {result['concurrency']} concurrent senders, "
        f"{result['server_processes']} server process(es)"
        + (", embedded worker on" if result["embedded_worker"] else ""),
        [
            ["messages (after warm-up)", result["n"]],
            ["warm-up messages, untimed", result["warmup"]],
            ["throughput msg/s", result["throughput_per_s"]],
            ["202 p50 ms", result["p50_ms"]],
            ["202 p99 ms (target <= 100)", result["p99_ms"]],
            ["max ms", result["max_ms"]],
            ["202 responses", result["status_202"]],
            ["other statuses", result["other_status"]],
            ["rows stored", result["rows"]],
            ["unique Message-IDs", result["unique_message_ids"]],
            ["stored exactly once", result["stored_exactly_once"]],
            ["taken up by the worker meanwhile", result["picked_up_by_worker"]],
        ],
        ["figure", "value"],
    )
