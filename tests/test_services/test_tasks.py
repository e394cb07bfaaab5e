"""Tasks from a dossier's gaps (services/workspace/tasks.py): who may take one, what a task
needs, how a gap is named, and the task closing by itself once its gap is gone -- at the
clearance that saw it."""

from __future__ import annotations

import datetime as dt
from typing import get_args

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from models import Task
from models.task import GAP_ACTIONS, GAP_TARGETS
from services.assessment.types import GapAction
from services.audit import trail
from services.dossiers.facts import load_facts
from services.evidence.exhibits import add_support
from services.workspace import tasks as task_service
from services.workspace.tasks import GapKey, TaskChange, TaskError

TODAY = dt.datetime.now(dt.UTC).date()
SCOPE = dt.date(2014, 2, 20)


@pytest.fixture(autouse=True)
def _app_context(app):
    with app.app_context():
        yield


@pytest.fixture
def dossier(session, make):
    """An official with a leadership tenure and an involvement in a decision serving an act
    of their State, nothing proved: (official, tenure, the tenure's evidence gap)."""
    ru = make.state(code="RU")
    official = make.official(state=ru, name="Sergei Shoigu")
    tenure = make.tenure(official=official, position=make.position(institution=make.institution(state=ru)))
    make.involvement(official=official, decision=make.linked_decision(state=ru))
    return official, tenure, GapKey("E2", "tenure", tenure.id, "evidence")


def _texts(session, official, key, clearance="public"):
    from flask import current_app

    with current_app.test_request_context():  # each language in turn (flask-babel's force_locale)
        return task_service.gap_texts(
            load_facts(session, official.id), key, clearance=clearance, scope_start=SCOPE, today=TODAY
        )


def _task(session, official, key, creator, assignee, due=TODAY + dt.timedelta(days=7)):
    texts = _texts(session, official, key, task_service.clearance_of(creator))
    return task_service.create(
        session, official, key, texts, creator=creator, assignee_id=assignee.id, due_date=due, today=TODAY
    )


def test_the_model_names_every_gap_action_the_assessment_gives():
    assert set(GAP_ACTIONS) == set(get_args(GapAction))
    assert "official" in GAP_TARGETS


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("E2:tenure:5:evidence", GapKey("E2", "tenure", 5, "evidence")),
        ("E5:act:12:gravity", GapKey("E5", "act", 12, "gravity")),
        ("E7:tenure:5:evidence", None),
        ("E2:person:5:evidence", None),
        ("E2:tenure:5:pray", None),
        ("E2:tenure:-5:evidence", None),
        ("E2:tenure:99999999999:evidence", None),
        ("E2:tenure:５:evidence", None),  # a full-width digit is no id
        ("E2:tenure:5", None),
        ("", None),
    ],
)
def test_a_gap_key_is_read_from_its_text_or_refused(text, key):
    assert GapKey.parse(text) == key
    if key is not None:
        assert str(key) == text


def test_a_task_keeps_its_gap_in_each_language_and_its_creators_clearance(session, make_user, dossier):
    official, tenure, key = dossier
    creator = make_user("analyst", "confidential")
    task = _task(session, official, key, creator, make_user("analyst", "confidential"))
    assert (task.status, task.clearance, task.gap_key) == ("open", "confidential", f"E2:tenure:{tenure.id}:evidence")
    assert task.gap_texts["en"].endswith("has no supporting evidence")
    assert task.gap_texts["uk"] != task.gap_texts["en"] and "Shoigu" not in task.gap_texts["uk"]
    assert task.closed_at is None and task.created_by_id == creator.id
    session.flush()
    assert any(row["entity_type"] == "task" and row["action"] == "create" for row in trail.pending(session))


def test_a_gap_the_dossier_does_not_have_gives_no_texts(session, dossier):
    official, tenure, _key = dossier
    assert _texts(session, official, GapKey("E2", "tenure", tenure.id, "date")) is None
    assert _texts(session, official, GapKey("E1", "tenure", tenure.id, "evidence")) is None  # not E1's gap


