"""Tasks from a dossier's gaps (issue 25 item 1), through the pages: made from a gap of the
dossier page, listed as "my tasks", on the dossier's board and as overdue counts on the
index, changed on their page; viewers only read; nobody sees a task, a count or a gap's
sentence above their clearance; CSRF on every form; a task closes when its gap does."""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re

import pytest
from sqlalchemy import select

from models import Task

TODAY = dt.datetime.now(dt.UTC).date()
NEXT_WEEK = (TODAY + dt.timedelta(days=7)).isoformat()


@pytest.fixture
def dossier(session, make):
    """An official whose leadership tenure has no evidence yet (a gap of E2), committed so
    that the pages' own sessions see it: (official, tenure, the gap's key)."""
    ru = make.state(code="RU")
    official = make.official(state=ru, name="Valery Gerasimov")
    tenure = make.tenure(official=official, position=make.position(institution=make.institution(state=ru)))
    make.involvement(official=official, decision=make.linked_decision(state=ru))
    session.commit()
    return official, tenure, f"E2:tenure:{tenure.id}:evidence"


def _new(client, official, key, **data):
    return client.post(f"/dossiers/{official.id}/tasks/new?gap={key}", data=data)


def _tasks(session):
    session.expire_all()
    return session.scalars(select(Task).order_by(Task.id)).all()


def test_a_gap_becomes_a_task_listed_for_its_assignee_and_on_the_board(client, login, make_user, session, dossier):
    official, tenure, key = dossier
    worker = make_user("analyst", "public", name="Olena Kovalenko")
    login("analyst", "public")
    page = client.get(f"/dossiers/{official.id}").get_data(as_text=True)
    new_link = f"/dossiers/{official.id}/tasks/new?gap={key}"
    assert new_link in page
    form = client.get(new_link).get_data(as_text=True)
    assert "has no supporting evidence" in form and "Olena Kovalenko" in form
    response = _new(client, official, key, assignee_id=worker.id, due_date=NEXT_WEEK)
    assert response.status_code == 302 and response.headers["Location"] == f"/dossiers/{official.id}/tasks"
    (task,) = _tasks(session)
    assert (task.assignee_id, task.status, task.gap_key, task.due_date.isoformat()) == (
        worker.id,
        "open",
        key,
        NEXT_WEEK,
    )
    board = client.get(f"/dossiers/{official.id}/tasks").get_data(as_text=True)
    assert "Olena Kovalenko" in board and "has no supporting evidence" in board
    link_form = f"/dossiers/{official.id}/link-evidence?target=tenure:{tenure.id}"
    assert link_form in html_lib.unescape(board)  # the form that closes the gap
    page = client.get(f"/dossiers/{official.id}").get_data(as_text=True)
    assert f'href="/tasks/{task.id}"' in page and new_link not in page  # the gap shows its task instead

    login_as(client, worker)
    mine = client.get("/tasks").get_data(as_text=True)
    assert "has no supporting evidence" in mine and "Valery Gerasimov" in mine


def login_as(client, user):
    from tests.conftest import PASSWORD

    client.post("/logout")
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302


def test_viewers_read_tasks_but_make_and_change_none(client, login, make_user, session, dossier):
    official, _tenure, key = dossier
    worker = make_user("analyst")
    login("viewer")
    assert 'class="task-new"' not in client.get(f"/dossiers/{official.id}").get_data(as_text=True)
    assert client.get(f"/dossiers/{official.id}/tasks/new?gap={key}").status_code == 403
    assert _new(client, official, key, assignee_id=worker.id, due_date=NEXT_WEEK).status_code == 403
    assert _tasks(session) == []
    assert client.get(f"/dossiers/{official.id}/tasks").status_code == 200
    assert client.get("/tasks").status_code == 200


