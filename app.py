"""Application factory. ``flask --app app`` finds ``app`` through create_app()."""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from pathlib import Path
from typing import Any

from flask import (
    Flask,
    Request,
    Response,
    current_app,
    g,
    has_request_context,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import text
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

import models  # noqa: F401  (registers every table before the extensions bind)
from config import INSTANCE_DIR, BaseConfig, ConfigError, config_from_env
from extensions import babel, csrf, db, login_manager, migrate
from models import User
from models.base import SQLITE_WRITE_INTENT
from models.enums import LOCALES
from services.audit import trail as audit
from services.auth import accounts as auth_service
from services.auth import tokens
from services.common import chain_keys as chains
from services.common import hooks
from services.jobs import queue as job_queue
from views import api, outages
from views.api import problems
from views.uploads import UploadRequest, admit_body, refuse_undecodable_query
from views.util import RecordIdConverter

# Error pages in the user's language (Werkzeug's own texts are English only).
HTTP_ERROR_TEXTS = {
    400: (_l("Bad request"), _l("The request could not be understood.")),
    403: (_l("Forbidden"), _l("Your role does not allow this.")),
    404: (_l("Not found"), _l("There is no such page or record, or you are not cleared to see it.")),
    405: (_l("Method not allowed"), _l("This address does not accept that kind of request.")),
    409: (_l("Conflict"), _l("The record changed meanwhile; reload it and try again.")),
    413: (_l("Too large"), _l("The upload is larger than allowed.")),  # see too_large() below
    429: (_l("Too many requests"), _l("Wait a minute and try again.")),
}

MIGRATIONS_DIR = str(Path(__file__).resolve().parent / "migrations")

# Reachable without signing in; everything else is denied by default.
PUBLIC_ENDPOINTS = frozenset(
    {
        "auth.login",
        "auth.two_factor",  # these two answer only a browser that gave the right password just now
        "auth.enrol_two_factor",
        "auth.set_language",
        "static",
        "health",
        "favicon",
        "api-docs.openapi_json",
        "api_docs.docs",
    }
)

# Applied to every response, error pages included.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; "
        "media-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


# Never written to a log: API tokens, and the values of sensitive fields in a logged query
# string or form (a password, a session id, a CSRF token, a two-factor code).
LOGGED_SECRETS = re.compile(
    r"tsk_[A-Za-z0-9_-]+|\b((?:password|token|csrf_token|session|tribunal_session|code|enrolment_code)=)[^&\s;]+",
    re.IGNORECASE,
)
# The colour codes werkzeug's development server wraps its request lines in (SGR sequences).
ANSI_COLOURS = re.compile(r"\x1b\[[0-9;]*m")
# Control characters in a logged value (a user name, a path) would start a forged log line.
LOGGED_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class SafeLogRecord(logging.LogRecord):
    """A log record whose message keeps to one line and names no secret, whichever handler
    writes it (the app's, gunicorn's, a library's): installed as the record factory."""

    def getMessage(self) -> str:  # noqa: N802  (logging's name)
        message = super().getMessage()
        if self.name == "werkzeug":  # the development server colours its request lines itself
            message = ANSI_COLOURS.sub("", message)
        message = LOGGED_SECRETS.sub(lambda m: f"{m.group(1) or ''}[redacted]", message)
        return LOGGED_CONTROLS.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), message)


def create_app(config: BaseConfig | dict[str, Any] | None = None) -> Flask:
    """Build the app. ``config`` is a settings object, or overrides applied on top of the
    settings the environment selects (TRIBUNAL_ENV). A `flask` command that the settings
    refuse (production without its secrets) ends with one line naming what to set."""
    try:
        return _create_app(config)
    except ConfigError as exc:
        if os.environ.get("FLASK_RUN_FROM_CLI") == "true":
            raise SystemExit(_refusal(exc)) from None
        raise


def _refusal(exc: ConfigError) -> str:
    message = f"Error: {str(exc).rstrip('.')}."
    if not os.environ.get("TRIBUNAL_ENV", "").strip():
        message += (
            " TRIBUNAL_ENV is not set, so this is production mode; for the local instance that `make run`"
            " serves, put TRIBUNAL_ENV=development before the command."
        )
    return message


