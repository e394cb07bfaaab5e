"""Making a task from a dossier's gap, and changing it (services/workspace/tasks.py)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Optional

from forms.fields import ChoiceField, VersionField, text_length
from models.enums import TaskStatus


class DueDateField(DateField):
    """A full date, with a message of our own for one that is not a date."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(_l("Enter the due date as YYYY-MM-DD.")) from exc


class NewTaskForm(FlaskForm):
    # Choices: the users who may take the task (services/workspace/tasks.py assignees), set by the
    # view; anyone else is refused by the service, with the reason (validate_choice=False)
    assignee_id = ChoiceField(_l("Assign to"), message=_l("Choose who is to do it."), coerce=int, validate_choice=False)
    due_date = DueDateField(
        _l("Due date"),
        validators=[InputRequired(message=_l("Give a due date."))],
        description=_l("A full date: YYYY-MM-DD."),
    )


class TaskForm(NewTaskForm):
    status = SelectField(_l("Status"), choices=TaskStatus.choices(), validators=[InputRequired()])
    reason = TextAreaField(
        _l("Why it won't be done"),
        validators=[Optional(), text_length(2_000)],
        description=_l("Needed when the status is “won't do”."),
    )
    version = VersionField()
