"""Element-aware disclosure (issue 23 item 2): a dossier lists the exhibits contradicting the
official's facts that its defence has not received, and those it has (batch and date); the
dossiers index filters on "undisclosed exculpatory material" in a fixed number of queries; the
PDF case file says the same; a kept dossier page shows a disclosure made after it was kept."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re

import pypdf
import pytest

from services.disclosure import workflow as disclosure
from services.disclosure.dossiers import dossier_disclosure
from services.dossiers import summaries as dossier_summaries
from services.evidence.files import attach_file
from services.evidence.store import store_for
from services.exports.data import gather
from services.exports.pdf import render_pdf
from tests.pages import mask_volatile

TODAY = dt.datetime.now(dt.UTC).date()
SCOPE = dt.date(2014, 2, 20)
ALL = ("public", "restricted", "confidential", "strictly_confidential")
_bytes = itertools.count(1)
ROW = re.compile(r'name="official_id" value="(\d+)"')


@pytest.fixture
def case(session, make, make_user, app):
    """An official whose tenure and involvement are contradicted by three exhibits (one
    confidential) and whose decision's act by a fourth; a defence team of theirs; another
    official's defence team. Returns a namespace of them."""
    store = store_for(app.config)

    def exhibit(**kw):
        evidence = make.evidence(**kw)
        incoming = store.receive()
        incoming.write(f"contradicting {next(_bytes)}".encode())
        attach_file(session, store, evidence, incoming, original_name=f"{evidence.exhibit_no}.pdf", actor=None)
        return evidence

    state = make.state(code="QB")
    official = make.official(state=state, name="Accused Official")
    other = make.official(state=state, name="Other Official")
    tenure = make.tenure(official=official)
    decision = make.linked_decision(state)
    involvement = make.involvement(official=official, decision=decision)
    on_tenure = exhibit(title="Alibi letter")
    on_involvement = exhibit(title="Absence record")
    secret = exhibit(title="Sealed contrary testimony", classification="confidential")
    on_act = exhibit(title="Contrary act report")
    supporting = exhibit(title="Supporting decree")
    make.support(evidence=on_tenure, tenure=tenure, stance="contradicts")
    make.support(evidence=on_involvement, involvement=involvement, stance="contradicts")
    make.support(evidence=secret, tenure=tenure, stance="contradicts")
    make.support(evidence=on_act, act=decision.acts[0], stance="contradicts")
    make.support(evidence=supporting, tenure=tenure, stance="supports")
    defence = disclosure.save_recipient(
        session, None, disclosure.RecipientInput("defence", "Defence of the accused", None, [official.id])
    )
    elsewhere = disclosure.save_recipient(
        session, None, disclosure.RecipientInput("defence", "Defence of the other", None, [other.id])
    )
    analyst = make_user("analyst", "strictly_confidential")
    prosecutor = make_user("prosecutor", "strictly_confidential")
    session.commit()
    dossier_summaries.refresh(session, [official.id, other.id])
    session.commit()

    class Case:
        pass

    c = Case()
    c.__dict__.update(
        official=official,
        other=other,
        on_tenure=on_tenure,
        on_involvement=on_involvement,
        secret=secret,
        on_act=on_act,
        supporting=supporting,
        defence=defence,
        elsewhere=elsewhere,
        analyst=analyst,
        prosecutor=prosecutor,
        store=store,
    )
    return c


def disclose(session, case, recipient, exhibits, basis="Art. 67(2)"):
    batch = disclosure.create_batch(session, disclosure.BatchInput(recipient.id, TODAY, basis, None), case.analyst)
    for evidence in exhibits:
        disclosure.add_item(session, batch, evidence.files[0], category="art_67_2", conditions=None, actor=case.analyst)
    disclosure.approve(session, batch, case.prosecutor, ALL)
    disclosure.disclose(session, batch, case.prosecutor, ALL, case.store)
    session.commit()
    return batch


def _numbers(items):
    return [x.exhibit_no for x in items]


