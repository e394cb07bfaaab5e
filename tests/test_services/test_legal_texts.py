"""The law each element and the leadership clause state, and what the system checks for them
(services/assessment/law.py): one entry per element, in English and Ukrainian, and the checks
saying what services/assessment/elements.py does."""

from __future__ import annotations

import re

from flask_babel import force_locale

from models.enums import InvolvementRole
from services.assessment.elements import KNOWING_ROLES
from services.assessment.law import LEGAL_TEXTS, legal_text, texts_in_languages
from services.assessment.modes import MODE_CODES, MODES
from services.dossiers.pages import ELEMENT_CODES

CYRILLIC = re.compile(r"[А-ЯІЇЄҐа-яіїєґ]")


def test_every_element_and_the_leadership_clause_has_its_law_and_its_check():
    mode_elements = {f"{m.code}.{element}" for m in MODES for element in m.elements}
    assert set(LEGAL_TEXTS) == {*ELEMENT_CODES, "leadership", *MODE_CODES, *mode_elements}
    for key, text in LEGAL_TEXTS.items():
        assert text.key == key
        assert str(text.law) and str(text.checks) and str(text.source)
    for number, code in enumerate(ELEMENT_CODES, start=1):
        assert str(legal_text(code).source) == f"Elements of Crimes, Art. 8 bis, Element {number}"
    assert "Art. 25(3 bis)" in str(legal_text("leadership").source)


def test_the_law_follows_the_elements_of_crimes():
    """Key words of each Element (Art. 8 bis), so a rewording cannot drift from the law."""
    words = {
        "E1": ("planned, prepared, initiated or executed", "act of aggression"),
        "E2": ("effectively to exercise control over or to direct", "the State which committed the act"),
        "E3": ("use of armed force by a State", "sovereignty, territorial integrity or political independence"),
        "E4": ("aware of the factual circumstances", "inconsistent with the Charter"),
        "E5": ("character, gravity and scale", "manifest violation of the Charter"),
        "E6": ("aware of the factual circumstances", "manifest violation of the Charter"),
        "leadership": ("effectively to exercise control over or to direct", "mode of liability"),
    }
    for key, phrases in words.items():
        for phrase in phrases:
            assert phrase in str(legal_text(key).law), (key, phrase)


def test_the_checks_name_the_rules_the_assessment_applies():
    assert "A–C" in str(legal_text("E1").checks) and "primary source" in str(legal_text("E1").checks)
    assert "State responsible for the act" in str(legal_text("E2").checks)
    e4 = str(legal_text("E4").checks)
    for role in KNOWING_ROLES:
        assert InvolvementRole(role).label in e4, role
    assert InvolvementRole("implemented").label not in e4
    assert all(word in str(legal_text("E5").checks) for word in ("character", "gravity", "scale"))
    assert "E4" in str(legal_text("E6").checks) and "E5" in str(legal_text("E6").checks)


def test_every_text_is_translated_into_ukrainian(app):
    with app.test_request_context():
        english = {key: t.as_dict() for key, t in LEGAL_TEXTS.items()}
        with force_locale("uk"):
            ukrainian = {key: t.as_dict() for key, t in LEGAL_TEXTS.items()}
        for key in LEGAL_TEXTS:
            for part in ("source", "text", "checks"):
                assert ukrainian[key][part] != english[key][part], (key, part)
                assert CYRILLIC.search(ukrainian[key][part]), (key, part)
        both = texts_in_languages()
        assert {key: both[key]["en"] for key in both} == english
        assert {key: both[key]["uk"] for key in both} == ukrainian
        assert str(legal_text("E1").law) == english["E1"]["text"]  # the request's language is left as it was


# --- the modes of liability (issue 20, item 5) -----------------------------------------------


def test_each_mode_says_its_article_and_names_the_roles_that_suggest_it():
    articles = {m.code: m.article for m in MODES}
    for mode in MODES:
        text = legal_text(mode.code)
        assert str(text.source) == f"Rome Statute, {articles[mode.code]}"
        for role in mode.roles:
            assert InvolvementRole(role).label in str(text.checks), (mode.code, role)


def test_the_modes_follow_the_statute():
    """Key words of Art. 25(3)(a)-(d) and Art. 30, so a rewording cannot drift from the law."""
    words = {
        "co_perpetration": ("jointly with another or through another person",),
        "ordering": ("orders, solicits or induces", "in fact occurs or is attempted"),
        "aiding": ("For the purpose of facilitating", "aids, abets or otherwise assists", "providing the means"),
        "common_purpose": ("group of persons acting with a common purpose",),
        "common_purpose.intent": ("with the aim of furthering", "in the knowledge of the intention of the group"),
        "co_perpetration.plan": ("common plan",),
        "co_perpetration.conduct": ("essential contribution",),
        "indirect_perpetration.control": ("organised and hierarchical apparatus of power",),
        "ordering.intent": ("ordinary course of events",),
        "aiding.intent": ("for the purpose of facilitating",),
    }
    for key, phrases in words.items():
        for phrase in phrases:
            assert phrase in str(legal_text(key).law), (key, phrase)


def test_every_mode_shares_the_leadership_clause_and_the_act_committed():
    for mode in MODES:
        leadership = legal_text(f"{mode.code}.leadership")
        assert (leadership.law, leadership.checks) == (legal_text("leadership").law, legal_text("leadership").checks)
        assert leadership.key == f"{mode.code}.leadership"
        assert "act of aggression was committed" in str(legal_text(f"{mode.code}.act").law)
        assert "E4" in str(legal_text(f"{mode.code}.intent").checks)
    aiding = str(legal_text("aiding.intent").checks)
    assert all(InvolvementRole(role).label in aiding for role in ("supplied", "allowed", "implemented"))
    assert "institution that took the decision" in str(legal_text("indirect_perpetration.control").checks)
