"""Saving, soft-deleting and restoring records, refusing lost updates."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from models.base import SoftDeleteMixin


class EditConflict(Exception):
    """Someone else saved the record after this edit began; nothing was written."""


def check_version(record: Any, submitted_version: int | None) -> None:
    """Refuse an edit that started from an older version than the one stored."""
    if submitted_version is None or submitted_version != record.version:
        raise EditConflict()


def flush_or_conflict(session: Session) -> None:
    """Flush, turning a concurrent save (a version that moved meanwhile) into EditConflict.

    After EditConflict the session must be rolled back; the request does so for any
    response that is not a success."""
    try:
        session.flush()
    except StaleDataError as exc:
        raise EditConflict() from exc


def soft_delete(session: Session, record: SoftDeleteMixin, reason: str) -> None:
    record.soft_delete(reason.strip())
    session.flush()


def restore(session: Session, record: SoftDeleteMixin) -> None:
    record.restore()
    session.flush()
