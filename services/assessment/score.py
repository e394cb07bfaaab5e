"""The strength of a dossier (0-100): how much of the case is proved, and how well, in points
each explained in words.

The score ranks dossiers; it is no finding. Only evidence the viewer may see, on the facts
behind an element, counts -- and each element counts only its own facts: the official's own
involvements, decisions and tenures for conduct, leadership and awareness; the act's shared
evidence for the State act (E3) and its assessed character, gravity and scale for the manifest
violation (E5) only. So an act proved a hundred times over lifts no one's conduct.

* Weight of an exhibit: its Admiralty grade, reliability (A 100 %, B 90 %, C 80 %, D 50 %,
  E 30 %, F 10 %) times credibility (1 100 %, 2 95 %, 3 90 %, 4 80 %, 5 70 %, 6 60 %); a
  secondary source (sanctions listing, statement of reasons, press report) counts half.
* Each element earns its most points (E1 conduct 30, E2 leadership 25, E3 State act 10,
  E4 awareness 10, E5 manifest violation 10, E6 awareness of it 5) times its status (met or
  inferred: all, partial: half, gap or open: none) times the weight of the best exhibit
  proving it:
  - E1: the best involvement, its exhibit's weight times the weight of its role, which is
    that of the mode of liability it suggests (services/assessment/modes.py): signing,
    voting, authoring, ordering, commanding 100 %; proposing, endorsing 80 %; supplying,
    allowing, negotiating, implementing 70 %; attending 50 %;
  - E2: the best exhibit on a covering tenure; E3: on a linked act; E5: the average, over
    the character, gravity and scale of the best act, of each one's best exhibit (a missing
    one counts nothing); E4: the lesser of E1 and E2; E6: the lesser of E4 and E5.
* Corroboration, 10: 2 per distinct primary exhibit graded A-C on the official's own facts.
* Contradicting evidence, a deduction: an element loses up to half its points, by the square
  of the weight of its strongest contradicting exhibit over that of its strongest supporting
  one (an equal denial costs half, one of half the weight an eighth, a weak one almost
  nothing).

More supporting evidence never lowers the score; more contradicting evidence never raises it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from models.enums import MANIFEST_ASPECTS
from services.assessment.basis import SECONDARY_KINDS, proves, role_words
from services.assessment.modes import MODES, mode_name, role_mode
from services.assessment.texts import _
from services.assessment.types import ElementAssessment, ExhibitRef, ScoreComponent, ScoreFacts

ELEMENT_MAX = {"E1": 30, "E2": 25, "E3": 10, "E4": 10, "E5": 10, "E6": 5}
STATUS_SHARE = {"met": 1.0, "inferred": 1.0, "partial": 0.5, "gap": 0.0}
RELIABILITY_WEIGHT = {"A": 1.0, "B": 0.9, "C": 0.8, "D": 0.5, "E": 0.3, "F": 0.1}
CREDIBILITY_WEIGHT = {"1": 1.0, "2": 0.95, "3": 0.9, "4": 0.8, "5": 0.7, "6": 0.6}
SECONDARY_SHARE = 0.5
PER_EXHIBIT, CORROBORATION_MAX = 2, 10
CONTRADICTION_SHARE = 0.5  # the most an element can lose to contradicting evidence


def weight(ref: ExhibitRef) -> float:
    """An exhibit's weight, 0-1, from its grade and kind."""
    value = RELIABILITY_WEIGHT.get(ref.reliability, 0.0) * CREDIBILITY_WEIGHT.get(ref.grade[1:], 0.0)
    return value * (SECONDARY_SHARE if ref.kind in SECONDARY_KINDS else 1.0)


def _pct(value: float) -> str:
    return f"{round(value * 100)} %"


