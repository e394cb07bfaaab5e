"""Four eyes on grades (issue 25 item 5): a second analyst confirms that an exhibit graded A-C
proves a leadership or conduct fact.

The rule (``FOUR_EYES_GRADES`` in config.py, off by default) is applied by the assessment
(services/assessment/basis.py ``awaits_confirmation``): a supporting link from a primary
exhibit graded A-C to a tenure (leadership, E2) or an involvement (conduct, E1) proves the fact
only once confirmed; until then it counts as partial. Here are the writes.

Who "the first analyst" is: both people whose judgement the link rests on -- whoever last set
the exhibit's grade (``Evidence.graded_by_id``: reliability or credibility, on creation or
change) and whoever made or last changed the link (``Support.linked_by_id``: its exhibit, fact,
stance, pinpoint or note). The confirming analyst must be neither. Either may be unknown (grades
and links recorded before this rule, or by the system: imports, the demo data); the known one
still may not confirm.

What clears a confirmation: a change of the exhibit's reliability or credibility (every link of
that exhibit), and a change of the link itself. ``before_flush`` (installed by
services/common/hooks.py) does both on every session, so no path that writes -- HTML form, API,
import -- can keep a confirmation on a grade or link nobody confirmed. The confirmation is a
change of the support's row, so the audit trail records it (who, when, before and after) like
any other, and the dossier summaries of the officials it touches are recomputed in the flush
(services/dossiers/summaries.py watches ``confirmed_by_id``).
"""

from __future__ import annotations

from typing import Any

from flask import current_app, has_app_context
from flask_babel import gettext as _
from sqlalchemy import inspect
from sqlalchemy.orm import Session, UOWTransaction

from models import SUPPORT_TARGET_COLUMNS, Evidence, Support, User
from models.base import utcnow
from services.assessment.basis import FOUR_EYES_TARGETS, SECONDARY_KINDS, STRONG_RELIABILITY
from services.audit import trail
from services.common.access import role_at_least

GRADE_COLUMNS = ("reliability", "credibility")
LINK_COLUMNS = ("evidence_id", "stance", "pinpoint", "note", *SUPPORT_TARGET_COLUMNS.values())
CONFIRMING_ROLE = "analyst"  # analysts, prosecutors and admins; never viewers


class ConfirmationRefused(Exception):
    """The confirmation is not allowed; ``message`` says why, for the user."""

    def __init__(self, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def four_eyes_on() -> bool:
    """Whether the rule is on (config.py FOUR_EYES_GRADES); off outside an app."""
    return bool(current_app.config.get("FOUR_EYES_GRADES", False)) if has_app_context() else False


def needs_confirmation(support: Support) -> bool:
    """Whether the link is one the rule asks a second analyst to confirm: a primary exhibit
    graded A-C supporting a tenure or an involvement (whether or not the rule is on)."""
    evidence = support.evidence
    return (
        support.target_type in FOUR_EYES_TARGETS
        and support.stance == "supports"
        and evidence.reliability in STRONG_RELIABILITY
        and evidence.kind not in SECONDARY_KINDS
    )


def awaiting(support: Support, rule: bool) -> bool:
    """Whether the link counts as partial for want of a confirmation."""
    return rule and support.confirmed_by_id is None and needs_confirmation(support)


def first_analysts(support: Support) -> set[int]:
    """Who may not confirm the link: the exhibit's grader and the link's author, where known."""
    return {i for i in (support.evidence.graded_by_id, support.linked_by_id) if i is not None}


def confirm_support(session: Session, support: Support, user: User, *, rule: bool) -> None:
    """Record ``user``'s confirmation of the link (flushed; the request commits), or raise
    ConfirmationRefused saying why not."""
    if not role_at_least(user, CONFIRMING_ROLE):
        raise ConfirmationRefused(_("Only analysts and prosecutors confirm links."), status=403)
    if not rule:
        raise ConfirmationRefused(_("Four eyes on grades is turned off: no link needs a confirmation."))
    if not needs_confirmation(support):
        raise ConfirmationRefused(
            _(
                "This link needs no confirmation: only a primary exhibit graded A–C that supports a tenure"
                " (leadership) or an involvement (conduct) does."
            )
        )
    if support.confirmed_by_id is not None:
        raise ConfirmationRefused(_("This link is already confirmed."))
    if user.id in first_analysts(support):
        raise ConfirmationRefused(
            _(
                "You graded this exhibit or made this link: a second analyst, not you, must confirm it"
                " (four eyes on grades)."
            ),
            status=403,
        )
    support.confirmed_by_id = user.id
    support.confirmed_at = utcnow()
    session.flush()


def _changed(obj: Any, columns: tuple[str, ...]) -> bool:
    attrs = inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in columns)


def _clear(support: Support) -> None:
    if support.confirmed_by_id is not None or support.confirmed_at is not None:
        support.confirmed_by_id = None
        support.confirmed_at = None


def before_flush(session: Session, flush_context: UOWTransaction, instances: Any) -> None:
    """Record who graded and who linked, and clear the confirmations a change makes void."""
    actor = trail.actor_id()
    for obj in session.new:
        if isinstance(obj, Evidence) and obj.graded_by_id is None:
            obj.graded_by_id = actor
        elif isinstance(obj, Support) and obj.linked_by_id is None:
            obj.linked_by_id = actor
    for obj in list(session.dirty):
        if isinstance(obj, Evidence) and _changed(obj, GRADE_COLUMNS):
            obj.graded_by_id = actor
            for support in obj.supports:
                _clear(support)
        elif isinstance(obj, Support) and _changed(obj, LINK_COLUMNS):
            obj.linked_by_id = actor
            _clear(obj)
