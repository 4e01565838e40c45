"""End to end: a real server with its embedded worker, driven by Chromium through Playwright."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.context import AppContext
from app.main import create_app
from tests.support import in_memory_tracing, migrated_context, sqlite_url
from tests.ui.seed import PASSWORD, PDF_CASE, Seeded, copy_seeded
from tests.ui.server import serving

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("ui"),
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="browser tests need /usr/bin/chromium (apt-get install chromium)",
    ),
]

if CHROMIUM.exists():
    from playwright.sync_api import Browser, Page, expect, sync_playwright


@pytest.fixture
def live(seeded: Seeded, tmp_path: Path) -> Iterator[str]:
    """The seeded app served on 127.0.0.1 with the embedded job worker running."""
    directory = copy_seeded(seeded, tmp_path)
    provider, _ = in_memory_tracing()
    ctx: AppContext = migrated_context(
        sqlite_url(directory),
        demo=False,
        provider=provider,
        data_dir=directory / "data",
        worker_embedded=True,
    )
    with serving(create_app(context=ctx, migrate=False)) as base:
        yield base
    ctx.engine.dispose()


@pytest.fixture
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


def log_in(page: Page, base: str, next_path: str = "/") -> None:
    page.goto(f"{base}/login?next={next_path}")
    page.get_by_label("Username").fill("rita")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}{next_path}")


def test_review_edit_approve_and_see_the_order(live: str, browser: Browser, seeded: Seeded) -> None:
    started = time.monotonic()
    remote: list[str] = []
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.on("request", lambda r: remote.append(r.url) if not r.url.startswith(live) else None)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, live)
    task_id = seeded.tasks[PDF_CASE]
    # The queue works from the keyboard: j to the first row, Enter opens it.
    rows = page.locator("a.open-task")
    index = [rows.nth(i).get_attribute("href") for i in range(rows.count())].index(
        f"/tasks/{task_id}"
    )
    for _ in range(index + 1):
        page.keyboard.press("j")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live}/tasks/{task_id}")
    # The page image loads, and a field lights its box on the document.
    expect(page.locator(".pdf-page img").first).to_have_js_property("complete", True)
    assert page.locator(".pdf-page img").first.evaluate("img => img.naturalWidth") > 100
    page.locator("#line-1-quantity").focus()
    expect(page.locator('rect.box.lit[data-keys="line-1-quantity"]')).to_have_count(1)
    page.locator("#line-1-quantity").fill("400")
    page.keyboard.press("Escape")
    page.keyboard.press("a")  # focuses Approve
    expect(page.locator("#approve-button")).to_be_focused()
    page.keyboard.press("a")  # presses it
    page.wait_for_url(re.compile(rf".*/tasks/{task_id}\?done=approved"))
    # The embedded worker resumes the graph; the page refreshes itself until the order shows.
    expect(page.locator("#order-link")).to_be_visible(timeout=30_000)
    page.locator("#order-link").click()
    expect(page.locator("h1")).to_contain_text("Order")
    expect(page.locator("pre.ack")).to_contain_text("Order confirmation")
    expect(page.locator("table.grid").first).to_contain_text("400")
    assert not remote, remote
    assert not errors, errors
    context.close()
    assert time.monotonic() - started < 45


def test_second_reviewer_approving_a_stale_page_is_refused(
    live: str, browser: Browser, seeded: Seeded
) -> None:
    task_path = f"/tasks/{seeded.tasks[PDF_CASE]}"
    first, second = browser.new_context(), browser.new_context()
    page_a, page_b = first.new_page(), second.new_page()
    log_in(page_a, live, task_path)
    log_in(page_b, live, task_path)
    page_a.get_by_role("button", name="Approve").click()
    page_a.wait_for_url(re.compile(r".*done=approved"))
    page_b.get_by_role("button", name="Approve").click()
    expect(page_b.locator("h1")).to_have_text("This task changed since you opened it")
    expect(page_b.get_by_role("link", name="Reload the task")).to_be_visible()
    first.close()
    second.close()
