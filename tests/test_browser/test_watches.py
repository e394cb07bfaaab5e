"""A watch and its notification, as people use them (issue 25 item 3): the prosecutor watches a
dossier; an analyst links an exhibit to one of its facts; the prosecutor sees the unread count,
the notification in words and follows it; axe finds no serious violation on the dossier page
with its watch button and comment thread, nor on the notifications page."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from sqlalchemy import create_engine, text

from tests.test_browser.conftest import sign_in, sign_out
from tests.test_browser.test_accessibility import blocking_violations

pytestmark = pytest.mark.browser

TARGET_COLUMNS = {"tenure": "tenure_id", "involvement": "involvement_id", "decision": "decision_id"}


def _unlinked_public_exhibit(database_url: str, kind: str, target_id: int) -> str:
    engine = create_engine(database_url)
    column = TARGET_COLUMNS[kind]
    with engine.connect() as conn:
        number = conn.execute(
            text(
                "SELECT exhibit_no FROM evidence WHERE classification = 'public' AND deleted_at IS NULL"
                f" AND id NOT IN (SELECT evidence_id FROM support WHERE {column} = :target)"  # noqa: S608  (a fixed column)
                " ORDER BY id LIMIT 1"
            ),
            {"target": target_id},
        ).scalar_one()
    engine.dispose()
    return number


def test_a_watched_dossier_tells_of_new_evidence(page, live_server, steps):
    axe = Axe()
    violations: list[str] = []
    analyst, prosecutor = live_server.users["analyst"], live_server.users["prosecutor"]

    sign_in(page, analyst)  # find a dossier with a fact to fill, and the exhibit to link
    page.goto("/dossiers")
    paths = page.locator("main a[href^='/dossiers/']").evaluate_all("links => links.map(a => a.pathname)")
    paths = [p for p in dict.fromkeys(paths) if re.fullmatch(r"/dossiers/\d+", p)]
    gap_href = None
    for path in reversed(paths):
        page.goto(path)
        gaps = page.locator("a[href*='link-evidence?target=']").evaluate_all("links => links.map(a => a.href)")
        gap_href = next((h for h in gaps if re.search(r"target=(tenure|involvement|decision)(?:%3A|:)\d+", h)), None)
        if gap_href:
            break
    assert gap_href, "a dossier of the demo data has a fact without evidence"
    kind, target_id = re.search(r"target=(\w+)(?:%3A|:)(\d+)", gap_href).groups()
    exhibit = _unlinked_public_exhibit(live_server.database_url, kind, int(target_id))
    sign_out(page)

    sign_in(page, prosecutor)
    page.goto(path)
    page.locator("div.watch-row").get_by_role("button", name="Watch").click()
    page.wait_for_load_state()
    expect(page.locator("div.watch-row").get_by_role("button", name="Stop watching")).to_be_visible()
    steps.shot("watching")
    violations += blocking_violations(page, axe, "dossier page with watch button and thread")
    sign_out(page)

    sign_in(page, analyst)
    page.goto(gap_href)
    field = page.get_by_role("combobox", name="Exhibit number")
    field.fill(exhibit)
    expect(page.get_by_role("listbox")).to_contain_text(exhibit)
    field.press("Escape")
    expect(page.get_by_role("listbox")).to_be_hidden()
    page.get_by_role("button", name="Link").click()
    expect(page.locator(".flash")).to_contain_text(f"Exhibit {exhibit} linked to")
    sign_out(page)

    sign_in(page, prosecutor)
    expect(page.locator("header .unread-count")).to_have_text(re.compile(r"^[1-9]\d*$"))
    page.get_by_role("link", name=re.compile("^Notifications")).click()
    page.wait_for_load_state()
    steps.shot("notified")
    linked = page.locator(
        "li.notification.unread", has_text=f"linked exhibit {exhibit} to a fact of a dossier you watch"
    )
    expect(linked).to_have_count(1)
    violations += blocking_violations(page, axe, "notifications page with a watch's notification")
    page.get_by_role("button", name="Mark all read").click()
    page.wait_for_load_state()
    expect(page.locator("header .unread-count")).to_have_count(0)
    assert not violations, "\n".join(violations)


def test_a_watched_saved_search_tells_of_a_new_result(page, live_server, steps):
    """The prosecutor saves a search for a name nobody bears yet and watches it beside the
    results; an analyst adds an official of that name; the prosecutor is told the official is
    new in the search, and follows the notification to them."""
    axe = Axe()
    analyst, prosecutor = live_server.users["analyst"], live_server.users["prosecutor"]
    sign_in(page, prosecutor)
    page.goto("/search?q=Zvyagintsev")
    page.locator("details.saved-searches summary").click()
    page.get_by_label("Save these filters as").fill("Zvyagintsev")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".flash")).to_contain_text("Search saved as “Zvyagintsev”.")
    page.get_by_role("button", name="Watch Zvyagintsev").click()
    expect(page.get_by_role("button", name="Stop watching Zvyagintsev")).to_be_visible()
    assert "/search?q=Zvyagintsev" in page.url  # back on the search, with its words
    violations = blocking_violations(page, axe, "search with a watched saved search")
    steps.shot("watching the search")
    sign_out(page)

    sign_in(page, analyst)
    page.goto("/officials/new")
    page.get_by_label("Name (Latin script)").fill("Andrei Zvyagintsev")
    state = page.get_by_label("State", exact=True)
    labels = state.locator("option").evaluate_all("os => os.map(o => o.textContent.trim())")
    state.select_option(label=next(text for text in labels if "Russia" in text))
    page.get_by_role("button", name=re.compile("^Save")).click()
    expect(page).to_have_url(re.compile(r"/officials/\d+$"))
    official_path = re.search(r"/officials/\d+$", page.url).group(0)
    sign_out(page)

    sign_in(page, prosecutor)
    expect(page.locator("header .unread-count")).to_have_text(re.compile(r"^[1-9]\d*$"))
    page.get_by_role("link", name=re.compile("^Notifications")).click()
    told = page.locator(
        "li.notification.unread", has_text="“Andrei Zvyagintsev” is new in your saved search “Zvyagintsev”."
    )
    expect(told).to_have_count(1)
    violations += blocking_violations(page, axe, "notifications page with a saved search's new result")
    steps.shot("told of the new result")
    told.get_by_role("link", name="Open").click()
    expect(page).to_have_url(re.compile(rf"{official_path}$"))
    assert not violations, "\n".join(violations)
