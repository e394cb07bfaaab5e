"""The strength score of a dossier (0-100), and how each point of it was earned.

The score ranks dossiers; it is no finding. It is the sum of the components below, bounded
to 0-100, and only evidence the viewer may see, on facts behind an element, counts:

* each element by its status (75 points in all): E1 conduct 25 (partial 12 with some
  supporting evidence on the involvements, 6 without), E2 leadership 20 (partial 10),
  E3 state act and E5 manifest violation 10 each (partial 4), E4 and E6 awareness 5 each
  when inferred;
* quality, 15: the best Admiralty grade among the supporting exhibits, reliability
  A10 B8 C6 D3 E1 F0 plus credibility 1:5 2:4 3:3 4:2 5:1 6:0;
* corroboration, 10: 2 per distinct supporting exhibit, up to 5 exhibits;
* contradictions, a penalty: minus 5 per distinct contradicting exhibit, down to minus 20.

More supporting evidence never lowers the score; more contradicting evidence never raises it.
"""

from __future__ import annotations

from collections.abc import Sequence

from services.assessment_texts import _
from services.assessment_types import ElementAssessment, ScoreComponent

ELEMENT_MAX = {"E1": 25, "E2": 20, "E3": 10, "E4": 5, "E5": 10, "E6": 5}
PARTIAL_POINTS = {"E2": 10, "E3": 4, "E5": 4}
E1_PARTIAL_WITH_EVIDENCE, E1_PARTIAL_WITHOUT = 12, 6
RELIABILITY_POINTS = {"A": 10, "B": 8, "C": 6, "D": 3, "E": 1, "F": 0}
CREDIBILITY_POINTS = {"1": 5, "2": 4, "3": 3, "4": 2, "5": 1, "6": 0}
QUALITY_MAX = 15
PER_EXHIBIT, CORROBORATION_MAX = 2, 10
PER_CONTRADICTION, CONTRADICTION_FLOOR = 5, 20


def score_components(elements: Sequence[ElementAssessment]) -> tuple[ScoreComponent, ...]:
    """Every component of the score, with the points earned, the most it can give and why."""
    return (
        *(_element_component(e) for e in elements),
        _quality(elements),
        _corroboration(elements),
        _contradictions(elements),
    )


def _element_points(element: ElementAssessment) -> int:
    if element.status in ("met", "inferred"):
        return ELEMENT_MAX[element.code]
    if element.status == "gap":
        return 0
    if element.code == "E1":
        on_involvements = any(ref.target[0] == "involvement" for ref in element.exhibits)
        return E1_PARTIAL_WITH_EVIDENCE if on_involvements else E1_PARTIAL_WITHOUT
    return PARTIAL_POINTS.get(element.code, 0)


def _element_component(element: ElementAssessment) -> ScoreComponent:
    most = ELEMENT_MAX[element.code]
    if element.code == "E1":
        explanation = _(
            "%(most)s if met; if partial, %(some)s with some evidence on the involvement, %(none)s without",
            most=most,
            some=E1_PARTIAL_WITH_EVIDENCE,
            none=E1_PARTIAL_WITHOUT,
        )
    elif element.code in PARTIAL_POINTS:
        explanation = _("%(most)s if met, %(partial)s if partial", most=most, partial=PARTIAL_POINTS[element.code])
    else:
        explanation = _("%(most)s if inferred from conduct and position", most=most)
    name = f"{element.code} {element.name}"
    return ScoreComponent(name, _element_points(element), most, explanation)


def _grade_points(grade: str) -> int:
    return RELIABILITY_POINTS.get(grade[:1], 0) + CREDIBILITY_POINTS.get(grade[1:], 0)


def _quality(elements: Sequence[ElementAssessment]) -> ScoreComponent:
    grades = {ref.grade for e in elements for ref in e.exhibits}
    best = max(grades, key=_grade_points, default=None)
    explanation = _(
        "The best Admiralty grade among the supporting exhibits (%(best)s): reliability A 10, B 8, C 6, D 3, E 1, F 0"
        " plus credibility 1 5, 2 4, 3 3, 4 2, 5 1, 6 0",
        best=best or _("none"),
    )
    return ScoreComponent(_("Quality of evidence"), _grade_points(best) if best else 0, QUALITY_MAX, explanation)


def _corroboration(elements: Sequence[ElementAssessment]) -> ScoreComponent:
    exhibits = {ref.exhibit_id for e in elements for ref in e.exhibits}
    points = min(CORROBORATION_MAX, PER_EXHIBIT * len(exhibits))
    explanation = _(
        "%(per)s per distinct supporting exhibit (%(count)s), at most %(most)s",
        per=PER_EXHIBIT,
        count=len(exhibits),
        most=CORROBORATION_MAX,
    )
    return ScoreComponent(_("Corroboration"), points, CORROBORATION_MAX, explanation)


def _contradictions(elements: Sequence[ElementAssessment]) -> ScoreComponent:
    exhibits = {ref.exhibit_id for e in elements for ref in e.contradicting}
    points = -min(CONTRADICTION_FLOOR, PER_CONTRADICTION * len(exhibits))
    explanation = _(
        "Minus %(per)s per distinct contradicting exhibit (%(count)s), at most minus %(floor)s",
        per=PER_CONTRADICTION,
        count=len(exhibits),
        floor=CONTRADICTION_FLOOR,
    )
    return ScoreComponent(_("Contradicting evidence"), points, 0, explanation)
