"""The JSON API under /api/v1, documented by an OpenAPI 3 document generated from its code.

Requests authenticate with ``Authorization: Bearer TOKEN`` (tokens come from
``flask users token``) or with the browser's session cookie; a token has its user's role
and clearance. Token requests are exempt from CSRF, cookie requests that change data are
not. Every error is a problem-details document (views/api/problems.py).
"""

from __future__ import annotations

import http
from typing import Any

from flask import Flask, current_app, g, request
from flask_smorest import Api, abort
from flask_smorest.utils import prepare_response
from marshmallow import fields

from extensions import csrf
from views.api.common import Schema
from views.api.docs import bp as docs_bp
from views.api.problems import PROBLEM_MEDIA_TYPE, ApiProblem
from views.util import request_handler

API_VERSION = "1.0"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ProblemSchema(Schema):
    """RFC 9457 problem details."""

    type = fields.String(required=True, metadata={"description": "A URI naming the kind of problem."})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True, metadata={"description": "What went wrong, for a person to read."})
    errors = fields.List(
        fields.Dict(keys=fields.String(), values=fields.String()),
        metadata={"description": 'Validation failures, one per message: {"location", "field", "message"}.'},
    )


class TribunalApi(Api):
    """flask-smorest's Api with errors documented as problem details; the errors themselves
    are answered by the app's handlers (app.py), which know API requests from pages."""

    ERROR_SCHEMA = ProblemSchema

    def register_blueprint(self, blp: Any, *, parameters: Any = None, **options: Any) -> None:
        """As flask-smorest's, but the resource's tag is ``blp.tag``, not its Flask name."""
        self._app.extensions["flask-smorest"]["blp_name_to_api"][blp.name] = self
        self._app.register_blueprint(blp, **options)
        blp.register_views_in_doc(self, self._app, self.spec, name=blp.name, parameters=parameters)
        self.spec.tag({"name": blp.tag, "description": blp.description})

    def _register_error_handlers(self) -> None:
        pass  # app.py answers errors, as problem details on /api/ paths

    def _register_responses(self) -> None:
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_MEDIA_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        default = {"description": "An error, as problem details (RFC 9457).", "schema": self.ERROR_SCHEMA}
        prepare_response(default, self.spec, PROBLEM_MEDIA_TYPE)
        self.spec.components.response("DEFAULT_ERROR", default, lazy=True)


API_CONFIG = {
    "API_TITLE": "Tribunal Scope",
    "API_VERSION": API_VERSION,
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
}

SPEC_KWARGS: dict[str, Any] = {
    "info": {
        "description": (
            "Officials of Russia, Belarus and the DPRK, the decisions they took part in, the evidence "
            "for and against each link, and the dossiers assessed from them. Authenticate with "
            "`Authorization: Bearer TOKEN`; every error is a problem-details document."
        )
    },
    "servers": [{"url": "/"}],
    "security": [{"bearer": []}],
    "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
}


def resource_blueprints() -> list[Any]:
    """Every module of this package that defines a resource blueprint ``blp``, by name."""
    import importlib
    import pkgutil

    found = []
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        if hasattr(module, "blp"):
            found.append(module.blp)
    return found


def init_app(app: Flask) -> TribunalApi:
    for key, value in API_CONFIG.items():
        app.config.setdefault(key, value)
    api = TribunalApi(app, spec_kwargs=SPEC_KWARGS)
    for blp in resource_blueprints():
        api.register_blueprint(blp, url_prefix="/api/v1")
        csrf.exempt(blp)  # cookie requests are checked in _csrf_for_cookie_requests instead
    app.register_blueprint(docs_bp)
    app.extensions["tribunal_api"] = api
    return api


def check_query() -> None:
    """Refuse query arguments the operation does not take (422 naming each, as webargs names
    the unknown ones of operations that declare a query schema): single records, writes,
    deletes, downloads and the documents take none, and a misspelt argument must not pass."""
    if not request.args:
        return
    view = request_handler(request)
    declared = getattr(view, "_apidoc", {}).get("arguments", {}).get("parameters", [])
    if any(parameter.get("in") in ("query", "querystring") for parameter in declared):
        return  # its schema refuses unknown arguments
    abort(422, messages={"query": {name: ["Unknown field."] for name in request.args}})


def check_csrf() -> None:
    """A cookie-authenticated API request that changes data needs the CSRF token (in the
    X-CSRFToken header); a bearer-token request cannot be forged by another site and is exempt.
    Called by the sign-in gate once it knows how the request authenticated."""
    if request.method in SAFE_METHODS:
        return
    if g.get("auth_method") == "token" or not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    from flask_wtf.csrf import CSRFError

    try:
        csrf.protect()
    except CSRFError as exc:
        raise ApiProblem(
            400, "csrf", "A request authenticated by the session cookie must carry the X-CSRFToken header."
        ) from exc
