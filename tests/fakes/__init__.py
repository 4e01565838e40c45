"""Test doubles: a local OpenAI-compatible server (openai_server fixture)."""

from .openai_server import FakeOpenAIServer, RecordedRequest, Reply, openai_server

__all__ = ["FakeOpenAIServer", "RecordedRequest", "Reply", "openai_server"]
