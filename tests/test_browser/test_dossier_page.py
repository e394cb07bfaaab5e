"""A long dossier in a real browser (issue 25 item 11): the sections' links stay in view while
scrolling, a filter shows only the lines that contain what is typed (opening collapsed lists
that hold a match), and the print view drops the navigation and forms, starts each section
on a new page and prints every collapsed list opened."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.test_browser.conftest import sign_in


def _open_putins_dossier(page, live_server) -> None:
    sign_in(page, live_server.users["prosecutor"])
    page.goto("/search?q=Putin")
    page.locator("main a[href^='/dossiers/']").first.click()
    expect(page.locator("h1")).to_contain_text("Vladimir Putin")


def test_sections_stay_in_view_and_filters_narrow_the_lines(page, steps, live_server):
    _open_putins_dossier(page, live_server)
    nav = page.get_by_role("navigation", name="Sections of the dossier")
    nav.get_by_role("link", name=re.compile("^Involvements")).click()
    expect(page).to_have_url(re.compile("#involvements$"))
    expect(nav).to_be_in_viewport()  # sticky: still on screen far down the page
    page.mouse.wheel(0, 4000)
    expect(nav).to_be_in_viewport()
    steps.shot("navigation in view")

    rows = page.locator("table.involvements > tbody > tr")
    total = rows.count()
    assert total > 2
    first_title = rows.first.locator("td").first.inner_text().strip()
    field = page.get_by_label("Show only the involvements containing")
    field.fill(first_title.upper())  # in any case
    visible = page.locator("table.involvements > tbody > tr:visible")
    expect(visible.first).to_contain_text(first_title)
    assert 1 <= visible.count() < total
    expect(page.locator("#involvements .filter [role=status]")).to_have_text(f"{visible.count()} / {total}")
    steps.shot("involvements filtered")
    field.fill("")
    expect(page.locator("table.involvements > tbody > tr:visible")).to_have_count(total)

    # an exhibit listed only in a collapsed list is found, and its list opened
    collapsed = page.locator("#elements details.collapsed:not([open]) ul.exhibits > li a.exhibit-no")
    assert collapsed.count() > 0
    number = collapsed.first.inner_text()
    expect(collapsed.first).to_be_hidden()
    page.get_by_label("Show only the exhibits containing").fill(number)
    expect(page.locator("#elements ul.exhibits > li:visible a.exhibit-no", has_text=number).first).to_be_visible()
    steps.shot("exhibit found in a collapsed list")


def test_the_print_view_is_the_dossier_alone_a_section_a_page(page, steps, live_server):
    _open_putins_dossier(page, live_server)
    assert page.locator("details.collapsed").count() > 0
    page.emulate_media(media="print")
    for hidden in ("header.site", "nav.sections", "form.case-form", ".filter"):
        expect(page.locator(hidden).first).to_be_hidden()
    breaks = page.locator("main section[id]").evaluate_all(
        "sections => sections.map(s => [s.id, getComputedStyle(s).breakBefore])"
    )
    assert breaks[0] == ["identity", "auto"] and all(value == "page" for _id, value in breaks[1:]), breaks
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    assert page.locator("details.collapsed:not([open])").count() == 0
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF")
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    assert page.locator("details.collapsed:not([open])").count() > 0
    page.emulate_media(media="screen")
    steps.shot("back on screen")
