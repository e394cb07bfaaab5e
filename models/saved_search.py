"""A user's saved searches: the filters of the dossiers index, the evidence list or search,
kept under a name to open again (issue 25 item 4)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, enum_check, utcnow

if TYPE_CHECKING:
    from models.user import User

# The pages whose filters can be saved, as their endpoints' short names
SAVED_SEARCH_PAGES = ("dossiers", "evidence", "search")


class SavedSearch(Base):
    """One user's named filters of one page. Only their owner lists, opens or deletes them;
    a colleague is sent the page's own link, which shows what that colleague may see."""

    __tablename__ = "saved_search"
    __table_args__ = (
        enum_check("page", SAVED_SEARCH_PAGES),
        UniqueConstraint("user_id", "page", "name"),
        CheckConstraint("length(name) > 0", name="name_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True, nullable=False)
    page: Mapped[str] = mapped_column(String(20), nullable=False)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    query: Mapped[str] = mapped_column(Text, nullable=False)  # the page's query string, normalised
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False)

    user: Mapped[User] = relationship()
