"""Reviewers' item corrections become cross-reference proposals; an admin accepts them into
master data (and may revert them). Each change bumps the proposal's version and is audited."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import update
from sqlmodel import Session, col, select

from app.audit import service as audit
from app.core.errors import Conflict, NotFound
from app.core.time import utcnow
from app.corrections.tables import ProposalStatus, XrefProposal
from app.drafts.tables import DraftLine, DraftOrder
from app.masterdata import repository as md_repository
from app.masterdata.tables import CrossReferenceRow
from app.review.schemas import DraftEdits

_LIVE = (ProposalStatus.PROPOSED, ProposalStatus.ACCEPTED)


class XrefProposalPublic(BaseModel):
    id: str
    customer_id: str
    customer_item_code: str
    sku: str
    replaced_sku: str | None
    proposed_by: str
    draft_id: str
    status: str
    version: int
    decided_by: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: XrefProposal) -> XrefProposalPublic:
        return cls.model_validate(row, from_attributes=True)


def propose_from_edits(
    session: Session,
    *,
    draft: DraftOrder,
    lines: list[DraftLine],
    edits: DraftEdits,
    proposed_by: str,
) -> list[XrefProposal]:
    """A proposal for every edited line whose customer item code the resolution mapped to
    another SKU, or to none; nothing when master data already says the same."""
    customer_id = edits.customer_id or draft.customer_id
    if customer_id is None:
        return []
    by_no = {ln.line_no: ln for ln in lines}
    made: list[XrefProposal] = []
    for edit in edits.lines:
        line = by_no.get(edit.line_no) if edit.line_no is not None else None
        if line is None or edit.remove or not edit.sku or not line.customer_item_code:
            continue
        if edit.sku == line.sku or _known(session, customer_id, line.customer_item_code, edit.sku):
            continue
        proposal = XrefProposal(
            customer_id=customer_id,
            customer_item_code=line.customer_item_code,
            sku=edit.sku,
            proposed_by=proposed_by,
            draft_id=draft.id,
        )
        session.add(proposal)
        session.flush()
        audit.record(
            session,
            actor=proposed_by,
            action="xref.proposed",
            entity="xref_proposal",
            entity_id=proposal.id,
            after=_state(proposal),
            detail={"draft_id": draft.id, "resolved_sku": line.sku},
        )
        made.append(proposal)
    return made


def _known(session: Session, customer_id: str, code: str, sku: str) -> bool:
    """Master data maps the code to `sku` already, or a live proposal says so."""
    row = session.get(CrossReferenceRow, (customer_id, code))
    if row is not None and row.sku == sku:
        return True
    live = session.exec(
        select(XrefProposal.id).where(
            XrefProposal.customer_id == customer_id,
            XrefProposal.customer_item_code == code,
            XrefProposal.sku == sku,
            col(XrefProposal.status).in_(list(_LIVE)),
        )
    ).first()
    return live is not None


def list_proposals(
    session: Session, *, status: str | None = None, limit: int = 100
) -> list[XrefProposal]:
    stmt = select(XrefProposal)
    if status:
        stmt = stmt.where(XrefProposal.status == status)
    return list(session.exec(stmt.order_by(col(XrefProposal.created_at).desc()).limit(limit)))


def get_proposal(session: Session, proposal_id: str) -> XrefProposal:
    proposal = session.get(XrefProposal, proposal_id)
    if proposal is None:
        raise NotFound(f"proposal {proposal_id} not found", code="proposal_not_found")
    return proposal


def accept(session: Session, *, actor: str, proposal_id: str, version: int) -> XrefProposal:
    """Put the cross-reference into master data and bump its version (caches reload)."""
    proposal = _require(session, proposal_id, ProposalStatus.PROPOSED)
    stamp = md_repository.lock_version(session)
    row = session.get(CrossReferenceRow, (proposal.customer_id, proposal.customer_item_code))
    replaced = row.sku if row is not None else None
    if row is None:
        row = CrossReferenceRow(
            customer_id=proposal.customer_id,
            customer_item_code=proposal.customer_item_code,
            sku=proposal.sku,
        )
    row.sku = proposal.sku
    session.add(row)
    _change(
        session,
        proposal,
        version,
        status=ProposalStatus.ACCEPTED,
        decided_by=actor,
        replaced_sku=replaced,
    )
    md_version = md_repository.bump_version(session, stamp)
    audit.record(
        session,
        actor=actor,
        action="xref.accepted",
        entity="xref_proposal",
        entity_id=proposal.id,
        after=_state(proposal),
        detail={"masterdata_version": md_version, "replaced_sku": replaced},
    )
    return proposal


def reject(session: Session, *, actor: str, proposal_id: str, version: int) -> XrefProposal:
    proposal = _require(session, proposal_id, ProposalStatus.PROPOSED)
    _change(session, proposal, version, status=ProposalStatus.REJECTED, decided_by=actor)
    audit.record(
        session,
        actor=actor,
        action="xref.rejected",
        entity="xref_proposal",
        entity_id=proposal.id,
        after=_state(proposal),
    )
    return proposal


def revert(session: Session, *, actor: str, proposal_id: str, version: int) -> XrefProposal:
    """Undo an accepted proposal: the code maps to what it mapped to before (or to nothing)."""
    proposal = _require(session, proposal_id, ProposalStatus.ACCEPTED)
    stamp = md_repository.lock_version(session)
    row = session.get(CrossReferenceRow, (proposal.customer_id, proposal.customer_item_code))
    if row is not None and row.sku == proposal.sku:  # a later load may have changed it
        if proposal.replaced_sku is None:
            session.delete(row)
        else:
            row.sku = proposal.replaced_sku
            session.add(row)
    _change(session, proposal, version, status=ProposalStatus.REVERTED, decided_by=actor)
    md_version = md_repository.bump_version(session, stamp)
    audit.record(
        session,
        actor=actor,
        action="xref.reverted",
        entity="xref_proposal",
        entity_id=proposal.id,
        after=_state(proposal),
        detail={"masterdata_version": md_version, "restored_sku": proposal.replaced_sku},
    )
    return proposal


def _require(session: Session, proposal_id: str, status: ProposalStatus) -> XrefProposal:
    proposal = get_proposal(session, proposal_id)
    if proposal.status != status:
        raise Conflict(f"proposal is {proposal.status}, not {status}", code="proposal_state")
    return proposal


def _change(session: Session, proposal: XrefProposal, version: int, **values: Any) -> None:
    """Apply a change only at `version` (else 409 stale_proposal); the version goes up by one."""
    result = session.execute(
        update(XrefProposal)
        .where(col(XrefProposal.id) == proposal.id, col(XrefProposal.version) == version)
        .values(version=version + 1, updated_at=utcnow(), **values)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(
            "the proposal changed since you loaded it; reload and try again",
            code="stale_proposal",
            details={"proposal_id": proposal.id},
        )
    session.refresh(proposal)


def _state(proposal: XrefProposal) -> dict[str, Any]:
    return {
        "customer_id": proposal.customer_id,
        "code": proposal.customer_item_code,
        "sku": proposal.sku,
        "status": proposal.status,
        "version": proposal.version,
    }
