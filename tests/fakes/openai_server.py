"""A local OpenAI-compatible chat-completions server for tests, scripted reply by reply.

    server.script(Reply.answer({...}), Reply.server_error(), Reply.answer("{not json").slow(2))

Replies are served in order; when the queue is empty, `server.handler(request)` answers if
set, else a 400 saying nothing was scripted. Every request is recorded in `server.requests`.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

JsonObject = dict[str, Any]
_ids = itertools.count(1)


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    raw: bytes

    @property
    def body(self) -> JsonObject:
        parsed = json.loads(self.raw or b"{}")
        return parsed if isinstance(parsed, dict) else {}

    @property
    def messages(self) -> list[JsonObject]:
        return list(self.body.get("messages", []))

    @property
    def model(self) -> str:
        return str(self.body.get("model", ""))


@dataclass(frozen=True)
class Reply:
    """One scripted HTTP answer. `body=None` on a 200 means a chat completion from `content`."""

    status: int = 200
    content: str | None = None
    tool_calls: tuple[tuple[str, JsonObject], ...] = ()
    body: JsonObject | str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    usage: tuple[int, int] | None = None  # (prompt, completion); estimated from sizes if None
    model: str | None = None  # echoes the request's model if None
    finish_reason: str = "stop"

    @classmethod
    def answer(
        cls,
        content: object,
        *,
        usage: tuple[int, int] | None = None,
        model: str | None = None,
        finish_reason: str = "stop",
    ) -> Reply:
        """A completion whose message content is `content` (JSON-encoded unless a str)."""
        text = content if isinstance(content, str) else json.dumps(content)
        return cls(content=text, usage=usage, model=model, finish_reason=finish_reason)

    @classmethod
    def calls(cls, *calls: tuple[str, JsonObject], usage: tuple[int, int] | None = None) -> Reply:
        """A completion that calls tools: (name, arguments) pairs."""
        return cls(tool_calls=tuple(calls), usage=usage, finish_reason="tool_calls")

    @classmethod
    def error(
        cls,
        status: int,
        message: str = "scripted error",
        *,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        body = {"error": {"message": message, "type": "fake_error", "code": code}}
        return cls(status=status, body=body, headers=headers or {})

    @classmethod
    def rate_limited(cls, retry_after_s: float = 0.05) -> Reply:
        return cls.error(
            429,
            "rate limited",
            code="rate_limit_exceeded",
            headers={"retry-after": str(retry_after_s)},
        )

    @classmethod
    def server_error(cls, status: int = 500) -> Reply:
        return cls.error(status, "the fake server broke", code="server_error")

    def slow(self, seconds: float) -> Reply:
        """The same reply, sent after `seconds`."""
        return replace(self, delay_s=seconds)


Handler = Callable[[RecordedRequest], Reply]


class FakeOpenAIServer:
    """Speaks POST /v1/chat/completions on 127.0.0.1 at a random port."""

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self.handler: Handler | None = None
        self._queue: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        assert self._httpd is not None, "server not started"
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    def script(self, *replies: Reply) -> None:
        with self._lock:
            self._queue.extend(replies)

    def start(self) -> FakeOpenAIServer:
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_class(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes slow replies
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _respond(self, request: RecordedRequest) -> Reply:
        with self._lock:
            self.requests.append(request)
            if self._queue:
                return self._queue.popleft()
        if self.handler is not None:
            return self.handler(request)
        return Reply.error(400, "fake server: nothing scripted for this request")

    def _wait(self, seconds: float) -> None:
        self._stopping.wait(seconds)


def completion_body(reply: Reply, request: RecordedRequest) -> JsonObject:
    """The chat.completion object for a 200 reply."""
    message: JsonObject = {"role": "assistant", "content": reply.content, "refusal": None}
    if reply.tool_calls:
        message["tool_calls"] = [
            {
                "id": f"call_{next(_ids)}",
                "type": "function",
                "function": {"name": name, "arguments": json.dumps(args)},
            }
            for name, args in reply.tool_calls
        ]
    prompt, completion = reply.usage or (len(request.raw) // 4, len(reply.content or "") // 4)
    return {
        "id": f"chatcmpl-fake-{next(_ids)}",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": reply.model or request.model or "fake-model",
        "choices": [
            {"index": 0, "message": message, "finish_reason": reply.finish_reason, "logprobs": None}
        ],
        "usage": {
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": prompt + completion,
        },
    }


def _handler_class(server: FakeOpenAIServer) -> type[BaseHTTPRequestHandler]:
    class ChatCompletionsHandler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            request = RecordedRequest(
                method="POST",
                path=self.path,
                headers={k.lower(): v for k, v in self.headers.items()},
                raw=self.rfile.read(length),
            )
            reply = server._respond(request)
            if reply.delay_s:
                server._wait(reply.delay_s)
            body = reply.body
            if body is None and reply.status == 200:
                body = completion_body(reply, request)
            self._send(reply.status, body, reply.headers)

        def _send(
            self, status: int, body: JsonObject | str | None, headers: dict[str, str]
        ) -> None:
            payload = (body if isinstance(body, str) else json.dumps(body or {})).encode()
            try:
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout test); nothing to tell it

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output quiet

    return ChatCompletionsHandler


@pytest.fixture
def openai_server() -> Iterator[FakeOpenAIServer]:
    """A started fake server, stopped after the test."""
    server = FakeOpenAIServer().start()
    try:
        yield server
    finally:
        server.stop()
