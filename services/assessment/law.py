"""What the law says, and what the system checks, for each thing a dossier is assessed on.

Each entry pairs a short paraphrase of the law (the ICC Elements of Crimes for the crime of
aggression, Art. 8 bis, Elements 1-6; the leadership clause of Rome Statute Art. 25(3 bis))
with the sentence saying what services/assessment/elements.py checks for it. The page, the PDF case
file, the bag's dossier.json and the API all read them here, by key, so they say the same.

Keys: the element codes "E1" ... "E6" and "leadership"; each mode of liability's code
("ordering", Rome Statute Art. 25(3)), and "<mode>.<element>" for each element of each mode
(services/assessment/modes.py), whose law is the Statute's words, or what the ICC's case law
reads into them where the Statute is silent (the common plan and essential contribution of
co-perpetration, control over an organisation). Every mode's leadership element says the
leadership clause, and its act element the one text of the act committed.

The wording stays close to the Elements of Crimes: "the person" stands for "the perpetrator",
and the notes added to Elements 2, 4 and 5 come from the Elements themselves (footnote to
Element 2; Introduction, paragraphs 2-4). Nothing here is law the Elements do not state.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from models.enums import LOCALES
from services.assessment.modes import ACT, LEADERSHIP, MODES


@dataclass(frozen=True)
class LegalText:
    key: str
    source: LazyString  # where the law says it, e.g. "Elements of Crimes, Art. 8 bis, Element 1"
    law: LazyString  # what the law requires, short
    checks: LazyString  # what the system checks for it, as services/assessment/elements.py does

    def as_dict(self) -> dict[str, str]:
        """In the current language."""
        return {"source": str(self.source), "text": str(self.law), "checks": str(self.checks)}


ELEMENT_TEXTS: dict[str, LegalText] = {
    "E1": LegalText(
        "E1",
        _l("Elements of Crimes, Art. 8 bis, Element 1"),
        _l("The person planned, prepared, initiated or executed an act of aggression."),
        _l(
            "An involvement of the official in a decision linked to an aggression act, dated within the temporal"
            " scope, proved by evidence on the involvement itself graded A–C from a primary source. Weaker grades, or"
            " secondary sources alone (sanctions listings, statements of reasons, press reports), make it partial."
        ),
    ),
    "E2": LegalText(
        "E2",
        _l("Elements of Crimes, Art. 8 bis, Element 2"),
        _l(
            "The person was in a position effectively to exercise control over or to direct the political or"
            " military action of the State which committed the act of aggression. More than one person may be in"
            " such a position."
        ),
        _l(
            "At the date of that decision, a leadership-tier post in an institution of a State responsible for the"
            " act, the tenure proved by a primary source graded A–C. A senior-tier post, dates that only possibly"
            " cover the decision, or weaker evidence make it partial; a post in another State does not count."
        ),
    ),
    "E3": LegalText(
        "E3",
        _l("Elements of Crimes, Art. 8 bis, Element 3"),
        _l(
            "The act of aggression was committed: the use of armed force by a State against the sovereignty,"
            " territorial integrity or political independence of another State, or in any other manner inconsistent"
            " with the Charter of the United Nations."
        ),
        _l(
            "An aggression act linked to the official's decisions, reaching into the temporal scope, proved by"
            " evidence on the act graded A–C from a primary source; partial when it is not, a gap when no act is"
            " linked."
        ),
    ),
    "E4": LegalText(
        "E4",
        _l("Elements of Crimes, Art. 8 bis, Element 4"),
        _l(
            "The person was aware of the factual circumstances that established that such a use of armed force was"
            " inconsistent with the Charter of the United Nations. No legal evaluation by the person need be proved."
        ),
        _l(
            "Not proved directly: inferred from conduct and position when E1, E2 and E3 are met and the role is a"
            " knowing one (proposed, authored, signed, voted for, ordered, commanded, negotiated, publicly endorsed,"
            " attended); otherwise open."
        ),
    ),
    "E5": LegalText(
        "E5",
        _l("Elements of Crimes, Art. 8 bis, Element 5"),
        _l(
            "The act of aggression, by its character, gravity and scale, constituted a manifest violation of the"
            " Charter of the United Nations. “Manifest” is an objective qualification."
        ),
        _l(
            "The linked act's character, gravity and scale, each recorded as an assessment with its own evidence:"
            " met when all three are proved by a primary source graded A–C, partial when some are recorded, a gap"
            " when none is. Evidence on the act itself counts for E3, not here."
        ),
    ),
    "E6": LegalText(
        "E6",
        _l("Elements of Crimes, Art. 8 bis, Element 6"),
        _l(
            "The person was aware of the factual circumstances that established such a manifest violation of the"
            " Charter of the United Nations. No legal evaluation of its manifest nature need be proved."
        ),
        _l(
            "Not proved directly: inferred when awareness of the facts (E4) is inferred and the manifest violation"
            " (E5) is met; otherwise open."
        ),
    ),
}

LEADERSHIP_CLAUSE = LegalText(
    "leadership",
    _l("Rome Statute, Art. 8 bis(1) and Art. 25(3 bis)"),
    _l(
        "The crime of aggression is a leadership crime: it is committed only by a person in a position effectively"
        " to exercise control over or to direct the political or military action of a State, and every mode of"
        " liability applies only to such a person."
    ),
    _l(
        "Checked as E2: a leadership-tier post in an institution of a State responsible for the act, at the date"
        " of the decision. Every mode of liability requires it."
    ),
)

# --- the modes of liability (Rome Statute Art. 25(3)) ----------------------------------------

_COMMITS = _l(
    "A person commits the crime, whether as an individual, jointly with another or through another person,"
    " regardless of whether that other person is criminally responsible."
)
_ORDERS = _l("A person orders, solicits or induces the commission of the crime, which in fact occurs or is attempted.")

MODE_TEXTS: dict[str, LegalText] = {
    "co_perpetration": LegalText(
        "co_perpetration",
        _l("Rome Statute, Art. 25(3)(a)"),
        _COMMITS,
        _l(
            "Suggested by the roles signed, voted for and authored. The mode is met when each of its elements below"
            " is met (its mental element inferred)."
        ),
    ),
    "indirect_perpetration": LegalText(
        "indirect_perpetration",
        _l("Rome Statute, Art. 25(3)(a)"),
        _COMMITS,
        _l(
            "Suggested by the roles ordered and commanded. The mode is met when each of its elements below is met"
            " (its mental element inferred)."
        ),
    ),
    "ordering": LegalText(
        "ordering",
        _l("Rome Statute, Art. 25(3)(b)"),
        _ORDERS,
        _l(
            "Suggested by the roles ordered and commanded. The mode is met when each of its elements below is met"
            " (its mental element inferred)."
        ),
    ),
    "inducing": LegalText(
        "inducing",
        _l("Rome Statute, Art. 25(3)(b)"),
        _ORDERS,
        _l(
            "Suggested by the roles proposed and publicly endorsed. The mode is met when each of its elements below"
            " is met (its mental element inferred)."
        ),
    ),
    "aiding": LegalText(
        "aiding",
        _l("Rome Statute, Art. 25(3)(c)"),
        _l(
            "For the purpose of facilitating the commission of the crime, a person aids, abets or otherwise assists"
            " in its commission or its attempted commission, including providing the means for its commission."
        ),
        _l(
            "Suggested by the roles supplied means, allowed the use of its territory, negotiated and implemented."
            " The mode is met when each of its elements below is met (its mental element inferred)."
        ),
    ),
    "common_purpose": LegalText(
        "common_purpose",
        _l("Rome Statute, Art. 25(3)(d)"),
        _l(
            "A person in any other way contributes to the commission or attempted commission of the crime by a group"
            " of persons acting with a common purpose."
        ),
        _l(
            "Suggested by the role attended. The mode is met when each of its elements below is met (its mental"
            " element inferred)."
        ),
    ),
}

_CONDUCT_CHECK = _l(
    "An involvement in one of the mode's roles, in a decision linked to an aggression act within the temporal"
    " scope, proved by evidence on the involvement itself graded A–C from a primary source; weaker or secondary"
    " sources make it partial; a gap when there is none."
)
_INFERRED_CHECK = _l(
    "Not proved directly: inferred exactly when awareness of the facts (E4) is inferred, once the mode's conduct is"
    " recorded; otherwise open."
)
_PLAN_CHECK = _l(
    "The decision in which the person took part, taken in an institution, proved by evidence on the decision"
    " itself graded A–C from a primary source; weaker or secondary sources make it partial."
)

MODE_ELEMENT_TEXTS: dict[str, LegalText] = {
    "act": LegalText(
        "act",
        _l("Elements of Crimes, Art. 8 bis, Element 3; Rome Statute, Art. 25(3)(b)–(d)"),
        _l(
            "The act of aggression was committed. Ordering, soliciting or inducing require a crime which in fact"
            " occurs or is attempted; aiding and contributing, its commission or attempted commission."
        ),
        _l(
            "An aggression act that a decision of the mode's involvements served, within the temporal scope, proved"
            " by evidence on the act graded A–C from a primary source; partial when it is not."
        ),
    ),
    "co_perpetration.conduct": LegalText(
        "co_perpetration.conduct",
        _l("Rome Statute, Art. 25(3)(a); ICC case law on co-perpetration"),
        _l(
            "The person committed the crime jointly with others, making an essential contribution to it, without"
            " which it would not have been committed as it was."
        ),
        _CONDUCT_CHECK,
    ),
    "co_perpetration.plan": LegalText(
        "co_perpetration.plan",
        _l("Rome Statute, Art. 25(3)(a); ICC case law on co-perpetration"),
        _l("An agreement or common plan between two or more persons that, carried out, results in the crime."),
        _PLAN_CHECK,
    ),
    "co_perpetration.intent": LegalText(
        "co_perpetration.intent",
        _l("Rome Statute, Art. 30; ICC case law on co-perpetration"),
        _l(
            "The person meant to engage in the conduct and meant the act to follow, or was aware that it would occur"
            " in the ordinary course of events; and was aware of the circumstances enabling the joint control of"
            " the crime."
        ),
        _INFERRED_CHECK,
    ),
    "indirect_perpetration.conduct": LegalText(
        "indirect_perpetration.conduct",
        _l("Rome Statute, Art. 25(3)(a)"),
        _l(
            "The person committed the crime through another person, regardless of whether that other person is"
            " criminally responsible."
        ),
        _CONDUCT_CHECK,
    ),
    "indirect_perpetration.control": LegalText(
        "indirect_perpetration.control",
        _l("Rome Statute, Art. 25(3)(a); ICC case law on indirect perpetration"),
        _l(
            "The person controlled the will of those who carried out the act, typically through an organised and"
            " hierarchical apparatus of power whose members comply with the person's orders."
        ),
        _l(
            "A leadership-tier post in the institution that took the decision, covering its date, proved by a"
            " primary source graded A–C. A senior-tier post, dates that only possibly cover it, weaker evidence, or"
            " posts only elsewhere in the State make it partial."
        ),
    ),
    "indirect_perpetration.intent": LegalText(
        "indirect_perpetration.intent",
        _l("Rome Statute, Art. 30; ICC case law on indirect perpetration"),
        _l(
            "The person meant the act to follow, or was aware that it would occur in the ordinary course of events;"
            " and was aware of the control exercised over the organisation."
        ),
        _INFERRED_CHECK,
    ),
    "ordering.conduct": LegalText(
        "ordering.conduct",
        _l("Rome Statute, Art. 25(3)(b)"),
        _l(
            "The person, in a position of authority, ordered the commission of the crime: instructed another person"
            " to commit it, with a direct effect on its commission."
        ),
        _CONDUCT_CHECK,
    ),
    "ordering.intent": LegalText(
        "ordering.intent",
        _l("Rome Statute, Art. 30"),
        _l(
            "The person meant the crime to be committed in carrying out the order, or was aware that it would be in"
            " the ordinary course of events."
        ),
        _INFERRED_CHECK,
    ),
    "inducing.conduct": LegalText(
        "inducing.conduct",
        _l("Rome Statute, Art. 25(3)(b)"),
        _l(
            "The person solicited or induced the commission of the crime: urged or prompted others to commit it,"
            " with a direct effect on its commission."
        ),
        _CONDUCT_CHECK,
    ),
    "inducing.intent": LegalText(
        "inducing.intent",
        _l("Rome Statute, Art. 30"),
        _l(
            "The person meant to prompt the commission of the crime, or was aware that it would be committed in the"
            " ordinary course of events."
        ),
        _INFERRED_CHECK,
    ),
    "aiding.conduct": LegalText(
        "aiding.conduct",
        _l("Rome Statute, Art. 25(3)(c)"),
        _l(
            "The person aided, abetted or otherwise assisted in the commission or attempted commission of the crime,"
            " including by providing the means for its commission."
        ),
        _CONDUCT_CHECK,
    ),
    "aiding.intent": LegalText(
        "aiding.intent",
        _l("Rome Statute, Art. 25(3)(c)"),
        _l("The assistance was given for the purpose of facilitating the commission of the crime."),
        _l(
            "Not proved directly: inferred only as awareness of the facts (E4) is; purpose is more than knowledge,"
            " and a role that only assists (supplied means, allowed the use of its territory, implemented) does not"
            " show it on its own."
        ),
    ),
    "common_purpose.plan": LegalText(
        "common_purpose.plan",
        _l("Rome Statute, Art. 25(3)(d)"),
        _l("A group of persons acting with a common purpose committed or attempted the crime."),
        _PLAN_CHECK,
    ),
    "common_purpose.conduct": LegalText(
        "common_purpose.conduct",
        _l("Rome Statute, Art. 25(3)(d)"),
        _l(
            "The person contributed in any other way to the commission or attempted commission of the crime by the"
            " group."
        ),
        _CONDUCT_CHECK,
    ),
    "common_purpose.intent": LegalText(
        "common_purpose.intent",
        _l("Rome Statute, Art. 25(3)(d)(i)–(ii)"),
        _l(
            "The contribution was intentional, and made either with the aim of furthering the criminal activity or"
            " purpose of the group, or in the knowledge of the intention of the group to commit the crime."
        ),
        _INFERRED_CHECK,
    ),
}


def mode_element_key(mode: str, element: str) -> str:
    return f"{mode}.{element}"


def _mode_elements() -> dict[str, LegalText]:
    """The law of each element of each mode, under "<mode>.<element>": the leadership clause
    for every mode's leadership element, the act committed for every mode's act element."""
    shared = {LEADERSHIP: LEADERSHIP_CLAUSE, ACT: MODE_ELEMENT_TEXTS["act"]}
    texts = {}
    for mode in MODES:
        for element in mode.elements:
            key = mode_element_key(mode.code, element)
            texts[key] = replace(shared.get(element) or MODE_ELEMENT_TEXTS[key], key=key)
    return texts


LEGAL_TEXTS: dict[str, LegalText] = {
    **ELEMENT_TEXTS,
    LEADERSHIP_CLAUSE.key: LEADERSHIP_CLAUSE,
    **MODE_TEXTS,
    **_mode_elements(),
}


def legal_text(key: str) -> LegalText:
    """The law and the check for an element code, "leadership", a mode of liability or one of a
    mode's elements (KeyError for anything else)."""
    return LEGAL_TEXTS[key]


def texts_in_languages(keys: Iterable[str] | None = None) -> dict[str, dict[str, dict[str, str]]]:
    """``keys``' texts in every interface language, for JSON (the API, which speaks English,
    and the bag's dossier.json): {key: {"en": {"source", "text", "checks"}, "uk": {...}}}.
    Made once per answer: switching the language is not free."""
    texts: dict[str, dict[str, dict[str, str]]] = {key: {} for key in (LEGAL_TEXTS if keys is None else keys)}
    for locale in LOCALES:
        with force_locale(locale):
            for key in texts:
                texts[key][locale] = LEGAL_TEXTS[key].as_dict()
    return texts
