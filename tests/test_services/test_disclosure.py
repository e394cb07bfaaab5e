"""The disclosure register (services/disclosure/): proposal, approval by another prosecutor,
disclosure with custody events, withholding with a Rule 81 reason, the originator's consent,
and what each clearance sees of it. The database holds the same rules on its own."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from models import AuditEvent, CustodyEvent, DisclosureBatch, DisclosureItem
from models.enums import WITHHOLDING_REASONS
from services.disclosure import visibility
from services.disclosure import workflow as disclosure
from services.evidence import custody
from services.evidence.files import attach_file
from services.evidence.store import store_for
from services.facts.errors import Duplicate, Invalid

TODAY = dt.datetime.now(dt.UTC).date()
ALL = ("public", "restricted", "confidential", "strictly_confidential")
_bytes = itertools.count(1)


@pytest.fixture(autouse=True)
def _app_context(app):
    with app.app_context():
        yield


@pytest.fixture
def store(app):
    return store_for(app.config)


@pytest.fixture
def exhibit(session, make, store):
    """``exhibit(classification=...)``: an exhibit with one stored file, committed; its file."""

    def build(**kw):
        evidence = make.evidence(**kw)
        incoming = store.receive()
        incoming.write(f"exhibit bytes {next(_bytes)}".encode())
        file = attach_file(session, store, evidence, incoming, original_name="statement.txt", actor=None)
        session.commit()
        return file

    return build


@pytest.fixture
def team(session, make, make_user):
    """A defence team of one official, an analyst who prepares, two prosecutors."""
    official = make.official(name="Defended Official")
    recipient = disclosure.save_recipient(
        session, None, disclosure.RecipientInput("defence", "Defence of D. Official", None, [official.id])
    )
    analyst = make_user("analyst", "strictly_confidential")
    prosecutor = make_user("prosecutor", "strictly_confidential")
    return recipient, analyst, prosecutor


def _batch(session, recipient, preparer):
    return disclosure.create_batch(session, disclosure.BatchInput(recipient.id, TODAY, "Rule 77", None), preparer)


def test_a_batch_goes_from_proposal_through_approval_to_disclosure(session, team, exhibit, store):
    recipient, analyst, prosecutor = team
    files = [exhibit(), exhibit(classification="confidential")]
    batch = _batch(session, recipient, analyst)
    items = [
        disclosure.add_item(session, batch, f, category="art_67_2", conditions="Counsel only", actor=analyst)
        for f in files
    ]
    assert [i.status for i in items] == ["proposed", "proposed"]
    disclosure.approve(session, batch, prosecutor, ALL)
    assert batch.status == "approved" and batch.approved_by_id == prosecutor.id
    assert {i.status for i in items} == {"approved"}
    disclosure.disclose(session, batch, prosecutor, ALL, store)
    assert batch.status == "disclosed" and batch.disclosed_at is not None
    assert {i.status for i in items} == {"disclosed"}
    for f in files:
        events, problems = custody.timeline(session, f.evidence_id)
        assert problems == []
        assert events[-1].event_type == "disclosed"
        assert events[-1].evidence_file_id == f.id and events[-1].verified_sha256 == f.sha256
        assert events[-1].to_party == recipient.name
    session.commit()
    audited = {
        (e.entity_type, e.action)
        for e in session.scalars(select(AuditEvent).where(AuditEvent.entity_type.like("disclosure%")))
    }
    assert {("disclosure_batch", "create"), ("disclosure_batch", "update"), ("disclosure_item", "create")} <= audited
    assert ("disclosure_item", "update") in audited and ("disclosure_recipient", "create") in audited


def test_only_another_prosecutor_approves(session, team, exhibit, make_user):
    recipient, analyst, prosecutor = team
    batch = _batch(session, recipient, prosecutor)
    disclosure.add_item(session, batch, exhibit(), category="rule_77", conditions=None, actor=prosecutor)
    with pytest.raises(disclosure.NotAllowed):
        disclosure.approve(session, batch, prosecutor, ALL)  # its preparer
    with pytest.raises(disclosure.NotAllowed):
        disclosure.approve(session, batch, analyst, ALL)  # not a prosecutor
    admin = make_user("admin", "strictly_confidential")
    disclosure.approve(session, batch, admin, ALL)
    assert batch.approved_by_id == admin.id


def test_the_database_refuses_approval_by_the_preparer_and_disclosure_without_approval(session, team, exhibit):
    recipient, analyst, prosecutor = team
    batch = _batch(session, recipient, analyst)
    session.commit()
    now = dt.datetime.now(dt.UTC)
    for values in (
        {"status": "approved", "approved_by_id": analyst.id, "approved_at": now},  # its preparer
        {"status": "approved"},  # nobody approved it
        {"status": "disclosed", "disclosed_by_id": prosecutor.id, "disclosed_at": now},  # never approved
        {"status": "draft", "approved_by_id": prosecutor.id, "approved_at": now},
    ):
        with pytest.raises(IntegrityError), session.begin_nested():
            session.execute(update(DisclosureBatch).where(DisclosureBatch.id == batch.id).values(**values))


def test_an_empty_batch_cannot_be_approved_nor_a_draft_disclosed(session, team, store):
    recipient, analyst, prosecutor = team
    batch = _batch(session, recipient, analyst)
    with pytest.raises(disclosure.Refused):
        disclosure.approve(session, batch, prosecutor, ALL)
    with pytest.raises(disclosure.Refused):
        disclosure.disclose(session, batch, prosecutor, ALL, store)


def test_a_withheld_item_keeps_its_reason_and_is_not_disclosed(session, team, exhibit, store):
    recipient, analyst, prosecutor = team
    batch = _batch(session, recipient, analyst)
    kept = disclosure.add_item(session, batch, exhibit(), category="rule_76", conditions=None, actor=analyst)
    given = disclosure.add_item(session, batch, exhibit(), category="art_67_2", conditions=None, actor=analyst)
    with pytest.raises(Invalid):
        disclosure.withhold(session, kept, "because", None, analyst)
    disclosure.withhold(session, kept, "r81_4_witnesses", "Witness in a protection programme", analyst)
    disclosure.approve(session, batch, prosecutor, ALL)
    disclosure.disclose(session, batch, prosecutor, ALL, store)
    assert (kept.status, kept.withholding_reason) == ("withheld", "r81_4_witnesses")
    assert given.status == "disclosed"
    events = session.scalars(select(CustodyEvent).where(CustodyEvent.evidence_id == kept.evidence_id)).all()
    assert "disclosed" not in {e.event_type for e in events}
    with pytest.raises(IntegrityError), session.begin_nested():
        session.execute(update(DisclosureItem).where(DisclosureItem.id == kept.id).values(withholding_reason=None))


@pytest.mark.parametrize("reason", WITHHOLDING_REASONS)
def test_after_approval_only_a_prosecutor_withholds(session, team, exhibit, reason):
    recipient, analyst, prosecutor = team
    batch = _batch(session, recipient, analyst)
    item = disclosure.add_item(session, batch, exhibit(), category="rule_77", conditions=None, actor=analyst)
    disclosure.approve(session, batch, prosecutor, ALL)
    with pytest.raises(disclosure.NotAllowed):
        disclosure.withhold(session, item, reason, None, analyst)
    disclosure.withhold(session, item, reason, None, prosecutor)
    assert item.status == "withheld"


def test_an_originators_material_waits_for_its_consent(session, team, exhibit, store):
    recipient, analyst, prosecutor = team
    file = exhibit(originator="Ministry of Defence of Lithuania", originator_consent_required=True)
    batch = _batch(session, recipient, analyst)
    item = disclosure.add_item(session, batch, file, category="art_67_2", conditions=None, actor=analyst)
    assert item.consent_required
    disclosure.approve(session, batch, prosecutor, ALL)
    with pytest.raises(disclosure.Refused, match=file.evidence.exhibit_no):
        disclosure.disclose(session, batch, prosecutor, ALL, store)
    with pytest.raises(Invalid):
        disclosure.record_consent(
            session, item, given_by="LT MoD", given_on=TODAY + dt.timedelta(days=1), reference="x", actor=analyst
        )
    with pytest.raises(Invalid):
        disclosure.record_consent(session, item, given_by="  ", given_on=TODAY, reference="x", actor=analyst)
    disclosure.record_consent(
        session, item, given_by="Legal adviser, LT MoD", given_on=TODAY, reference="Note 12/2026", actor=analyst
    )
    disclosure.disclose(session, batch, prosecutor, ALL, store)
    assert item.status == "disclosed" and item.consent_reference == "Note 12/2026"


def test_consent_required_after_the_item_was_added_is_still_asked_for(session, team, exhibit, store):
    recipient, analyst, prosecutor = team
    file = exhibit()
    batch = _batch(session, recipient, analyst)
    item = disclosure.add_item(session, batch, file, category="art_67_2", conditions=None, actor=analyst)
    file.evidence.originator_consent_required = True
    disclosure.approve(session, batch, prosecutor, ALL)
    with pytest.raises(disclosure.Refused):
        disclosure.disclose(session, batch, prosecutor, ALL, store)
    assert item.status == "approved"


def test_the_database_refuses_a_disclosed_item_without_the_consent_it_needs(session, team, exhibit):
    recipient, analyst, _prosecutor = team
    batch = _batch(session, recipient, analyst)
    item = disclosure.add_item(session, batch, exhibit(), category="art_67_2", conditions=None, actor=analyst)
    session.commit()
    for values in (
        {"status": "disclosed", "consent_required": True},
        {"consent_by": "somebody"},  # consent without its date and reference
        {"status": "withheld"},  # withheld without a reason
    ):
        with pytest.raises(IntegrityError), session.begin_nested():
            session.execute(update(DisclosureItem).where(DisclosureItem.id == item.id).values(**values))


def test_a_file_is_in_a_batch_once_and_a_settled_batch_takes_nothing(session, team, exhibit, store):
    recipient, analyst, prosecutor = team
    file = exhibit()
    batch = _batch(session, recipient, analyst)
    disclosure.add_item(session, batch, file, category="art_67_2", conditions=None, actor=analyst)
    with pytest.raises(Duplicate):
        disclosure.add_item(session, batch, file, category="rule_77", conditions=None, actor=analyst)
    disclosure.approve(session, batch, prosecutor, ALL)
    with pytest.raises(disclosure.Refused):
        disclosure.add_item(session, batch, exhibit(), category="rule_77", conditions=None, actor=analyst)


def test_a_file_failing_verification_is_not_disclosed(session, team, exhibit, store):
    recipient, analyst, prosecutor = team
    file = exhibit()
    batch = _batch(session, recipient, analyst)
    item = disclosure.add_item(session, batch, file, category="art_67_2", conditions=None, actor=analyst)
    disclosure.approve(session, batch, prosecutor, ALL)
    store.path_for(file.sha256).chmod(0o644)
    store.path_for(file.sha256).write_bytes(b"tampered")
    with pytest.raises(disclosure.Refused, match="verification"):
        disclosure.disclose(session, batch, prosecutor, ALL, store)
    assert item.status == "approved" and batch.status == "approved"


def test_recipients_defence_teams_name_officials_and_others_none(session, make):
    official = make.official()
    with pytest.raises(Invalid):
        disclosure.save_recipient(session, None, disclosure.RecipientInput("defence", "Team A", None, []))
    with pytest.raises(Invalid):
        disclosure.save_recipient(
            session, None, disclosure.RecipientInput("authority", "Eurojust", None, [official.id])
        )
    with pytest.raises(Invalid):
        disclosure.save_recipient(session, None, disclosure.RecipientInput("defence", "Team A", None, [2**31 - 1]))
    disclosure.save_recipient(session, None, disclosure.RecipientInput("authority", "Eurojust", None, []))
    with pytest.raises(Duplicate):
        disclosure.save_recipient(session, None, disclosure.RecipientInput("authority", "EUROJUST", None, []))


def test_each_clearance_sees_only_its_items_and_the_batches_holding_them(session, team, exhibit):
    recipient, analyst, prosecutor = team
    public_file, secret_file = exhibit(), exhibit(classification="confidential")
    mixed = _batch(session, recipient, analyst)
    secret_only = _batch(session, recipient, analyst)
    empty = _batch(session, recipient, analyst)
    disclosure.add_item(session, mixed, public_file, category="art_67_2", conditions=None, actor=analyst)
    disclosure.add_item(session, mixed, secret_file, category="art_67_2", conditions=None, actor=analyst)
    disclosure.add_item(session, secret_only, secret_file, category="rule_77", conditions=None, actor=analyst)
    public = ("public",)
    seen = set(session.scalars(visibility.visible_batches(public)).all())
    assert seen == {mixed, empty}
    assert visibility.get_visible_batch(session, secret_only.id, public) is None
    assert [i.evidence_file_id for i in session.scalars(visibility.visible_items(public, mixed.id))] == [public_file.id]
    assert visibility.item_counts(session, [mixed.id, empty.id], public) == {mixed.id: {"proposed": 1}, empty.id: {}}
    assert visibility.hidden_item_count(session, mixed.id, public) == 1
    assert set(session.scalars(visibility.visible_batches(ALL)).all()) == {mixed, secret_only, empty}
    # approving needs a clearance covering every item
    low = prosecutor
    low.clearance = "public"
    with pytest.raises(disclosure.NotAllowed):
        disclosure.approve(session, mixed, low, public)