def _create_app(config: BaseConfig | dict[str, Any] | None) -> Flask:
    app = Flask(__name__, instance_path=str(INSTANCE_DIR), instance_relative_config=False)
    app.request_class = UploadRequest
    settings = config if isinstance(config, BaseConfig) else config_from_env()
    settings.validate()
    logging.setLogRecordFactory(SafeLogRecord)
    app.config.from_object(settings)
    if isinstance(config, dict):
        app.config.update(config)

    if app.config.get("TRUSTED_PROXY_COUNT"):  # the client's address from X-Forwarded-For, as far as trusted
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["TRUSTED_PROXY_COUNT"])  # type: ignore[method-assign]
    try:
        app.extensions["chain_key"] = chains.key_for(app.config)
    except chains.ChainKeyError as exc:
        raise ConfigError(str(exc)) from exc
    chains.use_key(app.extensions["chain_key"])

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True)
    app.before_request(_declare_write_intent)
    # The gate decides what a request's body may hold before anything reads it: CSRF
    # validation, which reads the form, comes after it
    app.before_request(_gate)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.request_loader(_load_user)
    babel.init_app(app, locale_selector=_select_locale, default_timezone="UTC")
    job_queue.init_app(app)
    hooks.install()  # flush and commit work, in the order services/common/hooks.py gives and explains

    app.url_map.converters["int"] = RecordIdConverter  # before any route: ids past 2^31-1 match none
    _quiet_development_server()
    _register_blueprints(app)
    api.init_app(app)
    _register_cli(app)
    _register_error_handlers(app)
    from flask_babel import format_date, format_datetime, get_locale

    from services.assessment.law import legal_text
    from services.assessment.score import method_text
    from views.formatting import partial_date
    from views.labels import template_globals
    from views.notifications import unread_count as unread_notifications

    app.jinja_env.globals.update(
        **template_globals(),
        strength_method=method_text,
        legal_text=legal_text,
        get_locale=get_locale,
        format_date=format_date,
        format_datetime=format_datetime,
        format_partial=partial_date,
        has_endpoint=lambda name: name in app.view_functions,
        unread_notifications=unread_notifications,
    )
    app.after_request(_finish)
    app.teardown_request(_forget_actor)
    return app


def _load_user(request: Request) -> User | None:
    """The user behind an API bearer token (on /api/ paths) or behind the session cookie.
    A request that carries an Authorization header is judged by it alone."""
    header = request.headers.get("Authorization")
    if header is not None and problems.is_api_request():
        g.auth_method = "token"
        scheme, _sep, secret = header.partition(" ")
        if scheme.lower() != "bearer":
            return None
        return tokens.authenticate(db.session(), secret.strip())
    g.auth_method = "session"
    return _load_user_from_session()


def _load_user_from_session() -> User | None:
    token = session.get(auth_service.SESSION_TOKEN_KEY)
    if not token:
        return None
    user = auth_service.resume_session(
        db.session(),
        token,
        idle=dt.timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"]),
        lifetime=dt.timedelta(hours=current_app.config["SESSION_LIFETIME_HOURS"]),
    )
    if user is None:
        session.pop(auth_service.SESSION_TOKEN_KEY, None)
        db.session.commit()  # keep the record of the session's end
    return user


def _select_locale() -> str | None:
    if not has_request_context() or problems.is_api_request():  # commands and the API speak English
        return "en"
    if current_user and current_user.is_authenticated and current_user.locale:
        return str(current_user.locale)
    if session.get("locale") in LOCALES:
        return str(session["locale"])
    return request.accept_languages.best_match(LOCALES) or "en"


def _gate() -> ResponseReturnValue | None:
    """Deny by default: every endpoint but PUBLIC_ENDPOINTS needs a signed-in user. Then,
    and before anything reads it, what the body may hold (views/uploads.py): a public
    endpoint gets a small body without files, whoever sends it. Query arguments that are not
    UTF-8, and on the API those the operation does not take, are refused first."""
    if request.endpoint is None:
        return None
    refuse_undecodable_query(request)
    on_api = problems.is_api_request()
    if request.endpoint in PUBLIC_ENDPOINTS:
        admit_body(request._get_current_object(), None)  # type: ignore[attr-defined]
        if on_api:
            api.check_query()
        return None
    if not current_user.is_authenticated:
        if on_api:
            detail = (
                "The token is unknown, expired or revoked, or was issued before its user's password last changed."
                if g.get("auth_method") == "token"
                else "Send 'Authorization: Bearer TOKEN' (tokens come from `flask users token`)."
            )
            return problems.problem(401, detail, headers={"WWW-Authenticate": "Bearer"})
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    user = current_user._get_current_object()
    g.audit_token = audit.set_actor(user)
    admit_body(request._get_current_object(), user)  # type: ignore[attr-defined]
    if on_api:
        api.check_query()
        api.check_csrf()
    return None


def _finish(response: Response) -> Response:
    """One transaction per request: commit what succeeded, roll back what did not."""
    if response.status_code < 400:
        try:
            db.session.commit()
        except Exception as error:
            db.session.rollback()
            response = outages.response_for(error) or _raise(error)
    else:
        db.session.rollback()
    auth_service.write_touches(db.session())
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _quiet_development_server() -> None:
    """Werkzeug's development server (``make run``) names itself and Python's version in a
    ``Server`` header: nothing the app sends tells which software to look up (gunicorn, in
    production, is quietened by gunicorn.conf.py). Idempotent; only that server's handler."""
    from werkzeug.serving import WSGIRequestHandler

    if getattr(WSGIRequestHandler, "quiet", False):
        return
    send_header = WSGIRequestHandler.send_header

    def without_server(self: WSGIRequestHandler, keyword: str, value: str) -> None:
        if keyword.lower() != "server":
            send_header(self, keyword, value)

    WSGIRequestHandler.send_header = without_server  # type: ignore[method-assign, assignment]
    WSGIRequestHandler.quiet = True  # type: ignore[attr-defined]


