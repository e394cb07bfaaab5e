"""Plain, frozen records in and out of the dossier assessment (services/assessment/elements.py).

The inputs (``Facts*``, ``DossierFacts``) are what services/dossiers/facts.py reads from the
database; tests build them by hand. The outputs (``Assessment`` and its parts) are what a
page shows. Nothing here touches the ORM, the database or a request.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Literal

from models.partial_date import PartialDate

Status = Literal["met", "partial", "gap", "inferred"]
# A mode of liability as a whole: met when each of its elements is met (or inferred)
ModeStatus = Literal["met", "partial", "gap"]
# "possible": only a coarse date (a year, a month) lets the fact fall where it must
Certainty = Literal["certain", "possible"]
# The kind of record a fact reference or a gap points at, with its id
Target = tuple[str, int]
# What fills a gap: evidence linked to the target, more precise dates on it, a new involvement
# or tenure recorded for the official, the act's own record (the States responsible for it),
# an assessment of the act's character, gravity or scale, or a second analyst's confirmation of a
# link (four eyes on grades: the gap's target is then the support, ("support", id))
GapAction = Literal["evidence", "date", "involvement", "tenure", "act", "character", "gravity", "scale", "confirm"]

# --- inputs --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FactsState:
    """A State, as a tenure's institution or an act's responsible State names it."""

    id: int
    code: str
    name: str


@dataclass(frozen=True)
class FactsExhibit:
    id: int
    exhibit_no: str
    title: str
    classification: str
    reliability: str  # Admiralty A-F
    credibility: str  # Admiralty 1-6
    kind: str = "document"  # models/enums.py EVIDENCE_KINDS: some kinds are secondary by nature

    @property
    def grade(self) -> str:
        return f"{self.reliability}{self.credibility}"


@dataclass(frozen=True)
class AnchorRef:
    """Where in a file of the exhibit a support points (services/evidence/pinpoints.py): a
    passage of a page (``page``, ``exact``) or a time range of a recording (``start``, ``end``)."""

    file_id: int
    page: int | None = None
    exact: str | None = None
    start: float | None = None
    end: float | None = None


@dataclass(frozen=True)
class FactsSupport:
    """One exhibit bearing on one fact: ``target`` is ("tenure" | "involvement" | "decision" | "act" |
    "act_assessment", id)."""

    id: int
    exhibit: FactsExhibit
    stance: str  # supports | contradicts
    target: Target
    pinpoint: str | None = None
    confirmed: bool = False  # a second analyst confirmed the link (four eyes on grades)
    anchor: AnchorRef | None = None

    @cached_property
    def ref(self) -> ExhibitRef:
        """How an element shows it (made once: a dossier is assessed at several clearances)."""
        e = self.exhibit
        return ExhibitRef(
            self.id, e.id, e.exhibit_no, e.title, e.grade, self.stance, self.target, self.pinpoint, e.kind
        )

    @cached_property
    def awaiting_ref(self) -> ExhibitRef:
        """The same, as a link that proves nothing until a second analyst confirms it."""
        return replace(self.ref, awaiting_confirmation=True)


@dataclass(frozen=True)
class FactsTenure:
    id: int
    position_title: str
    institution_id: int
    institution: str
    tier: str  # leadership | senior | operational
    troika: str | None  # head_of_state | head_of_government | foreign_minister
    start: PartialDate
    end: PartialDate | None = None  # None: still in office
    state: FactsState | None = None  # the State of the post's institution


@dataclass(frozen=True)
class FactsActAssessment:
    """The act's character, gravity or scale as the case assesses it (element E5)."""

    id: int
    aspect: str  # character | gravity | scale
    finding: str


@dataclass(frozen=True)
class FactsAct:
    id: int
    title: str
    start: PartialDate
    end: PartialDate | None = None  # None: still going on
    states: tuple[FactsState, ...] = ()  # the State(s) responsible for the act
    assessments: tuple[FactsActAssessment, ...] = ()  # at most one per aspect

    def assessment(self, aspect: str) -> FactsActAssessment | None:
        return next((a for a in self.assessments if a.aspect == aspect), None)


