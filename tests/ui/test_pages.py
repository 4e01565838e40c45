"""The reviewer UI through the test client: login, CSRF, headers, escaping, queues, actions."""

from __future__ import annotations

import re
import shutil
from html import escape as html_escape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.auth import sessions
from app.core.context import AppContext
from app.drafts.tables import DraftOrder
from app.review.tables import ReviewTask
from app.ui.security import CONTENT_SECURITY_POLICY, LOGIN_CSRF_COOKIE
from app.ui.views import reason_title
from tests.ui.conftest import csrf_of, login
from tests.ui.seed import EVIL_IMG, PASSWORD, PDF_CASE, TEXT_CASE, XSS, Seeded, drain

pytestmark = pytest.mark.xdist_group("ui")  # one worker builds the seeded database once


def _task(ctx: AppContext, task_id: str) -> ReviewTask:
    with Session(ctx.engine) as session:
        task = session.get(ReviewTask, task_id)
        assert task is not None
        return task


# --- login, sessions, CSRF ---------------------------------------------------------------


def test_anonymous_pages_redirect_to_login(client: TestClient) -> None:
    response = client.get("/queues?queue=items")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fqueues%3Fqueue%3Ditems"


def test_login_sets_a_strict_secure_httponly_session(client: TestClient) -> None:
    page = client.get("/login")
    assert LOGIN_CSRF_COOKIE in page.headers["set-cookie"]
    response = client.post(
        "/login",
        data={
            "username": "rita",
            "password": PASSWORD,
            "csrf_token": csrf_of(page.text),
            "next": "/queues",
        },
    )
    assert response.status_code == 303 and response.headers["location"] == "/queues"
    cookie = next(
        c for c in response.headers.get_list("set-cookie") if c.startswith(sessions.COOKIE)
    )
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=strict" in cookie
    assert client.get("/queues").status_code == 200


def test_login_without_the_form_token_is_refused(client: TestClient) -> None:
    client.get("/login")
    response = client.post(
        "/login", data={"username": "rita", "password": PASSWORD, "csrf_token": "forged"}
    )
    assert response.status_code == 403
    assert sessions.COOKIE not in response.headers.get("set-cookie", "")


def test_login_never_redirects_off_site(client: TestClient) -> None:
    page = client.get("/login")
    response = client.post(
        "/login",
        data={
            "username": "rita",
            "password": PASSWORD,
            "csrf_token": csrf_of(page.text),
            "next": "//evil.example/",
        },
    )
    assert response.headers["location"] == "/"


def test_wrong_password_then_lockout_messages(client: TestClient) -> None:
    for _ in range(5):
        page = client.get("/login")
        response = client.post(
            "/login",
            data={"username": "rita", "password": "nope", "csrf_token": csrf_of(page.text)},
        )
        assert response.status_code == 401
        assert "wrong username or password" in response.text
    page = client.get("/login")
    response = client.post(
        "/login", data={"username": "rita", "password": PASSWORD, "csrf_token": csrf_of(page.text)}
    )
    assert response.status_code == 401
    assert "account locked" in response.text


def test_posts_without_the_session_csrf_token_are_refused(
    client: TestClient, seeded: Seeded, ui_ctx: AppContext
) -> None:
    login(client)
    task_id = seeded.tasks[PDF_CASE]
    for data in ({"version": "1"}, {"version": "1", "csrf_token": "not-the-token"}):
        response = client.post(f"/tasks/{task_id}/claim", data=data)
        assert response.status_code == 403
        assert "security token" in response.text
    assert _task(ui_ctx, task_id).assignee is None


def test_logout_needs_the_token_and_ends_the_session(client: TestClient) -> None:
    token = login(client)
    assert client.post("/logout", data={}).status_code == 403
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 303
    client.cookies.clear()
    assert client.get("/queues").status_code == 303


# --- headers and escaping ------------------------------------------------------------------


