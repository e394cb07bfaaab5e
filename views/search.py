"""Search across officials (every name and script), institutions, decisions and evidence."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("search", __name__)