@dataclass(frozen=True)
class FactsDecision:
    id: int
    title: str
    when: PartialDate
    acts: tuple[FactsAct, ...] = ()  # the aggression acts it contributed to
    institution_id: int | None = None  # the institution that took it


@dataclass(frozen=True)
class FactsInvolvement:
    id: int
    role: str
    decision: FactsDecision


@dataclass(frozen=True)
class DossierFacts:
    """Everything the assessment of one official reads, and the evidence on each fact, of any
    classification. On acts, ``supports`` holds only the strongest few exhibits of each stance
    and classification (acts are shared by every official and carry far more), and
    ``act_totals`` how many there are in all."""

    official_id: int
    official_name: str
    tenures: tuple[FactsTenure, ...] = ()
    involvements: tuple[FactsInvolvement, ...] = ()
    supports: tuple[FactsSupport, ...] = ()
    act_totals: tuple[ActTotal, ...] = ()
    official_state_id: int | None = None  # copied into the stored summary for the index's State filter


@dataclass(frozen=True)
class ActTotal:
    """How many live exhibits take ``stance`` on an act at one classification."""

    act_id: int
    stance: str
    classification: str
    count: int
    sample: str = ""  # the ids of the strongest of them, space-separated (as the digest keeps them)


# --- outputs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FactRef:
    """A tenure, involvement, decision or act behind an element, and whether it counts for certain."""

    kind: str
    id: int
    label: str
    certainty: Certainty = "certain"

    @property
    def target(self) -> Target:
        return (self.kind, self.id)


@dataclass(frozen=True)
class ExhibitRef:
    """One visible exhibit bearing on one fact behind an element."""

    support_id: int
    exhibit_id: int
    exhibit_no: str
    title: str
    grade: str  # Admiralty reliability + credibility, e.g. "B2"
    stance: str
    target: Target
    pinpoint: str | None
    kind: str = "document"  # the exhibit's kind (models/enums.py EVIDENCE_KINDS)
    # Four eyes on grades: graded A-C on a leadership or conduct fact, not yet confirmed by a
    # second analyst, so it counts as partial (services/assessment/basis.py awaits_confirmation)
    awaiting_confirmation: bool = False

    @property
    def reliability(self) -> str:
        return self.grade[:1]


@dataclass(frozen=True)
class Gap:
    """Something to do, on the record ``target``, to bring ``elements`` nearer to met."""

    target: Target
    text: str
    elements: tuple[str, ...]
    action: GapAction = "evidence"


@dataclass(frozen=True)
class ExhibitLine:
    """One exhibit in an element's cell, once, with every fact of the element it bears on."""

    exhibit: ExhibitRef  # its first link among the element's facts
    facts: tuple[str, ...]  # the labels of those facts


@dataclass(frozen=True)
class ElementAssessment:
    code: str  # E1 ... E6
    name: str
    status: Status
    reason: str  # why this status, in one sentence
    facts: tuple[FactRef, ...] = ()
    exhibits: tuple[ExhibitRef, ...] = ()  # visible supporting exhibits on those facts
    contradicting: tuple[ExhibitRef, ...] = ()  # visible contradicting exhibits on those facts
    possible: tuple[str, ...] = ()  # facts that count only possibly, and why
    # Contradicting exhibits at least as reliable as the best supporting one for the element
    review_by: tuple[ExhibitRef, ...] = ()
    withheld: int = 0  # links on those facts the viewer may not see (counted, never described)

    @property
    def supporting_lines(self) -> tuple[ExhibitLine, ...]:
        """The supporting exhibits, each once, strongest grade first."""
        return tuple(sorted(self._lines(self.exhibits), key=lambda line: line.exhibit.grade))

    @property
    def contradicting_lines(self) -> tuple[ExhibitLine, ...]:
        return self._lines(self.contradicting)

    def _lines(self, refs: tuple[ExhibitRef, ...]) -> tuple[ExhibitLine, ...]:
        labels = {f.target: f.label for f in self.facts}
        grouped: dict[int, list[ExhibitRef]] = {}
        for ref in refs:
            grouped.setdefault(ref.exhibit_id, []).append(ref)
        return tuple(
            ExhibitLine(links[0], tuple(dict.fromkeys(labels.get(r.target, "") for r in links)))
            for links in grouped.values()
        )

    @property
    def review(self) -> bool:
        """Contradicting evidence as reliable as the best support for the element: a prosecutor must weigh it."""
        return bool(self.review_by)

    def of_kind(self, kind: str) -> tuple[FactRef, ...]:
        return tuple(f for f in self.facts if f.kind == kind)


