"""Decisions and the involvements of officials in them: browse, add and edit."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("decisions", __name__)
