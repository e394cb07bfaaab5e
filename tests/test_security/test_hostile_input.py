"""Hostile input replayed against the real app (issue 17 items 11 and 14, issue 18 items 6-9).

SECURITY.md checklist items covered, each named in the tests' docstrings:
- "No request body is read before authentication; file parts only on upload routes; JSON and
  form bodies have their own small limit (413 before parsing); nesting depth bounded (400)."
- "`MAX_CONTENT_LENGTH` → 413 and no temporary file left."
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from services.auth import tokens
from tests.conftest import PASSWORD

pytestmark = pytest.mark.usefixtures("session")


class Body(io.RawIOBase):
    """A request body of ``size`` bytes (endless when None) that counts the bytes read from it."""

    def __init__(self, size: int | None = None) -> None:
        self.size = size
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        wanted = len(buffer)
        if self.size is not None:
            wanted = min(wanted, self.size - self.bytes_read)
        buffer[:wanted] = b"a" * wanted
        self.bytes_read += wanted
        return wanted


def send(client: FlaskClient, path: str, body: Body, content_type: str, **kw: Any) -> TestResponse:
    """POST ``body`` as the raw WSGI input: with its size as Content-Length, or without one
    (chunked, which the server marks as terminated) when the body is endless."""
    environ: dict[str, Any] = {"wsgi.input": body, "CONTENT_TYPE": content_type}
    if body.size is None:
        environ["wsgi.input_terminated"] = True
    else:
        environ["CONTENT_LENGTH"] = str(body.size)
    return client.post(path, environ_overrides=environ, **kw)


def bearer(session, make_user, role: str = "analyst", clearance: str = "public") -> dict[str, str]:
    user = make_user(role, clearance)
    return {"Authorization": f"Bearer {tokens.issue_token(session, user).secret}"}


def problem_of(response: TestResponse, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body: dict[str, Any] = response.get_json()
    assert body["status"] == status
    return body


@pytest.fixture
def csrf_on(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Call to switch CSRF validation on, as in production: it is what read bodies before the
    sign-in gate. Sign in first (the login fixture posts its forms without tokens)."""
    return lambda: monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def incoming(evidence_dir) -> list[str]:
    """What reached the store's incoming folder (created by the first file part received)."""
    folder = evidence_dir / ".incoming"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else ["(folder created)"]


# --- 17.11: no body before authentication, files only on upload routes, small bodies ----------


