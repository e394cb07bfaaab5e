"""Tasks from a dossier's gaps (issue 25 item 1): made from a gap of the dossier page,
listed as the signed-in user's own ("my tasks") and as each dossier's team board, changed on
their own page. Every list shows only the tasks the viewer's clearance covers
(services/workspace/tasks.py); making and changing them takes an analyst or above."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from extensions import db
from forms.tasks import NewTaskForm, TaskForm
from models import Official, Task
from models.enums import TaskStatus
from services.common import records
from services.common.access import role_at_least, visible_classifications
from services.dossiers.facts import load_facts
from services.workspace import tasks as task_service
from views.dossiers import gap_url
from views.labels import label
from views.util import FormPage, role_required

bp = Blueprint("tasks", __name__)


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def _official_or_404(official_id: int) -> Official:
    official = db.session.scalars(
        select(Official).where(Official.id == official_id, Official.deleted_at.is_(None))
    ).first()
    if official is None:
        abort(404)
    return official


def _task_or_404(task_id: int) -> Task:
    task = task_service.visible_task(db.session(), task_id, visible_classifications(current_user))
    if task is None:
        abort(404)  # a task above the viewer's clearance is as absent as a missing one
    return task


def _assignee_choices(clearance: str) -> list[tuple[int, str]]:
    return [(u.id, u.name or u.email) for u in task_service.assignees(db.session(), clearance)]


def _context() -> dict[str, object]:
    """What every task template needs: the language for the gap's sentence, today, and the
    link to the form that closes a gap (for those who may use it)."""
    return {"locale": str(get_locale()), "today": _today(), "closing_url": _closing_url}


def _closing_url(task: Task) -> str | None:
    if not task.active:
        return None
    return gap_url(task.action, (task.target_kind, task.target_id), task.official_id)


@bp.get("/tasks")
@role_required("viewer")
def my_tasks() -> str:
    tasks = task_service.assigned_to(db.session(), current_user, visible_classifications(current_user))
    return render_template("tasks/mine.html", tasks=tasks, **_context())


@bp.get("/dossiers/<int:official_id>/tasks")
@role_required("viewer")
def board(official_id: int) -> str:
    official = _official_or_404(official_id)
    columns = task_service.of_official(db.session(), official_id, visible_classifications(current_user))
    return render_template(
        "tasks/board.html",
        official=official,
        columns=[(status, label(TaskStatus, status), columns[status]) for status in TaskStatus.values()],
        **_context(),
    )


@bp.route("/dossiers/<int:official_id>/tasks/new", methods=["GET", "POST"])
@role_required("analyst")
def new_task(official_id: int) -> FormPage:
    """Make a task of one gap of the dossier (``?gap=E2:tenure:5:evidence``), as the signed-in
    user's clearance assesses it."""
    official = _official_or_404(official_id)
    key = task_service.GapKey.parse(request.args.get("gap", ""))
    facts = load_facts(db.session(), official_id)
    if key is None or facts is None:
        abort(404)
    clearance = task_service.clearance_of(current_user)
    texts = task_service.gap_texts(
        facts,
        key,
        clearance=clearance,
        scope_start=current_app.config["TEMPORAL_SCOPE_START"],
        today=_today(),
        four_eyes=bool(current_app.config.get("FOUR_EYES_GRADES", False)),
    )
    if texts is None:
        abort(404)  # no such gap (any more), as this user's clearance sees the dossier
    existing = task_service.active_for(db.session(), official_id, key, clearance)
    form = NewTaskForm()
    form.assignee_id.choices = _assignee_choices(clearance)
    if existing is None and form.validate_on_submit():
        try:
            task = task_service.create(
                db.session(),
                official,
                key,
                texts,
                creator=current_user,
                assignee_id=form.assignee_id.data,
                due_date=form.due_date.data,
                today=_today(),
            )
        except task_service.TaskError as refusal:
            _show_refusal(form, refusal)
        else:
            flash(_("Task made and given to %(name)s.", name=task.assignee.name or task.assignee.email), "success")
            return redirect(url_for("tasks.board", official_id=official_id))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "tasks/new.html",
        official=official,
        form=form,
        gap_text=texts.get(str(get_locale())) or texts.get("en"),
        existing=existing,
        **_context(),
    ), status


def _show_refusal(form: NewTaskForm | TaskForm, refusal: task_service.TaskError) -> None:
    if refusal.field and refusal.field in form:  # beside the field it is about
        form[refusal.field].errors = [*form[refusal.field].errors, refusal.message]
    else:
        form.form_errors.append(refusal.message)


def _task_form(task: Task, form: TaskForm | None = None) -> TaskForm:
    if form is None:
        form = TaskForm(obj=task)
        form.version.data = task.version
    choices = _assignee_choices(task.clearance)
    if task.assignee_id not in {user_id for user_id, _name in choices}:  # no longer able to take it: still shown
        choices.append((task.assignee_id, task.assignee.name or task.assignee.email))
    form.assignee_id.choices = choices
    return form


@bp.get("/tasks/<int:task_id>")
@role_required("viewer")
def show_task(task_id: int) -> str:
    task = _task_or_404(task_id)
    form = _task_form(task) if role_at_least(current_user, "analyst") else None
    return render_template("tasks/detail.html", task=task, form=form, **_context())


@bp.post("/tasks/<int:task_id>")
@role_required("analyst")
def change_task(task_id: int) -> FormPage:
    task = _task_or_404(task_id)
    form = _task_form(task, TaskForm())
    code = 400
    if form.validate_on_submit():
        try:
            records.check_version(task, form.version.data)
            task_service.change(
                db.session(),
                task,
                task_service.TaskChange(form.assignee_id.data, form.due_date.data, form.status.data, form.reason.data),
                today=_today(),
            )
            records.flush_or_conflict(db.session())
        except records.EditConflict:
            db.session.rollback()
            task = _task_or_404(task_id)
            form.form_errors.append(
                _("Someone else changed this task while you were editing. Nothing was saved: reload to see it.")
            )
            code = 409
        except task_service.TaskError as refusal:
            _show_refusal(form, refusal)
        else:
            flash(_("Task saved: %(status)s.", status=label(TaskStatus, task.status)), "success")
            return redirect(url_for("tasks.show_task", task_id=task_id))
    return render_template("tasks/detail.html", task=task, form=form, **_context()), code
