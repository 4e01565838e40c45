"""Imports every table module so SQLModel.metadata (and Alembic) sees the whole schema."""

from __future__ import annotations

import app.audit.tables
import app.auth.tables
import app.corrections.tables
import app.drafts.tables
import app.intake.tables
import app.inventory.tables
import app.jobs.tables
import app.masterdata.tables
import app.orders.tables
import app.review.tables
import app.telemetry.tables  # noqa: F401