def test_an_assignee_who_cannot_take_the_task_is_refused_with_a_message(client, login, make_user, session, dossier):
    official, _tenure, key = dossier
    viewer = make_user("viewer", "strictly_confidential", name="Reader Only")
    low = make_user("analyst", "public", name="Public Analyst")
    login("analyst", "confidential")
    form = client.get(f"/dossiers/{official.id}/tasks/new?gap={key}").get_data(as_text=True)
    assert "Reader Only" not in form and "Public Analyst" not in form  # not offered
    for user, message in ((viewer, "cannot be given tasks"), (low, "not cleared to see this gap")):
        response = _new(client, official, key, assignee_id=user.id, due_date=NEXT_WEEK)
        assert response.status_code == 400
        assert message in html_lib.unescape(response.get_data(as_text=True))
    assert _tasks(session) == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"due_date": NEXT_WEEK}, "Choose who is to do it."),
        ({"assignee_id": "self", "due_date": ""}, "Give a due date."),
        ({"assignee_id": "self", "due_date": "2026-13-01"}, "Enter the due date as YYYY-MM-DD."),
        ({"assignee_id": "self", "due_date": "2020-01-01"}, "The due date cannot be in the past."),
        ({"assignee_id": "999999", "due_date": NEXT_WEEK}, "There is no such user: choose someone from the list."),
        ({"assignee_id": "x", "due_date": NEXT_WEEK}, "Invalid Choice"),
    ],
)
def test_bad_input_to_a_new_task_is_refused_and_nothing_is_saved(client, login, session, dossier, data, message):
    official, _tenure, key = dossier
    me = login("analyst")
    if data.get("assignee_id") == "self":
        data = {**data, "assignee_id": me.id}
    response = _new(client, official, key, **data)
    assert response.status_code == 400
    assert message in html_lib.unescape(response.get_data(as_text=True))
    assert _tasks(session) == []


def test_a_gap_the_dossier_does_not_have_is_404(client, login, dossier):
    official, tenure, _key = dossier
    login("analyst")
    for gap in (f"E2:tenure:{tenure.id}:date", "E2:tenure:x:evidence", "", f"E1:tenure:{tenure.id}:evidence"):
        assert client.get(f"/dossiers/{official.id}/tasks/new?gap={gap}").status_code == 404
    assert client.get(f"/dossiers/999999/tasks/new?gap=E2:tenure:{tenure.id}:evidence").status_code == 404
    assert client.get("/dossiers/999999/tasks").status_code == 404


def _make_task(client, official, key, assignee):
    assert _new(client, official, key, assignee_id=assignee.id, due_date=NEXT_WEEK).status_code == 302


def _change(client, task, **data):
    return client.post(f"/tasks/{task.id}", data={"version": task.version, **data})


def test_wont_do_needs_a_reason(client, login, session, dossier):
    official, _tenure, key = dossier
    me = login("analyst")
    _make_task(client, official, key, me)
    (task,) = _tasks(session)
    response = _change(client, task, status="wont_do", assignee_id=me.id, due_date=NEXT_WEEK, reason="")
    assert response.status_code == 400
    assert "Say why this task won&#39;t be done." in response.get_data(as_text=True)
    assert _tasks(session)[0].status == "open"
    response = _change(client, task, status="wont_do", assignee_id=me.id, due_date=NEXT_WEEK, reason="Duplicate")
    assert response.status_code == 302
    assert (_tasks(session)[0].status, _tasks(session)[0].reason) == ("wont_do", "Duplicate")


def test_a_change_from_a_stale_page_is_refused(client, login, session, dossier):
    official, _tenure, key = dossier
    me = login("analyst")
    _make_task(client, official, key, me)
    (task,) = _tasks(session)
    stale = task.version
    assert _change(client, task, status="in_progress", assignee_id=me.id, due_date=NEXT_WEEK).status_code == 302
    response = client.post(
        f"/tasks/{task.id}", data={"version": stale, "status": "done", "assignee_id": me.id, "due_date": NEXT_WEEK}
    )
    assert response.status_code == 409
    assert _tasks(session)[0].status == "in_progress"


