"""Two rules of issue 25 as people meet them in a real browser:

- adding an official by hand who is likely already recorded (item 9): the form warns with the
  likely matches, saves nothing, keeps what was typed, and adds the official only once "this
  is a different person" is ticked;
- a dossier's status (item 10): a reason typed without a change of status is refused with a
  message, a change without a reason is refused too, and both keep what was typed; a change
  with its reason is recorded and listed with it.

axe finds no serious violation on the pages with the warning or the refusals."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.test_browser.conftest import sign_in
from tests.test_browser.test_accessibility import blocking_violations

pytestmark = pytest.mark.browser


def test_a_likely_duplicate_is_warned_of_and_added_only_as_a_different_person(page, steps, live_server):
    axe = Axe()
    sign_in(page, live_server.users["analyst"])
    page.goto("/officials/new")
    state = page.get_by_label("State", exact=True)
    expect(state).to_have_value("")  # a required choice starts empty (item 8)
    page.get_by_label("Name (Latin script)").fill("Sergei Shoigu")
    labels = state.locator("option").evaluate_all("os => os.map(o => o.textContent.trim())")
    state.select_option(label=next(text for text in labels if "Russia" in text))
    page.get_by_label("Notes").fill("Typed before the warning")
    page.get_by_role("button", name=re.compile("^Save")).click()

    warning = page.get_by_role("alert").filter(has=page.locator("#likely-heading"))
    expect(warning).to_be_visible()
    expect(warning.locator("#likely-heading")).to_contain_text("may be this person")
    known = warning.get_by_role("link", name=re.compile("Shoigu"))
    expect(known).to_have_count(1)
    known_path = known.evaluate("a => a.pathname")
    expect(page.get_by_label("Notes")).to_have_value("Typed before the warning")  # nothing lost
    assert "/officials/new" in page.url
    steps.shot("warned")
    violations = blocking_violations(page, axe, "new official with the duplicate warning")

    page.get_by_label(re.compile("This is a different person")).check()
    page.get_by_role("button", name=re.compile("^Save")).click()
    expect(page).to_have_url(re.compile(r"/officials/\d+$"))
    expect(page.locator("h1")).to_contain_text("Sergei Shoigu")
    expect(page.locator("main")).to_contain_text("Typed before the warning")
    steps.shot("added as a different person")
    assert not page.url.endswith(known_path)  # a second Shoigu, on purpose
    assert violations == [], "\n".join(violations)


def _a_dossier_path(page) -> str:
    page.goto("/dossiers")
    paths = page.locator("main a[href^='/dossiers/']").evaluate_all("links => links.map(a => a.pathname)")
    paths = [p for p in dict.fromkeys(paths) if re.fullmatch(r"/dossiers/\d+", p)]
    return paths[len(paths) // 2]  # one from the middle: the other browser tests use the ends


def test_a_status_change_needs_a_reason_and_a_reason_alone_is_refused(page, steps, live_server):
    axe = Axe()
    sign_in(page, live_server.users["prosecutor"])
    path = _a_dossier_path(page)
    page.goto(path)
    case = page.locator("form.case-form")
    status = case.get_by_label("Status", exact=True)
    current = status.input_value()
    reason = case.get_by_label("Reason for a change of status")

    reason.fill("Reviewed the evidence of 21 February")  # a reason, the status unchanged
    case.get_by_role("button", name="Save the case").click()
    case = page.locator("form.case-form")
    expect(case).to_contain_text("A reason is recorded only with a change of status")
    expect(case.get_by_label("Reason for a change of status")).to_have_value("Reviewed the evidence of 21 February")
    steps.shot("reason alone refused")
    violations = blocking_violations(page, axe, "dossier with a refused reason")

    options = case.get_by_label("Status", exact=True).locator("option").evaluate_all("os => os.map(o => o.value)")
    wanted = next(o for o in options if o and o != current)
    case.get_by_label("Status", exact=True).select_option(wanted)
    case.get_by_label("Reason for a change of status").fill("")
    case.get_by_role("button", name="Save the case").click()
    case = page.locator("form.case-form")
    expect(case).to_contain_text("Give the reason for changing the status to")
    expect(case.get_by_label("Status", exact=True)).to_have_value(wanted)  # the choice is kept
    violations += blocking_violations(page, axe, "dossier with a change refused for want of a reason")
    steps.shot("change without reason refused")

    case.get_by_label("Reason for a change of status").fill("The leadership post is proved")
    case.get_by_role("button", name="Save the case").click()
    expect(page).to_have_url(re.compile(rf"{path}$"))
    expect(page.locator(".flash")).to_contain_text("Status changed to")
    changes = page.locator("table", has=page.get_by_role("columnheader", name="Reason"))
    expect(changes.locator("tbody tr").first).to_contain_text("The leadership post is proved")
    steps.shot("changed with its reason")
    assert violations == [], "\n".join(violations)
