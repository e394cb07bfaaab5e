"""The evidence picker in a real browser: linking an exhibit to a fact of a dossier by typing
words of its title and choosing it from the list, with the keyboard, instead of knowing its
number (static/picker.js)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.test_browser.conftest import sign_in


def test_an_analyst_links_an_exhibit_found_by_words_of_its_title(page, steps, live_server):
    sign_in(page, live_server.users["analyst"])
    page.goto("/dossiers")
    dossiers = page.locator("main a[href^='/dossiers/']").evaluate_all("links => links.map(a => a.pathname)")
    dossiers = [path for path in dict.fromkeys(dossiers) if re.fullmatch(r"/dossiers/\d+", path)]
    for path in reversed(dossiers):  # the weakest first: those have gaps to fill
        page.goto(path)
        gap = page.locator("a[href*='link-evidence?target=']").first
        if gap.count():
            break
    official_id = int(path.rsplit("/", 1)[1])
    gap.click()
    expect(page.locator("h1")).to_have_text("Link an exhibit to a fact")
    steps.shot("link form")

    field = page.get_by_role("combobox", name="Exhibit number")
    field.press_sequentially("listing of Sergey", delay=20)
    options = page.get_by_role("option")
    expect(options.first).to_contain_text("P-0002")
    expect(field).to_have_attribute("aria-expanded", "true")
    steps.shot("matches listed")
    field.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    field.press("Enter")  # chooses; does not submit
    expect(field).to_have_value("P-0002")
    expect(field).to_have_attribute("aria-expanded", "false")
    expect(page.locator("h1")).to_have_text("Link an exhibit to a fact")
    steps.shot("exhibit chosen")

    field.fill("nothing could match this")
    field.press("End")
    field.press_sequentially("z", delay=20)
    expect(page.get_by_role("listbox")).to_contain_text("No exhibit you may see matches.")
    field.press("Escape")
    expect(page.get_by_role("listbox")).to_be_hidden()

    # Typing opens the list once its answer arrives (after a pause), pushing the button down:
    # wait for it and close it, so that the click cannot land while the page moves.
    field.fill("P-0002")
    expect(page.get_by_role("listbox")).to_contain_text("P-0002")
    field.press("Escape")
    expect(page.get_by_role("listbox")).to_be_hidden()
    page.get_by_role("button", name="Link").click()
    expect(page).to_have_url(re.compile(rf"/dossiers/{official_id}$"))
    expect(page.locator(".flash")).to_contain_text("Exhibit P-0002 linked to")
    steps.shot("linked")


def test_the_dossiers_index_filters_by_an_institution_chosen_from_the_picker(page, steps, live_server):
    """The institution filter is a field with the same picker (no list of every institution)."""
    sign_in(page, live_server.users["prosecutor"])
    page.goto("/dossiers")
    field = page.get_by_role("combobox", name="Institution")
    field.press_sequentially("ministry of defence", delay=20)
    listbox = page.locator("#filter-institution-options")  # the field's list (the selects have options too)
    options = listbox.get_by_role("option")
    expect(options.first).to_contain_text("Ministry of Defence of")
    steps.shot("institutions listed")
    belarus = options.filter(has_text="Republic of Belarus")
    belarus.dispatch_event("mousedown")
    expect(field).to_have_value("Ministry of Defence of the Republic of Belarus (BY)")
    expect(listbox).to_be_hidden()
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"institution=Ministry"))
    expect(page.get_by_role("combobox", name="Institution")).to_have_value(
        "Ministry of Defence of the Republic of Belarus (BY)"
    )
    states = page.locator("table.dossiers tbody tr td:nth-child(3)").all_inner_texts()
    assert states and set(states) == {"BY"}, states
    steps.shot("filtered")
