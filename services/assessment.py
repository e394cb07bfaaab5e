"""The assessment of a dossier against the six elements of the crime of aggression (Art. 8 bis).

``assess_dossier`` is one pure function of plain facts: services/dossier_facts.py loads them,
tests build them by hand, and a page shows what comes out. Its docstring states the rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from models.enums import INVOLVEMENT_ROLES
from services.assessment_basis import (
    EvidenceIndex,
    covers,
    decision_label,
    in_scope,
    involvement_label,
    tenure_label,
    weakest,
)
from services.assessment_score import score_components
from services.assessment_texts import _
from services.assessment_types import (
    Assessment,
    Certainty,
    DossierFacts,
    ElementAssessment,
    ExhibitRef,
    FactRef,
    FactsAct,
    FactsInvolvement,
    FactsTenure,
    Gap,
    GapAction,
    Status,
    Target,
    TroikaNotice,
)

# Roles from which knowledge of the facts may be inferred; "implemented" is not one of them
KNOWING_ROLES = frozenset(INVOLVEMENT_ROLES) - {"implemented"}


def assess_dossier(
    facts: DossierFacts, *, visible: tuple[str, ...], scope_start: dt.date, today: dt.date
) -> Assessment:
    """Assess one official's facts against elements E1-E6, as the viewer may see them.

    What counts
      * Evidence: a support counts only when the viewer's ``visible`` classifications cover its
        exhibit; the others are counted in ``withheld_count`` and never described.
      * Time: a decision counts when its date falls on or after ``scope_start``; a tenure or an
        act when it lasted into that day or later (an open end always does). A partial date
        that only *possibly* falls there (a decision dated "2014-02" against 2014-02-20) counts
        as possible. A tenure covers a decision certainly when it had certainly begun by the
        decision's first possible day and certainly lasted to its last; possibly when the two
        intervals merely overlap (a tenure from "2022" and a decision of 2022-02-22).
        A fact that counts only possibly can make an element partial, never met; it is named in
        the element's ``possible`` notes, and a gap asks for a more precise date where that
        would change the status.
      * Linked: an involvement counts for E1/E3/E5 when its decision contributed to an act of
        aggression within the scope.

    Elements
      * E1 conduct -- met when a linked involvement, certainly in scope, has supporting
        evidence *on the involvement itself* with source reliability A-C; partial when the only
        such evidence is D-F, missing or only possibly in scope; gap with no linked involvement.
      * E2 leadership -- met when a leadership-tier tenure certainly covers the date of a decision
        the official was involved in (any decision in scope) and the tenure has supporting
        evidence; partial when the covering tenure is unsupported, covers only possibly, or is
        only senior-tier; gap otherwise (no tenure, or operational tier only).
      * E3 state act / E5 manifest violation -- met when an act linked through an involvement
        has supporting evidence (on the act); partial when none of them has; gap with no act.
      * E4 awareness / E6 awareness of the manifest violation -- "inferred" (from conduct and
        position) when E1 and E2 are met and an involvement meeting E1 is a knowing role
        (proposed, authored, signed, voted for, ordered, commanded, negotiated, publicly
        endorsed, attended; "implemented" is not); otherwise "gap" (open).

    Facts behind each element: E1 the linked involvements and their decisions; E2 the covering
    tenures and the involvements they cover; E3/E5 the linked acts; E4/E6 those of E1 and E2.
    Visible contradicting evidence on any of them flags the element for review, whatever its
    status. Gaps are actions on a record (kind, id) and are listed for elements not met only.
    The troika notice appears when a tenure that may include ``today`` is a troika post.
    The score (0-100) and how it is made are in services/assessment_score.py.
    """
    evidence = EvidenceIndex(facts, visible)
    linked = _scoped_involvements(facts.involvements, scope_start)
    drafts = [
        _conduct(facts.official_id, linked, evidence),
        _leadership(facts, linked, scope_start, evidence),
    ]
    drafts += _state_act(facts.official_id, linked, evidence)
    drafts += _awareness(facts.official_id, drafts[0], drafts[1], linked, evidence)
    elements = tuple(sorted((d.finish(evidence) for d in drafts), key=lambda e: e.code))
    components = score_components(elements)
    return Assessment(
        official_id=facts.official_id,
        scope_start=scope_start,
        elements=elements,
        gaps=_merge_gaps(drafts),
        score=max(0, min(100, sum(c.points for c in components))),
        score_components=components,
        withheld_count=evidence.withheld,
        troika=_troika(facts.tenures, today),
        possible=tuple(dict.fromkeys(note for e in elements for note in e.possible)),
    )


# --- elements ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Linked:
    """An involvement whose decision falls in scope, with the in-scope acts that decision served."""

    involvement: FactsInvolvement
    decision_certainty: Certainty
    acts: tuple[tuple[FactsAct, Certainty], ...]

    @property
    def certainty(self) -> Certainty:
        """Certainty of "a decision in scope that served an act in scope"."""
        best_act: Certainty = "certain" if any(c == "certain" for _a, c in self.acts) else "possible"
        return weakest(self.decision_certainty, best_act)


def _scoped_involvements(involvements: Iterable[FactsInvolvement], scope_start: dt.date) -> list[_Linked]:
    scoped = []
    for i in involvements:
        certainty = in_scope(i.decision.when, scope_start)
        if certainty is None:
            continue
        acts = tuple((a, c) for a in i.decision.acts if (c := in_scope(a.end, scope_start)) is not None)
        scoped.append(_Linked(i, certainty, acts))
    return scoped


@dataclass
class _Draft:
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

        return ElementAssessment(
            self.code,
            self.name,
            self.status,
            self.reason,
            tuple(self.facts.values()),
            refs(evidence.supporting),
            refs(evidence.contradicting),
            tuple(self.possible),
        )


def _no_linked_involvement(official_id: int) -> tuple[Target, str, GapAction]:
    return ("official", official_id), _("No involvement in any decision linked to an aggression act"), "involvement"


def _add_linked(draft: _Draft, link: _Linked) -> None:
    """Put a linked involvement and its decision behind the element, noting any date that counts only possibly."""
    i = link.involvement
    draft.fact("involvement", i.id, involvement_label(i), link.certainty)
    draft.fact("decision", i.decision.id, decision_label(i), link.decision_certainty)
    if link.decision_certainty == "possible":
        draft.note(
            _("Decision %(decision)s falls within the temporal scope only possibly.", decision=decision_label(i))
        )
    for act, certainty in link.acts:
        if certainty == "possible":
            draft.note(_("Aggression act %(act)s reaches into the temporal scope only possibly.", act=act.title))


def _date_gap(draft: _Draft, link: _Linked) -> None:
    """Ask for the date that keeps a linked involvement from counting for certain."""
    i = link.involvement
    if link.decision_certainty == "possible":
        draft.gap(
            ("decision", i.decision.id),
            _("Give decision %(decision)s a more precise date", decision=decision_label(i)),
            "date",
        )
    elif link.certainty == "possible":
        for act, _certainty in link.acts:
            draft.gap(("act", act.id), _("Give aggression act %(act)s a more precise end date", act=act.title), "date")


def _evidence_gap(draft: _Draft, target: Target, label: str, reliabilities: set[str]) -> None:
    if not reliabilities:
        draft.gap(target, _("%(fact)s has no supporting evidence", fact=label))
    else:
        grades = "/".join(sorted(reliabilities))
        draft.gap(target, _("%(fact)s rests only on %(grades)s-graded sources", fact=label, grades=grades))


def _conduct(official_id: int, scoped: list[_Linked], evidence: EvidenceIndex) -> _Draft:
    draft = _Draft("E1", _("Conduct"))
    linked = [link for link in scoped if link.acts]
    if not linked:
        draft.reason = _("No involvement in a decision linked to an aggression act within the scope.")
        draft.gap(*_no_linked_involvement(official_id))
        return draft
    for link in linked:
        _add_linked(draft, link)
    if any(link.certainty == "certain" and evidence.strong(("involvement", link.involvement.id)) for link in linked):
        draft.status, draft.reason = "met", _("An involvement is supported by evidence graded A–C.")
        return draft
    draft.status = "partial"
    draft.reason = _("No involvement certainly within the scope is supported by evidence graded A–C.")
    for link in linked:
        _strengthen(draft, link, evidence)
    return draft


def _strengthen(draft: _Draft, link: _Linked, evidence: EvidenceIndex) -> None:
    """Ask for what keeps a linked involvement from meeting E1: A-C evidence, or a precise date."""
    target = ("involvement", link.involvement.id)
    if evidence.strong(target):
        _date_gap(draft, link)
    else:
        label = _("Involvement %(involvement)s", involvement=involvement_label(link.involvement))
        _evidence_gap(draft, target, label, evidence.reliabilities(target))


def _leadership(facts: DossierFacts, scoped: list[_Linked], scope_start: dt.date, evidence: EvidenceIndex) -> _Draft:
    draft = _Draft("E2", _("Leadership"))
    pairs = []
    for link in scoped:
        for tenure in facts.tenures:
            cover = covers(tenure, link.involvement.decision.when)
            reaches = in_scope(tenure.end, scope_start)
            if tenure.tier in ("leadership", "senior") and cover and reaches:
                pairs.append(_Cover(tenure, link, weakest(cover, reaches)))
    if not pairs:
        draft.reason = _(
            "No leadership- or senior-tier position at the date of any decision the official took part in."
        )
        draft.gap(
            ("official", facts.official_id),
            _("No leadership-tier position recorded at the date of any of the official's decisions"),
            "tenure",
        )
        return draft
    for pair in pairs:
        draft.fact("tenure", pair.tenure.id, tenure_label(pair.tenure), pair.tenure_certainty)
        draft.fact("involvement", pair.link.involvement.id, involvement_label(pair.link.involvement), pair.certainty)
        if pair.tenure_certainty == "possible":
            draft.note(
                _(
                    "Tenure %(tenure)s covers decision %(decision)s only possibly.",
                    tenure=tenure_label(pair.tenure),
                    decision=decision_label(pair.link.involvement),
                )
            )
    leading = [p for p in pairs if p.tenure.tier == "leadership"]
    if any(p.certainty == "certain" and evidence.supported(("tenure", p.tenure.id)) for p in leading):
        draft.status, draft.reason = "met", _("A supported leadership-tier tenure covers the date of a decision.")
        return draft
    draft.status = "partial"
    if not leading:
        draft.reason = _("Only senior-tier positions cover the dates of the official's decisions.")
        draft.gap(
            ("official", facts.official_id), _("Show a leadership-tier position at the date of a decision"), "tenure"
        )
        return draft
    draft.reason = _("The leadership-tier tenure is unsupported or covers the decision date only possibly.")
    for pair in leading:
        tenure = pair.tenure
        if not evidence.supported(("tenure", tenure.id)):
            _evidence_gap(draft, ("tenure", tenure.id), _("Tenure %(tenure)s", tenure=tenure_label(tenure)), set())
        if pair.certainty == "possible":
            _coverage_gaps(draft, pair)
    return draft


@dataclass(frozen=True)
class _Cover:
    """A leadership- or senior-tier tenure that covers (certainly or possibly) an involvement's decision date."""

    tenure: FactsTenure
    link: _Linked
    tenure_certainty: Certainty  # covers the date and reaches into the scope

    @property
    def certainty(self) -> Certainty:
        return weakest(self.tenure_certainty, self.link.decision_certainty)


