"""Record and replay model calls: an HTTP transport keyed by a hash of the request body.

Record mode passes each request to the network and saves successful answers as
`<DIR>/<key>.json`; replay mode answers from DIR only and never touches the network. A replay
miss comes back as a 404 the client does not retry, with code `replay_miss`.
"""

from __future__ import annotations

import hashlib
import json
from enum import StrEnum
from pathlib import Path
from typing import Any

import httpx2

REPLAY_MISS_CODE = "replay_miss"
_KEPT_HEADERS = ("content-type", "openai-model", "openai-processing-ms", "x-request-id")


class CassetteMode(StrEnum):
    RECORD = "record"
    REPLAY = "replay"


def request_key(method: str, path: str, body: bytes) -> str:
    """A stable key for a request: method, path and the body's JSON with sorted keys."""
    try:
        canonical = json.dumps(
            json.loads(body or b"null"), sort_keys=True, ensure_ascii=False, separators=(",", ":")
        )
    except ValueError:
        canonical = body.decode("utf-8", errors="replace")
    digest = hashlib.sha256(f"{method} {path}\n{canonical}".encode()).hexdigest()
    return digest[:32]


class CassetteTransport(httpx2.BaseTransport):
    """Records exchanges into `directory`, or replays them from it."""

    def __init__(
        self, directory: Path, mode: CassetteMode, inner: httpx2.BaseTransport | None = None
    ) -> None:
        self.directory = directory
        self.mode = mode
        self._inner = (
            inner if inner is not None or mode is CassetteMode.REPLAY else httpx2.HTTPTransport()
        )

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        key = request_key(request.method, request.url.path, request.read())
        path = self.directory / f"{key}.json"
        if self.mode is CassetteMode.REPLAY:
            return _replay(path, request)
        return self._record(path, request)

    def close(self) -> None:
        if self._inner is not None:
            self._inner.close()

    def _record(self, path: Path, request: httpx2.Request) -> httpx2.Response:
        assert self._inner is not None  # record mode always has a transport
        response = self._inner.handle_request(request)
        body = response.read()
        response.close()
        headers = {k: v for k, v in response.headers.items() if k.lower() in _KEPT_HEADERS}
        if 200 <= response.status_code < 300:
            self.directory.mkdir(parents=True, exist_ok=True)
            cassette = {
                "request": {"method": request.method, "path": request.url.path},
                "status_code": response.status_code,
                "headers": headers,
                "body": _json_or_text(body),
            }
            path.write_text(json.dumps(cassette, indent=1, ensure_ascii=False), encoding="utf-8")
        return httpx2.Response(response.status_code, headers=headers, content=body, request=request)


def _replay(path: Path, request: httpx2.Request) -> httpx2.Response:
    if not path.is_file():
        error = {
            "error": {
                "message": f"no recorded answer {path.name} in {path.parent}",
                "type": "replay_error",
                "code": REPLAY_MISS_CODE,
            }
        }
        return httpx2.Response(
            404, json=error, headers={"x-should-retry": "false"}, request=request
        )
    cassette = json.loads(path.read_text(encoding="utf-8"))
    body = cassette["body"]
    content = body.encode() if isinstance(body, str) else json.dumps(body).encode()
    return httpx2.Response(
        cassette["status_code"], headers=cassette["headers"], content=content, request=request
    )


def _json_or_text(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return body.decode("utf-8", errors="replace")
