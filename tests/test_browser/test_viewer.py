"""The viewer in a real browser (issue 22, Done when): a PDF exhibit opened in the viewer, searched,
a passage selected in its text layer and linked as support; the quote on the dossier page, the
viewer opened at it from there, and the quote in the PDF case file (its text extracted)."""

from __future__ import annotations

import io
import re

import pypdf
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from sqlalchemy import create_engine, select

from extensions import db
from models import Evidence, EvidenceFile, Job, Support, Tenure
from services.jobs import queue
from tests import text_files as tf
from tests.live_server import run_commands
from tests.test_browser.conftest import RENDER_TIMEOUT_MS, sign_in
from tests.test_browser.test_accessibility import blocking_violations

PAGE_ONE = "Resolution on consent to the use of the armed forces abroad."
PAGE_TWO = "Adopted by 153 votes and signed by the chair of the Federation Council."
QUOTE = "153 votes"


@pytest.fixture(scope="module")
def exhibit(live_server, tmp_path_factory):
    """A PDF exhibit taken in by `evidence ingest` and its text extracted (the worker's job run
    here): (exhibit id, file id)."""
    folder = tmp_path_factory.mktemp("intake")
    (folder / "consent.pdf").write_bytes(tf.text_pdf(PAGE_ONE, PAGE_TWO))
    (folder / "metadata.csv").write_text(
        "file,title,grade\nconsent.pdf,Federation Council consent to the use of force,B2\n"
    )
    home = live_server.evidence_dir.parent
    app = run_commands(
        live_server.database_url,
        home,
        [(["evidence", "ingest", str(folder), "--as", live_server.users["analyst"]], None)],
    )
    with app.app_context():
        file = db.session.scalars(
            select(EvidenceFile)
            .join(Evidence)
            .where(Evidence.title == "Federation Council consent to the use of force")
        ).one()
        job = db.session.scalars(select(Job).where(Job.evidence_file_id == file.id)).one()
        assert queue.queue_of(app).run(job.id) == "succeeded"
        ids = (file.evidence_id, file.id)
        db.engine.dispose()
    return ids


def _support(live_server, evidence_id: int) -> tuple[int, int]:
    """The support made in the browser: (its id, its tenure's official)."""
    engine = create_engine(live_server.database_url)
    try:
        with engine.connect() as connection:
            row = connection.execute(
                select(Support.id, Tenure.official_id)
                .join(Tenure, Support.tenure_id == Tenure.id)
                .where(Support.evidence_id == evidence_id)
            ).one()
    finally:
        engine.dispose()
    return row.id, row.official_id


def test_a_passage_chosen_in_the_viewer_becomes_a_quoted_pinpoint(page, steps, live_server, exhibit, tmp_path):
    evidence_id, file_id = exhibit
    sign_in(page, live_server.users["analyst"])
    page.goto(f"/evidence/{evidence_id}")
    page.locator("#files").get_by_role("link", name="View").first.click()
    expect(page).to_have_url(re.compile(rf"/files/{file_id}/view$"))
    expect(page.locator("#page-2 .text-layer")).to_contain_text("signed by the chair")
    expect(page.get_by_role("img", name=re.compile("Page 1 as drawn"))).to_be_visible()
    steps.shot("viewer")
    axe = Axe()
    violations = blocking_violations(page, axe, "the viewer")

    # Search in the document: the pages holding the words, each a link to its page
    page.get_by_label("Search in this document").fill("federation council")
    page.get_by_role("button", name="Find").click()
    expect(page.locator("#viewer-search-status")).to_have_text("Found on pages:")
    expect(page.locator("#viewer-hits li")).to_have_text(["2"])
    expect(page.locator("#page-2 mark.hit")).to_have_text("Federation Council")
    steps.shot("found")

    # Select a passage of page 2's text, as a reader drags over it
    page.locator("#page-2 .text-layer").evaluate(
        """(layer, quote) => {
            const walker = document.createTreeWalker(layer, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const at = walker.currentNode.nodeValue.indexOf(quote);
                if (at >= 0) {
                    const range = document.createRange();
                    range.setStart(walker.currentNode, at);
                    range.setEnd(walker.currentNode, at + quote.length);
                    const selection = window.getSelection();
                    selection.removeAllRanges();
                    selection.addRange(range);
                    return;
                }
            }
            throw new Error("quote not found");
        }""",
        QUOTE,
    )
    chosen = page.locator("#pinpoint-chosen")
    expect(chosen).to_contain_text(f"Selected on page 2: “{QUOTE}”")
    steps.shot("passage selected")
    page.get_by_role("button", name="Link this passage as support").click()

    expect(page.locator("h1")).to_contain_text("to a fact")
    expect(page.locator("fieldset.anchor q")).to_have_text(QUOTE)
    violations += blocking_violations(page, axe, "the link form with the passage")
    page.get_by_role("radio", name="Tenure").check()
    tenures = page.locator("select[name=tenure_id]")
    tenures.select_option(index=1)
    page.get_by_label("Pinpoint").fill("p. 2")
    steps.shot("link form")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash")).to_contain_text("Link added.")
    support_id, official_id = _support(live_server, evidence_id)

    # The dossier shows the quote and its page, and opens the viewer at it
    page.goto(f"/dossiers/{official_id}")
    quote = page.locator(".support-quote").filter(has_text=QUOTE)
    expect(quote).to_contain_text(f"page 2: {QUOTE}")
    steps.shot("dossier")
    quote.get_by_role("link", name="open in the viewer").click()
    expect(page).to_have_url(re.compile(rf"/files/{file_id}/view\?support={support_id}#quote$"))
    expect(page.locator("mark#quote")).to_have_text(QUOTE)
    expect(page.locator("mark#quote")).to_be_in_viewport()
    steps.shot("viewer at the quote")
    violations += blocking_violations(page, axe, "the viewer at the quote")
    assert violations == []

    # The PDF case file holds the quote and its page
    page.goto(f"/dossiers/{official_id}")
    page.get_by_label("Export as").select_option("pdf")
    with page.expect_download(timeout=RENDER_TIMEOUT_MS) as download_info:
        page.locator("form.export-form").get_by_role("button", name="Export").click(timeout=RENDER_TIMEOUT_MS)
    target = tmp_path / "case.pdf"
    download_info.value.save_as(target)
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(target.read_bytes())).pages)
    text = re.sub(r"\s+", " ", text)
    assert f"page 2: “{QUOTE}”" in text or f"page 2: {QUOTE}" in text or f'page 2: "{QUOTE}"' in text, text[-2000:]