def test_nobody_sees_a_task_above_their_clearance(client, login, make_user, session, dossier):
    official, _tenure, key = dossier
    secret_worker = make_user("analyst", "confidential")
    login("analyst", "confidential")
    _make_task(client, official, key, secret_worker)
    (task,) = _tasks(session)
    task.due_date = TODAY - dt.timedelta(days=2)  # it was due two days ago
    session.commit()
    assert "1 overdue task" in client.get("/dossiers").get_data(as_text=True)

    login("prosecutor", "public")
    assert client.get(f"/tasks/{task.id}").status_code == 404
    assert client.post(f"/tasks/{task.id}", data={"status": "done"}).status_code == 404
    board = client.get(f"/dossiers/{official.id}/tasks").get_data(as_text=True)
    assert "has no supporting evidence" not in board and f"/tasks/{task.id}" not in board
    assert "overdue" not in client.get("/dossiers").get_data(as_text=True)
    page = client.get(f"/dossiers/{official.id}").get_data(as_text=True)
    assert f"/tasks/{task.id}" not in page and "0 still to do" in page


def test_a_task_closes_when_the_evidence_it_asked_for_is_linked(client, login, make, session, dossier):
    official, tenure, key = dossier
    me = login("analyst")
    _make_task(client, official, key, me)
    exhibit = make.evidence(exhibit_no="P-0042", reliability="A")
    session.commit()
    response = client.post(
        f"/dossiers/{official.id}/link-evidence?target=tenure:{tenure.id}",
        data={"exhibit_no": "P-0042", "stance": "supports"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    (task,) = _tasks(session)
    assert (task.status, task.closed_by_gap) == ("done", True)
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "closed by itself: the gap is gone" in page and exhibit.exhibit_no == "P-0042"


def test_every_task_form_needs_its_csrf_token(app, client, login, session, dossier, monkeypatch):
    official, _tenure, key = dossier
    me = login("analyst")
    _make_task(client, official, key, me)
    (task,) = _tasks(session)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = _new(client, official, key, assignee_id=me.id, due_date=NEXT_WEEK)
    assert response.status_code == 400
    response = _change(client, task, status="done", assignee_id=me.id, due_date=NEXT_WEEK)
    assert response.status_code == 400
    assert _tasks(session)[0].status == "open"
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert re.search(r'name="csrf_token" type="hidden" value="[^"]+"', page)


def test_the_audit_trail_records_tasks_and_hides_them_above_the_admins_clearance(
    client, login, make_user, session, dossier
):
    official, _tenure, key = dossier
    secret_worker = make_user("analyst", "strictly_confidential")
    login("analyst", "strictly_confidential")
    _make_task(client, official, key, secret_worker)
    (task,) = _tasks(session)
    assert (
        _change(client, task, status="in_progress", assignee_id=secret_worker.id, due_date=NEXT_WEEK).status_code == 302
    )
    login("admin", "strictly_confidential")
    trail = client.get("/audit?type=task").get_data(as_text=True)
    assert "has no supporting evidence" in trail and "in_progress" in trail
    login("admin", "confidential")
    trail = client.get("/audit").get_data(as_text=True)
    assert "has no supporting evidence" not in trail and "in_progress" not in trail


def test_a_task_to_confirm_a_grade_closes_once_a_second_analyst_confirms(
    app, client, login, session, make, monkeypatch
):
    """Four eyes on grades: the gap asking for a second analyst's confirmation becomes a task,
    which closes by itself when the confirmation is given."""
    from tests.test_views.test_four_eyes import _case

    monkeypatch.setitem(app.config, "FOUR_EYES_GRADES", True)
    author = login("analyst")
    case = _case(make, session, author)
    session.commit()
    key = f"E2:support:{case['on_tenure'].id}:confirm"
    second = login("analyst")
    assert key in client.get(f"/dossiers/{case['official'].id}").get_data(as_text=True)
    _make_task(client, case["official"], key, second)
    (task,) = _tasks(session)
    assert task.status == "open" and "awaiting second-analyst confirmation" in task.gap_texts["en"]
    board = client.get(f"/dossiers/{case['official'].id}/tasks").get_data(as_text=True)
    assert f"/supports/{case['on_tenure'].id}/confirm" in board  # the form that closes it
    assert client.post(f"/supports/{case['on_tenure'].id}/confirm").status_code == 302
    (task,) = _tasks(session)
    assert (task.status, task.closed_by_gap) == ("done", True)
