"""The building blocks of the dossier assessment: dates against the scope, labels, visible evidence.

Pure helpers of services/assessment.py, kept apart so that module stays readable.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from models.partial_date import PartialDate
from services.assessment_texts import _
from services.assessment_types import Certainty, DossierFacts, ExhibitRef, FactsInvolvement, FactsTenure, Target

STRONG_RELIABILITY = frozenset("ABC")
# Same words as views/labels.py, so the existing translations apply
_ROLE_WORDS = {"voted_for": "voted for", "publicly_endorsed": "publicly endorsed"}


# --- time ----------------------------------------------------------------------------------


def weakest(*certainties: Certainty) -> Certainty:
    return "possible" if "possible" in certainties else "certain"


def in_scope(last: PartialDate | None, scope_start: dt.date) -> Certainty | None:
    """Whether a fact whose last day is ``last`` (None: still going on) reaches into the scope."""
    if last is None or last.start >= scope_start:
        return "certain"
    return "possible" if last.end >= scope_start else None


def covers(tenure: FactsTenure, when: PartialDate) -> Certainty | None:
    """Whether the tenure covers the decision date: certainly, possibly, or not at all."""
    if when.certainly_before(tenure.start) or (tenure.end is not None and tenure.end.certainly_before(when)):
        return None
    began = tenure.start.end <= when.start
    lasted = tenure.end is None or tenure.end.start >= when.end
    return "certain" if began and lasted else "possible"


# --- labels --------------------------------------------------------------------------------


def tenure_label(t: FactsTenure) -> str:
    # The post once where it reads the same as its institution ("President of ...")
    post = t.position_title if t.position_title == t.institution else f"{t.position_title}, {t.institution}"
    return _(
        "%(position)s (%(start)s – %(end)s)",
        position=post,
        start=str(t.start),
        end=str(t.end) if t.end else _("present"),
    )


def involvement_label(i: FactsInvolvement) -> str:
    role = _(_ROLE_WORDS.get(i.role, i.role))
    return _("%(role)s: %(decision)s (%(date)s)", role=role, decision=i.decision.title, date=str(i.decision.when))


def decision_label(i: FactsInvolvement) -> str:
    return f"{i.decision.title} ({i.decision.when})"


# --- evidence ------------------------------------------------------------------------------


class EvidenceIndex:
    """The visible evidence on each of the official's facts, by stance; the rest only counted."""

    def __init__(self, facts: DossierFacts, visible: tuple[str, ...]) -> None:
        known = {("tenure", t.id) for t in facts.tenures}
        for i in facts.involvements:
            known |= {("involvement", i.id), ("decision", i.decision.id)}
            known |= {("act", a.id) for a in i.decision.acts}
        self.supporting: dict[Target, list[ExhibitRef]] = defaultdict(list)
        self.contradicting: dict[Target, list[ExhibitRef]] = defaultdict(list)
        self.withheld = 0
        for s in facts.supports:
            if s.target not in known:
                continue
            if s.exhibit.classification not in visible:
                if s.target[0] != "act":  # acts' hidden exhibits are counted from their totals below
                    self.withheld += 1
                continue
            (self.contradicting if s.stance == "contradicts" else self.supporting)[s.target].append(s.ref)
        self.withheld += sum(
            t.count for t in facts.act_totals if ("act", t.act_id) in known and t.classification not in visible
        )

    def reliabilities(self, target: Target) -> set[str]:
        return {ref.grade[0] for ref in self.supporting.get(target, [])}

    def strong(self, target: Target) -> bool:
        return bool(self.reliabilities(target) & STRONG_RELIABILITY)

    def supported(self, target: Target) -> bool:
        return bool(self.supporting.get(target))
