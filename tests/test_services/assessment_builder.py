"""Dossier facts built by hand for the assessment tests: fresh ids, sensible defaults."""

from __future__ import annotations

import datetime as dt
from itertools import count

from models.enums import CLASSIFICATIONS
from models.partial_date import PartialDate
from services.assessment.elements import assess_dossier
from services.assessment.types import (
    DossierFacts,
    FactsAct,
    FactsActAssessment,
    FactsDecision,
    FactsExhibit,
    FactsInvolvement,
    FactsState,
    FactsSupport,
    FactsTenure,
)

SCOPE = dt.date(2014, 2, 20)
TODAY = dt.date(2025, 6, 1)
PUBLIC = ("public",)
EVERYTHING = CLASSIFICATIONS
TROIKA_TEXT = "may be indicted; trial in absentia deferred while in office"
RU = FactsState(1, "RU", "Russian Federation")
BY = FactsState(2, "BY", "Belarus")
KP = FactsState(3, "KP", "Democratic People's Republic of Korea")


class Facts:
    """Builds DossierFacts for official 1, fact by fact, with fresh ids."""

    def __init__(self) -> None:
        self.ids = count(100)
        self.tenures: list[FactsTenure] = []
        self.involvements: list[FactsInvolvement] = []
        self.supports: list[FactsSupport] = []

    def tenure(
        self, tier="leadership", start="2012-05-07", end=None, troika=None, supported=False, state=RU, institution=1
    ):
        tenure = FactsTenure(
            next(self.ids), f"Post {tier}", institution, "Institution", tier, troika, PartialDate.parse(start),
            PartialDate.parse(end) if end else None, state,
        )  # fmt: skip
        self.tenures.append(tenure)
        if supported:
            self.support(tenure, grade=supported if isinstance(supported, str) else "B2")
        return tenure

    def act(self, start="2022-02-24", end=None, states=(RU,), aspects=(), grade=None):
        """An act; ``aspects``: its character, gravity and/or scale recorded (each supported by
        a ``grade`` exhibit when given)."""
        n = next(self.ids)
        assessments = tuple(FactsActAssessment(next(self.ids), a, f"The {a} of act {n}") for a in aspects)
        act = FactsAct(
            n, f"Act {n}", PartialDate.parse(start), PartialDate.parse(end) if end else None, states, assessments
        )
        if grade:
            for assessment in assessments:
                self.support(assessment, grade=grade)
        return act

    def involvement(self, role="signed", when="2022-02-21", acts=None, grade=None, kind="document", institution=None):
        """An involvement in a new decision (taken by ``institution``, an id, when given)."""
        n = next(self.ids)
        acts = (self.act(),) if acts is None else tuple(acts)
        decision = FactsDecision(n, f"Decision {n}", PartialDate.parse(when), acts, institution)
        involvement = FactsInvolvement(next(self.ids), role, decision)
        self.involvements.append(involvement)
        if grade:
            self.support(involvement, grade=grade, kind=kind)
        return involvement

    def exhibit(self, grade="B2", classification="public", kind="document"):
        n = next(self.ids)
        return FactsExhibit(n, f"T-{n}", f"Exhibit {n}", classification, grade[0], grade[1], kind)

    def support(self, fact, grade="B2", stance="supports", classification="public", exhibit=None, kind="document"):
        kind_of = {
            FactsTenure: "tenure",
            FactsInvolvement: "involvement",
            FactsDecision: "decision",
            FactsAct: "act",
            FactsActAssessment: "act_assessment",
        }
        exhibit = exhibit or self.exhibit(grade, classification, kind)
        support = FactsSupport(next(self.ids), exhibit, stance, (kind_of[type(fact)], fact.id), "p. 1")
        self.supports.append(support)
        return support

    def build(self):
        return DossierFacts(1, "Official", tuple(self.tenures), tuple(self.involvements), tuple(self.supports))


def assess(facts, visible=EVERYTHING, scope_start=SCOPE, today=TODAY):
    built = facts.build() if isinstance(facts, Facts) else facts
    return assess_dossier(built, visible=visible, scope_start=scope_start, today=today)


def statuses(assessment):
    return {e.code: e.status for e in assessment.elements}


ASPECTS = ("character", "gravity", "scale")


def complete(grade="B2"):
    """A supported leadership tenure, a supported knowing role, a supported act whose
    character, gravity and scale are each supported."""
    f = Facts()
    f.tenure(supported=True)
    involvement = f.involvement(grade=grade, acts=[f.act(aspects=ASPECTS, grade="B2")])
    f.support(involvement.decision.acts[0])
    return f, involvement
