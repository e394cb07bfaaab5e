"""Whether a reader may see a record that a comment or a notification hangs on.

The same rule the record's own page applies (services/common/access.py gives the classifications
a reader may see): officials, decisions and dossiers are seen by every signed-in user while they
are not deleted; an exhibit only up to the reader's clearance; a link of evidence to a fact (a
support) as its exhibit. A record the reader may not see is as absent as a missing one: no
comment, no count, no notification about it is shown.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from models import Decision, Evidence, ImportRun, Official, SavedSearch, Support


def record_visible(session: Session, kind: str, record_id: int, visible: Sequence[str]) -> bool:
    if kind in ("official", "dossier"):
        official = session.get(Official, record_id)
        return official is not None and official.deleted_at is None
    if kind == "decision":
        decision = session.get(Decision, record_id)
        return decision is not None and decision.deleted_at is None
    if kind == "evidence":
        evidence = session.get(Evidence, record_id)
        return evidence is not None and evidence.deleted_at is None and evidence.classification in visible
    if kind == "support":
        support = session.get(Support, record_id)
        return support is not None and record_visible(session, "evidence", support.evidence_id, visible)
    if kind == "saved_search":  # told only to its owner (services/workspace/result_watches.py)
        return session.get(SavedSearch, record_id) is not None
    if kind == "import_run":  # what a run linked is counted at the reader's clearance by the caller
        return session.get(ImportRun, record_id) is not None
    return False
