"""Saved searches: a user's named filters of the dossiers index, the evidence list or search.

What is kept is the page's query string, normalised: only the arguments the page reads (its
filters and sort; never a page number or a cursor, which go stale), each once, in a fixed
order, with empty ones left out. Opening a saved search is following the page's own link, so
what it shows is decided by the page at the viewer's clearance; the same link is what a user
sends a colleague. Saved searches are their owner's alone: nobody else lists, opens or
deletes them (a query can hold words the owner typed).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models.saved_search import SAVED_SEARCH_PAGES, SavedSearch

NAME_LENGTH = 120
QUERY_LENGTH = 2000
# The arguments each page reads, in the order they are kept
PAGE_ARGUMENTS: dict[str, tuple[str, ...]] = {
    "dossiers": ("state", "institution", "status", "missing", "sort"),
    "evidence": ("kind", "classification", "reliability", "credibility", "from", "to", "sort", "dir"),
    "search": ("q",),
}
assert set(PAGE_ARGUMENTS) == set(SAVED_SEARCH_PAGES)  # noqa: S101  (a definition kept in step)


class SavedSearchError(ValueError):
    """A search that cannot be saved; the message says why."""


@dataclass(frozen=True)
class Saved:
    search: SavedSearch
    replaced: bool  # a search of that name was saved already: its filters are now these


def normalise(page: str, query: str) -> str:
    """The query string of ``page`` reduced to the arguments it reads, each once (the first),
    in a fixed order, empty ones left out."""
    if page not in PAGE_ARGUMENTS:
        raise SavedSearchError("unknown page")
    try:
        pairs = parse_qsl(query, keep_blank_values=False, errors="strict")
    except UnicodeDecodeError as exc:
        raise SavedSearchError(_("These filters are not valid text.")) from exc
    given: dict[str, str] = {}
    for key, value in pairs:
        if key in PAGE_ARGUMENTS[page] and key not in given and value.strip():
            given[key] = value.strip()
    return urlencode([(key, given[key]) for key in PAGE_ARGUMENTS[page] if key in given])


def for_user(session: Session, user_id: int, page: str) -> list[SavedSearch]:
    return list(
        session.scalars(
            select(SavedSearch)
            .where(SavedSearch.user_id == user_id, SavedSearch.page == page)
            .order_by(SavedSearch.name, SavedSearch.id)
        )
    )


def save(session: Session, user_id: int, page: str, name: str, query: str) -> Saved:
    """Keep ``query`` (normalised) as ``name``; a name already used on that page takes the new
    filters. Refused: an unknown page, an empty or overlong name, no filter to keep."""
    name = " ".join(name.split())
    if not name:
        raise SavedSearchError(_("Give the search a name."))
    if len(name) > NAME_LENGTH:
        raise SavedSearchError(_("At most %(max)d characters.", max=NAME_LENGTH))
    kept = normalise(page, query)
    if not kept:
        raise SavedSearchError(_("There are no filters to save: choose some first."))
    if len(kept) > QUERY_LENGTH:
        raise SavedSearchError(_("These filters are too long to save."))
    found = _named(session, user_id, page, name)
    if found is None:
        try:
            with session.begin_nested():
                search = SavedSearch(user_id=user_id, page=page, name=name, query=kept)
                session.add(search)
            return Saved(search, False)
        except IntegrityError:  # the same name saved meanwhile (another tab): take it over
            found = _named(session, user_id, page, name)
            if found is None:
                raise
    found.query = kept
    session.flush()
    return Saved(found, True)


def _named(session: Session, user_id: int, page: str, name: str) -> SavedSearch | None:
    return session.scalars(
        select(SavedSearch).where(SavedSearch.user_id == user_id, SavedSearch.page == page, SavedSearch.name == name)
    ).first()


def owned(session: Session, user_id: int, search_id: int) -> SavedSearch | None:
    """The saved search ``search_id`` if ``user_id`` owns it; None for anyone else's or none."""
    search = session.get(SavedSearch, search_id)
    return search if search is not None and search.user_id == user_id else None


def delete(session: Session, search: SavedSearch) -> None:
    """Delete a saved search, and every watch of it."""
    from services.workspace.watches import forget_saved_search  # noqa: PLC0415  (watches read the dossiers index)

    forget_saved_search(session, search)
    session.delete(search)
    session.flush()
