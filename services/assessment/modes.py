"""The modes of liability (Rome Statute Art. 25(3), with the leadership clause of Art. 25(3 bis)
for aggression): which involvement roles suggest which mode, how directly each mode makes the
person answer for the act, and each mode's own elements assessed on the official's facts.

Pure, like services/assessment/elements.py, which calls ``assess_modes`` with the elements of the crime
it has just assessed. The strength score weighs conduct by the mode a role suggests (``role_mode``).

Each mode is a row of elements, assessed on the same facts and with the same grade rule as the
elements of the crime (a fact is proved by a primary source graded A-C; weaker or secondary
sources leave it partial):

* leadership -- Art. 25(3 bis): every mode applies only to a person in a position effectively to
  control or direct the political or military action of a State. It is element E2's result,
  with E2's tenures.
* conduct -- what the mode's roles show: an involvement in one of the roles that suggest the mode,
  in a decision linked to an aggression act in scope. Met when one, certainly in scope, is proved
  on the involvement itself; partial when none is (weak or secondary evidence, none, or dates
  only possibly in scope); a gap when there is no such involvement: the mode is not suggested.
* plan -- co-perpetration's common plan and the common purpose of Art. 25(3)(d)'s group: the
  decision itself (taken by an institution, with others) proved on the decision's own evidence.
* control -- indirect perpetration's control over the organisation through which the act is
  committed: a leadership-tier post in the institution that took the decision, covering its date,
  proved. Partial when the post there is senior-tier, covers the date only possibly or is not
  proved, or when the only posts are elsewhere in the State (leadership of the State is shown,
  control over that body is not); a gap with no post at all.
* act -- the act of aggression the mode's decisions served was committed: proved on the act.
* intent -- the mental element (intent and knowledge; for aiding, the purpose of facilitating;
  for a common purpose, an intentional contribution): inferred exactly when awareness of the
  facts (E4) is, and the mode's conduct is recorded; otherwise open ("gap"). It is never met:
  the system infers it, a prosecutor argues it.

A mode is met when every element is met (or, for intent, inferred); a gap when its conduct is
(no role suggests it); partial otherwise. Every mode is assessed, suggested or not, so a mode a
prosecutor chooses to charge can be shown with what it lacks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from services.assessment.basis import (
    Draft,
    EvidenceIndex,
    Linked,
    covers,
    decision_label,
    in_scope,
    involvement_label,
    proof_gap_text,
    role_words,
    tenure_label,
    weakest,
)
from services.assessment.texts import _
from services.assessment.types import (
    Certainty,
    DossierFacts,
    ElementAssessment,
    FactsAct,
    FactsTenure,
    ModeAssessment,
    ModeStatus,
)

# The kinds of element a mode is made of (see the module docstring)
LEADERSHIP, CONDUCT, PLAN, CONTROL, ACT, INTENT = "leadership", "conduct", "plan", "control", "act", "intent"
MODE_ELEMENTS = (LEADERSHIP, CONDUCT, PLAN, CONTROL, ACT, INTENT)


@dataclass(frozen=True)
class ModeDefinition:
    code: str
    article: str  # "Art. 25(3)(a)"
    name: str  # English; translated where it is shown
    roles: tuple[str, ...]  # the involvement roles that suggest it
    weight: float  # how directly it realises the act: the strength score weighs conduct by it
    elements: tuple[str, ...] = (LEADERSHIP, CONDUCT, ACT, INTENT)


MODES: tuple[ModeDefinition, ...] = (
    ModeDefinition(
        "co_perpetration",
        "Art. 25(3)(a)",
        "direct or co-perpetration",
        ("signed", "voted_for", "authored"),
        1.0,
        (LEADERSHIP, CONDUCT, PLAN, ACT, INTENT),
    ),
    ModeDefinition(
        "indirect_perpetration",
        "Art. 25(3)(a)",
        "indirect perpetration",
        ("ordered", "commanded"),
        1.0,
        (LEADERSHIP, CONDUCT, CONTROL, ACT, INTENT),
    ),
    ModeDefinition("ordering", "Art. 25(3)(b)", "ordering", ("ordered", "commanded"), 1.0),
    ModeDefinition("inducing", "Art. 25(3)(b)", "soliciting or inducing", ("proposed", "publicly_endorsed"), 0.8),
    ModeDefinition(
        "aiding",
        "Art. 25(3)(c)",
        "aiding, abetting or assisting",
        ("supplied", "allowed", "negotiated", "implemented"),
        0.7,
    ),
    ModeDefinition(
        "common_purpose",
        "Art. 25(3)(d)",
        "contributing to a common purpose",
        ("attended",),
        0.5,
        (LEADERSHIP, PLAN, CONDUCT, ACT, INTENT),
    ),
)
MODE_CODES = tuple(m.code for m in MODES)
_NONE = ModeDefinition("none", "", "no mode of liability", (), 0.0)


@dataclass(frozen=True)
class RoleMode:
    name: str  # translated
    weight: float


def mode_name(mode: ModeDefinition) -> str:
    names = {
        "co_perpetration": _("direct or co-perpetration"),
        "indirect_perpetration": _("indirect perpetration"),
        "ordering": _("ordering"),
        "inducing": _("soliciting or inducing"),
        "aiding": _("aiding, abetting or assisting"),
        "common_purpose": _("contributing to a common purpose"),
    }
    return names.get(mode.code, _("no mode of liability"))


def element_name(mode: str, element: str) -> str:
    """The name of one element of one mode, as the matrix heads its row."""
    if element == LEADERSHIP:
        return _("Leadership position (Art. 25(3 bis))")
    if element == ACT:
        return _("The act of aggression was committed")
    if element == PLAN:
        return _("Common plan") if mode == "co_perpetration" else _("A group acting with a common purpose")
    if element == CONTROL:
        return _("Control over the organisation")
    if element == CONDUCT:
        conduct = {
            "co_perpetration": _("Essential contribution"),
            "indirect_perpetration": _("Commission through others"),
            "ordering": _("The order"),
            "inducing": _("Soliciting or inducing"),
            "aiding": _("Assistance"),
        }
        return conduct.get(mode, _("Contribution"))
    intent = {"aiding": _("Purpose of facilitating"), "common_purpose": _("Intentional contribution")}
    return intent.get(mode, _("Intent and knowledge"))


def modes_of(role: str) -> tuple[ModeDefinition, ...]:
    return tuple(m for m in MODES if role in m.roles)


def role_mode(role: str) -> RoleMode:
    """The most direct mode the role suggests (its weight, and its name for the explanation)."""
    mode = max(modes_of(role), key=lambda m: m.weight, default=_NONE)
    return RoleMode(mode_name(mode), mode.weight)


# --- the matrix of modes ------------------------------------------------------------------------


def assess_modes(
    facts: DossierFacts,
    scoped: list[Linked],
    evidence: EvidenceIndex,
    elements: tuple[ElementAssessment, ...],
    scope_start: dt.date,
) -> tuple[ModeAssessment, ...]:
    """Every mode of liability, in MODES order, on the facts E1-E6 were assessed on (``scoped``:
    the involvements in scope; ``elements``: E1-E6 as assessed, for E2 and E4)."""
    e2 = next(e for e in elements if e.code == "E2")
    e4 = next(e for e in elements if e.code == "E4")
    linked = [link for link in scoped if link.acts]
    labels = {link.involvement.id: involvement_label(link.involvement) for link in linked}
    cases = (
        _ModeCase(mode, [link for link in linked if link.involvement.role in mode.roles], facts, evidence, labels)
        for mode in MODES
    )
    return tuple(case.assess(e2, e4, scope_start) for case in cases)


@dataclass
class _ModeCase:
    """One mode, with the linked involvements whose roles suggest it."""

    mode: ModeDefinition
    links: list[Linked]
    facts: DossierFacts
    evidence: EvidenceIndex
    labels: dict[int, str]  # involvement id -> its label (made once for every mode)

    def assess(self, e2: ElementAssessment, e4: ElementAssessment, scope_start: dt.date) -> ModeAssessment:
        drafts = []
        for code in self.mode.elements:
            draft = Draft(code, element_name(self.mode.code, code))
            if code == LEADERSHIP:
                self._leadership(draft, e2)
            elif not self.links:
                draft.reason = self._not_suggested()
            elif code == CONDUCT:
                self._conduct(draft)
            elif code == PLAN:
                self._plan(draft)
            elif code == CONTROL:
                self._control(draft, e2, scope_start)
            elif code == ACT:
                self._act(draft)
            else:
                self._intent(draft, e2, e4)
            drafts.append(draft)
        found = tuple(d.finish(self.evidence) for d in drafts)
        status, reason = self._overall(found)
        roles = tuple(dict.fromkeys(link.involvement.role for link in self.links))
        return ModeAssessment(self.mode.code, self.mode.article, mode_name(self.mode), status, reason, roles, found)

    def _roles_text(self, roles: tuple[str, ...]) -> str:
        return ", ".join(role_words(r) for r in roles)

    def _not_suggested(self) -> str:
        return _(
            "No involvement in a decision linked to an aggression act in a role that suggests this mode (%(roles)s).",
            roles=self._roles_text(self.mode.roles),
        )

    def _overall(self, found: tuple[ElementAssessment, ...]) -> tuple[ModeStatus, str]:
        if not self.links:
            return "gap", self._not_suggested()
        roles = self._roles_text(tuple(dict.fromkeys(link.involvement.role for link in self.links)))
        short = [e.name for e in found if e.status not in ("met", "inferred")]
        if not short:
            return "met", _("Roles that suggest it: %(roles)s. Every element is met or inferred.", roles=roles)
        return "partial", _(
            "Roles that suggest it: %(roles)s. Not yet met: %(elements)s.", roles=roles, elements="; ".join(short)
        )

    # --- elements ---

    def _leadership(self, draft: Draft, e2: ElementAssessment) -> None:
        """Art. 25(3 bis): E2's result, on E2's tenures."""
        draft.status, draft.reason = e2.status, e2.reason
        for fact in e2.of_kind("tenure"):
            draft.fact(fact.kind, fact.id, fact.label, fact.certainty)
        draft.possible.extend(e2.possible)

    def _conduct(self, draft: Draft) -> None:
        for link in self.links:
            draft.fact("involvement", link.involvement.id, self.labels[link.involvement.id], link.certainty)
            if link.certainty == "possible":
                draft.note(
                    _(
                        "Involvement %(involvement)s falls within the temporal scope only possibly.",
                        involvement=self.labels[link.involvement.id],
                    )
                )
        proved = [link for link in self.links if self.evidence.proved(("involvement", link.involvement.id))]
        met = next((link for link in proved if link.certainty == "certain"), None)
        if met is not None:
            draft.status = "met"
            draft.reason = _(
                "Involvement %(involvement)s is proved by a primary source graded A–C.",
                involvement=self.labels[met.involvement.id],
            )
            return
        draft.status = "partial"
        if proved:
            draft.reason = _(
                "Involvement %(involvement)s is proved, but its dates fall within the temporal scope only possibly.",
                involvement=self.labels[proved[0].involvement.id],
            )
            return
        first = self.links[0].involvement
        label = _("Involvement %(involvement)s", involvement=self.labels[first.id])
        draft.reason = self._unproved(proof_gap_text(label, self.evidence.proof(("involvement", first.id))))

    def _plan(self, draft: Draft) -> None:
        """The decision itself, taken with others in an institution, proved on its own evidence."""
        for link in self.links:
            i = link.involvement
            draft.fact("decision", i.decision.id, decision_label(i), link.decision_certainty)
        proved = [link for link in self.links if self.evidence.proved(("decision", link.involvement.decision.id))]
        met = next((link for link in proved if link.certainty == "certain"), None)
        if met is not None:
            draft.status = "met"
            draft.reason = _(
                "Decision %(decision)s, taken in an institution with others, is proved by a primary source graded A–C.",
                decision=decision_label(met.involvement),
            )
            return
        draft.status = "partial"
        if proved:
            draft.reason = _(
                "Decision %(decision)s is proved, but falls within the temporal scope only possibly.",
                decision=decision_label(proved[0].involvement),
            )
            return
        first = self.links[0].involvement
        label = _("Decision %(decision)s", decision=decision_label(first))
        draft.reason = self._unproved(proof_gap_text(label, self.evidence.proof(("decision", first.decision.id))))

    def _control(self, draft: Draft, e2: ElementAssessment, scope_start: dt.date) -> None:
        """A post in the institution that took the decision, at its date."""
        posts = [
            (tenure, link, certainty)
            for link in self.links
            for tenure in self.facts.tenures
            if (certainty := _holds(tenure, link, scope_start)) is not None
        ]
        first = self.links[0].involvement
        if not posts:
            if e2.status == "gap":
                draft.reason = _(
                    "No post in the institution that took decision %(decision)s at its date.",
                    decision=decision_label(first),
                )
                return
            draft.status = "partial"
            draft.reason = _(
                "A post in the State responsible is recorded, but none in the institution that took decision"
                " %(decision)s at its date: control over that organisation is not shown.",
                decision=decision_label(first),
            )
            for fact in e2.of_kind("tenure"):
                draft.fact(fact.kind, fact.id, fact.label, fact.certainty)
            return
        for tenure, _link, certainty in posts:
            draft.fact("tenure", tenure.id, tenure_label(tenure), certainty)
        proved = [(t, link, c) for t, link, c in posts if self.evidence.proved(("tenure", t.id))]
        met = next(((t, link) for t, link, c in proved if t.tier == "leadership" and c == "certain"), None)
        if met is not None:
            draft.status = "met"
            draft.reason = _(
                "A leadership-tier post in the institution that took decision %(decision)s covers its date and is"
                " proved by a primary source graded A–C: %(tenure)s.",
                decision=decision_label(met[1].involvement),
                tenure=tenure_label(met[0]),
            )
            return
        draft.status = "partial"
        tenure, link, certainty = min(posts, key=lambda p: (p[0].tier != "leadership", p[2] != "certain"))
        if tenure.tier != "leadership":
            draft.reason = _(
                "The post in the institution that took decision %(decision)s is senior-tier, not leadership-tier.",
                decision=decision_label(link.involvement),
            )
        elif certainty == "possible":
            draft.reason = _(
                "Tenure %(tenure)s covers decision %(decision)s only possibly.",
                tenure=tenure_label(tenure),
                decision=decision_label(link.involvement),
            )
        else:
            label = _("Tenure %(tenure)s", tenure=tenure_label(tenure))
            draft.reason = self._unproved(proof_gap_text(label, self.evidence.proof(("tenure", tenure.id))))

    def _act(self, draft: Draft) -> None:
        acts: dict[int, tuple[FactsAct, Certainty]] = {}
        for link in self.links:
            for act, act_certainty in link.acts:
                certainty = weakest(act_certainty, link.decision_certainty)
                if act.id not in acts or certainty == "certain":
                    acts[act.id] = (act, certainty)
        for act, certainty in acts.values():
            draft.fact("act", act.id, act.title, certainty)
        met = next((a for a, c in acts.values() if c == "certain" and self.evidence.proved(("act", a.id))), None)
        if met is not None:
            draft.status = "met"
            draft.reason = _(
                "Aggression act %(act)s, which the decision served, is proved by a primary source graded A–C.",
                act=met.title,
            )
            return
        draft.status = "partial"
        act, _certainty = next(iter(acts.values()))
        if self.evidence.proved(("act", act.id)):
            draft.reason = _(
                "Aggression act %(act)s is proved, but is linked only through dates that possibly fall in scope.",
                act=act.title,
            )
            return
        label = _("Aggression act %(act)s", act=act.title)
        draft.reason = self._unproved(proof_gap_text(label, self.evidence.proof(("act", act.id))))

    def _intent(self, draft: Draft, e2: ElementAssessment, e4: ElementAssessment) -> None:
        """Inferred as awareness of the facts (E4) is, from the mode's conduct and the position."""
        for link in self.links:
            draft.fact("involvement", link.involvement.id, self.labels[link.involvement.id], link.certainty)
        for fact in e2.of_kind("tenure"):
            draft.fact(fact.kind, fact.id, fact.label, fact.certainty)
        if e4.status == "inferred":
            draft.status = "inferred"
            draft.reason = _("Inferred from conduct and position, as awareness of the facts (E4) is.")
        else:
            draft.reason = e4.reason

    @staticmethod
    def _unproved(detail: str) -> str:
        """What keeps the fact from being proved, as a sentence."""
        return f"{detail}."


def _holds(tenure: FactsTenure, link: Linked, scope_start: dt.date) -> Certainty | None:
    """Whether ``tenure`` is a leadership- or senior-tier post in the institution that took the
    link's decision, covering its date and reaching into the scope (certainly or possibly)."""
    decision = link.involvement.decision
    if decision.institution_id is None or tenure.institution_id != decision.institution_id:
        return None
    if tenure.tier not in ("leadership", "senior"):
        return None
    cover, reaches = covers(tenure, decision.when), in_scope(tenure.end, scope_start)
    if cover is None or reaches is None:
        return None
    return weakest(cover, reaches, link.decision_certainty)
