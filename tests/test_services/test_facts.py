"""The rules for writing institutions, positions, acts and tenures (services/facts/), each
tested once here; the views' tests check that each side shows a refusal its own way."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models import ActAssessment, AggressionAct, Institution, PartialDate, Position, Tenure
from services.common.text_rules import text_fault
from services.facts.acts import ActInput, save_act, save_assessment
from services.facts.errors import Duplicate, Invalid
from services.facts.institutions import InstitutionInput, inside, save_institution
from services.facts.periods import check_period
from services.facts.positions import PositionInput, save_position
from services.facts.tenures import InUse, TenureInput, delete_tenure, save_tenure
from tests.races import saved_meanwhile


def day(text: str) -> PartialDate:
    return PartialDate.parse(text)


# --- text ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "least", "fault"),
    [
        ("Ministry", 1, None),
        ("Line one\nline two\ttabbed\r", 0, None),
        ("", 0, None),
        ("bell\x07", 0, "control"),
        ("next line\x85", 0, "control"),
        ("lone \ud800", 0, "surrogates"),
        ("  ", 1, "blank"),
        (" a ", 2, "short"),
    ],
)
def test_text_fault_says_why_text_is_refused(text, least, fault):
    assert text_fault(text, least) == fault


# --- institutions --------------------------------------------------------------------------


def test_inside_is_the_institution_and_everything_under_it():
    parents = {1: None, 2: 1, 3: 2, 4: 1, 5: None, 6: 5}
    assert inside(1, parents) == {1, 2, 3, 4}
    assert inside(2, parents) == {2, 3}
    assert inside(6, parents) == {6}
    assert inside(7, {7: 8, 8: 7}) == {7, 8}  # a cycle already stored does not loop forever


def institution_input(state, **overrides):
    values = {"state_id": state.id, "name": "Ministry", "native_name": None, "kind": "ministry", "parent_id": None}
    return InstitutionInput(**{**values, **overrides})


def test_an_institution_cannot_sit_inside_itself(make, session):
    ministry = make.institution()
    staff = make.institution(state=ministry.state, parent=ministry)
    unit = make.institution(state=ministry.state, parent=staff)
    for parent in (ministry, staff, unit):
        with pytest.raises(Invalid) as refused:
            save_institution(ministry, institution_input(ministry.state, name=ministry.name, parent_id=parent.id))
        assert refused.value.field == "parent_id"
        assert refused.value.detail == "An institution cannot be part of itself or of one under it."
    other = make.institution(state=ministry.state)
    assert save_institution(unit, institution_input(unit.state, name=unit.name, parent_id=other.id)) is unit
    assert unit.parent_id == other.id


def test_an_institution_refuses_a_missing_parent_and_a_name_taken_in_its_state(make, session):
    ministry = make.institution(name="Ministry of Defence")
    with pytest.raises(Invalid) as refused:
        save_institution(None, institution_input(ministry.state, parent_id=999_999))
    assert (refused.value.field, refused.value.detail) == ("parent_id", "There is no record 999999.")
    with pytest.raises(Duplicate) as duplicate:
        save_institution(None, institution_input(ministry.state, name="Ministry of Defence"))
    code = ministry.state.code
    assert duplicate.value.twin is ministry and duplicate.value.field == "name"
    assert duplicate.value.detail == f"Ministry of Defence ({code}) is already recorded as institution #{ministry.id}."
    assert duplicate.value.message == duplicate.value.detail  # no translation outside a page in Ukrainian
    elsewhere = save_institution(None, institution_input(make.state(), name="Ministry of Defence"))
    assert elsewhere.id is not None


def test_an_institution_saved_meanwhile_is_a_duplicate_and_undoes_only_the_savepoint(make, session):
    state = make.state()
    kept = make.institution(state=state, name="Kept")
    twin = {"state_id": state.id, "name": "Twin", "kind": "ministry"}
    with saved_meanwhile(Institution, twin) as raced, pytest.raises(Duplicate) as duplicate:
        save_institution(None, institution_input(state, name="Twin"))
    assert raced and duplicate.value.twin is None and duplicate.value.field == "name"
    assert duplicate.value.detail == f"An institution of {state.code} named Twin is already recorded."
    # the session goes on: what was flushed before the savepoint is still there
    assert session.scalar(select(func.count()).select_from(Institution).where(Institution.state_id == state.id)) == 1
    assert session.get(Institution, kept.id) is kept


# --- positions -----------------------------------------------------------------------------


def position_input(institution_id, **overrides):
    values = {"institution_id": institution_id, "title": "Minister", "tier": "leadership", "troika": None}
    return PositionInput(**{**values, **overrides})


def test_a_position_needs_an_institution_and_a_title_new_in_it(make, session):
    minister = make.position(title="Minister")
    with pytest.raises(Invalid) as refused:
        save_position(None, position_input(999_999))
    assert refused.value.field == "institution_id"
    with pytest.raises(Duplicate) as duplicate:
        save_position(None, position_input(minister.institution_id))
    assert duplicate.value.twin is minister and duplicate.value.field == "title"
    assert duplicate.value.message == (
        f"{minister.institution.name} already has the position Minister (#{minister.id})."
    )
    assert duplicate.value.detail == (
        f"Institution #{minister.institution_id} already has the position Minister (#{minister.id})."
    )
    assert save_position(minister, position_input(minister.institution_id, tier="senior")).tier == "senior"


def test_a_position_saved_meanwhile_is_a_duplicate(make, session):
    institution = make.institution()
    twin = {"institution_id": institution.id, "title": "Twin", "tier": "senior"}
    with saved_meanwhile(Position, twin) as raced, pytest.raises(Duplicate) as duplicate:
        save_position(None, position_input(institution.id, title="Twin"))
    assert raced and duplicate.value.twin is None
    assert duplicate.value.message == "This institution already has a position with this title."


# --- acts ----------------------------------------------------------------------------------


def act_input(states, **overrides):
    values = {
        "title": "Blockade",
        "categories": ["c"],
        "state_ids": [s.id for s in states],
        "start": day("2022-02-24"),
        "end": None,
        "description": None,
    }
    return ActInput(**{**values, **overrides})


def test_an_act_needs_a_new_title(make, session):
    state = make.state()
    invasion = make.act(title="Invasion")
    with pytest.raises(Duplicate) as duplicate:
        save_act(None, act_input([state], title="Invasion"))
    assert duplicate.value.twin is invasion
    assert duplicate.value.detail == f"The act Invasion is already recorded (#{invasion.id})."
    saved = save_act(invasion, act_input([state], title="Invasion", categories=["a", "b"]))
    assert saved.categories == ["a", "b"] and saved.states == [state]


def test_an_act_saved_meanwhile_is_a_duplicate(make, session):
    state = make.state()
    twin = {"title": "Twin", "start_date": dt.date(2022, 2, 24), "start_date_precision": "day"}
    with saved_meanwhile(AggressionAct, twin) as raced, pytest.raises(Duplicate) as duplicate:
        save_act(None, act_input([state], title="Twin"))
    assert raced and duplicate.value.twin is None
    assert duplicate.value.detail == "An act titled Twin is already recorded."


def test_an_acts_finding_is_one_per_aspect(make, session):
    act = make.act(title="Invasion")
    character = save_assessment(act, "character", "  Full-scale invasion of a UN member State.  ")
    assert (character.aspect, character.finding) == ("character", "Full-scale invasion of a UN member State.")
    with pytest.raises(Duplicate) as duplicate:
        save_assessment(act, "character", "Another finding")
    assert duplicate.value.twin is character and duplicate.value.field == "aspect"
    assert duplicate.value.detail == f"The character of this act is already recorded (#{character.id})."
    changed = save_assessment(act, "character", "Changed", character)
    assert changed is character and character.finding == "Changed"
    assert save_assessment(act, "gravity", "Thousands killed").aspect == "gravity"


def test_an_acts_finding_recorded_meanwhile_is_a_duplicate(make, session):
    act = make.act(title="Invasion")
    twin = {"act_id": act.id, "aspect": "scale", "finding": "Recorded by someone else", "version": 1}
    with saved_meanwhile(ActAssessment, twin) as raced, pytest.raises(Duplicate) as duplicate:
        save_assessment(act, "scale", "Mine")
    assert raced and duplicate.value.twin is None
    assert duplicate.value.detail == "The scale of this act is already recorded."


@pytest.mark.parametrize(
    ("start", "end", "refusal"),
    [
        ("2022-02-24", None, None),
        ("2022-02-24", "2022-02-24", None),
        ("2022-02", "2022-02", None),
        ("2022-02-24", "2022-02-23", "The end cannot come before the start."),
        ("2022-05", "2022", "Write the end at least as precisely as the start (e.g. 2020-05, not 2020)."),
    ],
)
def test_a_period_ends_no_earlier_than_it_starts(app, start, end, refusal):
    with app.app_context():
        if refusal is None:
            check_period(day(start), day(end) if end else None)
            return
        with pytest.raises(Invalid) as refused:
            check_period(day(start), day(end) if end else None)
    assert (refused.value.field, refused.value.detail) == ("end_date", refusal)


def test_an_act_keeps_the_period_rule(make, session):
    with pytest.raises(Invalid) as refused:
        save_act(None, act_input([make.state()], end=day("2022-02-01")))
    assert refused.value.field == "end_date"


# --- tenures -------------------------------------------------------------------------------


def tenure_input(official, position, **overrides):
    values = {
        "official_id": official.id,
        "position_id": position.id,
        "start": day("2012-11-06"),
        "end": None,
        "note": None,
    }
    return TenureInput(**{**values, **overrides})


def test_a_tenure_needs_a_live_official_a_position_and_a_period(make, session):
    official, position = make.official(), make.position()
    gone = make.official()
    gone.soft_delete("entered in error")
    with pytest.raises(Invalid) as refused:
        save_tenure(None, tenure_input(gone, position))
    assert refused.value.field == "official_id"
    with pytest.raises(Invalid) as refused:
        save_tenure(None, tenure_input(official, position, position_id=999_999))
    assert refused.value.field == "position_id"
    with pytest.raises(Invalid) as refused:
        save_tenure(None, tenure_input(official, position, end=day("2012-01-01")))
    assert refused.value.field == "end_date"
    saved = save_tenure(None, tenure_input(official, position, note="acting"))
    assert (saved.official_id, saved.note) == (official.id, "acting")


def test_a_tenure_is_one_per_official_position_and_start(make, session):
    tenure = make.tenure(start="2012-11-06")
    with pytest.raises(Duplicate) as duplicate:
        save_tenure(None, tenure_input(tenure.official, tenure.position))
    assert duplicate.value.twin is tenure and duplicate.value.field == "start_date"
    assert duplicate.value.message == f"{tenure.official.name} already has a tenure in this position from 2012-11-06."
    assert duplicate.value.detail == (
        f"The official already has a tenure in this position from 2012-11-06 (#{tenure.id})."
    )
    assert save_tenure(tenure, tenure_input(tenure.official, tenure.position, note="kept")) is tenure


def test_a_tenure_with_evidence_linked_cannot_be_removed(make, session):
    tenure = make.tenure()
    make.support(tenure=tenure, evidence=make.evidence())
    with pytest.raises(InUse):
        delete_tenure(tenure)
    free = make.tenure()
    delete_tenure(free)
    assert session.get(Tenure, free.id) is None


# --- one place for each rule ----------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
FACT_VIEWS = [
    "views/institutions.py",
    "views/acts.py",
    "views/officials.py",
    "views/api/institutions.py",
    "views/api/positions.py",
    "views/api/acts.py",
    "views/api/tenures.py",
]
# The columns that make each fact unique (a tenure's: with its official and position, which
# lists filter on too): a view comparing one of them is checking uniqueness
UNIQUE_KEYS = {("Institution", "name"), ("Position", "title"), ("AggressionAct", "title"), ("Tenure", "start_date")}
WRITES = {"add", "delete", "flush", "flush_or_conflict", "save", "begin_nested"}


def _compared_keys(tree: ast.AST) -> set[tuple[str, str]]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            for side in (node.left, *node.comparators):
                if isinstance(side, ast.Attribute) and isinstance(side.value, ast.Name):
                    found.add((side.value.id, side.attr))
    return found & UNIQUE_KEYS


def _called(tree: ast.AST) -> set[str]:
    calls = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            calls.add(func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", ""))
    return calls


@pytest.mark.parametrize("path", FACT_VIEWS)
def test_the_views_leave_uniqueness_to_the_services(path):
    """No HTML view or API resource of the four facts compares a unique key any more: the one
    check is the service's (services/facts/), and so is the catch of a duplicate saved
    meanwhile (no IntegrityError handled in a view)."""
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    assert _compared_keys(tree) == set()
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    if path != "views/acts.py":  # its act assessments (not one of the four) still save themselves
        assert "IntegrityError" not in names


@pytest.mark.parametrize("path", ["views/institutions.py", *FACT_VIEWS[3:]])
def test_the_views_of_the_four_facts_write_nothing_themselves(path):
    """Institutions, positions, acts and tenures are written by the services alone; these
    modules hold nothing else that writes (views/acts.py and views/officials.py also write
    assessments and officials, which are not moved here)."""
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    assert _called(tree) & WRITES == set()