def _coverage_gaps(draft: _Draft, pair: _Cover) -> None:
    """Ask for the coarse date(s) that keep a tenure from covering a decision for certain."""
    tenure, involvement = pair.tenure, pair.link.involvement
    if involvement.decision.when.precision != "day":
        draft.gap(
            ("decision", involvement.decision.id),
            _("Give decision %(decision)s a more precise date", decision=decision_label(involvement)),
            "date",
        )
    coarse = tenure.start.precision != "day" or (tenure.end is not None and tenure.end.precision != "day")
    if pair.tenure_certainty == "possible" and coarse:
        draft.gap(
            ("tenure", tenure.id), _("Give tenure %(tenure)s more precise dates", tenure=tenure_label(tenure)), "date"
        )


def _state_act(official_id: int, scoped: list[_Linked], evidence: EvidenceIndex) -> list[_Draft]:
    """E3 and E5 follow the same rule on the same acts: one draft, told twice."""
    acts: dict[int, tuple[FactsAct, Certainty]] = {}  # the act, linked certainly or possibly
    for link in scoped:
        for act, act_certainty in link.acts:
            certainty = weakest(act_certainty, link.decision_certainty)
            if act.id not in acts or certainty == "certain":
                acts[act.id] = (act, certainty)
    drafts = [_Draft("E3", _("State act of aggression")), _Draft("E5", _("Manifest violation of the Charter"))]
    for draft in drafts:
        if not acts:
            draft.reason = _("No aggression act is linked to a decision the official took part in.")
            draft.gap(*_no_linked_involvement(official_id))
            continue
        for act, certainty in acts.values():
            draft.fact("act", act.id, act.title, certainty)
            if certainty == "possible":
                draft.note(
                    _("Aggression act %(act)s is linked only through dates that possibly fall in scope.", act=act.title)
                )
        if any(c == "certain" and evidence.supported(("act", a.id)) for a, c in acts.values()):
            draft.status, draft.reason = "met", _("A linked aggression act has supporting evidence.")
            continue
        draft.status = "partial"
        draft.reason = _("No linked aggression act certainly in scope has supporting evidence.")
        for act, _certainty in acts.values():
            if not evidence.supported(("act", act.id)):
                _evidence_gap(draft, ("act", act.id), _("Aggression act %(act)s", act=act.title), set())
                continue
            # Supported but linked only possibly: ask for whichever date is coarse
            for link in scoped:
                for linked_act, act_certainty in link.acts:
                    if linked_act.id == act.id:
                        _date_gap(draft, _Linked(link.involvement, link.decision_certainty, ((act, act_certainty),)))
    return drafts


