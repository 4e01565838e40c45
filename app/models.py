"""Imports every table module so SQLModel.metadata (and Alembic) sees the whole schema."""

from __future__ import annotations
