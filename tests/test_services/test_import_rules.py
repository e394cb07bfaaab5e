"""Issue 19 item 7: import rules outside the browser, as a YAML or JSON document through the
service and the command line (``flask import rules list|export|load``), validated with errors
that name the rule and the field; loading writes nothing when anything is wrong."""

from __future__ import annotations

import json

import pytest
import yaml
from sqlalchemy import func, select

from models import Decision, ImportRule
from seeds.demo import load_demo
from services.imports.rules import RulesError, export_rules, load_rules, parse_document


@pytest.fixture
def demo(session):
    load_demo(session)
    session.flush()


def rules_count(session) -> int:
    return session.scalar(select(func.count(ImportRule.id)))


def keys(session) -> list[tuple]:
    rows = session.execute(
        select(
            ImportRule.kind,
            ImportRule.pattern,
            ImportRule.decision_id,
            ImportRule.role,
            ImportRule.position_id,
            ImportRule.active,
            ImportRule.note,
        ).order_by(ImportRule.id)  # fmt: skip
    )
    return [tuple(row) for row in rows]


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_the_demo_rules_come_back_from_their_document_unchanged(session, demo, fmt):
    before = keys(session)
    assert before
    text = export_rules(session, fmt)
    document = json.loads(text) if fmt == "json" else yaml.safe_load(text)
    assert document["version"] == 1 and len(document["rules"]) == len(before)
    involvement = next(r for r in document["rules"] if r["kind"] == "involvement")
    assert set(involvement["decision"]) == {"title", "date"} and involvement["role"]
    position = next(r for r in document["rules"] if r["kind"] == "position")
    assert set(position["position"]) == {"title", "institution", "state"}
    result = load_rules(session, parse_document(text, fmt))
    assert (len(result.created), len(result.updated)) == (0, 0) and len(result.unchanged) == len(before)
    assert keys(session) == before


def test_a_document_creates_new_rules_and_updates_known_ones(session, demo):
    document = yaml.safe_load(export_rules(session))
    first = document["rules"][0]
    first["active"] = not first.get("active", True)
    first["note"] = "Checked against the Official Journal."
    decision = session.scalars(select(Decision).where(Decision.deleted_at.is_(None)).order_by(Decision.id)).first()
    document["rules"].append(
        {"kind": "involvement", "pattern": "signed the decree", "decision": {"title": decision.title}, "role": "signed"}
    )
    result = load_rules(session, document)
    assert [r.pattern for r in result.created] == ["signed the decree"]
    assert [r.note for r in result.updated] == ["Checked against the Official Journal."]
    assert result.created[0].decision_id == decision.id and result.created[0].active


def test_replace_deactivates_the_rules_the_document_does_not_name(session, demo):
    total = rules_count(session)
    document = yaml.safe_load(export_rules(session))
    document["rules"] = document["rules"][:1]
    result = load_rules(session, document, replace=True)
    assert len(result.deactivated) == total - 1 and rules_count(session) == total  # kept, inactive


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"kind": "vote", "pattern": "voted for"}, "rule 1 ('voted for'): kind must be one of involvement, position"),
        ({"kind": "position", "pattern": "ab", "position": {}}, "pattern must be a phrase of 4 to 2000 characters"),
        (
            {
                "kind": "involvement",
                "pattern": "voted for",
                "decision": {"title": "No such decision"},
                "role": "voted_for",
            },
            "rule 1 ('voted for'): there is no decision titled 'No such decision'",
        ),
        (
            {"kind": "involvement", "pattern": "voted for", "decision": {"title": "x"}, "role": "cheered"},
            "role must be one of proposed, authored",
        ),
        (
            {
                "kind": "position",
                "pattern": "Member of",
                "position": {"title": "Deputy", "institution": "Nowhere", "state": "RU"},
            },
            "there is no position 'Deputy' in 'Nowhere' (RU)",
        ),
        ({"kind": "position", "pattern": "Member of", "position": "Deputy"}, "position must be a mapping"),
        ({"kind": "position", "pattern": "Member of", "colour": "red"}, "unknown field(s) colour"),
        ({"kind": "position", "pattern": "Member of", "active": "yes", "position": {}}, "active must be true or false"),
        ("just text", "rule 1: must be a mapping"),
    ],
)
def test_every_error_names_the_rule_and_nothing_is_written(session, demo, rule, message):
    before = keys(session)
    good = yaml.safe_load(export_rules(session))["rules"][0]
    with pytest.raises(RulesError) as raised:
        load_rules(session, {"version": 1, "rules": [rule, {**good, "note": "changed"}]})
    assert any(message in error for error in raised.value.errors), raised.value.errors
    assert keys(session) == before


