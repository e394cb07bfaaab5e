"""The assessment of a dossier against the six elements of the crime of aggression (Art. 8 bis).

``assess_dossier`` is one pure function of plain facts: services/dossiers/facts.py loads them,
tests build them by hand, and a page shows what comes out. Its docstring states the rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from models.enums import MANIFEST_ASPECTS
from services.assessment.basis import (
    Draft,
    EvidenceIndex,
    Linked,
    aspect_label,
    awaiting_note,
    awaiting_text,
    covers,
    decision_label,
    in_scope,
    involvement_label,
    proof_gap_text,
    record_aspect_text,
    scoped_involvements,
    tenure_label,
    weakest,
)
from services.assessment.modes import assess_modes
from services.assessment.score import score_components
from services.assessment.texts import _
from services.assessment.types import (
    Assessment,
    Certainty,
    DossierFacts,
    FactRef,
    FactsAct,
    FactsTenure,
    Gap,
    GapAction,
    ScoreFacts,
    Target,
    TroikaNotice,
)

# Roles from which knowledge of the facts may be inferred (E4), as the rules list them: taking part
# in the decision itself. Carrying it out ("implemented") or assisting it ("supplied", "allowed" the
# use of territory) is conduct, but knowledge of the act has to be shown apart.
KNOWING_ROLES = frozenset(
    {
        "proposed",
        "authored",
        "signed",
        "voted_for",
        "ordered",
        "commanded",
        "negotiated",
        "publicly_endorsed",
        "attended",
    }
)


def assess_dossier(
    facts: DossierFacts,
    *,
    visible: tuple[str, ...],
    scope_start: dt.date,
    today: dt.date,
    with_modes: bool = True,
    four_eyes: bool = False,
) -> Assessment:
    """Assess one official's facts against elements E1-E6, as the viewer may see them, and
    the modes of liability (left out with ``with_modes=False``: the stored summaries keep none).

    What counts
      * Evidence: a support counts only when the viewer's ``visible`` classifications cover its
        exhibit; the others are counted in ``withheld_count`` and never described.
      * Proof, the same rule for every element: a fact is *proved* by a supporting exhibit
        graded A-C in reliability from a primary source. Weaker exhibits (D-F), or secondary
        sources alone (sanctions listings, statements of reasons, press reports: however they
        are graded, they corroborate, they do not prove), leave it *partial*.
      * Four eyes on grades (``four_eyes``, the FOUR_EYES_GRADES setting): a supporting primary
        exhibit graded A-C on a leadership fact (a tenure) or a conduct fact (an involvement)
        proves it only once a second analyst has confirmed the link (``FactsSupport.confirmed``);
        until then it counts as partial, the element's reason names the exhibits "awaiting
        second-analyst confirmation", and a gap asks for the confirmation (action "confirm", on
        the support). Off, nothing of this applies.
      * Time: a decision counts when its date falls on or after ``scope_start``; a tenure or an
        act when it lasted into that day or later (an open end always does). A partial date
        that only *possibly* falls there (a decision dated "2014-02" against 2014-02-20) counts
        as possible. A tenure covers a decision certainly when it had certainly begun by the
        decision's first possible day and certainly lasted to its last; possibly when the two
        intervals merely overlap (a tenure from "2022" and a decision of 2022-02-22).
        A fact that counts only possibly can make an element partial, never met; it is named in
        the element's ``possible`` notes, and a gap asks for a more precise date where that
        would change the status.
      * Linked: an involvement counts when its decision contributed to an act of aggression
        within the scope.

    Elements
      * E1 conduct -- met when a linked involvement, certainly in scope, is proved by evidence
        *on the involvement itself*; partial when it is only partial, unsupported or only
        possibly in scope; gap with no linked involvement.
      * E2 leadership -- met when, at the date of a linked involvement's decision, the official
        held a leadership-tier post in an institution of a State responsible for that
        decision's act (one of the act's States), the tenure certainly covers the date and is
        proved; partial when such a tenure is only partial, covers the date only possibly, or
        is senior-tier; gap otherwise, naming the State whose post is missing. A post in
        another State counts for nothing: a co-aggressor's leader qualifies for the acts their
        own State is responsible for.
      * E3 state act -- met when a linked act certainly in scope is proved (on the act);
        partial otherwise; gap with no act.
      * E5 manifest violation -- assessed on the act's own facts: its character, gravity and
        scale, three assessments of the act, each with evidence of its own. Met when all three
        of a linked act certainly in scope are proved; partial when some are recorded; gap
        when none is. Evidence on the act itself counts for E3, not here.
      * E4 awareness -- "inferred" (from conduct and position) when E1, E2 and E3 are met and
        an involvement meeting E1 is a knowing role (every role but "implemented");
        otherwise "gap" (open). E6 awareness of the manifest violation -- inferred when E4 is
        and E5 is met; otherwise open.

    Facts behind each element: E1 the linked involvements and their decisions; E2 the covering
    tenures and the involvements they cover; E3 the linked acts; E5 their recorded character,
    gravity and scale; E4 those of E1 and E2; E6 those of E4 and E5. An element is flagged
    for review when a visible contradicting exhibit on its facts is at least as reliable
    (Admiralty A-F) as the best supporting exhibit for the element (any contradicting exhibit,
    when nothing supports it); ``review_by`` names them. Gaps are actions on a record (kind,
    id) and are listed for elements not met only. The troika notice appears when a tenure that
    may include ``today`` is a troika post.
    The score (0-100) and how it is made are in services/assessment/score.py; the modes of
    liability (Art. 25(3), each with its own elements on the same facts) in
    services/assessment/modes.py.
    """
    evidence = EvidenceIndex(facts, visible, four_eyes)
    linked = scoped_involvements(facts.involvements, scope_start)
    conduct = _conduct(facts.official_id, linked, evidence)
    leadership = _leadership(facts, linked, scope_start, evidence)
    state_act = _state_act(facts.official_id, linked, evidence)
    manifest = _manifest(facts.official_id, linked, evidence)
    awareness, manifest_awareness = _awareness(
        facts.official_id, conduct, leadership, state_act, manifest, linked, evidence
    )
    drafts = [conduct, leadership, state_act, awareness, manifest, manifest_awareness]
    elements = tuple(d.finish(evidence) for d in drafts)
    modes = assess_modes(facts, linked, evidence, elements, scope_start) if with_modes else ()
    components = score_components(elements, ScoreFacts.of(facts))
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
        modes=modes,
    )


# --- elements ------------------------------------------------------------------------------


def _no_linked_involvement(official_id: int) -> tuple[Target, str, GapAction]:
    return ("official", official_id), _("No involvement in any decision linked to an aggression act"), "involvement"


def _add_linked(draft: Draft, link: Linked) -> None:
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


def _date_gap(draft: Draft, link: Linked) -> None:
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


def _proof_gap(draft: Draft, target: Target, label: str, evidence: EvidenceIndex) -> None:
    proof = evidence.proof(target)
    if proof.awaiting:  # a confirmation proves it: ask for that, on each link that awaits one
        for ref in proof.awaiting:
            draft.gap(("support", ref.support_id), awaiting_text(label, [ref]), "confirm")
        return
    draft.gap(target, proof_gap_text(label, proof))


def _conduct(official_id: int, scoped: list[Linked], evidence: EvidenceIndex) -> Draft:
    draft = Draft("E1", _("Conduct"))
    linked = [link for link in scoped if link.acts]
    if not linked:
        draft.reason = _("No involvement in a decision linked to an aggression act within the scope.")
        draft.gap(*_no_linked_involvement(official_id))
        return draft
    for link in linked:
        _add_linked(draft, link)
    if any(_meets_conduct(link, evidence) for link in linked):
        draft.status = "met"
        draft.reason = _("An involvement is proved by a primary source graded A–C.")
        return draft
    draft.status = "partial"
    draft.reason = _("No involvement certainly within the scope is proved by a primary source graded A–C.")
    draft.reason += awaiting_note(evidence, (("involvement", link.involvement.id) for link in linked))
    for link in linked:
        _strengthen(draft, link, evidence)
    return draft


def _meets_conduct(link: Linked, evidence: EvidenceIndex) -> bool:
    return link.certainty == "certain" and evidence.proved(("involvement", link.involvement.id))


def _strengthen(draft: Draft, link: Linked, evidence: EvidenceIndex) -> None:
    """Ask for what keeps a linked involvement from meeting E1: proof, or a precise date."""
    target = ("involvement", link.involvement.id)
    if evidence.proved(target):
        _date_gap(draft, link)
    else:
        label = _("Involvement %(involvement)s", involvement=involvement_label(link.involvement))
        _proof_gap(draft, target, label, evidence)


@dataclass(frozen=True)
class _Cover:
    """A leadership- or senior-tier tenure, in a State responsible for a linked act, that
    covers (certainly or possibly) the date of the decision serving that act."""

    tenure: FactsTenure
    link: Linked
    act: FactsAct
    tenure_certainty: Certainty  # covers the date and reaches into the scope

    @property
    def certainty(self) -> Certainty:
        return weakest(self.tenure_certainty, self.link.decision_certainty)


def _responsible(tenure: FactsTenure, act: FactsAct) -> bool:
    """Whether the tenure's post is in an institution of a State responsible for the act."""
    return tenure.state is not None and any(s.id == tenure.state.id for s in act.states)


