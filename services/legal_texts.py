"""What the law says, and what the system checks, for each thing a dossier is assessed on.

Each entry pairs a short paraphrase of the law (the ICC Elements of Crimes for the crime of
aggression, Art. 8 bis, Elements 1-6; the leadership clause of Rome Statute Art. 25(3 bis))
with the sentence saying what services/assessment.py checks for it. The page, the PDF case
file, the bag's dossier.json and the API all read them here, by key, so they say the same.

Keys: the element codes "E1" ... "E6" and "leadership". The modes of liability (Art. 25(3),
services/assessment_modes.py) add theirs by the same pattern, keyed by mode code.

The wording stays close to the Elements of Crimes: "the person" stands for "the perpetrator",
and the notes added to Elements 2, 4 and 5 come from the Elements themselves (footnote to
Element 2; Introduction, paragraphs 2-4). Nothing here is law the Elements do not state.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from models.enums import LOCALES


@dataclass(frozen=True)
class LegalText:
    key: str
    source: LazyString  # where the law says it, e.g. "Elements of Crimes, Art. 8 bis, Element 1"
    law: LazyString  # what the law requires, short
    checks: LazyString  # what the system checks for it, as services/assessment.py does

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

LEGAL_TEXTS: dict[str, LegalText] = {**ELEMENT_TEXTS, LEADERSHIP_CLAUSE.key: LEADERSHIP_CLAUSE}


def legal_text(key: str) -> LegalText:
    """The law and the check for an element code or "leadership" (KeyError for anything else)."""
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