def test_the_dossier_splits_its_contradicting_exhibits_by_disclosure_to_its_defence(session, case, app):
    with app.app_context():
        before = dossier_disclosure(session, case.official.id, ALL)
        assert before.defence == ["Defence of the accused"]
        expected = sorted(e.exhibit_no for e in (case.on_tenure, case.on_involvement, case.secret, case.on_act))
        assert _numbers(before.undisclosed) == expected and before.disclosed == []
        disclose(session, case, case.elsewhere, [case.on_tenure])  # to another official's defence: not this one's
        batch = disclose(session, case, case.defence, [case.on_involvement])
        after = dossier_disclosure(session, case.official.id, ALL)
        assert _numbers(after.disclosed) == [case.on_involvement.exhibit_no]
        assert [(d.batch_id, d.batch_date) for d in after.disclosed[0].disclosures] == [(batch.id, TODAY)]
        assert case.on_tenure.exhibit_no in _numbers(after.undisclosed)
        public = dossier_disclosure(session, case.official.id, ("public",))
        assert case.secret.exhibit_no not in _numbers(public.undisclosed) + _numbers(public.disclosed)
        assert case.supporting.exhibit_no not in _numbers(after.undisclosed)


def test_the_dossier_page_shows_it_and_a_kept_page_follows_a_disclosure(
    client, login, session, case, app, monkeypatch, ticking_clock
):
    monkeypatch.setitem(app.config, "PAGE_CACHE_BYTES", 8 * 1024**2)
    app.extensions.pop("page_caches", None)
    try:
        login("viewer", "public")
        session.commit()  # the viewer's account: a change of a kind that drops every page
        url = f"/dossiers/{case.official.id}"
        first = client.get(url).get_data(as_text=True)
        assert "Disclosure to the defence" in first and "Sealed contrary testimony" not in first
        disclose(session, case, case.defence, [case.on_tenure])
        kept = client.get(url).get_data(as_text=True)
        assert app.extensions["page_caches"]["dossier"].hits >= 1  # the dossier's content was kept
        app.extensions.pop("page_caches", None)
        fresh = client.get(url).get_data(as_text=True)
        assert mask_volatile(kept) == mask_volatile(fresh)
        section = kept[kept.index('id="disclosure"') :]
        disclosed = section[section.index("disclosed to the defence</h3>") :]
        assert case.on_tenure.exhibit_no in disclosed and "Defence of the accused" in disclosed
    finally:
        app.extensions.pop("page_caches", None)


def test_the_index_filters_on_undisclosed_exculpatory_material(client, login, session, case, make):
    login("viewer", "confidential")
    url = "/dossiers?state=QB&undisclosed=1"
    assert [int(v) for v in ROW.findall(client.get(url).get_data(as_text=True))] in ([case.official.id], [])
    html = client.get(url).get_data(as_text=True)
    assert "Accused Official" in html and "Other Official" not in html
    disclose(session, case, case.defence, [case.on_tenure, case.on_involvement, case.on_act])
    html = client.get(url).get_data(as_text=True)
    assert "Accused Official" in html  # the confidential exhibit is still undisclosed
    disclose(session, case, case.defence, [case.secret])
    assert "Accused Official" not in client.get(url).get_data(as_text=True)


def test_a_lower_clearance_is_not_told_of_hidden_undisclosed_material(client, login, session, case):
    disclose(session, case, case.defence, [case.on_tenure, case.on_involvement, case.on_act])
    login("viewer", "public")
    assert "Accused Official" not in client.get("/dossiers?state=QB&undisclosed=1").get_data(as_text=True)


def test_the_filtered_index_keeps_its_query_count(client, login, session, case, make, count_queries):
    login("viewer", "confidential")
    url = "/dossiers?state=QB&undisclosed=1"
    client.get(url)
    with count_queries() as few:
        client.get(url)
    for k in range(12):
        official = make.official(state=case.official.state, name=f"More Accused {k:02d}")
        make.support(evidence=make.evidence(), tenure=make.tenure(official=official), stance="contradicts")
        session.commit()
        dossier_summaries.refresh(session, [official.id])
    session.commit()
    with count_queries() as many:
        html = client.get(url).get_data(as_text=True)
    assert "More Accused 11" in html
    assert few.count == many.count


def test_the_pdf_case_file_says_what_the_defence_received(session, case, app):
    batch = disclose(session, case, case.defence, [case.on_tenure])
    with app.app_context():
        bundle = gather(session, [case.official.id], visible=ALL, scope_start=SCOPE)
        text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(render_pdf(bundle))).pages)
    text = re.sub(r"\s+", " ", text)
    assert f"Disclosed to the defence: batch {batch.id} (Defence of the accused, {TODAY.isoformat()})" in text
    assert text.count("Not yet disclosed to the defence") == 3  # the involvement's, the act's, the sealed one