def _covers(facts: DossierFacts, linked: list[Linked], scope_start: dt.date) -> list[_Cover]:
    pairs = []
    for link in linked:
        for act, _act_certainty in link.acts:
            for tenure in facts.tenures:
                if tenure.tier not in ("leadership", "senior") or not _responsible(tenure, act):
                    continue
                cover = covers(tenure, link.involvement.decision.when)
                reaches = in_scope(tenure.end, scope_start)
                if cover and reaches:
                    pairs.append(_Cover(tenure, link, act, weakest(cover, reaches)))
    return pairs


def _states_text(act: FactsAct) -> str:
    return ", ".join(s.name for s in act.states)


def _leadership(facts: DossierFacts, scoped: list[Linked], scope_start: dt.date, evidence: EvidenceIndex) -> Draft:
    draft = Draft("E2", _("Leadership"))
    linked = [link for link in scoped if link.acts]
    if not linked:
        draft.reason = _(
            "No involvement in a decision linked to an aggression act: leadership is assessed over the State "
            "responsible for the act."
        )
        draft.gap(*_no_linked_involvement(facts.official_id))
        return draft
    pairs = _covers(facts, linked, scope_start)
    if not pairs:
        _no_responsible_post(draft, facts, linked, scope_start)
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
    met = next((p for p in leading if p.certainty == "certain" and evidence.proved(("tenure", p.tenure.id))), None)
    if met is not None:
        draft.status = "met"
        draft.reason = _(
            "A leadership-tier post in %(state)s, a State responsible for %(act)s, covers the date of a decision"
            " and is proved by a primary source graded A–C.",
            state=met.tenure.state.name if met.tenure.state else "",
            act=met.act.title,
        )
        return draft
    draft.status = "partial"
    if not leading:
        draft.reason = _("Only senior-tier posts in a State responsible for the act cover the dates of the decisions.")
        for act in dict.fromkeys(p.act for p in pairs):
            draft.gap(
                ("official", facts.official_id),
                _(
                    "Show a leadership-tier post in %(states)s at the date of a decision serving %(act)s",
                    states=_states_text(act),
                    act=act.title,
                ),
                "tenure",
            )
        return draft
    draft.reason = _(
        "The leadership-tier post in a State responsible for the act is not proved by a primary source graded A–C,"
        " or covers the decision date only possibly."
    )
    draft.reason += awaiting_note(evidence, dict.fromkeys(("tenure", p.tenure.id) for p in leading))
    for pair in leading:
        tenure = pair.tenure
        if not evidence.proved(("tenure", tenure.id)):
            _proof_gap(draft, ("tenure", tenure.id), _("Tenure %(tenure)s", tenure=tenure_label(tenure)), evidence)
        if pair.certainty == "possible":
            _coverage_gaps(draft, pair)
    return draft