@dataclass(frozen=True)
class ModeAssessment:
    """One mode of liability (Rome Statute Art. 25(3)) as the facts make it out: each of its
    elements assessed like an element of the crime, the leadership clause of Art. 25(3 bis) first."""

    code: str  # services/assessment/modes.py MODES, models/enums.py LIABILITY_MODES
    article: str  # "Art. 25(3)(a)"
    name: str
    status: ModeStatus
    reason: str  # why this status, in one sentence
    roles: tuple[str, ...]  # the official's roles, in decisions linked to an act, that suggest it
    elements: tuple[ElementAssessment, ...]

    @property
    def suggested(self) -> bool:
        """Some involvement role suggests the mode (its conduct element is not a gap)."""
        return bool(self.roles)

    def element(self, code: str) -> ElementAssessment:
        return next(e for e in self.elements if e.code == code)


@dataclass(frozen=True)
class ScoreFacts:
    """What the score reads besides the elements: each involvement's role, and which act and
    aspect each assessment of an act's character, gravity or scale is."""

    roles: dict[int, str]  # involvement id -> role
    aspect_of: dict[int, tuple[int, str]]  # act assessment id -> (act id, aspect)
    act_titles: dict[int, str]  # act id -> title

    @classmethod
    def of(cls, facts: DossierFacts) -> ScoreFacts:
        acts = {a.id: a for i in facts.involvements for a in i.decision.acts}
        return cls(
            roles={i.id: i.role for i in facts.involvements},
            aspect_of={x.id: (a.id, x.aspect) for a in acts.values() for x in a.assessments},
            act_titles={a.id: a.title for a in acts.values()},
        )


@dataclass(frozen=True)
class ScoreComponent:
    name: str
    points: int
    max: int  # 0 for a penalty, whose points are zero or negative
    explanation: str


@dataclass(frozen=True)
class TroikaNotice:
    tenure: FactRef
    kind: str  # head_of_state | head_of_government | foreign_minister
    text: str


@dataclass(frozen=True)
class Assessment:
    official_id: int
    scope_start: dt.date
    elements: tuple[ElementAssessment, ...]
    gaps: tuple[Gap, ...]
    score: int  # 0-100
    score_components: tuple[ScoreComponent, ...]
    withheld_count: int  # supports on this official's facts the viewer may not see
    troika: TroikaNotice | None = None
    possible: tuple[str, ...] = field(default=())
    # Every mode of liability, in services/assessment/modes.py MODES order, suggested or not
    modes: tuple[ModeAssessment, ...] = field(default=())

    def element(self, code: str) -> ElementAssessment:
        return next(e for e in self.elements if e.code == code)

    def mode(self, code: str) -> ModeAssessment:
        return next(m for m in self.modes if m.code == code)

    @property
    def suggested_modes(self) -> tuple[ModeAssessment, ...]:
        return tuple(m for m in self.modes if m.suggested)

    def modes_to_show(self, charged: tuple[str, ...]) -> tuple[ModeAssessment, ...]:
        """The modes a dossier shows (page and PDF alike): suggested by a role, or chosen to charge."""
        return tuple(m for m in self.modes if m.suggested or m.code in charged)

    @property
    def review(self) -> bool:
        return any(e.review for e in self.elements)

    @property
    def complete(self) -> bool:
        """Every element met or inferred."""
        return all(e.status in ("met", "inferred") for e in self.elements)