@pytest.mark.parametrize(
    ("role", "clearance", "active", "message"),
    [
        ("viewer", "confidential", True, "cannot be given tasks"),
        ("analyst", "confidential", False, "cannot be given tasks"),
        ("analyst", "restricted", True, "not cleared to see this gap"),
    ],
)
def test_only_an_active_working_user_cleared_for_the_gap_takes_it(
    session, make_user, dossier, role, clearance, active, message
):
    official, _tenure, key = dossier
    creator = make_user("prosecutor", "confidential")
    assignee = make_user(role, clearance, active=active)
    assert assignee not in task_service.assignees(session, "confidential")
    with pytest.raises(TaskError, match=message) as refused:
        _task(session, official, key, creator, assignee)
    assert refused.value.field == "assignee_id"
    assert session.scalars(select(Task)).all() == []


@pytest.mark.parametrize(
    ("due", "message"),
    [
        (None, "Give a due date"),
        (TODAY - dt.timedelta(days=1), "cannot be in the past"),
        (TODAY + dt.timedelta(days=6 * 366), "more than five years away"),
    ],
)
def test_a_due_date_is_needed_today_or_later(session, make_user, dossier, due, message):
    official, _tenure, key = dossier
    analyst = make_user("analyst")
    with pytest.raises(TaskError, match=message):
        _task(session, official, key, analyst, analyst, due=due)


def test_one_task_still_to_do_per_gap_even_past_the_service(session, make_user, dossier):
    official, _tenure, key = dossier
    analyst = make_user("analyst")
    first = _task(session, official, key, analyst, analyst)
    with pytest.raises(TaskError, match="already has a task"):
        _task(session, official, key, analyst, analyst)
    # Two requests that both checked before either wrote: the database refuses the second
    with pytest.raises(IntegrityError), session.begin_nested():
        session.add(
            Task(
                official_id=official.id,
                element=key.element,
                target_kind=key.target_kind,
                target_id=key.target_id,
                action=key.action,
                clearance="public",
                gap_texts={"en": "x"},
                assignee_id=analyst.id,
                due_date=TODAY,
                created_by_id=analyst.id,
            )
        )
    task_service.change(session, first, TaskChange(analyst.id, first.due_date, "done", None), today=TODAY)
    session.flush()
    assert _task(session, official, key, analyst, analyst).id != first.id  # done: the gap may have a new one


def test_wont_do_needs_a_reason_and_closing_is_dated(session, make_user, dossier):
    official, _tenure, key = dossier
    analyst = make_user("analyst")
    task = _task(session, official, key, analyst, analyst)
    for reason in (None, "   "):
        with pytest.raises(TaskError, match="Say why") as refused:
            task_service.change(session, task, TaskChange(analyst.id, task.due_date, "wont_do", reason), today=TODAY)
        assert refused.value.field == "reason"
    task_service.change(
        session, task, TaskChange(analyst.id, task.due_date, "wont_do", " No such record exists "), today=TODAY
    )
    session.flush()
    assert (task.status, task.reason) == ("wont_do", "No such record exists") and task.closed_at is not None
    task_service.change(session, task, TaskChange(analyst.id, task.due_date, "in_progress", "ignored"), today=TODAY)
    session.flush()
    assert (task.status, task.reason, task.closed_at) == ("in_progress", None, None)


def test_a_past_due_date_may_stay_but_not_be_set(session, make_user, dossier):
    official, _tenure, key = dossier
    analyst = make_user("analyst")
    task = _task(session, official, key, analyst, analyst)
    task.due_date = TODAY - dt.timedelta(days=3)  # it was due in the past: now overdue
    session.flush()
    task_service.change(session, task, TaskChange(analyst.id, task.due_date, "in_progress", None), today=TODAY)
    with pytest.raises(TaskError, match="cannot be in the past"):
        task_service.change(
            session, task, TaskChange(analyst.id, TODAY - dt.timedelta(days=1), "open", None), today=TODAY
        )