def _no_responsible_post(draft: Draft, facts: DossierFacts, linked: list[Linked], scope_start: dt.date) -> None:
    """E2 is a gap: say, per linked act, which State's post is missing."""
    elsewhere = sorted(
        {
            t.state.name
            for link in linked
            for t in facts.tenures
            if t.state is not None
            and t.tier in ("leadership", "senior")
            and covers(t, link.involvement.decision.when)
            and in_scope(t.end, scope_start)
        }
    )
    draft.reason = _(
        "No leadership- or senior-tier post in a State responsible for a linked act at the date of the decision."
    )
    if elsewhere:
        draft.reason += " " + _(
            "The official's posts at those dates are in %(states)s, which is not responsible for those acts.",
            states=", ".join(elsewhere),
        )
    for act in dict.fromkeys(act for link in linked for act, _c in link.acts):
        if not act.states:
            draft.gap(
                ("act", act.id),
                _("Record the State responsible for aggression act %(act)s", act=act.title),
                "act",
            )
            continue
        draft.gap(
            ("official", facts.official_id),
            _(
                "No leadership post in %(states)s, the State responsible for aggression act %(act)s,"
                " at the date of a decision serving it",
                states=_states_text(act),
                act=act.title,
            ),
            "tenure",
        )


def _coverage_gaps(draft: Draft, pair: _Cover) -> None:
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