def _raise(error: Exception) -> Response:
    raise error


def _declare_write_intent() -> None:
    """A request that may change data takes SQLite's write lock when its transaction begins
    (models/base.py), so concurrent writers wait their turn instead of failing."""
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        g.write_intent = SQLITE_WRITE_INTENT.set(True)


def _forget_actor(_exc: BaseException | None) -> None:
    intent = g.pop("write_intent", None)
    if intent is not None:
        SQLITE_WRITE_INTENT.reset(intent)
    token = g.pop("audit_token", None)
    if token is not None:
        audit.reset_actor(token)


def _register_blueprints(app: Flask) -> None:
    from views import (
        account,
        acts,
        auth,
        case_files,
        comments,
        decisions,
        disclosure,
        dossiers,
        evidence,
        evidence_files,
        history,
        import_runs,
        imports,
        institutions,
        intake,
        jobs,
        notifications,
        officials,
        saved_searches,
        search,
        tasks,
        viewer,
        watches,
    )

    for module in (
        auth,
        account,
        officials,
        institutions,
        acts,
        decisions,
        evidence,
        evidence_files,
        viewer,
        dossiers,
        case_files,
        disclosure,
        imports,
        import_runs,
        intake,
        jobs,
        search,
        saved_searches,
        tasks,
        comments,
        notifications,
        watches,
        history,
    ):
        app.register_blueprint(module.bp)

    @app.get("/health")
    def health() -> Response:
        db.session.execute(text("SELECT 1"))
        return jsonify(status="ok")

    @app.get("/favicon.ico")
    def favicon() -> Response:
        """Browsers ask for /favicon.ico whatever the page links to: the same icon."""
        return app.send_static_file("favicon.svg")  # cached as the files of /static are


def _register_cli(app: Flask) -> None:
    """The command groups of commands/, one module each."""
    from commands.backup import backup_command, restore_command
    from commands.demo import demo_cli
    from commands.dossiers import dossiers_cli
    from commands.evidence import evidence_cli
    from commands.export import export_cli
    from commands.imports import import_cli
    from commands.jobs import jobs_cli
    from commands.keys import keys_cli
    from commands.users import users_cli
    from commands.verify import verify_cli

    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(demo_cli)
    app.cli.add_command(dossiers_cli)
    app.cli.add_command(evidence_cli)
    app.cli.add_command(export_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(keys_cli)
    app.cli.add_command(verify_cli)
    app.cli.add_command(import_cli)
    app.cli.add_command(users_cli)


def _register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> Response | tuple[str, int]:
        if problems.is_api_request():
            return problems.problem(400, "The CSRF token is missing or invalid.", kind="csrf")
        message = _("The form had expired or did not come from this site. Reload the page and try again.")
        return render_template("error.html", code=400, title=_("Form refused"), message=message), 400

    @app.errorhandler(413)
    def too_large(error: HTTPException) -> Response | tuple[str, int]:
        from services.evidence.exhibits import human_size

        if getattr(request, "files_allowed", False):
            amount, unit = human_size(app.config["MAX_UPLOAD_BYTES"])
            detail = f"The upload is larger than the limit of {amount} {unit}. Nothing was stored."
            message = _(
                "The upload is larger than the limit of %(amount)s %(unit)s. Nothing was stored.",
                amount=amount,
                unit=unit,
            )
        else:
            amount, unit = human_size(app.config["MAX_BODY_BYTES"])
            detail = f"The request body is larger than the limit of {amount} {unit}. Nothing was saved."
            message = _(
                "The form is larger than the limit of %(amount)s %(unit)s. Nothing was saved.", amount=amount, unit=unit
            )
        if problems.is_api_request():
            return problems.problem(413, detail)
        return render_template("error.html", code=413, title=_("Too large"), message=message), 413

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response | tuple[str, int]:
        if problems.is_api_request():
            return problems.from_http_exception(error)
        code = error.code or 500
        title, message = HTTP_ERROR_TEXTS.get(code, (error.name, error.description))
        if code == 400 and error.description and not error.description.startswith("The browser"):
            message = error.description  # a specific explanation given by the view
        return render_template("error.html", code=code, title=title, message=message), code

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception) -> Response | tuple[str, int]:
        db.session.rollback()
        outage = outages.response_for(error)  # a database or store that cannot serve now: 503, 507
        if outage is not None:
            return outage
        app.logger.exception("unhandled error")
        if problems.is_api_request():
            return problems.problem(500, "The server could not complete the request. Nothing was changed.")
        message = _("The server could not complete the request. Nothing was changed.")
        return render_template("error.html", code=500, title=_("Internal error"), message=message), 500


def __getattr__(name: str) -> Flask:
    """``flask --app app`` looks up ``app.app``: build it then, not when the module is imported."""
    if name == "app":
        return create_app()
    raise AttributeError(name)
