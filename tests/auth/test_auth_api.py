"""Logins: cookie flags, lockout, audited failures, no password in logs, CSRF; and the CLI."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from app.audit.tables import AuditEvent
from app.auth.tables import ApiToken, User
from app.cli import main
from app.core.context import AppContext
from app.core.db import session_scope
from tests.review.factory import PASSWORD, bearer, client, make_task, make_user, token_for

WRONG = "not-the-password-at-all"


@pytest.fixture
def api(demo_ctx: AppContext) -> Iterator[TestClient]:
    with client(demo_ctx) as test_client:
        yield test_client


def _login(api: TestClient, password: str, username: str = "alice"):  # type: ignore[no-untyped-def]
    return api.post("/v1/auth/login", json={"username": username, "password": password})


def test_login_sets_a_strict_cookie_and_returns_the_csrf_token(
    api: TestClient, demo_ctx: AppContext
) -> None:
    make_user(demo_ctx, "alice")
    response = _login(api, PASSWORD)
    assert response.status_code == 200, response.text
    assert response.json()["csrf_token"]
    cookie = response.headers["set-cookie"].lower()
    for flag in ("httponly", "secure", "samesite=strict", "intake_session="):
        assert flag in cookie
    logout = api.post("/v1/auth/logout")
    assert logout.status_code == 204
    assert (
        'intake_session=""' in logout.headers["set-cookie"]
        or "max-age=0" in logout.headers["set-cookie"].lower()
    )


def test_lockout_after_five_failures_is_audited_without_passwords(
    api: TestClient, demo_ctx: AppContext, caplog: pytest.LogCaptureFixture
) -> None:
    make_user(demo_ctx, "alice")
    caplog.set_level(logging.DEBUG)
    for _ in range(5):
        failed = _login(api, WRONG)
        assert failed.status_code == 401
        assert failed.json()["error"]["code"] == "bad_credentials"
    locked = _login(api, PASSWORD)
    assert locked.status_code == 401
    assert locked.json()["error"]["code"] == "locked"
    assert _login(api, WRONG, username="nobody").status_code == 401
    with session_scope(demo_ctx.engine) as session:
        user = session.exec(select(User).where(User.username == "alice")).one()
        assert user.failed_logins == 5 and user.locked_until is not None
        events = session.exec(select(AuditEvent).where(AuditEvent.entity == "user")).all()
    actions = [e.action for e in events]
    assert actions.count("auth.login_failed") == 6
    assert actions.count("auth.login_refused") == 1
    for text in [r.getMessage() for r in caplog.records] + [str(e) for e in events]:
        assert WRONG not in text and PASSWORD not in text


def test_cookie_changes_need_the_csrf_token_bearer_calls_do_not(
    api: TestClient, demo_ctx: AppContext
) -> None:
    make_user(demo_ctx, "alice")
    task_id, _ = make_task(demo_ctx)
    csrf = _login(api, PASSWORD).json()["csrf_token"]
    assert api.get("/v1/reviews").status_code == 200  # reads need no token
    refused = api.post(f"/v1/reviews/{task_id}/claim", json={"version": 1})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "csrf_failed"
    wrong = api.post(
        f"/v1/reviews/{task_id}/claim", json={"version": 1}, headers={"X-CSRF-Token": "forged"}
    )
    assert wrong.status_code == 403
    ok = api.post(
        f"/v1/reviews/{task_id}/claim", json={"version": 1}, headers={"X-CSRF-Token": csrf}
    )
    assert ok.status_code == 200, ok.text
    api.cookies.clear()
    token = token_for(demo_ctx, "bob")
    other, _ = make_task(demo_ctx)
    assert (
        api.post(
            f"/v1/reviews/{other}/claim", json={"version": 1}, headers=bearer(token)
        ).status_code
        == 200
    )


def test_cli_creates_users_and_issues_tokens(
    demo_ctx: AppContext, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = demo_ctx.settings.database_url
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert (
        main(
            [
                "users",
                "create",
                "carol",
                "--role",
                "approver",
                "--limit",
                "25000",
                "--password-stdin",
                "--database-url",
                url,
            ]
        )
        == 0
    )
    assert "created user carol" in capsys.readouterr().out
    assert (
        main(
            [
                "tokens",
                "issue",
                "erp",
                "--role",
                "reviewer",
                "--user",
                "carol",
                "--database-url",
                url,
            ]
        )
        == 0
    )
    token = capsys.readouterr().out.strip()
    assert token.startswith("itk_")
    with session_scope(demo_ctx.engine) as session:
        user = session.exec(select(User).where(User.username == "carol")).one()
        assert user.role == "approver" and str(user.approval_limit) == "25000"
        row = session.exec(select(ApiToken).where(ApiToken.name == "erp")).one()
        assert token not in row.token_sha256
    assert (
        main(["tokens", "issue", "x", "--role", "admin", "--user", "ghost", "--database-url", url])
        == 2
    )
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["users", "create", "dave", "--password-stdin", "--database-url", url]) == 2
    with client(demo_ctx) as api:
        assert api.get("/v1/reviews", headers=bearer(token)).status_code == 200
