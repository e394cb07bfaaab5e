"""Sign-in forms: the password, then a two-factor code for prosecutors and admins."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from services.auth.accounts import MAX_PASSWORD_LENGTH


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)])


class TwoFactorForm(FlaskForm):
    """The six-digit code from the authenticator app (spaces and dashes allowed: some apps show them)."""

    code = StringField(
        _l("Code from the authenticator app"),
        validators=[DataRequired(), Length(max=12)],
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": 12},
    )


class EnrolmentForm(TwoFactorForm):
    """Setting up the app: the one-time code an administrator gave the user, and the app's first code."""

    enrolment_code = StringField(
        _l("Enrolment code from your administrator"),
        validators=[DataRequired(), Length(max=64)],
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false", "maxlength": 64},
    )


class LanguageForm(FlaskForm):
    """Only the CSRF token: the language comes from the button pressed."""
