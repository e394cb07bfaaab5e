"""Watching and no longer watching a dossier, an official or a saved search."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField
from wtforms.validators import AnyOf, InputRequired, NumberRange

from models.enums import WATCH_KINDS


class WatchForm(FlaskForm):
    kind = HiddenField(validators=[InputRequired(), AnyOf(WATCH_KINDS)])
    target_id = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=2**31 - 1)])
