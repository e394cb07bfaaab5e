"""Watches (issue 25 item 3): a user watches a dossier, an official, or a saved search, and is
notified (services/workspace/notifications.py) when

- an exhibit is linked to a fact of a watched official or dossier (``evidence_linked``: a
  tenure, an involvement of theirs, or a decision they are involved in), or of an official a
  watched saved search finds at the watcher's clearance;
- an element of the crime changes status in such a dossier (``element_changes``, reported by
  services/dossiers/summaries.py as it rewrites the stored summaries), as the assessment at
  the watcher's own clearance sees it: the change at another clearance is not theirs to know.

Watching a dossier and watching its official tell of the same events (the dossier is the
official's case); both are offered because each page has its own button. A saved search of
the dossiers index stands for the officials it finds; one of the evidence list or of search
is told of the records new in its results (services/workspace/result_watches.py). ``notify``
checks the recipient's clearance again for every event.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from urllib.parse import parse_qsl

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import Official, SavedSearch, Support, User, Watch
from models.enums import CLASSIFICATIONS
from services.audit.trail import current_actor_id
from services.common.access import visible_classifications
from services.dossiers import summaries as dossier_summaries
from services.dossiers.pages import filters_from_args, matching_officials
from services.dossiers.summaries import clearance_of
from services.workspace.notifications import notify


class WatchError(ValueError):
    """A watch that cannot be set; the message says why."""


def watch(session: Session, user: User, kind: str, target_id: int) -> Watch:
    """Watch a dossier or an official (``target_id`` the official's id) or one's own saved
    search (of any page: the dossiers index here, the evidence list and search in
    services/workspace/result_watches.py); watching again changes nothing."""
    if kind in ("dossier", "official"):
        official = session.get(Official, target_id)
        if official is None or official.deleted_at is not None:
            raise LookupError("no such official")
        found = watching(session, user.id, kind, target_id)
        values = {"official_id": target_id}
    elif kind == "saved_search":
        search = session.get(SavedSearch, target_id)
        if search is None or search.user_id != user.id:
            raise LookupError("no such saved search")
        found = watching(session, user.id, kind, target_id)
        values = {"saved_search_id": target_id}
    else:
        raise LookupError("nothing of that kind can be watched")
    if found is not None:
        return found
    try:
        with session.begin_nested():
            new = Watch(user_id=user.id, kind=kind, **values)
            session.add(new)
        return new
    except IntegrityError:  # the same watch set meanwhile (another tab)
        again = watching(session, user.id, kind, target_id)
        if again is None:
            raise
        return again


def watching(session: Session, user_id: int, kind: str, target_id: int) -> Watch | None:
    column = Watch.saved_search_id if kind == "saved_search" else Watch.official_id
    return session.scalars(
        select(Watch).where(Watch.user_id == user_id, Watch.kind == kind, column == target_id)
    ).first()


def unwatch(session: Session, user: User, kind: str, target_id: int) -> bool:
    found = watching(session, user.id, kind, target_id)
    if found is None:
        return False
    session.delete(found)
    session.flush()
    return True


def for_user(session: Session, user_id: int) -> list[Watch]:
    return list(session.scalars(select(Watch).where(Watch.user_id == user_id).order_by(Watch.id)))


def forget_saved_search(session: Session, search: SavedSearch) -> None:
    """A saved search is deleted: nobody watches it any more."""
    for found in session.scalars(select(Watch).where(Watch.saved_search_id == search.id)):
        session.delete(found)
    session.flush()


def _watchers(session: Session, official_ids: set[int], clearance: str | None = None) -> dict[int, User]:
    """The active users watching any of these officials (directly, or through a saved search
    that finds one of them at the user's clearance); with ``clearance``, only users reading
    the summaries of that clearance."""
    users = {user.id: user for user in _watched_among(session, official_ids)}
    if clearance is not None:
        users = {i: u for i, u in users.items() if clearance_of(visible_classifications(u)) == clearance}
    return users


def _watched_among(session: Session, official_ids: set[int]) -> dict[User, set[int]]:
    """Each active user watching some of these officials, with the ones they watch: directly,
    or through a saved search of the dossiers index that finds them at the user's clearance.
    One query for the direct watches, one for the watched searches and one per such search."""
    found: dict[User, set[int]] = defaultdict(set)
    if not official_ids:
        return found
    direct = session.execute(
        select(User, Watch.official_id)
        .join(Watch, Watch.user_id == User.id)
        .where(Watch.official_id.in_(official_ids), User.active.is_(True))
    )
    for user, official_id in direct:
        found[user].add(official_id)
    searches = session.execute(
        select(User, SavedSearch)
        .join(Watch, Watch.user_id == User.id)
        .join(SavedSearch, SavedSearch.id == Watch.saved_search_id)
        .where(User.active.is_(True), SavedSearch.page == "dossiers")
        .order_by(SavedSearch.id)
    ).all()
    for user, search in searches:
        level = clearance_of(visible_classifications(user))
        filters = filters_from_args(session, dict(parse_qsl(search.query)))
        found[user].update(matching_officials(session, filters, level, official_ids))
    return {user: ids for user, ids in found.items() if ids}


def support_official_ids(support: Support) -> set[int]:
    """The officials whose dossier a link of evidence bears on directly: the holder of its
    tenure, the official of its involvement, everyone involved in its decision (an act's
    evidence bears on every official involved in it, and is not reported)."""
    if support.tenure is not None:
        return {support.tenure.official_id}
    if support.involvement is not None:
        return {support.involvement.official_id}
    if support.decision is not None:
        return {i.official_id for i in support.decision.involvements}
    return set()


def evidence_linked(session: Session, support: Support) -> None:
    """Tell the watchers of the officials an exhibit was just linked to (by the current actor)."""
    actor = acting_user(session)
    for user in _watchers(session, support_official_ids(support)).values():
        notify(session, user, "evidence_linked", "support", support.id, actor=actor)


def imported(session: Session, run_id: int, supports: Sequence[Support]) -> None:
    """Tell the watchers of the officials an import run linked evidence to, once per run: how
    many of the officials they watch gained a link they may see (an exhibit above their
    clearance counts for nothing). The notification is shown only to readers cleared for the
    least classified exhibit of each official counted, so a lower clearance later hides it."""
    levels: dict[int, set[str]] = defaultdict(set)  # official -> classifications of their new links
    for support in supports:
        for official_id in support_official_ids(support):
            levels[official_id].add(support.evidence.classification)
    if not levels:
        return
    actor = acting_user(session)
    for user, officials in _watched_among(session, set(levels)).items():
        visible = visible_classifications(user)
        seen = [min((CLASSIFICATIONS.index(c) for c in levels[o] if c in visible), default=None) for o in officials]
        counted = [rank for rank in seen if rank is not None]
        if counted:
            notify(
                session, user, "import_linked", "import_run", run_id, actor=actor, detail=str(len(counted)),
                clearance=CLASSIFICATIONS[max(counted)],
            )  # fmt: skip


def acting_user(session: Session) -> User | None:
    actor_id = current_actor_id()
    return session.get(User, actor_id) if actor_id is not None else None


# --- element changes, noted by the summaries' rewrite ------------------------------------


def before_commit(session: Session) -> None:
    """Notify the watchers of the element changes the summaries' rewrites noted in this
    transaction (services/dossiers/summaries.py), each at the clearance it was seen at."""
    changes = dossier_summaries.pop_element_changes(session)
    if not changes:
        return
    actor = acting_user(session)
    by_official: dict[tuple[int, str], list[tuple[str, str, str]]] = defaultdict(list)
    for official_id, clearance, code, old, new in changes:
        by_official[(official_id, clearance)].append((code, old, new))
    for (official_id, clearance), moves in sorted(by_official.items()):
        for user in _watchers(session, {official_id}, clearance).values():
            for code, old, new in moves:
                notify(
                    session,
                    user,
                    "element_changed",
                    "dossier",
                    official_id,
                    actor=actor,
                    detail=f"{code}:{old}:{new}",
                    clearance=clearance,
                )


def after_rollback(session: Session) -> None:
    dossier_summaries.pop_element_changes(session)