def test_every_ui_response_sends_the_security_headers(client: TestClient, seeded: Seeded) -> None:
    login(client)
    for path in (
        "/login",
        "/queues",
        f"/tasks/{seeded.tasks[TEXT_CASE]}",
        "/dashboard",
        "/static/ui/ui.css",
        "/tasks/rt_missing",
    ):
        response = client.get(path)
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY, path
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"


def test_message_content_is_escaped_and_nothing_remote_is_loaded(
    client: TestClient, seeded: Seeded
) -> None:
    login(client)
    html = client.get(f"/tasks/{seeded.tasks['hostile']}").text
    assert XSS not in html and EVIL_IMG not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=http://evil.example/x.png&gt;" in html
    assert "<script>" not in html.replace('<script src="/static/ui/ui.js" defer></script>', "")
    assert " style=" not in html and "onerror" not in html
    loaded = re.findall(
        r'<(?:script|img|link|iframe|object|embed)\b[^>]*?(?:src|href)="([^"]*)"', html
    )
    assert loaded and all(url.startswith("/") and not url.startswith("//") for url in loaded)


# --- queues -----------------------------------------------------------------------------


def test_queue_lists_open_tasks_with_counts_and_sla(client: TestClient, seeded: Seeded) -> None:
    login(client)
    html = client.get("/queues").text
    for task_id in seeded.tasks.values():
        assert f'href="/tasks/{task_id}"' in html
    assert "sla-ok" in html and 'class="count"' in html


def test_queue_filters_by_queue_status_and_assignee(
    client: TestClient, seeded: Seeded, ui_ctx: AppContext
) -> None:
    token = login(client)
    pdf_task, text_task = seeded.tasks[PDF_CASE], seeded.tasks[TEXT_CASE]
    queue = _task(ui_ctx, text_task).queue
    html = client.get("/queues", params={"queue": queue}).text
    for task_id in seeded.tasks.values():
        assert (task_id in html) == (_task(ui_ctx, task_id).queue == queue)
    client.post(f"/tasks/{pdf_task}/claim", data={"csrf_token": token, "version": "1"})
    mine = client.get("/queues", params={"assignee": "me"}).text
    assert pdf_task in mine and text_task not in mine
    claimed = client.get("/queues", params={"status": "claimed"}).text
    assert pdf_task in claimed and text_task not in claimed
    assert "No tasks match" in client.get("/queues", params={"status": "approved"}).text


# --- the task page ------------------------------------------------------------------------


def test_task_page_shows_sources_confidence_and_tools(
    client: TestClient, seeded: Seeded, ui_ctx: AppContext
) -> None:
    for cached in Path(ui_ctx.settings.data_dir).glob("ui-cache/*/pages"):
        shutil.rmtree(cached)  # render the page afresh with pdftoppm
    login(client)
    text_task = _task(ui_ctx, seeded.tasks[TEXT_CASE])
    text = client.get(f"/tasks/{text_task.id}").text
    assert '<mark class="src" data-keys="' in text and 'data-key="line-1-quantity"' in text
    assert "<meter" in text
    for code in text_task.reasons:  # every reason, in plain words
        assert html_escape(reason_title(code)) in text
    if "unknown_item" in text_task.reasons:  # candidates to pick from
        assert 'type="radio"' in text
    pdf_task = seeded.tasks[PDF_CASE]
    html = client.get(f"/tasks/{pdf_task}").text
    assert '<rect class="box" data-keys="customer_po_number"' in html
    assert "Fulfilment plan" in html and "Credit" in html
    image = re.search(r'src="(/tasks/[^"]+/pages/1\.png)"', html)
    assert image is not None
    png = client.get(image.group(1))
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert png.content.startswith(b"\x89PNG")
    assert client.get(f"/tasks/{pdf_task}/documents/att-9/pages/1.png").status_code == 404