def test_a_task_closes_by_itself_when_its_gap_is_gone(session, make, make_user, dossier):
    official, tenure, key = dossier
    analyst = make_user("analyst")
    task = _task(session, official, key, analyst, analyst)
    session.flush()
    version = task.version
    add_support(
        session, make.evidence(reliability="A"), "tenure", tenure.id, stance="supports", pinpoint=None, note=None
    )
    session.flush()
    session.refresh(task)
    assert (task.status, task.closed_by_gap) == ("done", True) and task.closed_at is not None
    assert task.version == version + 1  # an edit begun before it is refused, not lost
    closed = [r for r in trail.pending(session) if r["entity_type"] == "task" and r["action"] == "update"]
    assert [(r["entity_id"], r["before"], r["after"]) for r in closed] == [
        (task.id, {"status": "open"}, {"status": "done", "closed_by_gap": True})
    ]


def test_a_task_closes_only_when_its_clearance_no_longer_sees_the_gap(session, make, make_user, dossier):
    official, tenure, key = dossier
    public = _task(session, official, key, make_user("analyst", "public"), make_user("analyst", "public"))
    secret_analyst = make_user("analyst", "confidential")
    secret = _task(session, official, key, secret_analyst, secret_analyst)
    session.flush()
    evidence = make.evidence(classification="confidential", reliability="A")
    add_support(session, evidence, "tenure", tenure.id, stance="supports", pinpoint=None, note=None)
    session.flush()
    session.refresh(public)
    session.refresh(secret)
    assert secret.status == "done" and secret.closed_by_gap
    assert public.status == "open"  # the public assessment still lacks evidence it may see


def test_task_lists_obey_clearance(session, make_user, dossier):
    official, _tenure, key = dossier
    secret_analyst = make_user("analyst", "confidential")
    task = _task(session, official, key, secret_analyst, secret_analyst)
    task.due_date = TODAY - dt.timedelta(days=1)
    session.flush()
    public, confidential = ("public",), ("public", "restricted", "confidential")
    assert task_service.overdue_counts(session, [official.id], confidential, TODAY) == {official.id: 1}
    assert task_service.overdue_counts(session, [official.id], public, TODAY) == {}
    assert task_service.of_official(session, official.id, public)["open"] == []
    assert task_service.of_official(session, official.id, confidential)["open"] == [task]
    assert task_service.visible_task(session, task.id, public) is None
    assert task_service.assigned_to(session, secret_analyst, confidential) == [task]
    assert task_service.assigned_to(session, secret_analyst, public) == []
    task.status, task.closed_at = "in_progress", None
    session.flush()
    assert task_service.overdue_counts(session, [official.id], confidential, TODAY) == {official.id: 1}
    task_service.change(session, task, TaskChange(secret_analyst.id, task.due_date, "done", None), today=TODAY)
    session.flush()
    assert task_service.overdue_counts(session, [official.id], confidential, TODAY) == {}


def test_the_assignee_is_notified_without_the_tasks_text_and_only_while_cleared(session, make_user, dossier):
    from models import Notification
    from services.workspace import notifications

    official, _tenure, key = dossier
    creator = make_user("analyst", "confidential")
    assignee, other = make_user("analyst", "confidential"), make_user("analyst", "confidential")
    task = _task(session, official, key, creator, assignee)
    told = session.scalars(select(Notification).where(Notification.user_id == assignee.id)).one()
    assert (told.kind, told.record_kind, told.record_id, told.actor_id, told.clearance, told.detail) == (
        "task_assigned",
        "task",
        task.id,
        creator.id,
        "confidential",
        None,
    )
    with trail.acting_as(creator):
        task_service.change(session, task, TaskChange(other.id, task.due_date, "open", None), today=TODAY)
    assert notifications.unread_count(session, other) == 1
    with trail.acting_as(other):  # taking it oneself tells nobody
        task_service.change(session, task, TaskChange(other.id, task.due_date, "in_progress", None), today=TODAY)
    assert notifications.unread_count(session, other) == 1
    assignee.clearance = "public"
    session.flush()
    assert notifications.unread_count(session, assignee) == 0  # no longer cleared for the task
