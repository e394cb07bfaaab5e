"""Institutions and the positions within them: browse, add and edit."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("institutions", __name__)
