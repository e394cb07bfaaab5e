"""The app by keyboard alone: signing in and saving a form with Tab, typing and Enter, with
a visible focus ring on every control the keyboard reaches."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.conftest import PASSWORD

MAX_TABS = 60

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  return {
    id: el.id, tag: el.tagName.toLowerCase(), text: (el.innerText || el.value || "").trim(),
    outline: style.outlineStyle === "none" ? 0 : parseFloat(style.outlineWidth),
  };
}"""


def tab_to(page, wanted, unfocused: list[str]) -> dict:
    """Press Tab until ``wanted(focused element)`` holds; note every element reached
    without a visible focus ring."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            continue
        if focused["outline"] < 2:
            unfocused.append(f"{page.url} {focused['tag']}#{focused['id']} {focused['text'][:30]!r}")
        if wanted(focused):
            return focused
    raise AssertionError(f"not reached with {MAX_TABS} presses of Tab on {page.url}")


def test_sign_in_and_save_a_form_by_keyboard(page, live_server, steps):
    unfocused: list[str] = []
    page.goto("/login")
    page.locator("body").focus()
    tab_to(page, lambda f: f["id"] == "email", unfocused)
    page.keyboard.type(live_server.users["analyst"])
    tab_to(page, lambda f: f["id"] == "password", unfocused)
    page.keyboard.type(PASSWORD)
    steps.shot("sign-in typed")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    page.goto("/officials/new")
    tab_to(page, lambda f: f["id"] == "name", unfocused)
    page.keyboard.type("Keyboard Only")
    tab_to(page, lambda f: f["id"] == "state_id", unfocused)
    page.keyboard.press("End")  # the last state in the list
    tab_to(page, lambda f: f["id"] == "birth_date", unfocused)
    page.keyboard.type("1970")
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Save", unfocused)
    steps.shot("form typed")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/officials/\d+$"))
    expect(page.locator("h1")).to_contain_text("Keyboard Only")
    steps.shot("form saved")

    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Sign out", unfocused)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/login"))
    assert unfocused == []


def test_a_focus_ring_is_drawn(page):
    """The check above can fail: an element with no outline reports none."""
    page.goto("/login")
    page.locator("body").focus()
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["outline"] >= 2
    page.evaluate("() => document.activeElement.style.setProperty('outline', 'none', 'important')")
    assert page.evaluate(FOCUSED)["outline"] == 0