def _linked_acts(scoped: list[Linked]) -> dict[int, tuple[FactsAct, Certainty]]:
    """Every act linked through an involvement, certainly when some link is certain."""
    acts: dict[int, tuple[FactsAct, Certainty]] = {}
    for link in scoped:
        for act, act_certainty in link.acts:
            certainty = weakest(act_certainty, link.decision_certainty)
            if act.id not in acts or certainty == "certain":
                acts[act.id] = (act, certainty)
    return acts


def _state_act(official_id: int, scoped: list[Linked], evidence: EvidenceIndex) -> Draft:
    """E3: a linked act proved by evidence on the act itself."""
    acts = _linked_acts(scoped)
    draft = Draft("E3", _("State act of aggression"))
    if not acts:
        draft.reason = _("No aggression act is linked to a decision the official took part in.")
        draft.gap(*_no_linked_involvement(official_id))
        return draft
    for act, certainty in acts.values():
        draft.fact("act", act.id, act.title, certainty)
        if certainty == "possible":
            draft.note(
                _("Aggression act %(act)s is linked only through dates that possibly fall in scope.", act=act.title)
            )
    if any(c == "certain" and evidence.proved(("act", a.id)) for a, c in acts.values()):
        draft.status = "met"
        draft.reason = _("A linked aggression act is proved by a primary source graded A–C.")
        return draft
    draft.status = "partial"
    draft.reason = _("No linked aggression act certainly in scope is proved by a primary source graded A–C.")
    for act, _certainty in acts.values():
        if not evidence.proved(("act", act.id)):
            _proof_gap(draft, ("act", act.id), _("Aggression act %(act)s", act=act.title), evidence)
        else:
            _act_date_gaps(draft, act, scoped)
    return draft


def _act_date_gaps(draft: Draft, act: FactsAct, scoped: list[Linked]) -> None:
    """An act proved but linked only possibly: ask for whichever date is coarse."""
    for link in scoped:
        for linked_act, act_certainty in link.acts:
            if linked_act.id == act.id:
                _date_gap(draft, Linked(link.involvement, link.decision_certainty, ((act, act_certainty),)))


