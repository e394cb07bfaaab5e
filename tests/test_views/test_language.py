"""English and Ukrainian: chosen by the user, remembered, dates written for the locale."""

from __future__ import annotations

import datetime as dt

from models import PartialDate


def test_choosing_ukrainian_is_remembered_across_sessions(client, login, session):
    user = login("viewer")
    response = client.post("/language/uk", data={"next": "/officials"})
    assert response.status_code == 302 and response.headers["Location"] == "/officials"
    session.expire_all()
    assert user.locale == "uk"
    client.post("/logout")
    client.post("/login", data={"email": user.email, "password": "correct horse battery staple"})
    page = client.get("/officials").get_data(as_text=True)
    assert '<html lang="uk">' in page
    assert "Посадові особи" in page  # "Officials"


def test_language_can_be_chosen_before_signing_in(client):
    client.post("/language/uk", data={"next": "/login"})
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="uk">' in page and "Увійти" in page  # "Sign in"


def test_unknown_language_is_ignored(client, login):
    login("viewer")
    client.post("/language/xx", data={})
    assert '<html lang="en">' in client.get("/officials").get_data(as_text=True)


def test_browser_preference_is_the_default(client):
    page = client.get("/login", headers={"Accept-Language": "uk-UA,uk;q=0.9"}).get_data(as_text=True)
    assert '<html lang="uk">' in page


def test_partial_dates_are_written_for_the_locale(app):
    from flask_babel import force_locale

    from views.formatting import partial_date

    with app.test_request_context():
        day, month, year = (PartialDate.parse(t) for t in ("2022-02-24", "2022-02", "2022"))
        assert partial_date(day) == "Feb 24, 2022"
        assert partial_date(month) == "February 2022"
        assert partial_date(year) == "2022"
        with force_locale("uk"):
            assert "2022" in partial_date(day) and "лют" in partial_date(day)
            assert partial_date(month).lower().startswith("лютий")
    assert dt.date(2022, 2, 24) == day.value


def test_names_are_shown_as_stored_in_every_script(client, login, make):
    login("viewer")
    client.post("/language/uk", data={})
    official = make.official(name="Kim Jong Un", native_name="김정은")
    page = client.get(f"/officials/{official.id}").get_data(as_text=True)
    assert "Kim Jong Un" in page and "김정은" in page


def test_a_language_switch_is_recorded_as_the_signed_in_users_change(client, login, session):
    """The switch is a public route (it works before signing in): the audit trail used to name
    "system" for a signed-in user's change of interface language."""
    from sqlalchemy import select

    from models import AuditEvent

    user = login("viewer")
    client.post("/language/uk", data={})
    events = select(AuditEvent).where(AuditEvent.entity_type == "users", AuditEvent.entity_id == user.id)
    event = session.scalars(events.order_by(AuditEvent.id.desc())).first()
    assert event is not None and (event.after or {}).get("locale") == "uk"
    assert (event.actor_id, event.actor_name) == (user.id, user.email)
