"""A comment with a mention and its notification, as people use them (issue 25 items 2-3):
an analyst comments on an official's page and mentions the prosecutor, who sees the unread
count in the header, the notification, and follows it to the comment; axe finds no serious
violation on the thread, the notifications page, the edit page and the history page."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import create_engine, text

from tests.test_browser.conftest import sign_in, sign_out
from tests.test_browser.test_accessibility import blocking_violations

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def official_id(live_server):
    engine = create_engine(live_server.database_url)
    with engine.connect() as conn:
        found = conn.execute(text("SELECT min(id) FROM official WHERE deleted_at IS NULL")).scalar_one()
    engine.dispose()
    return found


def test_a_mention_reaches_the_colleague_as_a_notification(page, live_server, official_id, steps):
    axe = Axe()
    violations: list[str] = []
    analyst, prosecutor = live_server.users["analyst"], live_server.users["prosecutor"]
    handle = prosecutor.split("@")[0]
    sign_in(page, analyst)
    page.goto(f"/officials/{official_id}")
    thread = page.locator("section#comments")
    thread.get_by_label("Comment").fill(f"Please check the tenure dates, @{handle}.")
    thread.get_by_role("button", name="Add comment").click()
    page.wait_for_load_state()
    steps.shot("commented")
    assert re.search(rf"/officials/{official_id}#comment-\d+$", page.url)
    comment = page.locator("li.comment").last
    assert f"@{handle}" in comment.inner_text()
    violations += blocking_violations(page, axe, "official page with a thread")

    comment.get_by_role("link", name="Edit").click()
    page.wait_for_load_state()
    violations += blocking_violations(page, axe, "comment edit page")
    page.get_by_label("Comment").fill(f"Please check the tenure dates and the decree, @{handle}.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    page.locator("li.comment").last.get_by_role("link", name="edited").click()
    page.wait_for_load_state()
    assert "Please check the tenure dates, @" in page.locator("main").inner_text()
    violations += blocking_violations(page, axe, "comment history page")
    sign_out(page)

    sign_in(page, prosecutor)
    badge = page.locator("header .unread-count")
    assert badge.inner_text() == "1"
    page.get_by_role("link", name=re.compile("^Notifications")).click()
    page.wait_for_load_state()
    steps.shot("notifications")
    item = page.locator("li.notification.unread")
    assert "mentioned you in a comment on" in item.inner_text()
    violations += blocking_violations(page, axe, "notifications page")
    item.get_by_role("link", name="Open").click()
    page.wait_for_load_state()
    assert re.search(rf"/officials/{official_id}#comment-\d+$", page.url)
    page.goto("/notifications")
    page.get_by_role("button", name="Mark read").click()
    page.wait_for_load_state()
    assert page.locator("header .unread-count").count() == 0
    assert not violations, "\n".join(violations)
