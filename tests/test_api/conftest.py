"""Fixtures for the JSON API: clients that send a bearer token of a given role and clearance."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from models import User
from services.auth import tokens


class ApiClient:
    """The test client with ``Authorization: Bearer`` set: ``api.get("/officials")``;
    paths are relative to /api/v1 unless they start with /api/."""

    def __init__(self, client: FlaskClient, user: User, token: str) -> None:
        self.client = client
        self.user = user
        self.token = token
        self.headers = {"Authorization": f"Bearer {token}"}

    def _url(self, path: str) -> str:
        return path if path.startswith("/api/") else f"/api/v1{path}"

    def request(self, method: str, path: str, **kw: Any) -> TestResponse:
        headers = {**self.headers, **kw.pop("headers", {})}
        return self.client.open(self._url(path), method=method, headers=headers, **kw)

    def get(self, path: str, **kw: Any) -> TestResponse:
        return self.request("GET", path, **kw)

    def post(self, path: str, **kw: Any) -> TestResponse:
        return self.request("POST", path, **kw)

    def patch(self, path: str, **kw: Any) -> TestResponse:
        return self.request("PATCH", path, **kw)

    def put(self, path: str, **kw: Any) -> TestResponse:
        return self.request("PUT", path, **kw)

    def delete(self, path: str, **kw: Any) -> TestResponse:
        return self.request("DELETE", path, **kw)


@pytest.fixture
def api(client: FlaskClient, make_user: Callable[..., User], session: Session) -> Callable[..., ApiClient]:
    """``api("prosecutor", "confidential")``: a client acting with a fresh user's token."""

    def build(role: str = "analyst", clearance: str = "public", **kw: Any) -> ApiClient:
        user = make_user(role, clearance, **kw)
        issued = tokens.issue_token(session, user)
        return ApiClient(client, user, issued.secret)

    return build


def assert_problem(response: TestResponse, status: int, kind: str | None = None) -> dict[str, Any]:
    """The response is a problem-details document with ``status`` (and type ``kind``)."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json", response.get_data(as_text=True)
    body = response.get_json()
    assert body["status"] == status
    assert body["title"] and body["detail"]
    if kind is not None:
        assert body["type"].endswith(f"#problem-{kind}"), body
    return dict(body)


# The States most tests need, as the demo data has them.
@pytest.fixture
def russia(make):
    return make.state(code="RU", name="Russian Federation")


@pytest.fixture
def belarus(make):
    return make.state(code="BY", name="Republic of Belarus", role="co_aggressor_territory")


@pytest.fixture
def korea(make):
    return make.state(code="KP", name="DPRK", role="participant_forces")
