"""Files of an exhibit and its chain of custody: upload, derivatives, downloads, events."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("files", __name__)
