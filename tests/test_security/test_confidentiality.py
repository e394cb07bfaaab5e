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

import datetime as dt

import pytest
from sqlalchemy import select

from models import AuditEvent
from services import tokens
from services.history import visible_events
from tests.pages import mask_volatile


def bearer(session, user) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens.issue_token(session, user).secret}"}


def answers(client, urls, headers=None) -> dict[str, tuple[int, str]]:
    """Status and body of each URL, CSRF tokens, nonces and times masked."""
    got = {}
    for url in urls:
        response = client.get(url, headers=headers or {})
        got[url] = (response.status_code, mask_volatile(response.get_data(as_text=True)))
    return got


# --- search and filtered lists (17.1) --------------------------------------------------------

# What a public viewer asks, hoping for a count or an order that a hidden exhibit would change.
SEARCHES = ["/search?q=Zapad", "/search?q=Zapad+secret+annex+of+the+General+Staff", "/search?q=zapad%20s"]
LISTS = [
    "/evidence?kind=intercept",
    "/evidence?classification=confidential",
    "/evidence?reliability=A&credibility=1",
    "/evidence?from=2022-02-01&to=2022-02-28&sort=title",
    "/evidence?sort=classification&dir=desc",
]
API_LISTS = [
    "/api/v1/evidence?kind=intercept",
    "/api/v1/evidence?classification=confidential",
    "/api/v1/evidence?exhibit_no=Z-0001",
    "/api/v1/evidence?reliability=A&credibility=1",
]


@pytest.fixture
def public_viewer(client, login, make, session):
    """A public viewer signed in beside a public exhibit about the Zapad exercise."""
    make.evidence(exhibit_no="Z-0002", title="Zapad exercise report", kind="intercept", classification="public")
    user = login("viewer", "public")
    return user, bearer(session, user)


def test_search_and_lists_answer_the_same_whether_a_hidden_exhibit_matches_or_not(
    client, make, session, public_viewer, ticking_clock
):
    """17.1: the search page said how many hidden exhibits matched the query, so a public viewer
    could spell out a strictly-confidential title one letter at a time. Every search, filter and
    list now answers byte for byte the same whether a hidden exhibit matches or not; the search
    page and the API lists the same even whether one exists at all."""
    _user, headers = public_viewer
    nothing_hidden = answers(client, SEARCHES) | answers(client, API_LISTS, headers)

    hidden = make.evidence(exhibit_no="Z-0003", title="Minutes", kind="document", classification="public")
    hidden.classification = "strictly_confidential"  # hidden, matching nothing asked
    hidden.reliability, hidden.credibility = "C", "3"
    session.flush()
    not_matching = answers(client, SEARCHES + LISTS) | answers(client, API_LISTS, headers)

    hidden.exhibit_no, hidden.kind, hidden.title = "Z-0001", "intercept", "Zapad secret annex of the General Staff"
    hidden.summary, hidden.reliability, hidden.credibility = "Zapad", "A", "1"
    hidden.collected_on = dt.date(2022, 2, 10)
    session.flush()
    matching = answers(client, SEARCHES + LISTS) | answers(client, API_LISTS, headers)

    assert matching == not_matching
    assert {url: matching[url] for url in nothing_hidden} == nothing_hidden
    assert all(status == 200 for status, _body in matching.values())
    assert "Zapad exercise report" in matching[SEARCHES[0]][1]


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
