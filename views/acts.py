"""Acts of aggression: browse, add and edit."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("acts", __name__)
