"""Security headers on every response: every rule of the URL map with each of its methods,
signed in and not, error pages and the API's problem details included. And no page or
template carries an inline script, an inline style or an event-handler attribute, which the
Content-Security-Policy would block."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

CSP = (
    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; "
    "media-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

# What the policy forbids in markup: a script with a body, a style element or attribute, an
# event handler, a javascript: address.
INLINE = {
    "script with a body": re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I),
    "style element": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I),
    "event handler": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I),
    "javascript: address": re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.I),
}


def missing_headers(response, *, signed_in: bool) -> dict[str, str | None]:
    wrong = {name: response.headers.get(name) for name, value in HEADERS.items() if response.headers.get(name) != value}
    if signed_in and "no-store" not in response.headers.get("Cache-Control", ""):
        wrong["Cache-Control"] = response.headers.get("Cache-Control")
    return wrong


def inline_code(html: str) -> list[str]:
    return [f"{what}: {m.group(0)[:80]}" for what, pattern in INLINE.items() for m in pattern.finditer(html)]


@pytest.fixture
def route_values(ids):
    """The demo data's real ids (tests/conftest.py), and values for the other parts
    a route can name."""
    return {
        **ids,
        "run_id": 1,
        "file_id": 1,
        "review_id": 1,
        "rule_id": 1,
        "sha256": "0" * 64,
        "filename": "style.css",
    }


def every_request(app, values):
    """(method, url) for every rule and each of its methods; signing out comes last."""
    from flask import url_for

    requests = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint == "auth.logout", r.rule)):
        with app.test_request_context():
            url = url_for(rule.endpoint, **{name: values.get(name, 1) for name in rule.arguments})
        requests.extend((method, url) for method in sorted(rule.methods - {"HEAD"}))
    return requests


def test_the_policy_is_the_strict_one():
    from app import SECURITY_HEADERS

    assert SECURITY_HEADERS["Content-Security-Policy"] == CSP
    assert "unsafe-inline" not in CSP and "unsafe-eval" not in CSP


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_every_route_carries_the_headers(app, client, login, route_values, signed_in):
    if signed_in:
        login("analyst", "strictly_confidential")
    failures, inline, pages = [], [], 0
    for method, url in every_request(app, route_values):
        response = client.open(url, method=method, data={})
        is_static = url.startswith("/static/") or url == "/favicon.ico"
        wrong = missing_headers(response, signed_in=signed_in and not is_static)
        if wrong:
            failures.append((method, url, response.status_code, wrong))
        if response.mimetype == "text/html":
            pages += 1
            inline.extend(f"{method} {url}: {found}" for found in inline_code(response.get_data(as_text=True)))
    assert failures == []
    assert inline == []
    assert pages > (40 if signed_in else 0)


def test_error_pages_carry_the_headers(app, client, login, monkeypatch, upload_limit, route_values):
    login("analyst", "strictly_confidential")
    responses = {
        "404 page": client.get("/no/such/page"),
        "404 record": client.get("/officials/999999999"),
        "405 page": client.get("/logout"),
        "404 problem": client.get("/api/v1/no-such-thing"),
        "405 problem": client.put("/api/v1/officials"),
        "400 problem": client.post("/api/v1/officials", data="{not json", content_type="application/json"),
    }
    upload_limit(1000)
    big = {"files": [(io.BytesIO(b"x" * 5000), "big.bin")]}
    responses["413 page"] = client.post(
        f"/evidence/{route_values['evidence_id']}/files", data=big, content_type="multipart/form-data"
    )
    big = {"files": [(io.BytesIO(b"x" * 5000), "big.bin")]}
    responses["413 problem"] = client.post(
        f"/api/v1/evidence/{route_values['evidence_id']}/files", data=big, content_type="multipart/form-data"
    )
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    responses["400 page (CSRF)"] = client.post("/officials/new", data={"name": "x"})
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)

    def broken(**_kw):
        raise RuntimeError("the view failed")

    monkeypatch.setitem(app.view_functions, "officials.list_officials", broken)
    monkeypatch.setitem(app.view_functions, "api_officials.OfficialCollection", broken)
    responses["500 page"] = client.get("/officials")
    responses["500 problem"] = client.get("/api/v1/officials")

    codes = {name: response.status_code for name, response in responses.items()}
    assert codes == {name: int(name[:3]) for name in responses}
    for name, response in responses.items():
        assert missing_headers(response, signed_in=True) == {}, name
        expected = "application/problem+json" if "problem" in name else "text/html"
        assert response.mimetype == expected, name
        if expected == "text/html":
            assert inline_code(response.get_data(as_text=True)) == [], name


def test_anonymous_error_pages_carry_the_headers(client):
    for response in (client.get("/no/such/page"), client.get("/api/v1/officials"), client.get("/logout")):
        assert missing_headers(response, signed_in=False) == {}
    assert client.get("/api/v1/officials").mimetype == "application/problem+json"


@pytest.mark.parametrize("path", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_template_holds_inline_code(path):
    assert inline_code(path.read_text(encoding="utf-8")) == []


def test_the_inline_code_check_finds_what_it_looks_for():
    samples = [
        "<script>alert(1)</script>",
        '<script type="module">x()</script>',
        "<style>p{}</style>",
        '<p style="color:red">',
        '<svg><rect style="fill:red"/></svg>',
        '<button onclick="x()">',
        "<body onload=x()>",
        '<a href="javascript:x()">',
    ]
    assert [bool(inline_code(s)) for s in samples] == [True] * len(samples)
    clean = [
        '<script src="/static/app.js"></script>',
        '<p class="style">on=1 style=plain text</p>',
        '<a href="/x">javascript: is refused</a>',
    ]
    assert [inline_code(s) for s in clean] == [[]] * len(clean)
