"""API: the caller's own API tokens, listed (never the tokens themselves) and revocable.

Tokens are issued on the server (`flask users token`). A token stops working when it expires,
is revoked, or its user's password changes; each is listed with when it was issued and last
used, so that a user notices one they do not know. Nobody sees another user's tokens: their
numbers answer 404, as missing ones do.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_login import current_user
from marshmallow import fields

from extensions import db
from models import ApiToken
from models.base import utcnow
from services.auth import tokens
from views.api.common import ID, ApiBlueprint, Choice, Schema, found
from views.api.problems import ApiProblem
from views.util import role_required

blp = ApiBlueprint(
    "tokens", __name__, description="Your own API tokens: when each was issued and last used; revoke one."
)


class TokenSchema(Schema):
    id = fields.Integer(
        required=True, metadata={"description": "The token's number (`flask users tokens` lists it too)."}
    )
    label = fields.String(required=True, allow_none=True, metadata={"description": "What the token is for."})
    created_at = fields.DateTime(required=True)
    expires_at = fields.DateTime(required=True)
    last_used_at = fields.DateTime(
        required=True, allow_none=True, metadata={"description": "Within a minute; null if never used."}
    )
    revoked_at = fields.DateTime(required=True, allow_none=True)
    state = Choice(
        tokens.STATES,
        required=True,
        metadata={
            "description": "live (it works), expired, revoked, password-changed (issued before your password last "
            "changed) or user-disabled."
        },
    )


class TokenListSchema(Schema):
    items = fields.List(fields.Nested(TokenSchema), required=True, metadata={"description": "Newest first."})


def _dumped(record: ApiToken) -> dict[str, Any]:
    return {
        "id": record.id,
        "label": record.label,
        "created_at": record.created_at,
        "expires_at": record.expires_at,
        "last_used_at": record.last_used_at,
        "revoked_at": record.revoked_at,
        "state": tokens.state(record, utcnow()),
    }


@blp.route("/tokens")
class Tokens(MethodView):
    @role_required("viewer")
    @blp.response(200, TokenListSchema)
    def get(self) -> dict[str, Any]:
        """Your API tokens, newest first."""
        records = tokens.tokens_of(db.session(), current_user)
        return {"items": [_dumped(record) for record in reversed(records)]}


@blp.route(f"/tokens/<{ID}:token_id>/revoke")
class TokenRevocation(MethodView):
    @role_required("viewer")
    @blp.response(200, TokenSchema)
    def post(self, token_id: int) -> dict[str, Any]:
        """Revoke one of your tokens: it stops working at once (409 if it was already revoked)."""
        record = found(tokens.own_token(db.session(), current_user, token_id))
        if not tokens.revoke(db.session(), record):
            raise ApiProblem(409, "refused", f"Token {record.id} was already revoked.")
        return _dumped(record)