@pytest.mark.parametrize(
    ("text", "fmt", "message"),
    [
        ("rules: [", "yaml", "the document is not valid yaml at line"),
        ("{", "json", "the document is not valid json"),
        ("rules: 3", None, "a list under 'rules'"),
        ("version: 7\nrules: []", None, "version 7 of the rules document is not known"),
    ],
)
def test_a_document_that_is_not_one_is_refused_clearly(session, text, fmt, message):
    with pytest.raises(RulesError) as raised:
        load_rules(session, parse_document(text, fmt))
    assert message in raised.value.errors[0]


def test_the_same_rule_twice_is_refused(session, demo):
    rule = yaml.safe_load(export_rules(session))["rules"][0]
    with pytest.raises(RulesError, match="the same rule as rule 1"):
        load_rules(session, [rule, rule])


# --- the command line ------------------------------------------------------------------------------


def test_the_rules_go_out_and_back_in_through_the_command_line(runner, session, demo, tmp_path):
    path = tmp_path / "rules.yaml"
    result = runner.invoke(args=["import", "rules", "export", str(path)])
    assert result.exit_code == 0, result.output
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert len(document["rules"]) == rules_count(session)
    listed = runner.invoke(args=["import", "rules", "list"])
    assert listed.exit_code == 0 and len(listed.output.splitlines()) == rules_count(session)

    document["rules"][0]["note"] = "From the command line."
    as_json = tmp_path / "rules.json"
    as_json.write_text(json.dumps(document), encoding="utf-8")
    loaded = runner.invoke(args=["import", "rules", "load", str(as_json)])
    assert loaded.exit_code == 0, loaded.output
    assert "1 updated" in loaded.output and "0 created" in loaded.output
    assert session.scalar(select(func.count(ImportRule.id)).where(ImportRule.note == "From the command line.")) == 1

    document["rules"][0]["kind"] = "nonsense"
    as_json.write_text(json.dumps(document), encoding="utf-8")
    refused = runner.invoke(args=["import", "rules", "load", str(as_json)])
    assert refused.exit_code == 1
    assert "ERROR rule 1" in refused.output and "Nothing was loaded: 1 error(s)" in refused.output


def test_the_import_command_still_takes_a_format_and_a_file(runner, session, tmp_path):
    path = tmp_path / "eu.csv"
    path.write_bytes(b"celex,recordId,schema,name\r\n32014R0269,1,Company,Uralvagonzavod\r\n")
    result = runner.invoke(args=["import", "eu-csv", str(path), "--dry-run", "--strict"])
    assert result.exit_code == 0, result.output
    assert "Skipped by design: 1 Company: not a person" in result.output
    assert "Dry run, nothing written: 0 new" in result.output


@pytest.mark.parametrize(
    ("kind", "given", "fields"),
    [
        ("involvement", {"decision_id": True, "role": True, "position_id": False}, []),
        (
            "involvement",
            {"decision_id": False, "role": False, "position_id": True},
            ["decision_id", "role", "position_id"],
        ),
        ("involvement", {"decision_id": True, "role": False, "position_id": False}, ["role"]),
        ("position", {"decision_id": False, "role": False, "position_id": True}, []),
        ("position", {"decision_id": True, "role": True, "position_id": False}, ["position_id", "decision_id", "role"]),
        ("position", {"decision_id": False, "role": True, "position_id": True}, ["role"]),
        (None, {"decision_id": True, "role": True, "position_id": True}, []),  # no kind: the kind's own error
    ],
)
def test_a_rules_target_must_match_its_kind_one_rule_for_page_and_api(kind, given, fields):
    from services.imports.rules import target_faults

    faults = target_faults(kind, given)
    assert [f.field for f in faults] == fields
    assert all(f.message and f.detail for f in faults)
