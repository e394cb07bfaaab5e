"""The building blocks of the dossier assessment: dates against the scope, labels, visible evidence,
the involvements that count, and an element in the making.

Pure helpers of services/assessment/elements.py and services/assessment/modes.py (the elements of the
crime and the modes of liability are built from the same pieces), kept apart so those modules
stay readable.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from models.partial_date import PartialDate
from services.assessment.texts import _
from services.assessment.types import (
    Certainty,
    DossierFacts,
    ElementAssessment,
    ExhibitRef,
    FactRef,
    FactsAct,
    FactsInvolvement,
    FactsSupport,
    FactsTenure,
    GapAction,
    Status,
    Target,
)

STRONG_RELIABILITY = frozenset("ABC")
# Four eyes on grades (a setting, FOUR_EYES_GRADES): the facts whose proof by an A-C exhibit waits
# for a second analyst's confirmation -- leadership (a tenure, E2) and conduct (an involvement, E1)
FOUR_EYES_TARGETS = frozenset({"tenure", "involvement"})
# Sources that report what others decided or did: they corroborate a fact, they never prove it
# on their own, however reliable the publisher (a sanctions listing and its statement of
# reasons repeat what the listing authority was told; a press report, what a reporter heard).
SECONDARY_KINDS = frozenset({"sanctions_listing", "statement_of_reasons", "press_report"})
# Same words as the labels of models/enums.py, so the existing translations apply
_ROLE_WORDS = {
    "voted_for": "voted for",
    "publicly_endorsed": "publicly endorsed",
    "supplied": "supplied means",
    "allowed": "allowed the use of its territory",
}
_KIND_WORDS = {
    "sanctions_listing": "sanctions listing",
    "statement_of_reasons": "statement of reasons",
    "press_report": "press report",
}


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


def role_words(role: str) -> str:
    return _(_ROLE_WORDS.get(role, role))


def involvement_label(i: FactsInvolvement) -> str:
    role = role_words(i.role)
    return _("%(role)s: %(decision)s (%(date)s)", role=role, decision=i.decision.title, date=str(i.decision.when))


def decision_label(i: FactsInvolvement) -> str:
    return f"{i.decision.title} ({i.decision.when})"


def aspect_label(aspect: str, act: str) -> str:
    """ "Gravity of <act>": one aspect of the manifest violation, as dossiers and evidence pages name it."""
    if aspect == "character":
        return _("Character of %(act)s", act=act)
    if aspect == "gravity":
        return _("Gravity of %(act)s", act=act)
    return _("Scale of %(act)s", act=act)


def record_aspect_text(aspect: str, act: str) -> str:
    if aspect == "character":
        return _("Record the character of aggression act %(act)s", act=act)
    if aspect == "gravity":
        return _("Record the gravity of aggression act %(act)s", act=act)
    return _("Record the scale of aggression act %(act)s", act=act)


def kind_words(kinds: set[str]) -> str:
    return ", ".join(_(_KIND_WORDS.get(k, k.replace("_", " "))) for k in sorted(kinds))


# --- evidence ------------------------------------------------------------------------------


def proves(ref: ExhibitRef) -> bool:
    """Whether one supporting exhibit proves its fact: reliability A-C and a primary source (and,
    under four eyes on grades, confirmed by a second analyst where that is asked)."""
    return ref.reliability in STRONG_RELIABILITY and ref.kind not in SECONDARY_KINDS and not ref.awaiting_confirmation


def awaits_confirmation(support: FactsSupport, four_eyes: bool) -> bool:
    """Whether the link would prove its fact but waits for a second analyst: the rule is on, the
    fact is a leadership or conduct fact, the exhibit supports it, is a primary source graded
    A-C, and nobody has confirmed the link since it or the exhibit's grade last changed."""
    return (
        four_eyes
        and not support.confirmed
        and support.target[0] in FOUR_EYES_TARGETS
        and support.stance == "supports"
        and proves(support.ref)
    )


def grade_order(ref: ExhibitRef) -> tuple[bool, str, str]:
    """Strongest first: primary before secondary, then by reliability, then credibility."""
    return (ref.kind in SECONDARY_KINDS, ref.grade, ref.exhibit_no)


