"""Per-run dependencies of the graph, passed as LangGraph runtime context (never globals)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from opentelemetry.trace import Tracer
from sqlalchemy.engine import Engine

from app.core.config import Settings
from app.extraction.base import Extractor
from app.extraction.llm import ChatModelFactory
from tools.masterdata import MasterData


class MasterDataSource(Protocol):
    """The run's master data, with the current stock figures of `skus` (none by default)."""

    def __call__(self, skus: Collection[str] = ()) -> MasterData: ...


@dataclass
class GraphContext:
    settings: Settings
    engine: Engine
    tracer: Tracer
    extractor: Extractor
    masterdata: MasterDataSource
    policy: object  # app.routing policy model
    now: Callable[[], datetime]
    actor: str = "worker"
    options: dict[str, object] = field(default_factory=dict)
    chat_model_factory: ChatModelFactory | None = None  # None: offline, no model after extract

    def today(self) -> date:
        return self.now().astimezone(ZoneInfo(self.settings.company_timezone)).date()