def _awareness(
    official_id: int, conduct: _Draft, leadership: _Draft, scoped: list[_Linked], evidence: EvidenceIndex
) -> list[_Draft]:
    """E4 and E6: inferred from conduct and position, or open."""
    knowing = [link for link in scoped if link.acts and link.involvement.role in KNOWING_ROLES]
    meeting = [
        link
        for link in knowing
        if link.certainty == "certain" and evidence.strong(("involvement", link.involvement.id))
    ]
    drafts = [_Draft("E4", _("Awareness of the facts")), _Draft("E6", _("Awareness of the manifest violation"))]
    for draft in drafts:
        draft.facts = {**conduct.facts, **leadership.facts}
        draft.possible = list(dict.fromkeys(conduct.possible + leadership.possible))
        if conduct.status != "met" or leadership.status != "met":
            draft.reason = _("Open: can be inferred once conduct (E1) and leadership (E2) are met.")
        elif meeting:
            draft.status, draft.reason = "inferred", _("Inferred from conduct and position.")
        else:
            draft.reason = _("Open: the conduct established is not a knowing role.")
            for link in knowing:
                _strengthen(draft, link, evidence)
            if not knowing:
                draft.gap(
                    ("official", official_id),
                    _("No knowing role (such as signed, ordered or voted for) in a decision linked to an act"),
                    "involvement",
                )
    return drafts


# --- the rest ------------------------------------------------------------------------------


def _merge_gaps(drafts: list[_Draft]) -> tuple[Gap, ...]:
    """One gap per (target, text), naming every element it holds back, in element order."""
    merged: dict[tuple[Target, str, GapAction], list[str]] = {}
    for draft in sorted(drafts, key=lambda d: d.code):
        if draft.status in ("met", "inferred"):
            continue
        for key in draft.gaps:
            merged.setdefault(key, []).append(draft.code)
    return tuple(Gap(target, text, tuple(codes), action) for (target, text, action), codes in merged.items())


def _troika(tenures: Iterable[FactsTenure], today: dt.date) -> TroikaNotice | None:
    for tenure in tenures:
        if tenure.troika is None or tenure.start.start > today:
            continue
        if tenure.end is None or tenure.end.end >= today:
            certain = tenure.start.end <= today and (tenure.end is None or tenure.end.start >= today)
            ref = FactRef("tenure", tenure.id, tenure_label(tenure), "certain" if certain else "possible")
            return TroikaNotice(ref, tenure.troika, _("may be indicted; trial in absentia deferred while in office"))
    return None
