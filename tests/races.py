"""Simulating a concurrent save without patching anything: another request's row lands
between the duplicate checks and the flush."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, insert
from sqlalchemy.orm import Session


@contextmanager
def saved_meanwhile(model: type, values: Callable[[], dict[str, Any]] | dict[str, Any]) -> Iterator[list[bool]]:
    """Inside the block, the first flush that writes a ``model`` record first inserts a row of
    ``values`` into its table, on the same connection: as if another request had committed
    it after the checks ran and before the flush. Yields a list that holds True once it did."""
    inserted: list[bool] = []

    def insert_twin(session: Session, flush_context: Any, instances: Any) -> None:
        if not inserted and any(isinstance(obj, model) for obj in (*session.new, *session.dirty)):
            inserted.append(True)
            row = values() if callable(values) else values
            session.connection().execute(insert(model.__table__).values(**row))  # type: ignore[attr-defined]

    event.listen(Session, "before_flush", insert_twin)
    try:
        yield inserted
    finally:
        event.remove(Session, "before_flush", insert_twin)
