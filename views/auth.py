"""Sign-in, sign-out and the interface language.

Prosecutors and admins sign in in two steps. A right password does not sign them in: it
leaves a pending marker in the (signed) browser session, bound to the user and short-lived,
and the next page asks for a code from their authenticator app (or, the first time, sets the
app up). Only a valid code starts the real session. Wrong codes are counted on the server, per
account (services/auth/two_factor.py): after too many the account is locked until an administrator
unlocks it, and the next sign-in says so.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from itsdangerous import BadData, URLSafeTimedSerializer
from werkzeug.wrappers import Response

from extensions import db
from forms.auth import EnrolmentForm, LanguageForm, LoginForm, TwoFactorForm
from models import User
from models.base import utcnow
from models.enums import LOCALES
from services.audit import trail as audit
from services.auth import accounts as auth_service
from services.auth import throttle, two_factor
from views.util import safe_next

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | tuple[str, int] | tuple[str, int, dict[str, str]] | str:
    form = LoginForm()
    if form.validate_on_submit():
        result = auth_service.sign_in(
            db.session(),
            form.email.data or "",
            form.password.data or "",
            address=_client_address(),
            device=_remembered_device(),
        )
        if result.retry_after is not None:
            return _throttled("auth/login.html", result.retry_after, form=form)
        if result.locked:
            form.form_errors.append(str(LOCKED_MESSAGE))
            return render_template("auth/login.html", form=form), 403
        if result.user is None:
            form.form_errors.append(_("The e-mail address or password is not correct, or the account is disabled."))
            return render_template("auth/login.html", form=form)
        user = result.user
        if two_factor.required_for(user):
            _start_pending(user, request.args.get("next"))
            step = "auth.two_factor" if two_factor.is_enrolled(user) else "auth.enrol_two_factor"
            return redirect(url_for(step))
        return _complete_sign_in(user, request.args.get("next"))
    return render_template("auth/login.html", form=form)


def _complete_sign_in(user: User, next_url: str | None) -> Response:
    locale = session.get("locale")
    session.clear()  # a new session: nothing from before sign-in carries over
    session[auth_service.SESSION_TOKEN_KEY] = auth_service.start_session(db.session(), user)
    session.permanent = True
    if user.locale is None and locale in LOCALES:
        user.locale = locale
    with audit.acting_as(user):
        audit.record(db.session(), "login", "users", user.id)
    response = redirect(safe_next(next_url) or url_for("officials.list_officials"))
    _remember_device(response, user)
    return response


def _throttled(template: str, wait: dt.timedelta, **context: Any) -> tuple[str, int, dict[str, str]]:
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    context["form"].form_errors.append(
        ngettext(
            "Too many failed sign-in attempts. Wait %(num)d minute and try again.",
            "Too many failed sign-in attempts. Wait %(num)d minutes and try again.",
            minutes,
        )
    )
    return render_template(template, **context), 429, {"Retry-After": str(math.ceil(wait.total_seconds()))}


# --- the client and its remembered device (services/auth/throttle.py) --------------------------

# A browser that completed a sign-in keeps this signed cookie (the account and a digest of its
# password hash); an attempt on that account from it is exempt from the throttle's per-account
# and per-address buckets, so failures from elsewhere never lock the owner out of it.
DEVICE_COOKIE = "tribunal_device"
DEVICE_LIFETIME = dt.timedelta(days=90)
DEVICE_SALT = "remembered-device"


def _client_address() -> str:
    """The client's address as the throttle counts it (from X-Forwarded-For only behind
    TRUSTED_PROXY_COUNT proxies: app.py applies ProxyFix)."""
    return throttle.client_bucket(request.remote_addr)


def _secret_key() -> str | bytes:
    key = current_app.secret_key
    if not key:  # config.py refuses to start without one; never sign with an empty key
        raise RuntimeError("SECRET_KEY is not set")
    return key


def _remembered_device() -> tuple[int, str] | None:
    value = request.cookies.get(DEVICE_COOKIE)
    if not value or len(value) > 500:
        return None
    serializer = URLSafeTimedSerializer(_secret_key(), salt=DEVICE_SALT)
    try:
        user_id, stamp = serializer.loads(value, max_age=int(DEVICE_LIFETIME.total_seconds()))
    except (BadData, TypeError, ValueError):
        return None
    return (user_id, stamp) if isinstance(user_id, int) and isinstance(stamp, str) else None


def _remember_device(response: Response, user: User) -> None:
    value = URLSafeTimedSerializer(_secret_key(), salt=DEVICE_SALT).dumps([user.id, auth_service.device_stamp(user)])
    response.set_cookie(
        DEVICE_COOKIE,
        value,
        max_age=int(DEVICE_LIFETIME.total_seconds()),
        path=url_for("auth.login"),  # sent with sign-in requests only
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )


# --- the second step: a code from the authenticator app -----------------------------------

PENDING_KEY = "two_factor_pending"
LOCKED_MESSAGE = _l(
    "This account is locked: too many wrong two-factor codes were typed after its password, so someone "
    "may know the password. Ask an administrator to unlock the account, then change your password."
)
# How long the password step stays good for while the code is looked up (or the app set up).
PENDING_LIFETIME = dt.timedelta(minutes=5)


def _start_pending(user: User, next_url: str | None) -> None:
    locale = session.get("locale")
    session.clear()  # whoever was signed in in this browser is not any more
    if locale in LOCALES:
        session["locale"] = locale
    session[PENDING_KEY] = {
        "user": user.id,
        "until": (utcnow() + PENDING_LIFETIME).timestamp(),
        "next": safe_next(next_url),
    }


def _pending() -> tuple[User, dict[str, Any]] | None:
    """The user whose password was right a moment ago in this browser, and the marker."""
    state = session.get(PENDING_KEY)
    if not isinstance(state, dict) or float(state.get("until", 0)) < utcnow().timestamp():
        session.pop(PENDING_KEY, None)
        return None
    user = db.session.get(User, state.get("user"))
    if user is None or not user.active or not two_factor.required_for(user) or user.sign_in_locked_at is not None:
        session.pop(PENDING_KEY, None)
        return None
    return user, state


def _back_to_password(had_marker: bool) -> Response:
    """No pending sign-in (never begun, expired, or the account changed meanwhile)."""
    if had_marker:
        flash(_("The sign-in was not completed in time. Enter your e-mail address and password again."), "error")
    return redirect(url_for("auth.login"))


def _two_factor_key() -> bytes:
    return two_factor.load_or_create_key(current_app.config["TOTP_KEY_PATH"])


def _after_code(user: User, state: dict[str, Any], check: two_factor.CodeCheck, form: TwoFactorForm) -> Response | None:
    """Sign in after a right code (telling of wrong ones typed since the last sign-in); back
    to the password, with the reason, once the account is locked."""
    if check.accepted:
        response = _complete_sign_in(user, state.get("next"))
        if check.earlier_failures:  # flashed into the new session (starting it cleared the old one)
            flash(
                ngettext(
                    "%(num)d wrong two-factor code was typed for your account since your last sign-in. "
                    "If it was not you, someone knows your password: change it.",
                    "%(num)d wrong two-factor codes were typed for your account since your last sign-in. "
                    "If it was not you, someone knows your password: change it.",
                    check.earlier_failures,
                ),
                "warning",
            )
        return response
    if check.locked:
        session.pop(PENDING_KEY, None)
        flash(str(LOCKED_MESSAGE), "error")
        return redirect(url_for("auth.login"))
    if check.problem == two_factor.WRONG_ENROLMENT_CODE and isinstance(form, EnrolmentForm):
        form.enrolment_code.errors = [
            _(
                "The enrolment code is not correct, was used already or has expired (it works for 24 hours). "
                "Ask an administrator for a new one."
            )
        ]
        return None
    form.code.errors = [_("The code is not correct, or it was already used. Wait for the next code and try again.")]
    return None


@bp.route("/login/code", methods=["GET", "POST"], endpoint="two_factor")
def two_factor_step() -> Response | tuple[str, int] | tuple[str, int, dict[str, str]] | str:
    had_marker, pending = PENDING_KEY in session, _pending()
    if pending is None:
        return _back_to_password(had_marker)
    user, state = pending
    if not two_factor.is_enrolled(user):
        return redirect(url_for("auth.enrol_two_factor"))
    form = TwoFactorForm()
    if form.validate_on_submit():
        try:
            check = two_factor.check_code(db.session(), user, _two_factor_key(), form.code.data or "")
        except two_factor.TwoFactorError:
            current_app.logger.error("two-factor secret of user %s does not decrypt", user.id)
            form.form_errors.append(
                _("Your two-factor setup cannot be read on this server. Ask an administrator to reset it.")
            )
            return render_template("auth/two_factor.html", form=form)
        done = _after_code(user, state, check, form)
        if done is not None:
            return done
    return render_template("auth/two_factor.html", form=form)


@bp.route("/login/enrol", methods=["GET", "POST"])
def enrol_two_factor() -> Response | tuple[str, int] | tuple[str, int, dict[str, str]] | str:
    had_marker, pending = PENDING_KEY in session, _pending()
    if pending is None:
        return _back_to_password(had_marker)
    user, state = pending
    if two_factor.is_enrolled(user):
        return redirect(url_for("auth.two_factor"))
    key = _two_factor_key()
    secret = _enrolment_secret(user, state, key)
    form = EnrolmentForm()
    uri = two_factor.provisioning_uri(secret, user.email)
    context = {
        "form": form,
        "secret": two_factor.grouped(secret),
        "qr_code": two_factor.qr_code_data_uri(uri),
        "issuer": two_factor.ISSUER,
        "account": user.email,
    }
    if form.validate_on_submit():
        check = two_factor.check_enrolment(
            db.session(), user, key, secret, form.code.data or "", form.enrolment_code.data or ""
        )
        done = _after_code(user, state, check, form)
        if check.accepted:  # flashed into the new session (starting it cleared the old one)
            flash(_("Two-factor sign-in is set up: from now on, signing in asks for a code from the app."), "success")
        if done is not None:
            return done
    return render_template("auth/enrol_two_factor.html", **context)


def _enrolment_secret(user: User, state: dict[str, Any], key: bytes) -> str:
    """The secret offered to this user until they confirm it: made once, kept encrypted in
    the pending marker, so a reload shows the same one as the app already holds."""
    stored = state.get("candidate")
    if isinstance(stored, str):
        try:
            return two_factor.decrypt_secret(key, two_factor.pending_binding(user), stored)
        except two_factor.TwoFactorError:
            pass  # the key changed meanwhile: offer a new secret
    secret = two_factor.new_secret()
    state["candidate"] = two_factor.encrypt_secret(key, two_factor.pending_binding(user), secret)
    session.modified = True
    return secret


@bp.post("/logout")
def logout() -> Response:
    token = session.get(auth_service.SESSION_TOKEN_KEY)
    if token:
        auth_service.end_session(db.session(), token)
        audit.record(db.session(), "logout", "users", current_user.id if current_user.is_authenticated else None)
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.post("/language/<code>")
def set_language(code: str) -> Response:
    if code not in LOCALES or not LanguageForm().validate_on_submit():
        return redirect(url_for("officials.list_officials"))
    session["locale"] = code
    if current_user.is_authenticated:  # a public page: the change is attributed here
        user = current_user._get_current_object()
        g.audit_token = audit.set_actor(user)
        user.locale = code
    target = safe_next(request.form.get("next")) or url_for("officials.list_officials")
    current_app.logger.debug("language set to %s", code)
    return redirect(target)
