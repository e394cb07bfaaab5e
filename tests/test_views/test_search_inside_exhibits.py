"""GET /search, section "Inside exhibits": hits with exhibit number, title, page and a snippet
whose match is <mark>ed and the rest escaped; paging and filters in the address; refused
queries and filters answered 400 with the reason; pages of a low-clearance viewer the same,
byte for byte, whether hidden exhibits hold the words or not; text extracted by a job is
found once stored."""

from __future__ import annotations

import re

import pytest

from services.common import hooks
from services.search import fulltext
from tests.fulltext_pages import with_pages
from tests.pages import mask_volatile


@pytest.fixture(autouse=True)
def index_kept_in_step():
    hooks.install()


def page(client, status=200, **args):
    response = client.get("/search", query_string=args)
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def section(html: str) -> str:
    match = re.search(r'<section class="search-group inside-exhibits".*?</section>', html, re.S)
    assert match, "no section Inside exhibits"
    return match.group(0)


def test_a_hit_shows_exhibit_page_and_marked_snippet(client, login, make, session):
    exhibit = make.evidence(exhibit_no="P-0101", title="Order <b>No. 1</b>")
    with_pages(session, exhibit, "cover page", "Приказ <i>о наступлении</i> подписан министром", name="order.pdf")
    session.commit()
    login("viewer", "public")
    html = section(page(client, q="наступление"))
    assert f'href="/evidence/{exhibit.id}"' in html
    assert "P-0101" in html and "Order &lt;b&gt;No. 1&lt;/b&gt;" in html
    assert "page 2" in html and "order.pdf" in html
    assert "<mark>наступлении</mark>" in html
    assert "<i>" not in html


def test_paging_and_filters_travel_in_the_address(client, login, make, session, monkeypatch):
    monkeypatch.setattr(fulltext, "PAGE_SIZE", 2)
    for n in range(5):
        kind = "intercept" if n % 2 else "document"
        with_pages(session, make.evidence(exhibit_no=f"P-02{n}", kind=kind), f"Kursk deployment report {n}")
    session.commit()
    login("viewer", "public")
    first = section(page(client, q="deployment"))
    assert "Page 1 of 3" in first and 'rel="next"' in first
    third = section(page(client, q="deployment", page=3))
    assert third.count("<li>") == 1 and 'rel="prev"' in third
    filtered = section(page(client, q="deployment", kind="intercept"))
    assert filtered.count("<li>") == 2 and "P-021" in filtered and "P-020" not in filtered


@pytest.mark.parametrize(
    "args",
    [
        {"q": "deployment", "page": "0"},
        {"q": "deployment", "page": "999999"},
        {"q": "deployment", "page": "x"},
        {"q": "deployment", "kind": "poem"},
        {"q": "deployment", "classification": "confidential"},  # above the viewer's clearance
        {"q": "deployment", "collected_from": "2024-13-01"},
        {"q": "deployment", "collected_from": "2024-02-01", "collected_to": "2023-01-01"},
        {"q": " ".join(f"word{n}" for n in range(12))},
    ],
)
def test_refused_queries_and_filters_answer_400_with_the_reason(client, login, args):
    login("viewer", "public")
    html = page(client, status=400, **args)
    assert 'class="error' in html or "error" in html


@pytest.mark.parametrize(
    "query", ['"deployment', "deployment OR NOT x", "NEAR(deployment", "deployment*", "text:deployment", "a^b -c"]
)
def test_query_syntax_answers_a_page_not_an_error(client, login, make, session, query):
    with_pages(session, make.evidence(exhibit_no="P-0301"), "Kursk deployment report")
    session.commit()
    login("viewer", "public")
    response = client.get("/search", query_string={"q": query})
    assert response.status_code in (200, 400)


def test_a_low_clearance_page_is_the_same_with_or_without_hidden_matches(client, login, make, session, ticking_clock):
    for n in range(3):
        with_pages(session, make.evidence(exhibit_no=f"P-04{n}"), f"Kursk deployment report number {n}")
    session.commit()
    login("viewer", "public")
    queries = [{"q": "deployment"}, {"q": "deployment report"}, {"q": "deployment", "kind": "document"}]
    before = [mask_volatile(page(client, **args)) for args in queries]
    for n, classification in enumerate(("restricted", "confidential", "strictly_confidential")):
        hidden = make.evidence(exhibit_no=f"S-04{n}", title="Hidden", classification=classification)
        with_pages(session, hidden, "deployment deployment report " * 30)
    session.commit()
    after = [mask_volatile(page(client, **args)) for args in queries]
    assert after == before


def test_text_extracted_by_a_job_is_found_once_stored(client, login, app, make, session, evidence_dir):
    from services.evidence.files import attach_file
    from services.evidence.store import store_for
    from services.jobs import queue, records

    exhibit = make.evidence(exhibit_no="P-0501")
    store = store_for(app.config)
    incoming = store.receive()
    incoming.write("Наказ про наступ підписав міністр оборони".encode())
    incoming.flush()
    file = attach_file(session, store, exhibit, incoming, original_name="nakaz.txt", actor=None)
    job = records.schedule_extraction(session, file, None)
    records.take_pending(session)
    session.commit()
    login("viewer", "public")
    assert "nakaz.txt" not in section(page(client, q="підписав"))
    queue.queue_of(app).run(job.id)
    html = section(page(client, q="підписав"))
    assert "P-0501" in html and "<mark>підписав</mark>" in html
