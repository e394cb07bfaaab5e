"""Issue 19: imports that never merge two people. The identity of a listing in its source,
the guard against contradicting rows, the State from the regime, no silent skips, native
names, tenures that say no more than the listing, and the run's times."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import pytest
from sqlalchemy import func, select

from models import (
    Evidence,
    ExternalIdentifier,
    ImportRecord,
    ImportRun,
    MatchReview,
    Official,
    OfficialName,
    Position,
    State,
    Support,
    Tenure,
)
from services.dossiers.facts import load_facts
from services.imports.runs import run_import

EU_COLUMNS = [
    "celex", "recordId", "programKey", "annex", "measure", "startDate", "reason", "schema", "name", "alias",
    "weakAlias", "previousName", "country", "nationality", "birthDate", "birthPlace", "position", "gender",
]  # fmt: skip


def eu_file(*rows: dict[str, str], celex: str = "32017R1509", program: str = "EU-PRK") -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, EU_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        defaults = {"celex": celex, "programKey": program, "measure": "Asset freeze", "schema": "Person"}
        writer.writerow({**defaults, **row})
    return out.getvalue().encode("utf-8")


def person(record_id: str, annex: str, name: str, **cells: str) -> dict[str, str]:
    return {"recordId": record_id, "annex": annex, "name": name, "startDate": "12.12.2022", **cells}


def imported(session, data: bytes, fmt: str = "eu-csv", **kw: Any):
    report = run_import(session, fmt, io.BytesIO(data), user=None, file_name="list.csv", **kw)
    assert report.status in ("applied", "refused"), report.message
    return report


def table_counts(session) -> tuple[int, ...]:
    return tuple(
        session.scalar(select(func.count()).select_from(model))
        for model in (Official, OfficialName, ExternalIdentifier, Evidence, Support, Tenure, MatchReview, ImportRecord)
    )


def names_of(session, official_id: int) -> set[str]:
    official = session.get(Official, official_id)
    names = set(session.scalars(select(OfficialName.name).where(OfficialName.official_id == official_id)))
    return names | {official.name} | ({official.native_name} if official.native_name else set())


# --- identity ------------------------------------------------------------------------------------

# One entry number, three annexes, three different persons (the DPRK regulation numbers each
# annex from 1): one of them a Russian regional governor listed beside DPRK officials
THREE_ANNEXES = eu_file(
    person("1", "XIII.A", "Yun Ho-jin", alias="Yun Ho-chin", nationality="DPRK", birthDate="13.10.1944"),
    person("1", "XV.A", "RI Myong Su", alias="리명수", birthDate="1937", gender="male"),
    person(
        "1",
        "XVI.A",
        "Oleg Nikolaevich KOZHEMYAKO",
        alias="Олег Николаевич КОЖЕМЯКО",
        nationality="Russian",
        birthDate="17.3.1962",
    ),
)


def test_one_entry_number_in_three_annexes_is_three_officials_each_with_only_its_names(session):
    report = imported(session, THREE_ANNEXES)
    assert report.counts["new"] == 3, report.rows
    officials = {o.name: o for o in session.scalars(select(Official))}
    assert set(officials) == {"Yun Ho-jin", "RI Myong Su", "Oleg Nikolaevich KOZHEMYAKO"}
    assert names_of(session, officials["Yun Ho-jin"].id) == {"Yun Ho-jin", "Yun Ho-chin"}
    assert names_of(session, officials["RI Myong Su"].id) == {"RI Myong Su", "리명수"}
    assert names_of(session, officials["Oleg Nikolaevich KOZHEMYAKO"].id) == {
        "Oleg Nikolaevich KOZHEMYAKO",
        "Олег Николаевич КОЖЕМЯКО",
    }
    # each keeps its own listing and its own reference, the annex with the entry beyond Annex I
    references = dict(session.execute(select(ExternalIdentifier.official_id, ExternalIdentifier.value)).tuples().all())
    assert {references[o.id] for o in officials.values()} == {"XIII.A 1", "XV.A 1", "XVI.A 1"}
    assert session.scalar(select(func.count(Evidence.id)).where(Evidence.kind == "sanctions_listing")) == 3
    assert {(r.source, r.key) for r in session.scalars(select(ImportRecord))} == {
        ("eu_32017R1509", "XIII.A/EU-PRK/1"),
        ("eu_32017R1509", "XV.A/EU-PRK/1"),
        ("eu_32017R1509", "XVI.A/EU-PRK/1"),
    }
    # the governor is Russian whatever regime lists him; the others are of the DPRK regime
    assert officials["Oleg Nikolaevich KOZHEMYAKO"].state.code == "RU"
    assert {officials["Yun Ho-jin"].state.code, officials["RI Myong Su"].state.code} == {"KP"}

    before = table_counts(session)
    again = imported(session, THREE_ANNEXES)
    assert again.counts["unchanged"] == 3 and sum(again.counts.values()) == 3, again.rows
    assert table_counts(session) == before


def test_the_same_rows_in_another_order_change_nothing(session):
    imported(session, THREE_ANNEXES)
    before = table_counts(session)
    header, *rows = THREE_ANNEXES.decode().split("\r\n")[:-1]
    shuffled = "\r\n".join([header, *reversed(rows), ""]).encode()
    report = imported(session, shuffled)
    assert report.counts["unchanged"] == 3, report.rows
    assert table_counts(session) == before


def test_an_identifier_held_by_someone_contradicting_the_row_is_a_conflict_review(session, make):
    """An official on record carries the entry's reference, but not one name in common and
    another birth date: the row goes to review with the conflict in words, never merged."""
    governor = make.official(
        name="Valery Vladimirovich LIMARENKO", birth_date=dt.date(1962, 9, 6), birth_date_precision="day"
    )
    session.add(ExternalIdentifier(official=governor, scheme="eu_1509_2017", value="XV.A 1"))
    session.flush()
    report = imported(session, THREE_ANNEXES)
    assert report.counts["new"] == 2 and report.counts["queued"] == 1, report.rows
    [row] = [r for r in report.rows if r.outcome == "queued"]
    assert row.reason.startswith("conflict: identifier eu_1509_2017 XV.A 1 is this official's, but born 1937")
    assert "no name in common with “Valery Vladimirovich LIMARENKO”" in row.reason
    [review] = session.scalars(select(MatchReview)).all()
    assert (review.reason, review.status, review.official_id) == ("conflict", "pending", governor.id)
    assert review.explanation["conflict"].startswith("identifier eu_1509_2017 XV.A 1 is this official's")
    assert names_of(session, governor.id) == {"Valery Vladimirovich LIMARENKO"}  # nothing merged
    again = imported(session, THREE_ANNEXES)
    assert again.counts["queued"] == 1 and session.scalar(select(func.count(MatchReview.id))) == 1


def test_a_reused_entry_now_naming_another_person_is_a_conflict_review(session):
    imported(session, THREE_ANNEXES)
    [yun] = session.scalars(select(Official).where(Official.name == "Yun Ho-jin"))
    reused = eu_file(person("1", "XIII.A", "Pak Il Kyu", alias="Pak Il-Gyu", nationality="DPRK", birthDate="2.2.1975"))
    report = imported(session, reused)
    assert report.counts["queued"] == 1, report.rows
    [review] = session.scalars(select(MatchReview))
    assert review.reason == "conflict" and review.official_id == yun.id
    assert "imported as this official" in review.explanation["conflict"]
    assert names_of(session, yun.id) == {"Yun Ho-jin", "Yun Ho-chin"}


def test_one_entry_under_two_measures_is_one_official(session):
    """The EU repeats an entry once per measure (asset freeze, travel ban): one person."""
    freeze = person("4", "I.A", "Ivan Ivanovich PETROV", alias="Иван Иванович ПЕТРОВ", startDate="2.3.2016")
    travel = {**freeze, "measure": "Travel ban", "alias": "Ivan PETROFF", "startDate": "3.4.2017"}
    data = eu_file(freeze, travel, celex="32006R0765", program="EU-BLR")
    report = imported(session, data)
    assert (report.counts["new"], report.counts["updated"]) == (1, 1), report.rows
    [official] = session.scalars(select(Official)).all()
    assert names_of(session, official.id) == {"Ivan Ivanovich PETROV", "Иван Иванович ПЕТРОВ", "Ivan PETROFF"}
    before = table_counts(session)
    again = imported(session, data)
    assert again.counts["unchanged"] == 2, again.rows
    assert table_counts(session) == before


def test_a_changed_row_of_the_same_person_updates_its_official(session):
    imported(session, THREE_ANNEXES)
    changed = THREE_ANNEXES.replace(b"Yun Ho-chin", b"Yun Ho-chin; Yun Ho Jin")
    report = imported(session, changed)
    assert report.counts["updated"] == 1 and report.counts["unchanged"] == 2, report.rows
    [yun] = session.scalars(select(Official).where(Official.name == "Yun Ho-jin"))
    assert "Yun Ho Jin" in names_of(session, yun.id)


# --- the State from the regime ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("program", "celex", "nationality", "state"),
    [
        ("EU-BLR", "32006R0765", "", "BY"),  # no nationality: the Belarus regime's State
        ("EU-BLR", "32006R0765", "Russian, Belarusian", "BY"),  # a dual national: the regime's State
        ("EU-BLR", "32006R0765", "Russian", "RU"),  # a Russian on the Belarus list stays RU
        ("EU-PRK", "32017R1509", "", "KP"),
        ("EU-UKR", "32014R0269", "", "RU"),
        ("EU-RUSDA", "32024R2642", "", "RU"),
        ("", "32006R0765", "", "BY"),  # the regulation number alone
    ],
)
def test_the_state_comes_from_the_nationality_or_else_the_regime(session, program, celex, nationality, state):
    data = eu_file(person("5", "I.A", "Ivan Ivanovich PETROV", nationality=nationality), celex=celex, program=program)
    report = imported(session, data)
    assert report.counts["new"] == 1, report.rows
    assert session.scalars(select(Official)).one().state.code == state


def test_a_national_of_another_state_is_not_imported_and_says_why(session):
    data = eu_file(
        person("7", "I.A", "Milorad PETROVIC", nationality="Serbian"),
        person("8", "I.A", "Natallia Ivanauna PETRAVA"),
        {"recordId": "9", "annex": "I.B", "schema": "LegalEntity", "name": "Minsk Tractor Works"},
        celex="32006R0765",
        program="EU-BLR",
    )
    report = imported(session, data)
    assert (report.counts["new"], report.counts["not_imported"], report.counts["skipped"]) == (1, 1, 1)
    assert report.reasons == {"not_imported": {"other_state": 1}, "skipped": {"LegalEntity: not a person": 1}}
    [row] = [r for r in report.rows if r.outcome == "not_imported"]
    assert (row.line, row.name) == (2, "Milorad PETROVIC")
    assert row.reason == "a national of Serbia, listed under a regime targeting Belarus"
    run = session.get(ImportRun, report.run_id)
    assert run.counts["not_imported"] == 1 and run.reasons["not_imported"] == {"other_state": 1}

    strict = run_import(session, "eu-csv", io.BytesIO(data), user=None, file_name="by.csv", strict=True)
    assert strict.status == "refused" and "1 person(s) would not be imported" in strict.message
    assert "nationals of another State" not in strict.message  # the reason code is spelt out below
    assert session.scalar(select(func.count(Official.id))) == 1


def test_ofac_programs_give_the_state_of_an_individual_without_nationality(session):
    rows = [
        '"1","LUKASHENKA, Viktar","individual","BELARUS-EO14038","-0- ","-0- ","-0- ","-0- ","-0- ","-0- ","-0- ",'
        '"DOB 28 Nov 1975; Gender Male."',
        '"2","RI, Pyong Chol","individual","DPRK3","-0- ","-0- ","-0- ","-0- ","-0- ","-0- ","-0- ","DOB 1948."',
        '"3","SMITH, Ivan","individual","RUSSIA-EO14024","-0- ","-0- ","-0- ","-0- ","-0- ","-0- ","-0- ",'
        '"DOB 1970; nationality Canada."',
    ]
    report = imported(session, ("\r\n".join(rows) + "\r\n").encode(), "ofac-csv")
    assert report.counts["new"] == 2 and report.counts["not_imported"] == 1, report.rows
    states = dict(session.execute(select(Official.name, State.code).join(State)).tuples().all())
    assert states == {"Viktar LUKASHENKA": "BY", "RI Pyong Chol": "KP"}


def test_opensanctions_programme_ids_give_the_state(session):
    lines = [
        {"id": "p1", "schema": "Person", "properties": {"name": ["Ivan Petrov"]}},
        {"id": "s1", "schema": "Sanction", "properties": {"entity": ["p1"], "programId": ["GB-BLR"]}},
        {"id": "p2", "schema": "Person", "properties": {"name": ["John Doe"]}},
        {"id": "s2", "schema": "Sanction", "properties": {"entity": ["p2"], "programId": ["EU-HR"]}},
    ]
    data = "".join(json.dumps(line) + "\n" for line in lines).encode()
    report = imported(session, data, "ftm")
    assert report.counts["new"] == 1 and report.counts["not_imported"] == 1
    assert session.scalars(select(Official)).one().state.code == "BY"


# --- native names ----------------------------------------------------------------------------------


def test_the_native_name_is_in_the_states_script_and_the_rest_are_aliases_with_their_language(session):
    data = eu_file(
        person(
            "3",
            "I.A",
            "Uladzimir Uladzimiravich NAVUMAU",
            alias="Vladimir Vladimirovich NAUMOV; Владимир Владимирович НАУМОВ; Уладзімір Уладзіміравіч НАВУМАЎ",
        ),
        celex="32006R0765",
        program="EU-BLR",
    )
    imported(session, data)
    official = session.scalars(select(Official)).one()
    assert (official.native_name, official.native_script) == ("Уладзімір Уладзіміравіч НАВУМАЎ", "Cyrl")
    aliases = {(n.name, n.script, n.lang) for n in official.names}
    assert ("Владимир Владимирович НАУМОВ", "Cyrl", "ru") in aliases
    assert ("Vladimir Vladimirovich NAUMOV", "Latn", None) in aliases


def test_a_hangul_form_beside_the_latin_one_becomes_the_native_name(session):
    data = eu_file(
        person("32", "XV.A", "KIM Kwang Yon 김광연", nationality="DPRK"),
        person("33", "XV.A", "KIM Su Il", alias="김수일"),
    )
    imported(session, data)
    natives = dict(session.execute(select(Official.name, Official.native_name)).tuples().all())
    assert natives == {"KIM Kwang Yon": "김광연", "KIM Su Il": "김수일"}
    assert set(session.scalars(select(Official.native_script))) == {"Hang"}


# --- tenures from a listing ------------------------------------------------------------------------


@pytest.fixture
def ministry(session, make):
    """A Belarusian ministry with a troika post, known by name to the importer."""
    state = session.scalars(select(State).where(State.code == "BY")).one_or_none() or make.state(code="BY")
    institution = make.institution(state=state, name="Ministry of Foreign Affairs of Belarus", kind="ministry")
    return institution


def test_a_listing_shows_a_post_held_on_its_date_not_held_today(session, ministry):
    data = eu_file(
        person(
            "11",
            "I.A",
            "Maxim Uladzimiravich RYZHENKOU",
            position="Head of a department of the Ministry of Foreign Affairs of Belarus",
            startDate="20.11.2025",
        ),
        person(
            "12",
            "I.A",
            "Uladzimir Uladzimiravich MAKEI",
            position="Former head of a department of the Ministry of Foreign Affairs of Belarus",
            startDate="20.11.2025",
        ),
        celex="32006R0765",
        program="EU-BLR",
    )
    imported(session, data)
    tenures = {t.official.name: t for t in session.scalars(select(Tenure))}
    assert set(tenures) == {"Maxim Uladzimiravich RYZHENKOU"}  # a former post without a date: no tenure
    tenure = tenures["Maxim Uladzimiravich RYZHENKOU"]
    assert (tenure.start_date, tenure.end_date) == (dt.date(2025, 11, 20), dt.date(2025, 11, 20))
    assert tenure.note.startswith("Held on 2025-11-20")
    assert not tenure.is_current(dt.date(2026, 1, 1))


def test_a_listing_alone_raises_no_troika_notice(session, ministry):
    from models import ImportRule
    from services.assessment.elements import assess_dossier

    position = Position(institution=ministry, title="Minister of Foreign Affairs", tier="leadership",
                        troika="foreign_minister")  # fmt: skip
    session.add_all([position, ImportRule(kind="position", pattern="Minister of Foreign Affairs", position=position)])
    session.flush()
    data = eu_file(
        person("11", "I.A", "Maxim RYZHENKOU", position="Minister of Foreign Affairs", startDate="20.11.2025"),
        celex="32006R0765",
        program="EU-BLR",
    )
    imported(session, data)
    official = session.scalars(select(Official)).one()
    facts = load_facts(session, official.id)
    [tenure] = facts.tenures
    assert tenure.troika == "foreign_minister" and tenure.end == tenure.start
    assessment = assess_dossier(facts, visible=("public",), scope_start=dt.date(2014, 2, 20), today=dt.date(2026, 6, 1))
    assert assessment.troika is None


# --- the run's record ---------------------------------------------------------------------------------


def test_the_run_starts_before_it_finishes(session):
    report = imported(session, THREE_ANNEXES)
    run = session.get(ImportRun, report.run_id)
    assert run.started_at <= run.finished_at
    refused = run_import(session, "eu-csv", io.BytesIO(b"nonsense"), user=None, file_name="x.csv")
    run = session.get(ImportRun, refused.run_id)
    assert refused.status == "refused" and run.started_at <= run.finished_at
