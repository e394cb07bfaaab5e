"""Confidentiality: what a viewer is not cleared for can neither be read nor inferred (issue 17,
items 1-4 and 15; issue 18, item 2).

Each test replays an attack a signed-in user with low clearance could make, against the real
app, and compares what they get with and without a hidden record that would change the answer.
Checklist items of ../shared/SECURITY.md covered here:

- Access control, "No inference: no output -- search hits, counts ("N withheld"), uniqueness
  refusals, error texts, export lists, timings -- may depend on records the viewer cannot see.
  Prove it by comparing a low-clearance user's responses byte for byte (tokens masked) with and
  without a hidden record that would match. Every clearance predicate is NULL-safe."
- Access control, "Object-level checks: ... 404 for what they may not see (no difference between
  "hidden" and "missing")".
- Reliability, "Every counter and derived row (exhibit numbers, ...) is race-free on PostgreSQL
  (sequences, upserts) -- prove it with parallel requests".
"""

from __future__ import annotations

from sqlalchemy import select

from models import AuditEvent
from services.history import visible_events

# --- the audit trail (17.4) ------------------------------------------------------------------


def test_audit_trail_keeps_events_without_a_parent_when_something_is_hidden(client, login, make, session):
    """SECURITY.md "Every clearance predicate is NULL-safe": an administrator cleared below the
    top lost every sign-in and every event on officials, decisions and public evidence, because
    ``NOT (parent_id IN (hidden))`` is NULL for an event without a parent."""
    secret = make.evidence(title="Top secret intercept", classification="strictly_confidential")
    public = make.evidence(title="Public communique", classification="public")
    official = make.official(name="Audited Person")
    make.support(evidence=secret, tenure=make.tenure(official=official))
    make.support(evidence=public, decision=make.decision(title="Audited decision"))
    admin = login("admin", "confidential")  # the sign-in is an event on "users", without a parent

    shown = session.scalars(visible_events(("public", "restricted", "confidential"))).all()
    about = {(e.entity_type, e.entity_id) for e in shown}
    assert ("users", admin.id) in about  # the sign-in
    assert ("official", official.id) in about and ("evidence", public.id) in about
    assert ("evidence", secret.id) not in about
    assert not [e for e in shown if (e.parent_type, e.parent_id) == ("evidence", secret.id)]
    assert [e for e in shown if (e.parent_type, e.parent_id) == ("evidence", public.id)]  # its support

    page = client.get("/audit", query_string={"actor": "", "type": ""}).get_data(as_text=True)
    assert "Audited Person" in page and "Public communique" in page and "Top secret intercept" not in page
    login_events = session.scalars(select(AuditEvent).where(AuditEvent.action == "login")).all()
    assert login_events and all(e.parent_type is None for e in login_events)
    sign_ins = client.get("/audit", query_string={"type": "users"}).get_data(as_text=True)
    assert admin.email in sign_ins
    history = client.get(f"/history/official/{official.id}").get_data(as_text=True)
    assert "Audited Person" in history
