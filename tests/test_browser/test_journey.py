"""One prosecutor's journey through a real browser, from signing in to the exported case
files: every step is a screenshot, and every step checks what the page shows."""

from __future__ import annotations

import re
import zipfile

from playwright.sync_api import expect

from tests.test_browser.conftest import RENDER_TIMEOUT_MS, sign_in, sign_out

LATIN = "Ivan Testov-Kim"
CYRILLIC = "Иван Тестов-Ким"
HANGUL = "이반 테스토프김"
DECISION = "Order on the advance towards Kyiv (browser test)"
EXHIBIT = "Signed order, scanned (browser test)"
SCAN = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def conduct_row(page):
    """The dossier's row for element E1 (conduct)."""
    return page.locator("table.elements tr").filter(has=page.locator("th", has_text=re.compile(r"^\s*E1\b")))


def test_prosecutor_builds_and_exports_a_case(page, steps, live_server, tmp_path):
    sign_in(page, live_server.users["prosecutor"])
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    steps.shot("signed in")

    # An official with names in three scripts
    page.goto("/officials/new")
    page.get_by_label("Name (Latin script)", exact=True).fill(LATIN)
    page.get_by_label("Name in native script", exact=True).fill(CYRILLIC)
    page.get_by_label("Native script", exact=True).select_option("Cyrl")
    page.get_by_label("State", exact=True).select_option(label="Russian Federation (RU)")
    page.get_by_label("Date of birth", exact=True).fill("1961-05")
    page.locator("#names-0-name").fill(HANGUL)
    page.locator("#names-0-script").select_option("Hang")
    page.locator("#names-0-lang").fill("ko")
    page.locator("#names-0-kind").select_option("transliteration")
    steps.shot("new official filled in")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/officials/\d+$"))
    expect(page.locator("h1")).to_contain_text(LATIN)
    expect(page.locator("main")).to_contain_text(CYRILLIC)
    expect(page.locator("main")).to_contain_text(HANGUL)
    official_id = int(page.url.rsplit("/", 1)[1])
    steps.shot("official saved")

    # A decision that contributed to an act of aggression, and the official's part in it
    page.goto("/decisions/new")
    page.get_by_label("Title", exact=True).fill(DECISION)
    page.get_by_label("Kind", exact=True).select_option("military")
    page.get_by_label("Date", exact=True).fill("2022-02-23")
    page.get_by_label("Institution", exact=True).select_option(
        label="Ministry of Defence of the Russian Federation (RU)"
    )
    page.get_by_label("Full-scale invasion of Ukraine", exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/decisions/\d+$"))
    expect(page.locator("h1")).to_contain_text(DECISION)
    steps.shot("decision saved")

    page.get_by_role("link", name="Add an involvement").click()
    official = page.get_by_label("Official", exact=True)
    official.select_option(official.locator("option", has_text=LATIN).get_attribute("value"))
    page.get_by_label("Role", exact=True).select_option("signed")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text(LATIN)
    steps.shot("involvement saved")

    page.goto(f"/dossiers/{official_id}")
    expect(conduct_row(page)).to_contain_text("partial")
    steps.shot("dossier before the evidence")

    # An exhibit graded B2, its scanned file, and its link to the involvement
    page.goto("/evidence/new")
    page.get_by_label("Title", exact=True).fill(EXHIBIT)
    page.get_by_label("Kind", exact=True).select_option("document")
    page.get_by_label("Source", exact=True).fill("Ministry of Defence, order no. 1 (leaked copy)")
    page.get_by_label("Classification", exact=True).select_option("restricted")
    page.get_by_label("Reliability of the source").select_option("B")
    page.get_by_label("Credibility of the information").select_option("2")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/evidence/\d+$"))
    expect(page.locator("h1")).to_contain_text(EXHIBIT)
    evidence_url = page.url
    steps.shot("exhibit saved")

    page.goto(f"{evidence_url}/files")
    page.get_by_label("Files", exact=True).set_input_files(
        [{"name": "приказ №1.pdf", "mimeType": "application/pdf", "buffer": SCAN}]
    )
    page.get_by_label("Purpose", exact=True).fill("Intake of the scan")
    steps.shot("upload filled in")
    page.get_by_role("button", name="Upload").click()
    expect(page).to_have_url(re.compile(r"/evidence/\d+$"))
    expect(page.locator("main")).to_contain_text("приказ №1.pdf")
    steps.shot("file uploaded")

    # The download button posts a form (with its CSRF token) and is logged in the chain of custody
    with page.expect_download() as download_info:
        page.locator("#files form.download").get_by_role("button", name="Download").click()
    target = tmp_path / "downloaded.pdf"
    download_info.value.save_as(target)
    assert target.read_bytes() == SCAN
    page.goto(evidence_url)
    expect(page.locator("table.custody")).to_contain_text("downloaded")

    page.get_by_role("link", name="Link this exhibit to a fact").click()
    page.get_by_role("radio", name=re.compile(r"^an involvement")).check()
    involvement = page.locator("#involvement_id")
    involvement.select_option(involvement.locator("option", has_text=LATIN).get_attribute("value"))
    page.get_by_label("Pinpoint", exact=True).fill("p. 1")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/evidence/\d+$"))
    expect(page.locator("main")).to_contain_text(DECISION)
    steps.shot("exhibit linked")

    page.goto(f"/dossiers/{official_id}")
    expect(conduct_row(page)).to_contain_text("met")
    expect(conduct_row(page)).to_contain_text(EXHIBIT)
    steps.shot("dossier after the evidence")

    # The case files: the PDF, then the signed bag with the exhibit inside
    for fmt, check in (("pdf", _is_pdf), ("bag", _is_bag_with_exhibit)):
        page.get_by_label("Export as").select_option(fmt)
        with page.expect_download(timeout=RENDER_TIMEOUT_MS) as download_info:
            page.locator("form.export-form").get_by_role("button", name="Export").click(timeout=RENDER_TIMEOUT_MS)
        target = tmp_path / download_info.value.suggested_filename
        download_info.value.save_as(target)
        check(target)
        page.goto(f"/dossiers/{official_id}")
    expect(page.locator("table.exports tbody tr")).to_have_count(2)
    steps.shot("exports recorded")

    sign_out(page)
    expect(page.get_by_label("E-mail address", exact=True)).to_be_visible()
    steps.shot("signed out")
    page.goto(f"/dossiers/{official_id}")
    expect(page).to_have_url(re.compile(r"/login"))


def _is_pdf(path):
    assert path.read_bytes().startswith(b"%PDF-"), path.name


def _is_bag_with_exhibit(path):
    with zipfile.ZipFile(path) as bag:
        names = bag.namelist()
    assert any(name.endswith("bagit.txt") for name in names), names
    assert any("/data/" in name and name.endswith(".pdf") for name in names if "dossier" not in name.lower()), names
