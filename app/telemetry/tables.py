"""The `telemetry_spans` table: finished spans, kept for a few days for the reviewer timeline."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Column, Index, String, Text
from sqlmodel import Field, SQLModel

from app.core.types import UtcDateTime


class TelemetrySpan(SQLModel, table=True):
    __tablename__: ClassVar[str] = "telemetry_spans"
    __table_args__ = (
        Index("ix_telemetry_spans_trace", "trace_id", "start_time"),
        Index("ix_telemetry_spans_start", "start_time"),
    )

    id: int | None = Field(default=None, primary_key=True)
    trace_id: str = Field(max_length=32)  # hex
    span_id: str = Field(max_length=16)
    parent_span_id: str | None = Field(default=None, max_length=16)
    name: str = Field(max_length=200)
    kind: str = Field(sa_type=String(16))  # internal | server | client | producer | consumer
    start_time: datetime = Field(sa_type=UtcDateTime)
    end_time: datetime = Field(sa_type=UtcDateTime)
    duration_ms: float = 0.0
    status: str = Field(default="unset", sa_type=String(8))  # unset | ok | error
    status_message: str | None = Field(default=None, sa_type=Text)
    attributes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    events: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    links: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    # Lifted out of attributes and links so a draft's related traces are found by index.
    draft_id: str | None = Field(default=None, max_length=64, index=True)
    origin_trace_id: str | None = Field(default=None, max_length=32, index=True)
