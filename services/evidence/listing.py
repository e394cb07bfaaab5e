"""The evidence list's filters (views/evidence.py), kept here so that what the list shows can
be asked without a request: a watched saved search of the evidence list is told of an exhibit
new to it (services/workspace/watches.py) through the very filters the page applies."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from sqlalchemy.orm import Session

from models import Evidence
from models.enums import CLASSIFICATIONS, CREDIBILITY_GRADES, EVIDENCE_KINDS, RELIABILITY_GRADES
from services.common.filters import FilterError, date_range_filter, narrow, one_of
from services.evidence.exhibits import visible_query

FILTERS = {
    "kind": one_of(Evidence.kind, EVIDENCE_KINDS),
    # The base query already keeps to the user's clearance: asking for more finds nothing.
    "classification": one_of(Evidence.classification, CLASSIFICATIONS),
    "reliability": one_of(Evidence.reliability, RELIABILITY_GRADES),
    "credibility": one_of(Evidence.credibility, CREDIBILITY_GRADES),
    "from": date_range_filter(Evidence.collected_on, "from"),
    "to": date_range_filter(Evidence.collected_on, "to"),
}


def listed_among(
    session: Session, args: Mapping[str, str], visible: tuple[str, ...], evidence_ids: Collection[int]
) -> set[int]:
    """Which of ``evidence_ids`` the evidence list shows a reader cleared for ``visible`` with
    the filters ``args`` (its query string's arguments): one query. Filters that cannot be
    read show nothing (the page answers them with 400)."""
    if not evidence_ids:
        return set()
    try:
        query, _applied = narrow(visible_query(visible), FILTERS, args)
    except FilterError:
        return set()
    return set(session.scalars(query.with_only_columns(Evidence.id).where(Evidence.id.in_(list(evidence_ids)))))