def method_text() -> str:
    """How the strength is computed, in words, from the figures the computation uses (the page
    and the PDF print it above each dossier's own figures)."""
    modes = "; ".join(f"{mode_name(m)} ({', '.join(role_words(r) for r in m.roles)}) {_pct(m.weight)}" for m in MODES)
    return _(
        "The strength ranks dossiers; it is no finding. Each element earns its points (%(elements)s) in full when"
        " met or inferred and %(partial)s when partial, times the weight of the best exhibit proving it: its grade,"
        " reliability %(reliability)s, times credibility %(credibility)s, and %(secondary)s for a secondary source."
        " Conduct also weighs the role by the mode of liability it suggests: %(modes)s. Only the official's own"
        " involvements, decisions and tenures count for conduct, leadership and awareness; evidence shared on an"
        " act counts for the State act and the manifest violation only. Up to %(corroboration)s points come from"
        " corroboration, %(per)s per distinct primary exhibit graded A–C on the official's own facts. Contradicting"
        " evidence takes up to %(contradiction)s of an element's points, by the square of its weight over the best"
        " supporting exhibit's.",
        elements=", ".join(f"{code} {most}" for code, most in ELEMENT_MAX.items()),
        partial=_pct(STATUS_SHARE["partial"]),
        reliability=", ".join(f"{grade} {_pct(w)}" for grade, w in RELIABILITY_WEIGHT.items()),
        credibility=", ".join(f"{grade} {_pct(w)}" for grade, w in CREDIBILITY_WEIGHT.items()),
        secondary=_pct(SECONDARY_SHARE),
        modes=modes,
        corroboration=CORROBORATION_MAX,
        per=PER_EXHIBIT,
        contradiction=_pct(CONTRADICTION_SHARE),
    )


def _best(refs: Sequence[ExhibitRef]) -> ExhibitRef | None:
    return max(refs, key=lambda r: (weight(r), r.exhibit_no), default=None)


@dataclass(frozen=True)
class _Value:
    """An element's evidence weight (0-1) and the words that say where it comes from."""

    weight: float
    why: str


def _on(element: ElementAssessment, kind: str, fact_id: int) -> list[ExhibitRef]:
    return [r for r in element.exhibits if r.target == (kind, fact_id)]


def _conduct(element: ElementAssessment, facts: ScoreFacts) -> _Value:
    best = _Value(0.0, _("no involvement has visible supporting evidence"))
    for fact in element.of_kind("involvement"):
        ref = _best(_on(element, "involvement", fact.id))
        if ref is None:
            continue
        role = facts.roles.get(fact.id, "")
        mode = role_mode(role)
        value = weight(ref) * mode.weight
        if value > best.weight:
            why = _(
                "%(exhibit)s (%(grade)s, weight %(weight)s) on “%(fact)s”, a role suggesting %(mode)s (%(share)s)",
                exhibit=ref.exhibit_no,
                grade=ref.grade,
                weight=_pct(weight(ref)),
                fact=fact.label,
                mode=mode.name,
                share=_pct(mode.weight),
            )
            best = _Value(value, why)
    return best


def _on_kind(element: ElementAssessment, kind: str, none: str) -> _Value:
    ref = _best([r for r in element.exhibits if r.target[0] == kind])
    if ref is None:
        return _Value(0.0, none)
    why = _(
        "best exhibit %(exhibit)s (%(grade)s, weight %(weight)s)",
        exhibit=ref.exhibit_no,
        grade=ref.grade,
        weight=_pct(weight(ref)),
    )
    return _Value(weight(ref), why)


def _manifest(element: ElementAssessment, facts: ScoreFacts) -> _Value:
    best = _Value(0.0, _("no character, gravity or scale has visible supporting evidence"))
    by_act: dict[int, dict[str, int]] = {}
    for fact in element.of_kind("act_assessment"):
        act_id, aspect = facts.aspect_of[fact.id]
        by_act.setdefault(act_id, {})[aspect] = fact.id
    for act_id, assessments in by_act.items():
        weights = []
        for aspect in MANIFEST_ASPECTS:
            found = assessments.get(aspect)
            ref = _best(_on(element, "act_assessment", found)) if found is not None else None
            weights.append(weight(ref) if ref is not None else 0.0)
        value = sum(weights) / len(weights)
        if value > best.weight:
            parts = ", ".join(f"{_(aspect)} {_pct(w)}" for aspect, w in zip(MANIFEST_ASPECTS, weights, strict=True))
            why = _("average of the best exhibits on %(act)s: %(parts)s", act=facts.act_titles[act_id], parts=parts)
            best = _Value(value, why)
    return best


