"""Application factory. ``flask --app app`` finds ``app`` through create_app()."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, Response, jsonify, render_template
from sqlalchemy import text
from werkzeug.exceptions import HTTPException

import models  # noqa: F401  (registers every table before the extensions bind)
from config import INSTANCE_DIR, BaseConfig, config_from_env
from extensions import csrf, db, migrate

MIGRATIONS_DIR = str(Path(__file__).resolve().parent / "migrations")

# Applied to every response, error pages included.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


def create_app(config: BaseConfig | dict[str, Any] | None = None) -> Flask:
    """Build the app. ``config`` is a settings object, or overrides applied on top of the
    settings the environment selects (TRIBUNAL_ENV)."""
    app = Flask(__name__, instance_path=str(INSTANCE_DIR), instance_relative_config=False)
    settings = config if isinstance(config, BaseConfig) else config_from_env()
    settings.validate()
    app.config.from_object(settings)
    if isinstance(config, dict):
        app.config.update(config)

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True)
    csrf.init_app(app)

    _register_blueprints(app)
    _register_cli(app)
    _register_error_handlers(app)
    app.after_request(_security_headers)
    return app


def _register_blueprints(app: Flask) -> None:
    from views.officials import bp as officials_bp

    app.register_blueprint(officials_bp)

    @app.get("/health")
    def health() -> Response:
        db.session.execute(text("SELECT 1"))
        return jsonify(status="ok")


def _register_cli(app: Flask) -> None:
    from cli import demo_cli

    app.cli.add_command(demo_cli)


def _register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int]:
        code = error.code or 500
        return render_template("error.html", code=code, title=error.name, message=error.description), code

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception) -> tuple[str, int]:
        app.logger.exception("unhandled error")
        db.session.rollback()
        message = "The server could not complete the request. Nothing was changed."
        return render_template("error.html", code=500, title="Internal error", message=message), 500


def _security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def __getattr__(name: str) -> Flask:
    """``flask --app app`` looks up ``app.app``: build it then, not when the module is imported."""
    if name == "app":
        return create_app()
    raise AttributeError(name)
