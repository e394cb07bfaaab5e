"""Writing, editing and retracting comments."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired

from forms.fields import VersionField, text_length
from services.workspace.comments import BODY_LENGTH


class CommentForm(FlaskForm):
    body = TextAreaField(
        _l("Comment"),
        validators=[DataRequired(message=_l("Write something to comment.")), text_length(BODY_LENGTH)],
        description=_l("Mention a colleague with @ and the part of their e-mail address before the @."),
    )
    parent_id = HiddenField()  # the comment answered; empty opens a thread


class CommentEditForm(FlaskForm):
    body = TextAreaField(
        _l("Comment"),
        validators=[DataRequired(message=_l("Write something to comment.")), text_length(BODY_LENGTH)],
    )
    version = VersionField()
