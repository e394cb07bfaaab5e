"""What the migration data tests share: rows written at one revision and read back at another.

Each data-moving revision has a test_<what>_migration.py beside this file (the securedrop
pattern): rows are written at the revision before, the upgrade is checked value by value, and
so is the downgrade. The rows are written as plain rows, never through the models or services,
which follow the head and not the revision under test.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine, text

NOW = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)
STAMPS = {"created_at": NOW, "updated_at": NOW, "version": 1}


def exhibit(n: int, **extra: Any) -> dict[str, Any]:
    """Evidence ``n`` (exhibit P-000n) as the first revisions' table takes it; ``extra`` overrides."""
    return {
        "id": n,
        "exhibit_no": f"P-{n:04d}",
        "title": f"Exhibit {n}",
        "kind": "document",
        "source": "Test",
        "classification": "public",
        "reliability": "B",
        "credibility": "2",
        **STAMPS,
        **extra,
    }


def rows(engine: Engine, table: str, order: str = "id") -> list[dict[str, Any]]:
    """Every row of ``table`` with every column, as the engine returns them, in ``order``."""
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(text(f"SELECT * FROM {table} ORDER BY {order}"))]  # noqa: S608


def without(records: list[dict[str, Any]], *columns: str) -> list[dict[str, Any]]:
    """``records`` without ``columns`` (those a revision adds), to compare with rows from before it."""
    return [{k: v for k, v in record.items() if k not in columns} for record in records]
