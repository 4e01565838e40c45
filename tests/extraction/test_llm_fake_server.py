"""The fake OpenAI server itself, through the real ChatOpenAI client: tool calls and faults."""

from __future__ import annotations

import openai
import pytest
from langchain_core.messages import HumanMessage
from langchain_openai import ChatOpenAI
from pydantic import BaseModel

from tests.fakes.openai_server import FakeOpenAIServer, Reply


class QuotePrice(BaseModel):
    """Quote a price for a SKU."""

    sku: str
    quantity: int


def _chat(server: FakeOpenAIServer) -> ChatOpenAI:
    return ChatOpenAI(
        model="gpt-test",
        base_url=server.base_url,
        api_key="sk-x",
        temperature=0,
        max_retries=0,
        timeout=2,
    )


def test_scripted_tool_call_comes_back_as_tool_calls(
    openai_server: FakeOpenAIServer,
) -> None:
    openai_server.script(Reply.calls(("QuotePrice", {"sku": "FAS-1", "quantity": 3})))

    message = _chat(openai_server).bind_tools([QuotePrice]).invoke([HumanMessage("price?")])

    [call] = message.tool_calls
    assert call["name"] == "QuotePrice" and call["args"] == {"sku": "FAS-1", "quantity": 3}
    assert openai_server.chat_requests[0].body["tools"][0]["function"]["name"] == "QuotePrice"


def test_handler_answers_when_the_queue_is_empty(
    openai_server: FakeOpenAIServer,
) -> None:
    openai_server.handler = lambda request: Reply.answer(f"echo {len(request.messages)}")

    message = _chat(openai_server).invoke([HumanMessage("hi")])

    assert message.text == "echo 1"
    assert message.usage_metadata is not None and message.usage_metadata["input_tokens"] > 0


def test_unscripted_request_is_a_client_error(
    openai_server: FakeOpenAIServer,
) -> None:
    with pytest.raises(openai.BadRequestError):
        _chat(openai_server).invoke([HumanMessage("hi")])