ProofLevel = Literal["proved", "partial", "none"]


@dataclass(frozen=True)
class Proof:
    """How far the visible supporting evidence on one fact goes."""

    level: ProofLevel  # proved: a primary A-C exhibit; partial: weaker or secondary ones only; none
    best: ExhibitRef | None  # the strongest visible supporting exhibit
    weak_grades: frozenset[str]  # reliabilities (D-F) of primary exhibits that do not prove it
    secondary_kinds: frozenset[str]  # kinds of secondary exhibits among the supporting ones
    withheld: int  # supports on the fact the viewer may not see
    # A-C exhibits that would prove it once a second analyst confirms them (four eyes on grades)
    awaiting: tuple[ExhibitRef, ...] = ()

    @property
    def proved(self) -> bool:
        return self.level == "proved"


class EvidenceIndex:
    """The visible evidence on each of the official's facts, by stance; the rest only counted."""

    def __init__(self, facts: DossierFacts, visible: tuple[str, ...], four_eyes: bool = False) -> None:
        known = {("tenure", t.id) for t in facts.tenures}
        for i in facts.involvements:
            known |= {("involvement", i.id), ("decision", i.decision.id)}
            known |= {("act", a.id) for a in i.decision.acts}
            known |= {("act_assessment", x.id) for a in i.decision.acts for x in a.assessments}
        self.supporting: dict[Target, list[ExhibitRef]] = defaultdict(list)
        self.contradicting: dict[Target, list[ExhibitRef]] = defaultdict(list)
        self.hidden: dict[Target, int] = defaultdict(int)
        for s in facts.supports:
            if s.target not in known:
                continue
            if s.exhibit.classification not in visible:
                if s.target[0] != "act":  # acts' hidden exhibits are counted from their totals below
                    self.hidden[s.target] += 1
                continue
            ref = s.awaiting_ref if awaits_confirmation(s, four_eyes) else s.ref
            (self.contradicting if s.stance == "contradicts" else self.supporting)[s.target].append(ref)
        for t in facts.act_totals:
            if ("act", t.act_id) in known and t.classification not in visible:
                self.hidden[("act", t.act_id)] += t.count
        self.withheld = sum(self.hidden.values())
        self._proved: dict[Target, bool] = {}
        for refs in self.supporting.values():
            refs.sort(key=grade_order)

    def proof(self, target: Target) -> Proof:
        refs = self.supporting.get(target, [])
        best = refs[0] if refs else None
        awaiting = tuple(r for r in refs if r.awaiting_confirmation)
        primary = [r for r in refs if r.kind not in SECONDARY_KINDS and not r.awaiting_confirmation]
        weak = frozenset(r.reliability for r in primary if not proves(r))
        secondary = frozenset(r.kind for r in refs if r.kind in SECONDARY_KINDS)
        proved = any(proves(r) for r in refs)  # the strongest grade may be one awaiting confirmation
        level: ProofLevel = "proved" if proved else "partial" if refs else "none"
        return Proof(level, best, weak, secondary, self.hidden.get(target, 0), awaiting)

    def proved(self, target: Target) -> bool:
        """Whether the fact is proved (asked many times per fact: the elements, the modes and
        the score each ask; answered once)."""
        found = self._proved.get(target)
        if found is None:
            found = self._proved[target] = self.proof(target).proved
        return found

    def supported(self, target: Target) -> bool:
        return bool(self.supporting.get(target))


def proof_gap_text(label: str, proof: Proof) -> str:
    """What keeps a fact from being proved, in one sentence naming the fact."""
    if proof.level == "none":
        if proof.withheld:
            return _("%(fact)s: evidence exists that you are not cleared to see", fact=label)
        return _("%(fact)s has no supporting evidence", fact=label)
    if proof.awaiting:
        return awaiting_text(label, proof.awaiting)
    grades = "/".join(sorted(proof.weak_grades))
    if proof.secondary_kinds and grades:
        return _(
            "%(fact)s rests only on %(grades)s-graded and secondary sources (%(kinds)s)",
            fact=label,
            grades=grades,
            kinds=kind_words(set(proof.secondary_kinds)),
        )
    if proof.secondary_kinds:
        return _(
            "%(fact)s rests only on secondary sources (%(kinds)s): corroborate them with a primary exhibit graded A–C",
            fact=label,
            kinds=kind_words(set(proof.secondary_kinds)),
        )
    return _("%(fact)s rests only on %(grades)s-graded sources", fact=label, grades=grades)


