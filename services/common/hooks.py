"""Every piece of work the ORM session does at flush and commit, in one written order.

The handlers live beside the data they keep (services/audit/trail.py, search.py, ...); none of
them registers itself. ``install`` listens to them on SQLAlchemy's ``Session`` class, so
every session of every app (Flask-SQLAlchemy's ``db.session``, the CLI's, a test's) runs
them, in the order of ``HOOKS``. SQLAlchemy calls the listeners of one event in the order
they were registered; that order is this list's, and it matters:

before_flush
  * fact_dates: refuses an impossible date range before anything is written.
  * confirmations: records who graded an exhibit and who made a link, and clears the
    second-analyst confirmations a regrade or a changed link makes void (four eyes on grades).

after_flush (each sees the rows written by the flush and by the handlers above it)
  * audit: records the flush's changes and tells the data generation that case data changed.
  * search: rewrites the index rows of the changed records.
  * act_evidence: recomputes the evidence digest of the acts the flush touched.
  * dossier_summaries: reassesses the officials the flush touched, reading the act digests
    (services/dossiers/facts.py) -- so it must run after act_evidence, or a summary would be
    computed from the digest as it was before this flush and stay behind until the next one.
  * result_watches: notes the exhibits, officials and decisions the flush inserted or changed
    (no query).

before_commit
  * result_watches: flushes what is left, then tells the watchers of saved searches of the
    evidence list and of search the records new in their results (after search's index rows
    are written: the match reads them).
  * watches: notifies the watchers of the element changes the summaries' rewrites noted
    (notifications are not audited, so this may come before the trail's lock).
  * audit: locks the trail's head first, then
  * generation: flushes what is left (whose audit events note the change) and bumps the
    data generation, then
  * page_versions: stamps the officials whose dossier pages the changes reach with that
    generation (or moves the shared one). Every transaction takes these locks in this one
    order, so two writers never wait on each other crosswise.

after_commit / after_rollback / after_soft_rollback
  * store: moves staged evidence files into the store once their rows are committed, and
    discards them when the transaction rolls back.
  * jobs: hands the jobs the transaction created to the queue once their rows are committed
    (after the store: a job may read a file the same transaction received), and forgets them
    when it rolls back.
  * mail: hands the notifications' e-mails to the sending thread once committed; forgets them
    on a rollback (watches forgets its noted element changes too).
  * generation and audit: forget what the rolled-back transaction had noted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from services.audit import trail as audit
from services.common import generation
from services.dossiers import page_versions
from services.dossiers import summaries as dossier_summaries
from services.evidence import confirmations, store
from services.facts import act_evidence
from services.facts import dates as fact_dates
from services.jobs import queue as job_queue
from services.search import engine as search
from services.workspace import mail, result_watches, watches

Handler = Callable[..., Any]

HOOKS: tuple[tuple[str, Handler], ...] = (
    ("before_flush", fact_dates.before_flush),
    ("before_flush", confirmations.before_flush),
    ("before_flush", result_watches.before_flush),
    ("after_flush", audit.after_flush),
    ("after_flush", search.after_flush),
    ("after_flush", act_evidence.after_flush),
    ("after_flush", dossier_summaries.after_flush),
    ("after_flush", result_watches.after_flush),
    ("before_commit", result_watches.before_commit),
    ("before_commit", watches.before_commit),
    ("before_commit", audit.before_commit),
    ("before_commit", generation.before_commit),
    ("before_commit", page_versions.before_commit),
    ("after_commit", store.after_commit),
    ("after_commit", job_queue.after_commit),
    ("after_commit", mail.after_commit),
    ("after_rollback", generation.after_rollback),
    ("after_rollback", mail.after_rollback),
    ("after_rollback", watches.after_rollback),
    ("after_rollback", result_watches.after_rollback),
    ("after_soft_rollback", store.after_soft_rollback),
    ("after_soft_rollback", audit.after_soft_rollback),
    ("after_soft_rollback", job_queue.after_soft_rollback),
)


def install() -> None:
    """Listen to every hook on the ``Session`` class, in the order of ``HOOKS`` (idempotent:
    a hook already listening is not added again)."""
    for name, handler in HOOKS:
        if not event.contains(Session, name, handler):
            event.listen(Session, name, handler)


def uninstall() -> None:
    """Stop listening to every hook (tests that rebuild the order)."""
    for name, handler in HOOKS:
        if event.contains(Session, name, handler):
            event.remove(Session, name, handler)
