"""Administration over HTTP: users, API tokens, the audit log, the SLA check, and the
cross-reference proposals learnt from reviewers' corrections. Admins only."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status
from pydantic import BaseModel, ConfigDict, Field, SecretStr

from app.admin import service
from app.admin.service import AuditList, EscalationRun
from app.auth import service as auth
from app.auth.deps import Admin, csrf_protected
from app.auth.tables import Role
from app.corrections import service as corrections
from app.corrections.service import XrefProposalPublic
from app.deps import SessionDep

router = APIRouter(prefix="/v1/admin", tags=["admin"], dependencies=[Depends(csrf_protected)])


class NewUser(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._@-]+$")
    password: SecretStr = Field(min_length=12, max_length=1000)
    role: Role = Role.REVIEWER
    approval_limit: Decimal = Field(default=Decimal("10000"), ge=0)
    display_name: str = ""


class UserPublic(BaseModel):
    id: str
    username: str
    display_name: str
    role: str
    approval_limit: Decimal
    active: bool


class NewToken(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=100)
    role: Role
    username: str | None = None  # the token acts as this user (and has their approval limit)


class IssuedToken(BaseModel):
    name: str
    role: str
    username: str | None
    token: str  # shown once; only its hash is stored


class ProposalList(BaseModel):
    items: list[XrefProposalPublic]


class VersionBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int


@router.post("/users", status_code=status.HTTP_201_CREATED)
def create_user(body: NewUser, session: SessionDep, admin: Admin) -> UserPublic:
    user = auth.create_user(
        session,
        username=body.username,
        password=body.password.get_secret_value(),
        role=body.role,
        approval_limit=body.approval_limit,
        display_name=body.display_name,
        actor=admin.username,
    )
    return UserPublic.model_validate(user, from_attributes=True)


@router.post("/tokens", status_code=status.HTTP_201_CREATED)
def issue_token(body: NewToken, session: SessionDep, admin: Admin) -> IssuedToken:
    token = auth.issue_token(
        session, name=body.name, role=body.role, username=body.username, actor=admin.username
    )
    return IssuedToken(name=body.name, role=body.role, username=body.username, token=token)


@router.get("/audit")
def audit_log(
    session: SessionDep,
    _: Admin,
    entity: str | None = None,
    entity_id: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> AuditList:
    """Audit events, newest first, by entity kind and id."""
    return service.list_audit(session, entity=entity, entity_id=entity_id, limit=limit)


@router.post("/escalations/run")
def run_escalations(session: SessionDep, _: Admin) -> EscalationRun:
    """Escalate every open task past its SLA now."""
    return service.run_escalations(session)


@router.get("/xref-proposals")
def list_proposals(
    session: SessionDep,
    _: Admin,
    status: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> ProposalList:
    rows = corrections.list_proposals(session, status=status, limit=limit)
    return ProposalList(items=[XrefProposalPublic.of(p) for p in rows])


@router.post("/xref-proposals/{proposal_id}/accept")
def accept_proposal(
    proposal_id: str, body: VersionBody, session: SessionDep, admin: Admin
) -> XrefProposalPublic:
    """Add the cross-reference to master data (its version goes up: caches reload)."""
    return XrefProposalPublic.of(
        corrections.accept(
            session, actor=admin.username, proposal_id=proposal_id, version=body.version
        )
    )


@router.post("/xref-proposals/{proposal_id}/reject")
def reject_proposal(
    proposal_id: str, body: VersionBody, session: SessionDep, admin: Admin
) -> XrefProposalPublic:
    return XrefProposalPublic.of(
        corrections.reject(
            session, actor=admin.username, proposal_id=proposal_id, version=body.version
        )
    )


@router.post("/xref-proposals/{proposal_id}/revert")
def revert_proposal(
    proposal_id: str, body: VersionBody, session: SessionDep, admin: Admin
) -> XrefProposalPublic:
    """Take an accepted cross-reference out of master data again."""
    return XrefProposalPublic.of(
        corrections.revert(
            session, actor=admin.username, proposal_id=proposal_id, version=body.version
        )
    )