def _values(elements: Mapping[str, ElementAssessment], facts: ScoreFacts) -> dict[str, _Value]:
    values = {
        "E1": _conduct(elements["E1"], facts),
        "E2": _on_kind(elements["E2"], "tenure", _("no covering tenure has visible supporting evidence")),
        "E3": _on_kind(elements["E3"], "act", _("no linked act has visible supporting evidence")),
        "E5": _manifest(elements["E5"], facts),
    }
    e4 = min(values["E1"].weight, values["E2"].weight)
    values["E4"] = _Value(e4, _("the lesser of conduct and leadership (%(weight)s)", weight=_pct(e4)))
    e6 = min(e4, values["E5"].weight)
    values["E6"] = _Value(e6, _("the lesser of awareness and the manifest violation (%(weight)s)", weight=_pct(e6)))
    return values


def _status_words(status: str) -> str:
    return {
        "met": _("met: all its points"),
        "inferred": _("inferred: all its points"),
        "partial": _("partial: half its points"),
    }.get(status, _("not established: no points"))


def score_components(elements: Sequence[ElementAssessment], facts: ScoreFacts) -> tuple[ScoreComponent, ...]:
    """Every component of the score, with the points earned, the most it can give and why."""
    by_code = {e.code: e for e in elements}
    values = _values(by_code, facts)
    gross = {e.code: ELEMENT_MAX[e.code] * STATUS_SHARE[e.status] * values[e.code].weight for e in elements}
    components = [
        ScoreComponent(
            f"{e.code} {e.name}",
            round(gross[e.code]),
            ELEMENT_MAX[e.code],
            _(
                "%(most)s points, %(status)s; times %(weight)s: %(why)s",
                most=ELEMENT_MAX[e.code],
                status=_status_words(e.status),
                weight=_pct(values[e.code].weight),
                why=values[e.code].why,
            ),
        )
        for e in elements
    ]
    components.append(_corroboration(elements))
    components.append(_contradictions(elements, gross))
    return tuple(components)


def _corroboration(elements: Sequence[ElementAssessment]) -> ScoreComponent:
    own = {"tenure", "involvement", "decision"}
    exhibits = sorted({r.exhibit_no for e in elements for r in e.exhibits if r.target[0] in own and proves(r)})
    points = min(CORROBORATION_MAX, PER_EXHIBIT * len(exhibits))
    explanation = _(
        "%(per)s per distinct primary exhibit graded A–C on the official's own involvements, decisions and tenures"
        " (%(count)s: %(list)s), at most %(most)s; evidence shared with others on an act does not count here",
        per=PER_EXHIBIT,
        count=len(exhibits),
        list=", ".join(exhibits) or _("none"),
        most=CORROBORATION_MAX,
    )
    return ScoreComponent(_("Corroboration"), points, CORROBORATION_MAX, explanation)


def _contradictions(elements: Sequence[ElementAssessment], gross: Mapping[str, float]) -> ScoreComponent:
    lost = 0.0
    lines = []
    for e in elements:
        against = _best(e.contradicting)
        if against is None or gross[e.code] == 0:
            continue
        support = _best(e.exhibits)
        ratio = 1.0 if support is None or weight(support) == 0 else min(1.0, weight(against) / weight(support))
        share = CONTRADICTION_SHARE * ratio * ratio
        lost += gross[e.code] * share
        lines.append(
            _(
                "%(code)s loses %(share)s of its points: %(against)s (%(grade)s) against %(support)s",
                code=e.code,
                share=_pct(share),
                against=against.exhibit_no,
                grade=against.grade,
                support=f"{support.exhibit_no} ({support.grade})" if support else _("no supporting exhibit"),
            )
        )
    explanation = _(
        "An element loses up to half its points, by the square of its strongest contradicting exhibit's weight over"
        " its strongest supporting one's: %(lines)s",
        lines="; ".join(lines) if lines else _("no contradicting evidence is visible"),
    )
    return ScoreComponent(_("Contradicting evidence"), -round(lost), 0, explanation)
