"""Every route, every role: anonymous visitors are sent to sign in, each role reaches
exactly the routes its rank allows, and no route forgets to say which rank it needs."""

from __future__ import annotations

import pytest

from models.enums import USER_ROLES

PUBLIC = {
    "auth.login",
    "auth.two_factor",  # the second sign-in step and the app's setup: they need the right password first
    "auth.enrol_two_factor",
    "auth.logout",
    "auth.set_language",
    "static",
    "health",
    "favicon",  # the icon browsers ask every page for, signed in or not
}
ROLES = [None, *USER_ROLES]


def all_rules(app):
    """The pages' rules; the JSON API's (/api/) have their own matrix in tests/test_api/test_access.py."""
    return sorted(
        (r for r in app.url_map.iter_rules() if r.endpoint not in PUBLIC and not r.rule.startswith("/api/")),
        key=lambda r: (r.rule, sorted(r.methods)),
    )


def test_every_route_declares_the_role_it_needs(app):
    missing = [r.endpoint for r in all_rules(app) if not hasattr(app.view_functions[r.endpoint], "required_role")]
    assert missing == []


def _build(rule, values):
    from flask import url_for

    return url_for(rule.endpoint, **values)


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
def test_access_matrix(app, client, login, ids, role):
    if role:
        login(role, "strictly_confidential")
    failures = []
    for rule in all_rules(app):
        needed = app.view_functions[rule.endpoint].required_role
        with app.test_request_context():
            url = _build(rule, {name: ids.get(name, 1) for name in rule.arguments})
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method, data={})
            code = response.status_code
            if role is None:
                ok = code == 302 and response.headers["Location"].startswith("/login")
            elif USER_ROLES.index(role) < USER_ROLES.index(needed):
                ok = code == 403
            else:
                ok = code not in (401, 403) and code < 500
            if not ok:
                failures.append((method, url, needed, code))
    assert failures == []
