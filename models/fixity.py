"""The record of each fixity check: when it ran, what it covered, what it found."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow


class FixityRun(Base):
    """One run of ``flask evidence fixity``: every stored file re-hashed, every custody
    chain and the audit trail re-verified. ``problems`` lists what was found, each naming the exhibits concerned."""

    __tablename__ = "fixity_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    finished_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    files_checked: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    bytes_checked: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    chains_checked: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    events_checked: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # Events of the audit trail verified (services/audit/chain.py)
    audit_events_checked: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    problem_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # [{"kind": "hash_mismatch", "exhibits": ["P-0001"], "detail": "..."}]
    problems: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False, default=list)
    run_by: Mapped[str] = mapped_column(String(200), nullable=False)  # user or "system"

    @property
    def ok(self) -> bool:
        return self.problem_count == 0
