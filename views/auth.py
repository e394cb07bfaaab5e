"""Sign-in, sign-out and the interface language."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from extensions import db
from forms.auth import LanguageForm, LoginForm
from models.enums import LOCALES
from services import audit
from services import auth as auth_service
from views.util import safe_next

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | tuple[str, int] | str:
    form = LoginForm()
    if form.validate_on_submit():
        result = auth_service.sign_in(db.session, form.email.data or "", form.password.data or "")
        if result.throttled:
            form.form_errors.append(
                _("Too many failed sign-in attempts for this account. Wait one minute and try again.")
            )
            return render_template("auth/login.html", form=form), 429
        if result.user is None:
            form.form_errors.append(_("The e-mail address or password is not correct, or the account is disabled."))
            return render_template("auth/login.html", form=form)
        user = result.user
        locale = session.get("locale")
        session.clear()  # a new session: nothing from before sign-in carries over
        session[auth_service.SESSION_TOKEN_KEY] = auth_service.start_session(db.session, user)
        session.permanent = True
        if user.locale is None and locale in LOCALES:
            user.locale = locale
        with audit.acting_as(user):
            audit.record(db.session, "login", "users", user.id)
        return redirect(safe_next(request.args.get("next")) or url_for("officials.list_officials"))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout() -> Response:
    token = session.get(auth_service.SESSION_TOKEN_KEY)
    if token:
        auth_service.end_session(db.session, token)
        audit.record(db.session, "logout", "users", current_user.id if current_user.is_authenticated else None)
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.post("/language/<code>")
def set_language(code: str) -> Response:
    if code not in LOCALES or not LanguageForm().validate_on_submit():
        return redirect(url_for("officials.list_officials"))
    session["locale"] = code
    if current_user.is_authenticated:
        current_user.locale = code
    target = safe_next(request.form.get("next")) or url_for("officials.list_officials")
    current_app.logger.debug("language set to %s", code)
    return redirect(target)
