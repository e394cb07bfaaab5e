"""A task's life in a real browser (issue 25 item 1): an analyst makes a task of a gap of a
dossier, finds it under "My tasks", starts it, follows the link to the form that closes the
gap, and marks it done; axe finds no serious violation on any of the task pages."""

from __future__ import annotations

import datetime as dt
import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.test_browser.conftest import sign_in
from tests.test_browser.test_accessibility import blocking_violations


def test_a_gap_becomes_a_task_that_is_started_and_done(page, steps, live_server):
    axe = Axe()
    found: list[str] = []
    analyst = live_server.users["analyst"]
    sign_in(page, analyst)
    page.goto("/dossiers")
    dossiers = page.locator("main a[href^='/dossiers/']").evaluate_all("links => links.map(a => a.pathname)")
    dossiers = [path for path in dict.fromkeys(dossiers) if re.fullmatch(r"/dossiers/\d+", path)]
    for path in reversed(dossiers):  # the weakest first: those have gaps
        page.goto(path)
        make = page.locator("#gaps a.task-new").first
        if make.count():
            break
    official_id = int(path.rsplit("/", 1)[1])
    gap_text = make.locator("xpath=preceding-sibling::a[1]").inner_text()
    make.click()
    expect(page.locator("h1")).to_have_text("Make a task of a gap")
    expect(page.locator("main")).to_contain_text(gap_text)
    found += blocking_violations(page, axe, "new task")

    page.get_by_label("Assign to").select_option(label=analyst)
    page.get_by_label("Due date").fill((dt.datetime.now(dt.UTC).date() - dt.timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Make the task").click()  # due in the past: refused, with the reason
    expect(page.locator(".error").first).to_be_visible()
    expect(page.locator("main")).to_contain_text("The due date cannot be in the past.")
    found += blocking_violations(page, axe, "new task (errors)")
    steps.shot("refused")

    due = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=10)
    page.get_by_label("Due date").fill(due.isoformat())
    page.get_by_role("button", name="Make the task").click()
    expect(page).to_have_url(re.compile(rf"/dossiers/{official_id}/tasks$"))
    expect(page.locator(".flash")).to_contain_text("Task made and given to")
    open_column = page.locator("section.column", has=page.locator("h2#column-open"))
    expect(open_column).to_contain_text(gap_text)
    found += blocking_violations(page, axe, "board")
    steps.shot("on the board")

    page.get_by_role("link", name="My tasks").click()
    expect(page.locator("h1")).to_have_text("My tasks")
    found += blocking_violations(page, axe, "my tasks")
    page.get_by_role("link", name=gap_text).first.click()
    expect(page.locator("h1")).to_contain_text(gap_text)
    task_path = page.url
    found += blocking_violations(page, axe, "task")
    page.get_by_label("Status").select_option("in_progress")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash")).to_contain_text("Task saved: in progress")
    steps.shot("in progress")

    # A "won't do" without a reason is refused, with the reason why
    page.get_by_label("Status").select_option("wont_do")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("Say why this task won't be done.")
    found += blocking_violations(page, axe, "task (errors)")

    page.get_by_role("link", name="Open the form that closes the gap").click()
    expect(page.locator("main form")).to_be_visible()  # the form that fills the gap
    assert page.url != task_path
    page.goto(task_path)
    page.get_by_label("Status").select_option("done")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash")).to_contain_text("Task saved: done")
    page.goto(f"/dossiers/{official_id}/tasks")
    done_column = page.locator("section.column", has=page.locator("h2#column-done"))
    expect(done_column).to_contain_text(gap_text)
    steps.shot("done")
    assert found == []
