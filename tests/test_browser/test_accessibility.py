"""axe-core on every main page, as an administrator sees it (the widest view) and as a
visitor who has not signed in: no violation of serious or critical impact.

The API reference (/api/v1/docs) is left out: one template of long tables, it takes axe
longer than all the other pages together."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import create_engine, text

from tests.test_browser.conftest import sign_in

BLOCKING = ("serious", "critical")


@pytest.fixture(scope="module")
def ids(live_server):
    """The first row of each table the pages need, from the server's database."""
    engine = create_engine(live_server.database_url)
    tables = (
        "official",
        "institution",
        "position",
        "decision",
        "aggression_act",
        "evidence",
        "evidence_file",
        "support",
    )
    with engine.connect() as conn:
        found = {table: conn.execute(text(f"SELECT min(id) FROM {table}")).scalar_one() for table in tables}  # noqa: S608
    engine.dispose()
    return found


def signed_in_pages(ids):
    official, decision, evidence = ids["official"], ids["decision"], ids["evidence"]
    return [
        "/dossiers",
        f"/dossiers/{official}",
        f"/dossiers/{official}/tasks",
        "/tasks",
        f"/dossiers/{official}/link-evidence",
        "/officials",
        f"/officials/{official}",
        "/officials/new",
        f"/officials/{official}/edit",
        f"/officials/{official}/tenures/new",
        "/institutions",
        f"/institutions/{ids['institution']}",
        "/positions",
        f"/positions/{ids['position']}",
        "/decisions",
        f"/decisions/{decision}",
        "/decisions/new",
        f"/decisions/{decision}/involvements/new",
        "/acts",
        f"/acts/{ids['aggression_act']}",
        "/evidence",
        f"/evidence/{evidence}",
        "/evidence/new",
        f"/evidence/{evidence}/files",
        f"/evidence/{evidence}/supports/new",
        f"/evidence/{evidence}/custody/new",
        f"/files/{ids['evidence_file']}/view",
        "/search?q=Шойгу",
        "/imports",
        "/imports/new",
        "/imports/review",
        "/imports/rules",
        "/audit",
        "/admin/fixity",
        "/jobs",
        "/notifications",
        f"/supports/{ids['support']}/comments",
        f"/history/official/{official}",
        "/no/such/page",
    ]


def blocking_violations(page, axe, path):
    results = axe.run(page)
    return [
        f"{path}: {v['id']} ({v['impact']}) {v['help']} -- {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]


def test_signed_in_pages_have_no_serious_violations(page, live_server, ids):
    axe = Axe()
    sign_in(page, live_server.users["admin"])
    found = []
    for path in signed_in_pages(ids):
        response = page.goto(path)
        if response is None or response.status >= 500 or response.status == 403:
            found.append(f"{path}: answered {response and response.status}")
        found.extend(blocking_violations(page, axe, path))
    # a form sent back with its errors
    page.goto("/officials/new")
    page.get_by_role("button", name="Save").click()
    assert page.locator(".error").count() > 0
    found.extend(blocking_violations(page, axe, "/officials/new (errors)"))
    assert found == []


def test_pages_before_sign_in_have_no_serious_violations(page):
    axe = Axe()
    found = []
    page.goto("/login")
    found.extend(blocking_violations(page, axe, "/login"))
    page.get_by_role("button", name="Sign in").click()  # nothing filled in: errors shown
    found.extend(blocking_violations(page, axe, "/login (errors)"))
    page.goto("/login?lang=uk")
    page.get_by_role("button", name="Українська").click()
    found.extend(blocking_violations(page, axe, "/login (Ukrainian)"))
    assert page.locator("html").get_attribute("lang") == "uk"
    assert found == []
