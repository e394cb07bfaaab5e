"""The disclosure register through the API (issue 23 item 6): recipients, batches, items and the
steps -- approve, disclose, withhold, consent -- with the pages' rules, refusals as problems,
clearance as everywhere (404 for what the caller may not see), and the audit trail."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from sqlalchemy import select

from models import AuditEvent, CustodyEvent, DisclosureItem
from services.evidence.files import attach_file
from services.evidence.store import store_for
from tests.test_api.conftest import assert_problem

TODAY = dt.datetime.now(dt.UTC).date().isoformat()
_bytes = itertools.count(1)


@pytest.fixture
def exhibit(session, make, app):
    def build(**kw):
        evidence = make.evidence(**kw)
        store = store_for(app.config)
        incoming = store.receive()
        incoming.write(f"api bytes {next(_bytes)}".encode())
        attach_file(session, store, evidence, incoming, original_name="cable.pdf", actor=None)
        session.commit()
        return evidence

    return build


def _recipient(api_client, official_id):
    response = api_client.post(
        "/disclosure/recipients", json={"kind": "defence", "name": "Defence API", "official_ids": [official_id]}
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _batch(api_client, recipient_id, basis="Rule 77"):
    response = api_client.post(
        "/disclosure/batches", json={"recipient_id": recipient_id, "batch_date": TODAY, "basis": basis}
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _item(api_client, batch_id, evidence, category="art_67_2"):
    return api_client.post(
        "/disclosure/items",
        json={
            "batch_id": batch_id,
            "evidence_id": evidence.id,
            "sha256": evidence.files[0].sha256,
            "category": category,
            "conditions": "Counsel only",
        },
    )


def test_a_batch_goes_through_its_steps_by_the_api(api, make, session, exhibit):
    official = make.official()
    evidence = exhibit(originator="Agency Z", originator_consent_required=True)
    analyst = api("analyst", "public")
    recipient = _recipient(analyst, official.id)
    assert recipient["official_ids"] == [official.id] and recipient["kind"] == "defence"
    batch = _batch(analyst, recipient["id"])
    assert (batch["status"], batch["prepared_by"]) == ("draft", analyst.user.id)
    response = _item(analyst, batch["id"], evidence)
    assert response.status_code == 201, response.get_json()
    item = response.get_json()
    assert (item["status"], item["sha256"], item["consent_required"]) == ("proposed", evidence.files[0].sha256, True)
    assert_problem(_item(analyst, batch["id"], evidence), 409, "duplicate")
    assert_problem(analyst.post(f"/disclosure/batches/{batch['id']}/approve"), 403, "forbidden")
    prosecutor = api("prosecutor", "public")
    approved = prosecutor.post(f"/disclosure/batches/{batch['id']}/approve")
    assert approved.status_code == 200 and approved.get_json()["approved_by"] == prosecutor.user.id
    assert_problem(_item(analyst, batch["id"], exhibit()), 409, "refused")  # no longer in preparation
    missing = prosecutor.post(f"/disclosure/batches/{batch['id']}/disclose")
    assert "consent" in assert_problem(missing, 409, "refused")["detail"]
    consent = analyst.post(
        f"/disclosure/items/{item['id']}/consent",
        json={"given_by": "Agency Z counsel", "given_on": TODAY, "reference": "Note 4"},
    )
    assert consent.status_code == 200 and consent.get_json()["consent_reference"] == "Note 4"
    disclosed = prosecutor.post(f"/disclosure/batches/{batch['id']}/disclose")
    assert disclosed.status_code == 200 and disclosed.get_json()["status"] == "disclosed"
    assert analyst.get(f"/disclosure/items/{item['id']}").get_json()["status"] == "disclosed"
    events = session.scalars(select(CustodyEvent).where(CustodyEvent.evidence_id == evidence.id)).all()
    assert events[-1].event_type == "disclosed"
    session.commit()
    audited = {
        (e.entity_type, e.action)
        for e in session.scalars(select(AuditEvent).where(AuditEvent.entity_type.like("disclosure%")))
    }
    assert {
        ("disclosure_recipient", "create"),
        ("disclosure_batch", "update"),
        ("disclosure_item", "update"),
    } <= audited


def test_the_preparer_cannot_approve_and_withholding_needs_a_rule_81_reason(api, make, exhibit):
    prosecutor = api("prosecutor", "public")
    batch = _batch(prosecutor, _recipient(prosecutor, make.official().id)["id"])
    item = _item(prosecutor, batch["id"], exhibit()).get_json()
    detail = assert_problem(prosecutor.post(f"/disclosure/batches/{batch['id']}/approve"), 403, "forbidden")["detail"]
    assert "prepared" in detail
    assert_problem(prosecutor.post(f"/disclosure/items/{item['id']}/withhold", json={"reason": "whim"}), 422)
    withheld = prosecutor.post(
        f"/disclosure/items/{item['id']}/withhold", json={"reason": "r81_2_investigations", "note": "Ongoing"}
    )
    assert withheld.get_json()["status"] == "withheld"
    assert withheld.get_json()["withholding_reason"] == "r81_2_investigations"
    again = prosecutor.post(f"/disclosure/items/{item['id']}/withhold", json={"reason": "r81_1_internal"})
    assert_problem(again, 409, "refused")


def test_a_lower_clearance_sees_nothing_of_hidden_exhibits(api, make, exhibit):
    cleared = api("analyst", "confidential")
    recipient = _recipient(cleared, make.official().id)
    hidden_batch = _batch(cleared, recipient["id"], basis="Hidden")
    mixed_batch = _batch(cleared, recipient["id"], basis="Mixed")
    secret, public = exhibit(classification="confidential"), exhibit()
    hidden_item = _item(cleared, hidden_batch["id"], secret).get_json()
    _item(cleared, mixed_batch["id"], secret)
    _item(cleared, mixed_batch["id"], public)
    low = api("prosecutor", "public")
    assert_problem(low.get(f"/disclosure/batches/{hidden_batch['id']}"), 404, "not-found")
    assert_problem(low.get(f"/disclosure/items/{hidden_item['id']}"), 404, "not-found")
    assert [b["basis"] for b in low.get("/disclosure/batches").get_json()["items"]] == ["Mixed"]
    listed = low.get(f"/disclosure/items?batch_id={mixed_batch['id']}").get_json()["items"]
    assert [i["evidence_id"] for i in listed] == [public.id]
    assert_problem(low.post(f"/disclosure/batches/{mixed_batch['id']}/approve"), 403, "forbidden")
    refused = _item(low, mixed_batch["id"], secret)
    assert_problem(refused, 422, "validation")
    assert_problem(_item(low, hidden_batch["id"], public), 422, "validation")


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "defence", "name": "No officials", "official_ids": []},
        {"kind": "authority", "name": "With officials", "official_ids": [1]},
        {"kind": "defence", "name": "Missing official", "official_ids": [2**31 - 1]},
        {"kind": "judge", "name": "Judge"},
        {"kind": "authority", "name": " "},
        {"kind": "authority", "name": "x", "official_ids": [0]},
        {"kind": "authority", "name": "x", "extra": 1},
    ],
)
def test_bad_recipients_are_refused_with_422(api, body):
    assert_problem(api("analyst").post("/disclosure/recipients", json=body), 422)


def test_the_document_describes_the_disclosure_operations(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in (
        "/api/v1/disclosure/recipients",
        "/api/v1/disclosure/batches/{batch_id}/approve",
        "/api/v1/disclosure/batches/{batch_id}/disclose",
        "/api/v1/disclosure/items/{item_id}/withhold",
        "/api/v1/disclosure/items/{item_id}/consent",
    ):
        assert path in paths, path


def test_an_item_keeps_its_exhibit_and_file(api, make, exhibit, session):
    analyst = api("analyst", "public")
    batch = _batch(analyst, _recipient(analyst, make.official().id)["id"])
    evidence = exhibit()
    assert_problem(
        analyst.post(
            "/disclosure/items",
            json={"batch_id": batch["id"], "evidence_id": evidence.id, "sha256": "0" * 64, "category": "rule_77"},
        ),
        422,
    )
    item = _item(analyst, batch["id"], evidence).get_json()
    changed = analyst.patch(f"/disclosure/items/{item['id']}", json={"category": "rule_76", "version": item["version"]})
    assert changed.status_code == 200 and changed.get_json()["category"] == "rule_76"
    stored = session.get(DisclosureItem, item["id"])
    assert (stored.evidence_id, stored.evidence_file_id) == (evidence.id, evidence.files[0].id)