def test_an_anonymous_file_part_to_the_sign_in_page_reaches_no_disk(client, csrf_on, evidence_dir):
    """Checklist: "No request body is read before authentication; file parts only on upload
    routes". The attack: CSRF validation parsed the form before the sign-in gate, so an
    anonymous multipart POST to /login streamed its file into EVIDENCE_DIR/.incoming."""
    csrf_on()
    response = client.post(
        "/login",
        data={"email": "x@example.org", "file": (io.BytesIO(b"%PDF-1.7 " * 10_000), "big.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "does not accept files" in response.get_data(as_text=True)
    assert not (evidence_dir / ".incoming").exists()


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
def test_an_anonymous_body_over_the_limit_is_refused(app, client, csrf_on, monkeypatch, declared):
    """Checklist: "JSON and form bodies have their own small limit (413 before parsing)": a
    Content-Length over it is refused before a byte is read; a body sent without one (chunked)
    is read up to the limit and one byte more, not to its end."""
    csrf_on()
    monkeypatch.setitem(app.config, "MAX_BODY_BYTES", 100_000)
    body = Body(100_001 if declared else None)
    response = send(client, "/login", body, "application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert body.bytes_read == (0 if declared else 100_001)


def test_the_sign_in_form_still_works_within_the_limit(app, client, make_user, csrf_on):
    """The small limit leaves the sign-in form (a small body read after its size is checked) working."""
    csrf_on()
    user = make_user("analyst")
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post("/login", data={"csrf_token": token, "email": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)


@pytest.mark.parametrize("address", ["/evidence/{}/files", "/api/v1/evidence/{}/files"])
def test_a_viewer_cannot_stream_a_file_to_an_upload_address(client, login, make, csrf_on, evidence_dir, address):
    """Checklist: "No request body is read before authentication; file parts only on upload
    routes", from users allowed to upload: a viewer's upload is refused (403) before a byte of
    it is read. CSRF validation (of the page's form, or of the API's cookie requests) read the
    multipart body before the role was checked."""
    login("viewer")
    csrf_on()
    body = Body(1_000_000)
    response = send(client, address.format(make.evidence().id), body, "multipart/form-data; boundary=x")
    assert response.status_code == 403
    assert body.bytes_read == 0
    assert not (evidence_dir / ".incoming").exists()


def test_a_file_part_to_a_form_that_takes_none_is_refused(client, login, evidence_dir):
    """Checklist: "file parts only on upload routes": a signed-in analyst's file part sent to a
    form without files is refused, and nothing reaches the disk."""
    login("analyst")
    response = client.post(
        "/officials/new",
        data={"name": "Anyone", "file": (io.BytesIO(b"bytes" * 1000), "x.bin")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert not (evidence_dir / ".incoming").exists()


def test_an_api_upload_over_the_form_limit_still_works(
    app, client, make, make_user, session, evidence_dir, monkeypatch
):
    """Upload addresses keep the upload limit for those allowed to upload."""
    monkeypatch.setitem(app.config, "MAX_BODY_BYTES", 10_000)
    evidence = make.evidence()
    response = client.post(
        f"/api/v1/evidence/{evidence.id}/files",
        headers=bearer(session, make_user),
        data={"file": (io.BytesIO(b"%PDF-1.7\n" + b"x" * 50_000), "big.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.get_data(as_text=True)


def test_a_json_body_over_the_limit_is_refused_unread(app, client, make_user, session):
    """Checklist: JSON bodies have their own small limit, 413 before parsing (issue 18 item 8: a
    200 MB body to POST /api/v1/officials took 37 s and 928 MiB)."""
    body = Body(app.config["MAX_BODY_BYTES"] + 1)
    response = send(client, "/api/v1/officials", body, "application/json", headers=bearer(session, make_user))
    problem_of(response, 413)
    assert body.bytes_read == 0


# --- 17.14: CSV exports, whatever separator the spreadsheet splits on -------------------------

FORMULA_STARTS = "=+-@\t\r"
HOSTILE_CELLS = [
    "Memo;=1+1",
    "Memo; =1+1",
    *(f"{start}cmd|' /C calc'!A0" for start in FORMULA_STARTS),
    *(f"Memo{brk}{start}1+1" for brk in ",;\t|\r\n" for start in "=+-@"),
    '=HYPERLINK("http://evil.example";"click")',
]


def spreadsheet_cells(text: str, separator: str) -> list[str]:
    """The cells a spreadsheet could make of ``text`` when it splits on ``separator`` and line
    ends, taking no notice of quotes (the worst case: one that honours them only at the start
    of a cell, as all do, sees a quoted comma-separated file this way under ";")."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [cell.lstrip(' "') for line in lines for cell in line.split(separator)]


def test_a_csv_export_runs_no_formula_whatever_the_separator(client, login, make, session):
    """Checklist: "CSV: quote every cell and neutralise a leading = + - @ TAB CR in every cell
    (OWASP CSV injection)". The attack: ``Memo;=1+1`` was written unquoted, and a spreadsheet
    whose list separator is ";" (Ukrainian and most European locales) ran ``=1+1``."""
    official = make.official(name="-2+3 Official")
    tenure = make.tenure(official=official)
    for number, text in enumerate(HOSTILE_CELLS, start=1):
        exhibit = make.evidence(exhibit_no=f"H-{number:04d}", title=text, source=f"Source{text}")
        make.support(evidence=exhibit, tenure_id=tenure.id)
    session.commit()
    login("analyst")
    response = client.post(f"/dossiers/{official.id}/export", data={"format": "csv"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)

    for separator in (",", ";", "\t", "|"):
        for cell in spreadsheet_cells(text, separator):
            assert not cell.startswith(tuple(FORMULA_STARTS.replace(separator, ""))), (separator, cell)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    requoted = io.StringIO(newline="")
    csv.writer(requoted, quoting=csv.QUOTE_ALL).writerows(rows)
    assert requoted.getvalue() == text, "every cell is quoted"
    titles = {row[0]: row[1] for row in rows[1:]}
    assert titles["H-0001"] == "Memo;'=1+1" and titles["H-0002"] == "Memo; '=1+1"
    assert titles["H-0003"] == "'=cmd|' /C calc'!A0"


# --- 18.6: JSON nesting bounded ----------------------------------------------------------------


def json_write_operations(app: Flask) -> list[tuple[str, str]]:
    """(method, path) of every operation of the API document that takes a JSON body."""
    document = app.extensions["tribunal_api"].spec.to_dict()
    return [
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in ("post", "put", "patch", "delete")
        and "application/json" in operation.get("requestBody", {}).get("content", {})
    ]


def test_deeply_nested_json_is_refused_on_every_json_write(app, client, make_user, session):
    """Checklist: "nesting depth bounded (400)". The attack (issue 18 item 6): a body of a
    few thousand nested arrays crashed the JSON parser (RecursionError, 500) on all 20 JSON
    write endpoints."""
    operations = json_write_operations(app)
    assert len(operations) >= 20
    headers = bearer(session, make_user, "admin", "strictly_confidential")
    for body in ('{"name": ' + "[" * 5000 + "]" * 5000 + "}", '{"a":' * 5000 + "1" + "}" * 5000):
        for method, path in operations:
            response = client.open(
                re.sub(r"\{[^}]+\}", "1", path),
                method=method,
                data=body,
                content_type="application/json",
                headers=headers,
            )
            problem = problem_of(response, 400)
            assert "deeper than 32 levels" in problem["detail"], (method, path)


# --- 18.7: text is UTF-8 or refused; one file per file field; no unknown query argument -------


def multipart(*parts: tuple[str, bytes, str | None]) -> tuple[bytes, str]:
    """A multipart body from raw parts (name, bytes, file name or None), and its content type."""
    boundary = "hostile-boundary"
    body = b""
    for name, content, filename in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        body += f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + content + b"\r\n"
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize(
    "body",
    [b"name=Sergei%FFShoigu&state_id=1", b"name=Sergei\xffShoigu&state_id=1"],
    ids=["percent-encoded", "raw"],
)
def test_a_form_field_that_is_not_utf8_is_refused_by_name(client, login, session, body):
    """Checklist: input refused rather than altered. The attack (issue 18 item 7): a byte that
    is not UTF-8 was stored as U+FFFD, or left percent-encoded, or emptied the whole form."""
    login("analyst")
    response = client.post("/officials/new", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "“name” is not valid UTF-8 text" in response.get_data(as_text=True)


def test_a_multipart_text_field_that_is_not_utf8_is_refused_and_nothing_stored(client, login, make, evidence_dir):
    """The attack (issue 18 item 7): an upload's purpose with a byte that is not UTF-8 went into
    the hash-chained custody log as U+FFFD, where it can never be corrected."""
    login("analyst")
    evidence = make.evidence()
    body, content_type = multipart(("purpose", b"Received from \xff", None), ("files", b"%PDF-1.7", "a.pdf"))
    response = client.post(f"/evidence/{evidence.id}/files", data=body, content_type=content_type)
    assert response.status_code == 400
    assert "“purpose” is not valid UTF-8 text" in response.get_data(as_text=True)
    assert not evidence.files and not evidence.custody_events
    assert not list((evidence_dir / ".incoming").iterdir())


def test_api_text_that_is_not_utf8_is_refused_by_name(client, make, make_user, session):
    """The API answers problem+json naming the field or argument, for a multipart text part and
    a query argument alike."""
    headers = bearer(session, make_user)
    evidence = make.evidence()
    body, content_type = multipart(("file", b"%PDF-1.7", "a.pdf"), ("purpose", b"\xc3\x28", None))
    response = client.post(
        f"/api/v1/evidence/{evidence.id}/files", data=body, content_type=content_type, headers=headers
    )
    assert problem_of(response, 400)["errors"] == [
        {"location": "form", "field": "purpose", "message": "Not valid UTF-8 text."}
    ]
    response = client.get("/api/v1/officials?state=%C3%28", headers=headers)
    assert problem_of(response, 400)["errors"] == [
        {"location": "query", "field": "state", "message": "Not valid UTF-8 text."}
    ]


def test_a_query_argument_that_is_not_utf8_is_refused_by_name(client, login):
    """A page's query argument: 400 naming it (Werkzeug kept the bytes percent-encoded)."""
    login("viewer")
    response = client.get("/officials?q=Sho%FFgu")
    assert response.status_code == 400
    assert "“q” is not valid UTF-8 text" in response.get_data(as_text=True)
    assert client.get("/officials?q=%D0%A8%D0%BE%D0%B9%D0%B3%D1%83").status_code == 200  # Шойгу


def test_utf8_text_including_a_typed_replacement_character_is_kept(client, login, make, session):
    """Valid UTF-8 passes unchanged, U+FFFD itself included: only undecodable bytes are refused."""
    login("analyst")
    evidence = make.evidence()
    purpose = "Sealed in Kyiv, Шойгу file, mark \ufffd as found"
    for encoding in ("application/x-www-form-urlencoded", "multipart/form-data"):
        response = client.post(
            f"/evidence/{evidence.id}/custody/new",
            data={"event_type": "sealed", "purpose": purpose},
            content_type=encoding,
        )
        assert response.status_code == 302, response.get_data(as_text=True)
    session.refresh(evidence)
    assert [event.purpose for event in evidence.custody_events] == [purpose, purpose]


def test_a_second_file_in_a_one_file_upload_is_refused(client, login, make, make_user, session, evidence_dir):
    """The attack (issue 18 item 7): of two file parts under one name, the second was dropped
    without a word; the sender believed both were kept. API, exhibit derivative and import."""
    evidence = make.evidence()
    two_files = [(io.BytesIO(b"first"), "first.txt"), (io.BytesIO(b"second"), "second.txt")]
    response = client.post(
        f"/api/v1/evidence/{evidence.id}/files",
        data={"file": two_files},
        content_type="multipart/form-data",
        headers=bearer(session, make_user),
    )
    assert problem_of(response, 400)["errors"] == [
        {"location": "multipart", "field": "file", "message": "Sent 2 times; send it once."}
    ]
    login("analyst")
    parent = client.post(
        f"/evidence/{evidence.id}/files", data={"files": [(io.BytesIO(b"original"), "o.txt")]}
    ).status_code
    assert parent == 302
    session.refresh(evidence)
    for address, form in (
        (
            f"/evidence/{evidence.id}/files/{evidence.files[0].id}/derivative",
            {"kind": "translation", "note": "Sworn translation"},
        ),
        ("/imports/new", {"fmt": "eu-csv"}),
    ):
        two_files = [(io.BytesIO(b"first"), "first.txt"), (io.BytesIO(b"second"), "second.txt")]
        response = client.post(address, data={**form, "file": two_files}, content_type="multipart/form-data")
        assert response.status_code == 400
        assert "Send one file here, not several" in response.get_data(as_text=True)
    session.refresh(evidence)
    assert len(evidence.files) == 1


def api_operations(app: Flask) -> list[tuple[str, str]]:
    """(method, path with ids filled in) of every operation of the API document, and its documents."""
    document = app.extensions["tribunal_api"].spec.to_dict()
    operations = [
        (method.upper(), re.sub(r"\{[^}]+\}", "1", path.replace("{sha256}", "0" * 64)))
        for path, item in document["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    ]
    return [*operations, ("GET", "/api/v1/openapi.json"), ("GET", "/api/v1/docs")]


def test_unknown_query_arguments_are_refused_on_every_api_route(app, client, make_user, session):
    """The README: "unknown fields and query arguments are refused". Issue 18 item 7: single
    records, writes, downloads and most deletes took any argument without a word."""
    headers = bearer(session, make_user, "admin", "strictly_confidential")
    operations = api_operations(app)
    assert sum(method == "DELETE" for method, _path in operations) >= 6
    for method, path in operations:
        response = client.open(f"{path}?limti=5", method=method, headers=headers, json={})
        problem = problem_of(response, 422)
        assert {"location": "query", "field": "limti", "message": "Unknown field."} in problem["errors"], path


# --- 18.9: every validator total ---------------------------------------------------------------

MALFORMED_ADDRESSES = ["httP://\u0097][X", "http://[::1", "https://]x", "http://a]b[c/"]


@pytest.mark.parametrize("url", MALFORMED_ADDRESSES)
def test_a_malformed_web_address_is_a_validation_error_not_a_crash(client, login, make_user, session, url):
    """The attack (issue 18 item 9, found by schemathesis's coverage phase): an address with
    an unmatched bracket in its host made urlsplit raise ValueError inside the API's
    validator, and the page form's: 500 instead of a refusal naming the field."""
    response = client.post(
        "/api/v1/evidence",
        json={"title": "Report", "source": "Press", "url": url},
        headers=bearer(session, make_user),
    )
    assert {error["field"] for error in problem_of(response, 422)["errors"]} == {"url"}
    login("analyst")
    response = client.post(
        "/evidence/new",
        data={"title": "Report", "kind": "document", "source": "Press", "classification": "public", "url": url},
    )
    assert response.status_code == 400
    assert "Enter a web address" in response.get_data(as_text=True)


def test_a_stored_malformed_address_is_shown_as_text(client, login, make):
    """An address stored before these checks (or by an import) is shown, never followed, and
    never breaks the exhibit's page."""
    evidence = make.evidence(url="http://[::1")
    login("viewer")
    page = client.get(f"/evidence/{evidence.id}")
    assert page.status_code == 200
    assert 'href="http://[::1"' not in page.get_data(as_text=True)