def awaiting_text(label: str, refs: Iterable[ExhibitRef]) -> str:
    """The fact counts as partial only because its A-C exhibits await a second analyst."""
    return _(
        "%(fact)s: %(exhibits)s, graded A–C, is awaiting second-analyst confirmation",
        fact=label,
        exhibits=", ".join(dict.fromkeys(r.exhibit_no for r in refs)),
    )


def awaiting_note(evidence: EvidenceIndex, targets: Iterable[Target]) -> str:
    """A sentence for an element's reason naming the exhibits on ``targets`` (facts not proved)
    that await a second analyst's confirmation; empty when none does."""
    refs = [r for t in targets if not evidence.proved(t) for r in evidence.proof(t).awaiting]
    if not refs:
        return ""
    return " " + _(
        "Awaiting second-analyst confirmation: %(exhibits)s.",
        exhibits=", ".join(dict.fromkeys(r.exhibit_no for r in refs)),
    )


# --- involvements in scope, and elements in the making -------------------------------------


@dataclass(frozen=True)
class Linked:
    """An involvement whose decision falls in scope, with the in-scope acts that decision served."""

    involvement: FactsInvolvement
    decision_certainty: Certainty
    acts: tuple[tuple[FactsAct, Certainty], ...]

    @property
    def certainty(self) -> Certainty:
        """Certainty of "a decision in scope that served an act in scope"."""
        best_act: Certainty = "certain" if any(c == "certain" for _a, c in self.acts) else "possible"
        return weakest(self.decision_certainty, best_act)


def scoped_involvements(involvements: Iterable[FactsInvolvement], scope_start: dt.date) -> list[Linked]:
    scoped = []
    for i in involvements:
        certainty = in_scope(i.decision.when, scope_start)
        if certainty is None:
            continue
        acts = tuple((a, c) for a in i.decision.acts if (c := in_scope(a.end, scope_start)) is not None)
        scoped.append(Linked(i, certainty, acts))
    return scoped


@dataclass
class Draft:
    code: str
    name: str
    status: Status = "gap"
    reason: str = ""
    facts: dict[Target, FactRef] = field(default_factory=dict)
    possible: list[str] = field(default_factory=list)
    gaps: list[tuple[Target, str, GapAction]] = field(default_factory=list)

    def fact(self, kind: str, id_: int, label: str, certainty: Certainty = "certain") -> None:
        old = self.facts.get((kind, id_))
        if old is None or (old.certainty == "possible" and certainty == "certain"):
            self.facts[(kind, id_)] = FactRef(kind, id_, label, certainty)

    def note(self, text: str) -> None:
        if text not in self.possible:
            self.possible.append(text)

    def gap(self, target: Target, text: str, action: GapAction = "evidence") -> None:
        if (target, text, action) not in self.gaps:
            self.gaps.append((target, text, action))

    def finish(self, evidence: EvidenceIndex) -> ElementAssessment:
        def refs(index: dict[Target, list[ExhibitRef]]) -> tuple[ExhibitRef, ...]:
            return tuple(ref for target in self.facts for ref in index.get(target, []))

        supporting, contradicting = refs(evidence.supporting), refs(evidence.contradicting)
        return ElementAssessment(
            self.code,
            self.name,
            self.status,
            self.reason,
            tuple(self.facts.values()),
            supporting,
            contradicting,
            tuple(self.possible),
            review_by(supporting, contradicting),
            sum(evidence.hidden.get(target, 0) for target in self.facts),
        )


def review_by(supporting: tuple[ExhibitRef, ...], contradicting: tuple[ExhibitRef, ...]) -> tuple[ExhibitRef, ...]:
    """The contradicting exhibits at least as reliable as the best supporting one (all of
    them when nothing supports the element): one weak denial does not outweigh a strong proof."""
    best = min((ref.reliability for ref in supporting), default="Z")
    return tuple(ref for ref in contradicting if ref.reliability <= best)
