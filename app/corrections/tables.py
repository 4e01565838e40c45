"""Cross-reference proposals learnt from reviewers' corrections."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from app.core.time import new_id, utcnow
from app.core.types import UtcDateTime


class ProposalStatus(StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"  # in master data (md_cross_references)
    REJECTED = "rejected"
    REVERTED = "reverted"  # was accepted, then taken out of master data again


class XrefProposal(SQLModel, table=True):
    """A customer's item code a reviewer mapped to a SKU the resolution did not find."""

    __tablename__ = "xref_proposals"

    id: str = Field(default_factory=lambda: new_id("xp"), primary_key=True)
    customer_id: str = Field(index=True)
    customer_item_code: str
    sku: str
    replaced_sku: str | None = None  # the SKU master data mapped the code to before accepting
    proposed_by: str
    draft_id: str = Field(index=True)
    status: str = Field(default=ProposalStatus.PROPOSED, index=True)
    version: int = 1  # every change increments it; the history is the audit log
    decided_by: str | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