def _manifest(official_id: int, scoped: list[Linked], evidence: EvidenceIndex) -> Draft:
    """E5: the character, gravity and scale of a linked act, each proved on its own evidence."""
    acts = _linked_acts(scoped)
    draft = Draft("E5", _("Manifest violation of the Charter"))
    if not acts:
        draft.reason = _("No aggression act is linked to a decision the official took part in.")
        draft.gap(*_no_linked_involvement(official_id))
        return draft
    recorded = False
    for act, certainty in acts.values():
        for aspect in MANIFEST_ASPECTS:
            found = act.assessment(aspect)
            if found is not None:
                recorded = True
                draft.fact("act_assessment", found.id, _aspect_fact(aspect, act, found.finding), certainty)
        if certainty == "possible":
            draft.note(
                _("Aggression act %(act)s is linked only through dates that possibly fall in scope.", act=act.title)
            )

    def proved(act: FactsAct) -> bool:
        return all(
            (x := act.assessment(a)) is not None and evidence.proved(("act_assessment", x.id)) for a in MANIFEST_ASPECTS
        )

    met = next((a for a, c in acts.values() if c == "certain" and proved(a)), None)
    if met is not None:
        draft.status = "met"
        draft.reason = _(
            "The character, gravity and scale of %(act)s are each proved by a primary source graded A–C.",
            act=met.title,
        )
        return draft
    draft.status = "partial" if recorded else "gap"
    draft.reason = (
        _(
            "The character, gravity and scale of no linked act certainly in scope are all proved by a primary"
            " source graded A–C."
        )
        if recorded
        else _("The character, gravity and scale of the linked acts are not recorded.")
    )
    for act, _certainty in acts.values():
        if proved(act):
            _act_date_gaps(draft, act, scoped)
            continue
        for aspect in MANIFEST_ASPECTS:
            found = act.assessment(aspect)
            if found is None:
                draft.gap(("act", act.id), record_aspect_text(aspect, act.title), cast(GapAction, aspect))
            elif not evidence.proved(("act_assessment", found.id)):
                _proof_gap(draft, ("act_assessment", found.id), aspect_label(aspect, act.title), evidence)
    return draft


def _aspect_fact(aspect: str, act: FactsAct, finding: str) -> str:
    return f"{aspect_label(aspect, act.title)}: {finding}"


def _awareness(
    official_id: int,
    conduct: Draft,
    leadership: Draft,
    state_act: Draft,
    manifest: Draft,
    scoped: list[Linked],
    evidence: EvidenceIndex,
) -> tuple[Draft, Draft]:
    """E4 inferred from conduct, position and the act; E6 from E4 and the manifest violation."""
    knowing = [link for link in scoped if link.acts and link.involvement.role in KNOWING_ROLES]
    e4 = Draft("E4", _("Awareness of the facts"), facts={**conduct.facts, **leadership.facts})
    e4.possible = list(dict.fromkeys(conduct.possible + leadership.possible))
    if any(d.status != "met" for d in (conduct, leadership, state_act)):
        e4.reason = _("Open: can be inferred once conduct (E1), leadership (E2) and the State act (E3) are met.")
    elif any(_meets_conduct(link, evidence) for link in knowing):
        e4.status, e4.reason = "inferred", _("Inferred from conduct and position.")
    else:
        e4.reason = _("Open: the conduct established is not a knowing role.")
        for link in knowing:
            _strengthen(e4, link, evidence)
        if not knowing:
            e4.gap(
                ("official", official_id),
                _("No knowing role (such as signed, ordered or voted for) in a decision linked to an act"),
                "involvement",
            )
    e6 = Draft("E6", _("Awareness of the manifest violation"), facts={**e4.facts, **manifest.facts})
    e6.possible = list(dict.fromkeys(e4.possible + manifest.possible))
    if e4.status != "inferred":
        e6.reason = _("Open: can be inferred once awareness of the facts (E4) is.")
        e6.gaps = list(e4.gaps)
    elif manifest.status != "met":
        e6.reason = _("Open: can be inferred once the manifest violation (E5) is met.")
    else:
        e6.status = "inferred"
        e6.reason = _("Inferred from conduct and position, and the character, gravity and scale of the act.")
    return e4, e6


# --- the rest ------------------------------------------------------------------------------


def _merge_gaps(drafts: list[Draft]) -> tuple[Gap, ...]:
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