def test_price_override_without_reason_is_shown_on_the_page(
    client: TestClient, seeded: Seeded, ui_ctx: AppContext
) -> None:
    token = login(client)
    task_id = seeded.tasks[PDF_CASE]
    response = client.post(
        f"/tasks/{task_id}/approve",
        data={"csrf_token": token, "version": "1", "line-1-unit_price": "0.05"},
    )
    assert response.status_code == 422
    assert "give an override reason" in response.text
    assert 'value="0.05"' in response.text  # what the reviewer typed is kept
    assert _task(ui_ctx, task_id).status == "open"


def test_unreadable_number_is_a_validation_error(client: TestClient, seeded: Seeded) -> None:
    token = login(client)
    response = client.post(
        f"/tasks/{seeded.tasks[PDF_CASE]}/approve",
        data={"csrf_token": token, "version": "1", "line-1-quantity": "12x"},
    )
    assert response.status_code == 422 and "is not a number" in response.text


def test_reject_needs_a_reason(client: TestClient, seeded: Seeded) -> None:
    token = login(client)
    task_id = seeded.tasks["hostile"]
    response = client.post(
        f"/tasks/{task_id}/reject", data={"csrf_token": token, "version": "1", "reason": "  "}
    )
    assert response.status_code == 422 and "needs a reason" in response.text
    response = client.post(
        f"/tasks/{task_id}/reject", data={"csrf_token": token, "version": "1", "reason": "spam"}
    )
    assert response.status_code == 303


def test_stale_version_gets_the_changed_page(client: TestClient, seeded: Seeded) -> None:
    token = login(client)
    task_id = seeded.tasks[TEXT_CASE]
    assert (
        client.post(
            f"/tasks/{task_id}/claim", data={"csrf_token": token, "version": "1"}
        ).status_code
        == 303
    )
    response = client.post(
        f"/tasks/{task_id}/escalate", data={"csrf_token": token, "version": "1", "reason": "late"}
    )
    assert response.status_code == 409
    assert "This task changed since you opened it" in response.text
    assert f'href="/tasks/{task_id}"' in response.text


def test_approve_with_an_edit_makes_the_order(
    client: TestClient, seeded: Seeded, ui_ctx: AppContext
) -> None:
    token = login(client)
    task_id = seeded.tasks[PDF_CASE]
    response = client.post(
        f"/tasks/{task_id}/approve",
        data={"csrf_token": token, "version": "1", "line-1-quantity": "400"},
    )
    assert response.status_code == 303, response.text
    assert "order is being created" in client.get(response.headers["location"]).text
    drain(ui_ctx)
    html = client.get(f"/tasks/{task_id}").text
    found = re.search(r'id="order-link"[^>]*href="/orders/([^"]+)"', html)
    assert found is not None, html
    order = client.get(f"/orders/{found.group(1)}")
    assert order.status_code == 200
    assert "Order confirmation" in order.text and "FAS-1001" in order.text
    assert "review.approve" in order.text  # the draft's audit trail
    with Session(ui_ctx.engine) as session:
        draft = session.exec(select(DraftOrder).where(DraftOrder.order_id == found.group(1)))
        assert draft.one().edited


# --- audit and dashboard --------------------------------------------------------------------


def test_audit_is_for_admins_and_filters_by_entity(client: TestClient, seeded: Seeded) -> None:
    login(client)
    assert client.get("/audit").status_code == 403
    client.cookies.clear()
    login(client, "ada")
    task_id = seeded.tasks[TEXT_CASE]
    html = client.get("/audit", params={"entity_id": task_id}).text
    assert "review.opened" in html and "user.created" not in html
    assert "user.created" in client.get("/audit").text


def test_dashboard_renders_charts_with_data(client: TestClient) -> None:
    login(client)
    html = client.get("/dashboard").text
    assert html.count('<svg class="chart-svg"') == 8
    assert '<rect class="bar"' in html  # today's messages
    assert "Review rate by reason" in html and "100%" in html
