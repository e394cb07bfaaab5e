"""The disclosure pages (views/disclosure.py): the register, a batch's workflow through its forms
(as an analyst, then a second prosecutor), refusals answered with the form kept, hostile input
answered 400 or 404 (never 500), and what a lower clearance sees -- counts included."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from sqlalchemy import select

from models import CustodyEvent, DisclosureBatch, DisclosureItem, DisclosureRecipient
from services.disclosure import workflow as disclosure
from services.evidence.files import attach_file
from services.evidence.store import store_for

TODAY = dt.datetime.now(dt.UTC).date()
_bytes = itertools.count(1)


@pytest.fixture
def exhibit(session, make, app):
    def build(**kw):
        evidence = make.evidence(**kw)
        store = store_for(app.config)
        incoming = store.receive()
        incoming.write(f"page bytes {next(_bytes)}".encode())
        file = attach_file(session, store, evidence, incoming, original_name="report.pdf", actor=None)
        session.commit()
        return file

    return build


@pytest.fixture
def recipient(session, make):
    official = make.official(name="Defended Official")
    with session.no_autoflush:
        saved = disclosure.save_recipient(
            session, None, disclosure.RecipientInput("defence", "Defence team A", None, [official.id])
        )
    session.commit()
    return saved


def _batch(session, recipient, preparer, basis="Rule 77"):
    batch = disclosure.create_batch(session, disclosure.BatchInput(recipient.id, TODAY, basis, None), preparer)
    session.commit()
    return batch


def test_a_batch_is_prepared_approved_and_disclosed_through_the_pages(client, login, session, make, exhibit, app):
    official = make.official(name="Accused Person")
    file = exhibit(originator="Agency X", originator_consent_required=True)
    analyst = login("analyst", "confidential")
    response = client.post(
        "/disclosure/recipients/new",
        data={"kind": "defence", "name": "Counsel for the accused", "official_ids": f"{official.id}", "notes": ""},
    )
    assert response.status_code == 302
    recipient = session.scalar(select(DisclosureRecipient).where(DisclosureRecipient.name == "Counsel for the accused"))
    assert [o.id for o in recipient.officials] == [official.id]
    response = client.post(
        "/disclosure/batches/new",
        data={"recipient_id": recipient.id, "batch_date": TODAY.isoformat(), "basis": "Rule 77, order of 1 March"},
    )
    assert response.status_code == 302
    batch = session.scalar(select(DisclosureBatch).where(DisclosureBatch.recipient_id == recipient.id))
    page = client.get(f"/disclosure/batches/{batch.id}?exhibit={file.evidence.exhibit_no}").get_data(as_text=True)
    assert "report.pdf" in page and f'value="{file.id}"' in page
    response = client.post(
        f"/disclosure/batches/{batch.id}/items",
        data={"evidence_file_id": file.id, "category": "art_67_2", "conditions": "Counsel's eyes only"},
    )
    assert response.status_code == 302
    item = session.scalar(select(DisclosureItem).where(DisclosureItem.batch_id == batch.id))
    assert (item.status, item.category, item.consent_required) == ("proposed", "art_67_2", True)
    assert client.post(f"/disclosure/batches/{batch.id}/approve").status_code == 403  # an analyst
    response = client.post(
        f"/disclosure/items/{item.id}/consent",
        data={
            f"c{item.id}-given_by": "Agency X legal office",
            f"c{item.id}-given_on": TODAY.isoformat(),
            f"c{item.id}-reference": "Letter 7/2026",
        },
    )
    assert response.status_code == 302
    login("prosecutor", "confidential")
    response = client.post(f"/disclosure/batches/{batch.id}/approve")
    assert response.status_code == 302, response.get_data(as_text=True)
    response = client.post(f"/disclosure/batches/{batch.id}/disclose")
    assert response.status_code == 302, response.get_data(as_text=True)
    session.expire_all()
    assert session.get(DisclosureBatch, batch.id).status == "disclosed"
    assert session.get(DisclosureItem, item.id).status == "disclosed"
    events = session.scalars(select(CustodyEvent).where(CustodyEvent.evidence_id == file.evidence_id)).all()
    assert events[-1].event_type == "disclosed"
    page = client.get(f"/disclosure/batches/{batch.id}").get_data(as_text=True)
    assert "Letter 7/2026" in page and analyst.email in page
    assert "Approve the batch" not in page and "Disclose the batch" not in page


def test_the_preparer_cannot_approve_and_is_told_why(client, login, session, recipient, exhibit):
    prosecutor = login("prosecutor", "public")
    batch = _batch(session, recipient, prosecutor)
    disclosure.add_item(session, batch, exhibit(), category="rule_77", conditions=None, actor=prosecutor)
    session.commit()
    response = client.post(f"/disclosure/batches/{batch.id}/approve")
    assert response.status_code == 403
    assert "Whoever prepared a batch cannot approve it" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(DisclosureBatch, batch.id).status == "draft"


def test_withholding_needs_a_reason_from_rule_81(client, login, session, recipient, exhibit, make_user):
    analyst = login("analyst", "public")
    batch = _batch(session, recipient, analyst)
    item = disclosure.add_item(session, batch, exhibit(), category="rule_76", conditions=None, actor=analyst)
    session.commit()
    response = client.post(f"/disclosure/items/{item.id}/withhold", data={f"w{item.id}-reason": "whim"})
    assert response.status_code == 400
    response = client.post(
        f"/disclosure/items/{item.id}/withhold",
        data={f"w{item.id}-reason": "r81_4_witnesses", f"w{item.id}-note": "Protected witness"},
    )
    assert response.status_code == 302
    page = client.get(f"/disclosure/batches/{batch.id}").get_data(as_text=True)
    assert "Rule 81(4): safety of witnesses" in page and "Protected witness" in page


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/disclosure/batches/new", {"recipient_id": "x", "batch_date": "yesterday", "basis": ""}),
        ("/disclosure/batches/new", {"recipient_id": str(2**40), "batch_date": "2026-01-01", "basis": "Rule 77"}),
        ("/disclosure/batches/new", {"recipient_id": "1", "batch_date": "2026-13-45", "basis": "\x00"}),
        ("/disclosure/recipients/new", {"kind": "defence", "name": "T", "official_ids": "1, two"}),
        ("/disclosure/recipients/new", {"kind": "defence", "name": "T", "official_ids": "99999999999"}),
        ("/disclosure/recipients/new", {"kind": "judge", "name": "T"}),
        ("/disclosure/recipients/new", {"kind": "authority", "name": "x" * 301}),
    ],
)
def test_bad_input_is_refused_with_400_and_the_form_kept(client, login, recipient, url, data):
    login("analyst", "public")
    response = client.post(url, data=data)
    assert response.status_code == 400, response.get_data(as_text=True)[:500]
    if data.get("basis") == "Rule 77":
        assert "Rule 77" in response.get_data(as_text=True)


@pytest.mark.parametrize("file_id", ["", "abc", "-1", str(2**31), str(2**63 + 5), "1e3"])
def test_a_bad_file_choice_is_refused_not_crashed(client, login, session, recipient, file_id):
    analyst = login("analyst", "public")
    batch = _batch(session, recipient, analyst)
    response = client.post(
        f"/disclosure/batches/{batch.id}/items", data={"evidence_file_id": file_id, "category": "rule_77"}
    )
    assert response.status_code == 400


def test_a_lower_clearance_sees_neither_hidden_items_nor_batches_nor_their_counts(
    client, login, session, recipient, exhibit, make_user
):
    preparer = make_user("analyst", "strictly_confidential")
    public_file, secret_file = (
        exhibit(title="Open report"),
        exhibit(classification="confidential", title="Secret cable"),
    )
    mixed = _batch(session, recipient, preparer, basis="Mixed basis")
    hidden = _batch(session, recipient, preparer, basis="Hidden basis")
    for batch, file in ((mixed, public_file), (mixed, secret_file), (hidden, secret_file)):
        disclosure.add_item(session, batch, file, category="art_67_2", conditions=None, actor=preparer)
    session.commit()
    secret_item = session.scalar(select(DisclosureItem).where(DisclosureItem.batch_id == hidden.id))
    login("viewer", "public")
    register = client.get("/disclosure").get_data(as_text=True)
    assert "Mixed basis" in register and "Hidden basis" not in register
    assert "proposed: 1" in register and "proposed: 2" not in register
    page = client.get(f"/disclosure/batches/{mixed.id}").get_data(as_text=True)
    assert "Open report" in page and "Secret cable" not in page and secret_file.evidence.exhibit_no not in page
    assert "above your clearance" not in page  # not even how many items are hidden
    assert client.get(f"/disclosure/batches/{hidden.id}").status_code == 404
    assert client.get(f"/disclosure/batches/{10**6}").status_code == 404
    login("analyst", "public")
    assert client.post(f"/disclosure/items/{secret_item.id}/withhold", data={}).status_code == 404
    found = client.get(f"/disclosure/batches/{mixed.id}?exhibit={secret_file.evidence.exhibit_no}")
    assert "No exhibit of this number" in found.get_data(as_text=True)
    response = client.post(
        f"/disclosure/batches/{mixed.id}/items", data={"evidence_file_id": secret_file.id, "category": "rule_77"}
    )
    assert response.status_code == 400
    assert session.scalar(select(DisclosureItem).where(DisclosureItem.category == "rule_77")) is None


def test_the_register_reads_a_fixed_number_of_queries_however_many_batches(
    client, login, session, recipient, exhibit, make_user, count_queries
):
    preparer = make_user("analyst", "public")
    login("viewer", "public")

    def batches(n):
        for _ in range(n):
            batch = _batch(session, recipient, preparer)
            disclosure.add_item(session, batch, exhibit(), category="rule_77", conditions=None, actor=preparer)
        session.commit()
        client.get("/disclosure")
        with count_queries() as counter:
            assert client.get("/disclosure").status_code == 200
        return counter.count

    assert batches(1) == batches(4)


def test_the_exhibit_form_records_its_originator(client, login, session):
    login("analyst", "public")
    response = client.post(
        "/evidence/new",
        data={
            "title": "Cable",
            "kind": "document",
            "source": "Partner service",
            "classification": "public",
            "reliability": "B",
            "credibility": "2",
            "originator": "Partner service of State Y",
            "originator_consent_required": "y",
        },
    )
    assert response.status_code == 302
    from models import Evidence

    evidence = session.scalar(select(Evidence).where(Evidence.title == "Cable"))
    assert (evidence.originator, evidence.originator_consent_required) == ("Partner service of State Y", True)
    page = client.get(f"/evidence/{evidence.id}").get_data(as_text=True)
    assert "Partner service of State Y" in page and "consent is needed before disclosure" in page
