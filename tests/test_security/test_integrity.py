"""Integrity of the record (issue 17, items 9, 10, 12 and 13): each test replays an attack.

../shared/SECURITY.md checklist items covered are named in each test's docstring.
"""

from __future__ import annotations

import hashlib
import re

import pytest
from sqlalchemy import func, select

from models import CustodyEvent
from services.evidence_files import attach_file
from services.store import store_for

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def custody_events(session, evidence) -> int:
    query = select(func.count()).select_from(CustodyEvent).where(CustodyEvent.evidence_id == evidence.id)
    return int(session.scalar(query))


@pytest.fixture
def exhibit_file(app, session, make, evidence_dir):
    """A public exhibit with one stored file."""
    evidence = make.evidence(exhibit_no="P-0917")
    store = store_for(app.config)
    incoming = store.receive()
    incoming.write(PDF)
    record = attach_file(session, store, evidence, incoming, original_name="order.pdf", actor=None)
    session.commit()
    return evidence, record


# --- item 10: downloads change no state on GET -----------------------------------------------


def test_a_link_on_another_site_cannot_log_a_download(app, client, login, session, monkeypatch, exhibit_file):
    """SECURITY.md, Input and output: "CSRF on every state change (Flask-WTF); state never
    changes on GET". Evidence: "Custody events for every ... download".

    The attack: a page elsewhere embeds ``<img src=".../files/N/download">`` (a GET) or posts
    a form without the token; the signed-in viewer's browser sends the cookie along. Neither
    may write "downloaded by" in the viewer's name. The exhibit page's button (a POST with the
    page's CSRF token) downloads and logs exactly one event."""
    evidence, record = exhibit_file
    login("viewer", "public")
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    before = custody_events(session, evidence)

    assert client.get(f"/files/{record.id}/download").status_code == 405
    assert client.post(f"/files/{record.id}/download").status_code == 400  # no CSRF token
    assert client.post(f"/files/{record.id}/download", data={"csrf_token": "forged"}).status_code == 400
    assert custody_events(session, evidence) == before

    page = client.get(f"/evidence/{evidence.id}").get_data(as_text=True)
    action = f'<form method="post" class="inline download" action="/files/{record.id}/download">'
    form = re.search(re.escape(action) + "(.*?)</form>", page, re.S)
    assert form is not None, "the exhibit page offers the download as a form"
    [token] = CSRF_FIELD.findall(form.group(1))
    response = client.post(f"/files/{record.id}/download", data={"csrf_token": token})
    assert response.status_code == 200 and response.data == PDF
    assert custody_events(session, evidence) == before + 1


def test_the_api_download_needs_a_bearer_token_not_the_cookie(app, client, login, session, make_user, exhibit_file):
    """SECURITY.md, Input and output: "state never changes on GET" -- the API's GET download
    logs a custody event, so it must not be reachable with the browser's cookie (which another
    site can make the browser send); a bearer token cannot be sent by another site."""
    from services import tokens

    evidence, record = exhibit_file
    login("viewer", "public")
    before = custody_events(session, evidence)
    response = client.get(f"/api/v1/files/{record.sha256}")
    assert response.status_code == 403 and response.mimetype == "application/problem+json"
    assert PDF not in response.data
    assert custody_events(session, evidence) == before

    user = make_user("viewer", "public")
    secret = tokens.issue_token(session, user).secret
    session.commit()
    client.post("/logout")
    response = client.get(f"/api/v1/files/{record.sha256}", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200 and hashlib.sha256(response.data).hexdigest() == record.sha256
    assert custody_events(session, evidence) == before + 1
