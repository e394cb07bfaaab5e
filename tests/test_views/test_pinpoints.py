"""Pinpoints anchored to the document (issue 22 item 5): a passage chosen in the viewer's text
layer (W3C TextQuoteSelector: exact, prefix, suffix, checked against the stored page) or a time
range of a recording, stored on the support; shown on the dossier page, in the PDF case file and
in the bag, with a link that opens the viewer at it; the supports API reads and writes it."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pypdf
import pytest
from sqlalchemy import func, select

from models import Support
from services.evidence import pinpoints
from services.exports.data import as_json, gather
from services.exports.pdf import render_pdf
from tests import text_files as tf
from tests.pages import mask_volatile
from tests.test_views.test_viewer import attach, store, wav_bytes  # noqa: F401  (fixtures)

PAGE_ONE = "The Federation Council consents to the use of the armed forces abroad."
PAGE_TWO = "Signed by the chair of the Federation Council on 22 February 2022."
EXACT = "chair of the\nFederation Council"  # the line ends where the page's text breaks it
ALL = ("public", "restricted", "confidential", "strictly_confidential")


@pytest.fixture
def case(session, make, attach):  # noqa: F811
    """An official with a tenure, and a PDF exhibit whose text was extracted: (official, tenure, file)."""
    official = make.official(name="Valentina Matviyenko")
    tenure = make.tenure(official=official)
    file = attach(tf.text_pdf(PAGE_ONE, PAGE_TWO), "consent.pdf", text=True, title="Federation Council resolution")
    session.commit()
    return official, tenure, file


def anchor(file, page=2, exact=EXACT, prefix="Signed by the ", suffix=" on 22", **kw):
    return pinpoints.Anchor(file.id, page=page, exact=exact, prefix=prefix, suffix=suffix, **kw)


# --- the check against the stored page -------------------------------------------------------


def test_a_passage_on_its_page_is_kept_as_sent(session, store, case):  # noqa: F811
    _official, _tenure, file = case
    kept = pinpoints.checked(session, store, file.evidence, anchor(file))
    assert kept == anchor(file)
    assert pinpoints.checked(session, store, file.evidence, anchor(file, prefix=None, suffix=None)).prefix is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"page": 1}, "does not occur on page 1"),
        ({"page": 3}, "Page 3 of this file has no stored text"),
        ({"page": 0}, "number of its page"),
        ({"exact": "chair of the Duma"}, "does not occur on page 2"),
        ({"exact": "   "}, "needs the quoted text"),
        ({"exact": "x" * 2001}, "at most 2000 characters"),
        ({"prefix": "Sealed by the "}, "text around the quoted passage does not match"),
        ({"suffix": " in 2023"}, "text around the quoted passage does not match"),
        ({"prefix": "y" * 201}, "at most 200 characters"),
        ({"start": 1.0, "end": 2.0}, "not both"),
    ],
)
def test_a_passage_that_is_not_on_the_page_is_refused(session, store, case, change, message):  # noqa: F811
    _official, _tenure, file = case
    with pytest.raises(pinpoints.AnchorRefused, match=message):
        pinpoints.checked(session, store, file.evidence, pinpoints.Anchor(**{**anchor(file).__dict__, **change}))


def test_a_file_of_another_exhibit_or_no_file_is_refused(session, store, case, attach):  # noqa: F811
    _official, _tenure, file = case
    other = attach(tf.text_pdf(PAGE_TWO), "other.pdf", text=True)
    for file_id in (other.id, 999_999, 2**31, 10**20):
        with pytest.raises(pinpoints.AnchorRefused, match="not a file of exhibit"):
            pinpoints.checked(session, store, file.evidence, pinpoints.Anchor(file_id, page=1, exact="Signed"))


def test_a_time_range_lies_within_the_recording(session, store, attach):  # noqa: F811
    audio = attach(wav_bytes(2.0), "intercept.wav")
    evidence = audio.evidence
    assert pinpoints.duration_of(store, audio) == pytest.approx(2.0)
    kept = pinpoints.checked(session, store, evidence, pinpoints.Anchor(audio.id, start=0.5, end=1.25))
    assert (kept.start, kept.end, kept.page) == (0.5, 1.25, None)
    for start, end, message in [
        (1.0, 3.0, "lasts 2.0 seconds"),
        (1.0, 1.0, "runs forward"),
        (-1.0, 1.0, "runs forward"),
        (0.0, float("nan"), "needs its start and its end"),
        (0.0, None, "needs its start and its end"),
    ]:
        with pytest.raises(pinpoints.AnchorRefused, match=message):
            pinpoints.checked(session, store, evidence, pinpoints.Anchor(audio.id, start=start, end=end))


def test_a_time_range_points_into_a_recording_only(session, store, case):  # noqa: F811
    _official, _tenure, file = case
    with pytest.raises(pinpoints.AnchorRefused, match="audio or video"):
        pinpoints.checked(session, store, file.evidence, pinpoints.Anchor(file.id, start=0.0, end=1.0))


def test_the_database_refuses_a_half_anchor(session, make, case):  # noqa: F811
    _official, tenure, file = case
    from sqlalchemy.exc import IntegrityError

    for columns in (
        {"anchor_file_id": file.id},
        {"anchor_file_id": file.id, "quote_page": 1},
        {"quote_page": 1, "quote_exact": "x"},
        {"anchor_file_id": file.id, "quote_page": 0, "quote_exact": "x"},
        {"anchor_file_id": file.id, "time_start": 2.0, "time_end": 1.0},
        {"anchor_file_id": file.id, "quote_page": 1, "quote_exact": "x", "time_start": 0.0, "time_end": 1.0},
    ):
        with session.begin_nested():
            session.add(Support(evidence=file.evidence, tenure=tenure, stance="supports", **columns))
            with pytest.raises(IntegrityError):
                session.flush()


# --- from the viewer to the dossier, the case file and the bag ---------------------------------


def link_passage(client, file, tenure, **fields):
    """Choose the passage in the viewer (its form posts to the link form), then link it."""
    chosen = {
        "prefill": "1",
        "anchor_file": str(file.id),
        "quote_page": "2",
        "quote_exact": EXACT.replace("\n", "\r\n"),  # as a browser posts a line end
        "quote_prefix": "Signed by the ",
        "quote_suffix": " on 22",
    }
    form = client.post(f"/evidence/{file.evidence_id}/supports/new", data=chosen)
    assert form.status_code == 200
    page = form.get_data(as_text=True)
    assert f"<q>{EXACT}</q>".replace("\n", "\r\n") in page
    assert 'name="quote_prefix" type="hidden" value="Signed by the "' in page
    submitted = {k: v for k, v in chosen.items() if k != "prefill"}
    submitted.update({"target_type": "tenure", "tenure_id": str(tenure.id), "stance": "supports", **fields})
    return client.post(f"/evidence/{file.evidence_id}/supports/new", data=submitted)


def test_the_viewer_offers_analysts_the_link_of_a_chosen_passage(client, login, case):
    _official, _tenure, file = case
    login("analyst")
    html = client.get(f"/files/{file.id}/view").get_data(as_text=True)
    assert 'id="pinpoint-link" method="post"' in html and f'name="anchor_file" value="{file.id}"' in html


def test_viewers_are_not_offered_the_link(client, login, case):
    _official, _tenure, file = case
    login("viewer")
    assert 'id="pinpoint-link"' not in client.get(f"/files/{file.id}/view").get_data(as_text=True)


def test_a_passage_linked_shows_on_the_dossier_and_opens_the_viewer_at_it(client, login, session, case):
    official, tenure, file = case
    login("analyst")
    response = link_passage(client, file, tenure, pinpoint="p. 2")
    assert response.status_code == 302, response.get_data(as_text=True)
    support = session.scalars(select(Support).where(Support.evidence_id == file.evidence_id)).one()
    assert (support.anchor_file_id, support.quote_page, support.quote_exact) == (file.id, 2, EXACT)
    assert (support.quote_prefix, support.quote_suffix, support.pinpoint) == ("Signed by the ", " on 22", "p. 2")
    dossier = client.get(f"/dossiers/{official.id}").get_data(as_text=True)
    assert f"page 2: <q>{EXACT}</q>" in dossier
    link = f"/files/{file.id}/view?support={support.id}#quote"
    assert f'href="{link}"' in dossier
    viewer = client.get(link.split("#")[0]).get_data(as_text=True)
    assert (
        '<div class="text-layer" data-page="2">Signed by the <mark id="quote" class="quote">'
        f"{EXACT}</mark> on 22\nFebruary 2022.</div>"
    ) in viewer


def test_a_forged_passage_is_refused_and_nothing_is_stored(client, login, session, case):
    _official, tenure, file = case
    login("analyst")
    response = link_passage(client, file, tenure, quote_exact="Putin signed the order")
    assert response.status_code == 400
    assert "The quoted text does not occur on page 2 of the file." in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Support)) == 0
    hostile = link_passage(client, file, tenure, anchor_file="99999999999999999999", quote_page="x")
    assert hostile.status_code == 400


def test_the_viewer_ignores_a_support_of_another_exhibit_or_none(client, login, session, make, case):
    _official, tenure, file = case
    other = make.support(evidence=make.evidence(), tenure=tenure)
    session.commit()
    login("viewer")
    for query in (f"?support={other.id}", "?support=abc", "?support=99999999999999999999", "?support=-1"):
        response = client.get(f"/files/{file.id}/view{query}")
        assert response.status_code == 200 and 'id="quote"' not in response.get_data(as_text=True)


def test_a_time_range_linked_from_the_player(client, login, session, make, attach):  # noqa: F811
    audio = attach(wav_bytes(2.0), "intercept.wav")
    tenure = make.tenure()
    session.commit()
    login("analyst")
    html = client.get(f"/files/{audio.id}/view").get_data(as_text=True)
    assert 'id="time-link"' in html
    form = client.post(
        f"/evidence/{audio.evidence_id}/supports/new", data={"prefill": "1", "anchor_file": str(audio.id)}
    )
    assert 'name="time_start"' in form.get_data(as_text=True)
    data = {"anchor_file": str(audio.id), "target_type": "tenure", "tenure_id": str(tenure.id), "stance": "supports"}
    refused = client.post(
        f"/evidence/{audio.evidence_id}/supports/new", data={**data, "time_start": "1", "time_end": "9"}
    )
    assert refused.status_code == 400 and "lasts 2.0 seconds" in refused.get_data(as_text=True)
    words = client.post(
        f"/evidence/{audio.evidence_id}/supports/new", data={**data, "time_start": "a", "time_end": "1"}
    )
    assert words.status_code == 400 and "number of seconds" in words.get_data(as_text=True)
    done = client.post(
        f"/evidence/{audio.evidence_id}/supports/new", data={**data, "time_start": "0,5", "time_end": "1.5"}
    )
    assert done.status_code == 302
    support = session.scalars(select(Support).where(Support.evidence_id == audio.evidence_id)).one()
    assert (support.time_start, support.time_end, support.quote_page) == (0.5, 1.5, None)
    page = client.get(f"/dossiers/{tenure.official_id}").get_data(as_text=True)
    assert "0:00.5–0:01.5" in page


def test_the_case_file_and_the_bag_show_the_quote_and_page(client, login, session, app, case):
    official, tenure, file = case
    login("analyst")
    assert link_passage(client, file, tenure).status_code == 302
    with app.test_request_context():
        bundle = gather(session, [official.id], visible=ALL, scope_start=dt.date(2014, 2, 20))
        pdf = render_pdf(bundle)
        data = as_json(bundle)
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "chair of the Federation Council" in re.sub(r"\s+", " ", text)
    assert "page 2" in text
    [support] = data["supports"]
    assert support["selector"] == {
        "type": "TextQuoteSelector",
        "exact": EXACT,
        "prefix": "Signed by the ",
        "suffix": " on 22",
        "page": 2,
        "source_sha256": file.sha256,
    }


def test_a_support_without_an_anchor_is_shown_and_exported_as_before(session, make, app, client, login, case):
    official, tenure, file = case
    make.support(evidence=file.evidence, tenure=tenure, pinpoint="para. 4")
    session.commit()
    login("analyst")
    page = client.get(f"/dossiers/{official.id}").get_data(as_text=True)
    assert "support-quote" not in page
    assert '<span class="pinpoint">para. 4</span></li>' in page
    with app.test_request_context():
        data = as_json(gather(session, [official.id], visible=ALL, scope_start=dt.date(2014, 2, 20)))
    [support] = data["supports"]
    assert not {"selector", *pinpoints_columns()} & set(support)


def pinpoints_columns() -> set[str]:
    from services.exports.data import ANCHOR_COLUMNS

    return set(ANCHOR_COLUMNS)


# --- the API ------------------------------------------------------------------------------------


def test_the_api_writes_and_reads_the_selector(client, make_user, session, case):
    from services.auth import tokens  # noqa: PLC0415

    _official, tenure, file = case
    headers = {"Authorization": f"Bearer {tokens.issue_token(session, make_user('analyst')).secret}"}
    session.commit()
    selector = {"file_id": file.id, "page": 2, "exact": EXACT, "prefix": "Signed by the "}
    body = {"evidence_id": file.evidence_id, "target_type": "tenure", "target_id": tenure.id, "stance": "supports"}
    refused = client.post(
        "/api/v1/supports", json={**body, "selector": {**selector, "exact": "the Duma"}}, headers=headers
    )
    assert refused.status_code == 422 and "does not occur on page 2" in refused.get_data(as_text=True)
    created = client.post("/api/v1/supports", json={**body, "selector": selector}, headers=headers)
    assert created.status_code == 201, created.get_data(as_text=True)
    assert created.json["selector"] == {"type": "TextQuoteSelector", **selector, "suffix": None}
    read = client.get(f"/api/v1/supports/{created.json['id']}", headers=headers)
    assert read.json["selector"]["exact"] == EXACT
    cleared = client.patch(
        f"/api/v1/supports/{created.json['id']}",
        json={"version": read.json["version"], "selector": None},
        headers=headers,
    )
    assert cleared.status_code == 200 and cleared.json["selector"] is None


# --- the kept dossier page -----------------------------------------------------------------------


def test_a_kept_dossier_page_shows_a_new_pinpoint(client, login, session, make, app, case, monkeypatch):
    official, tenure, file = case
    support = make.support(evidence=file.evidence, tenure=tenure)
    session.commit()
    monkeypatch.setitem(app.config, "PAGE_CACHE_BYTES", 8 * 1024**2)
    app.extensions.pop("page_caches", None)
    login("analyst")
    session.commit()
    before = client.get(f"/dossiers/{official.id}").get_data(as_text=True)
    assert "support-quote" not in before
    pinpoints.apply(support, anchor(file))
    session.commit()
    kept = client.get(f"/dossiers/{official.id}").get_data(as_text=True)
    assert f"page 2: <q>{EXACT}</q>" in kept
    app.extensions.pop("page_caches")  # rendered afresh: the kept page was right
    fresh = client.get(f"/dossiers/{official.id}").get_data(as_text=True)
    assert mask_volatile(fresh) == mask_volatile(kept)
    app.extensions.pop("page_caches", None)


def test_bundle_json_is_json(session, app, case):
    official, _tenure, _file = case
    with app.test_request_context():
        json.dumps(as_json(gather(session, [official.id], visible=ALL, scope_start=dt.date(2014, 2, 20))))
