"""The import pipeline on the real sanctions files: officials per State, the rule links,
idempotence, atomicity and the run's record."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models import (
    Decision,
    Evidence,
    ExternalIdentifier,
    ImportRun,
    Involvement,
    Official,
    State,
    Support,
    Tenure,
)
from services.imports.runs import run_import
from tests.conftest import EU_EXCERPT, real_data_file

EU_FILE = "eu_oj_32014R0269_russia_ukraine.csv"
OFAC_FILE = "us_ofac_sdn_2024-05-03.csv"
real = real_data_file  # the whole real files, beside the checkout


def officials_per_state(session) -> dict[str, int]:
    rows = session.execute(
        select(State.code, func.count(Official.id)).join(Official, Official.state_id == State.id).group_by(State.code)
    )
    return dict(rows.tuples().all())


def linked(session, decision_title: str, role: str = "voted_for") -> int:
    decision = session.scalars(select(Decision).where(Decision.title == decision_title)).one()
    return session.scalar(
        select(func.count(func.distinct(Involvement.official_id)))
        .join(Support, Support.involvement_id == Involvement.id)
        .join(Evidence, Evidence.id == Support.evidence_id)
        .where(Involvement.decision_id == decision.id, Involvement.role == role, Evidence.kind == "sanctions_listing")
    )


def import_file(session, fmt: str, path: Path, **kw):
    with path.open("rb") as stream:
        return run_import(session, fmt, stream, user=None, file_name=path.name, **kw)


@pytest.mark.slow
def test_the_eu_file_links_the_duma_and_federation_council_votes(session, demo):
    before = officials_per_state(session)
    report = import_file(session, "eu-csv", real(EU_FILE))
    assert report.status == "applied", report.message
    assert report.counts["skipped"] >= 818  # companies and legal entities
    assert report.counts["rejected"] == 0
    after = officials_per_state(session)
    assert after["RU"] - before.get("RU", 0) > 1000
    assert after["BY"] - before.get("BY", 0) >= 50
    assert linked(session, "State Duma appeal to the President to recognise the 'DPR' and 'LPR'") >= 330
    assert linked(session, "Federation Council ratification of the treaties with the 'DPR' and 'LPR'") >= 140
    run = session.get(ImportRun, report.run_id)
    assert run.status == "applied" and run.sha256 and run.counts["new"] == report.counts["new"]

    # the same file again adds nothing
    counts = (
        session.scalar(select(func.count(Official.id))),
        session.scalar(select(func.count(Tenure.id))),
        session.scalar(select(func.count(Involvement.id))),
        session.scalar(select(func.count(Evidence.id))),
        session.scalar(select(func.count(Support.id))),
    )
    again = import_file(session, "eu-csv", real(EU_FILE))
    assert again.counts["new"] == 0 and again.counts["updated"] == 0
    assert counts == (
        session.scalar(select(func.count(Official.id))),
        session.scalar(select(func.count(Tenure.id))),
        session.scalar(select(func.count(Involvement.id))),
        session.scalar(select(func.count(Evidence.id))),
        session.scalar(select(func.count(Support.id))),
    )


def test_a_malformed_row_refuses_the_whole_import(session, demo):
    data = EU_EXCERPT.read_bytes()
    lines = data.split(b"\r\n")
    header, first = lines[0], lines[1]
    bad = first.replace(b",Person,", b",Person,", 1)
    bad = bad.rsplit(b",", 3)[0]  # a row cut short: the wrong number of cells
    text = b"\r\n".join([header, first, bad, *lines[2:]])
    before = session.scalar(select(func.count(Official.id)))
    report = run_import(session, "eu-csv", io.BytesIO(text), user=None, file_name="broken.csv")
    assert report.status == "refused"
    assert "line 3" in report.message
    assert session.scalar(select(func.count(Official.id))) == before
    lenient = run_import(session, "eu-csv", io.BytesIO(text), user=None, file_name="broken.csv", lenient=True)
    assert lenient.status == "applied" and lenient.counts["rejected"] == 1
    assert [r.line for r in lenient.rows if r.outcome == "rejected"] == [3]


def test_a_dry_run_writes_nothing_but_its_record(session, demo):
    before = session.scalar(select(func.count(Official.id)))
    report = run_import(session, "eu-csv", EU_EXCERPT.open("rb"), user=None, file_name="eu.csv", dry_run=True)
    assert report.status == "dry_run" and report.counts["new"] > 5
    assert session.scalar(select(func.count(Official.id))) == before
    assert session.get(ImportRun, report.run_id).dry_run


@pytest.mark.slow
def test_the_ofac_file_imports_officials_of_the_three_states(session):
    report = import_file(session, "ofac-csv", real(OFAC_FILE))
    assert report.status == "applied", report.message
    per_state = officials_per_state(session)
    assert per_state["RU"] > 1500 and per_state["BY"] > 100 and per_state["KP"] > 150
    assert (
        session.scalar(select(func.count(ExternalIdentifier.id)).where(ExternalIdentifier.scheme == "ofac_sdn")) > 2000
    )


def test_a_file_in_the_wrong_format_is_refused_with_a_message(session):
    report = run_import(session, "eu-csv", io.BytesIO(b"\x00\x01 not a csv"), user=None, file_name="x.csv")
    assert report.status == "refused" and report.message
    report = run_import(session, "ofac-csv", io.BytesIO(b'{"id": "x", "schema": "Person"}\n'), user=None, file_name="x")
    assert report.status == "refused" and report.message


def test_importing_our_own_ftm_export_finds_the_same_officials(session, demo):
    """An FtM export read back into the instance that made it recognises every official
    (by its id in the export and its names) and adds nothing."""
    from services.exports.data import gather
    from services.exports.ftm import ftm_lines

    ids = list(session.scalars(select(Official.id).order_by(Official.id).limit(5)))
    bundle = gather(session, ids, visible=("public", "restricted", "confidential", "strictly_confidential"),
                    scope_start=__import__("datetime").date(2014, 2, 20))  # fmt: skip
    data = "".join(line + "\n" for line in ftm_lines(bundle)).encode("utf-8")
    before = (session.scalar(select(func.count(Official.id))), session.scalar(select(func.count(Tenure.id))))
    report = run_import(session, "ftm", io.BytesIO(data), user=None, file_name="export.ftm.jsonl")
    assert report.status == "applied", report.message
    assert report.counts["new"] == 0 and report.counts["queued"] == 0
    assert report.counts["unchanged"] + report.counts["updated"] == len(ids)
    assert (session.scalar(select(func.count(Official.id))), session.scalar(select(func.count(Tenure.id)))) == before


def test_the_import_command_reports_and_exits_1_when_refused(runner, session, tmp_path):
    good = tmp_path / "eu.csv"
    good.write_bytes(EU_EXCERPT.read_bytes())
    result = runner.invoke(args=["import", "eu-csv", str(good), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Dry run, nothing written:" in result.output and " new" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"celex,recordId,schema,name\r\n1,2,Person\r\n")
    result = runner.invoke(args=["import", "eu-csv", str(bad)])
    assert result.exit_code == 1
    assert "Refused, nothing written" in result.output


def test_the_listing_grade_comes_from_the_configuration(runner, session, app, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "IMPORT_LISTING_GRADE", "A1")
    path = tmp_path / "eu.csv"
    path.write_bytes(EU_EXCERPT.read_bytes())
    assert runner.invoke(args=["import", "eu-csv", str(path)]).exit_code == 0
    grades = set(
        session.execute(
            select(Evidence.reliability, Evidence.credibility).where(Evidence.kind == "sanctions_listing")
        ).tuples()
    )
    assert grades == {("A", "1")}


def test_a_bad_listing_grade_is_refused_at_start(monkeypatch):
    from config import ConfigError, DevelopmentConfig

    monkeypatch.setenv("IMPORT_LISTING_GRADE", "Z9")
    with pytest.raises(ConfigError, match="IMPORT_LISTING_GRADE"):
        DevelopmentConfig()
