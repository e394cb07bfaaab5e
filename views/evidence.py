"""Evidence and its supports (links to the facts it bears on): browse, add and edit."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("evidence", __name__)
