"""Issue 19 item 5: imports are repeatable, whatever the file. Property tests over generated
EU-format and OFAC files that reuse entry numbers across annexes, omit nationalities, carry
dual nationalities, names in several scripts and hostile values: importing a file a second
time, alone or after other files in any order, changes nothing; one source row is one
official, carrying only its own names."""

from __future__ import annotations

import csv
import io
import itertools
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from models import ExternalIdentifier, ImportRecord, MatchReview, Official, OfficialName, Support, Tenure
from services.imports.runs import run_import

EU_COLUMNS = [
    "celex", "recordId", "programKey", "annex", "measure", "startDate", "reason", "schema", "name", "alias",
    "nationality", "birthDate", "position", "gender",
]  # fmt: skip
PROGRAMS = {"32017R1509": "EU-PRK", "32006R0765": "EU-BLR", "32014R0269": "EU-UKR"}
GIVEN = [("Ivan", "Иван"), ("Olga", "Ольга"), ("Pyotr", "Пётр"), ("Kim", "김"), ("Ri", "리")]
FAMILY = [("PETROV", "ПЕТРОВ"), ("SIDORENKO", "СИДОРЕНКО"), ("Jong Un", "정은"), ("Myong Su", "명수"), ("O'HARA", "")]
# Cells a hostile or sloppy file may hold: quotes, separators, formula-looking text, other
# scripts and invisible characters
HOSTILE = ["", ' "the elder"', ", Jr.", "; Ivanov", " (a.k.a. X)", "=SUM(A1)", " \u200b", " 🙂", " Łódź", "\u00a0"]
NATIONALITIES = ["", "Russian", "Belarusian", "Russian, Belarusian", "Serbian", "Ukrainian, Russian", "DPRK"]
BIRTHS = ["", "1.2.1960", "1960", "March 1961", "2.2.1975", "1937 or 1938"]

SETTINGS = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,  # the same examples on every run: a test that fails, fails again
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@st.composite
def eu_persons(draw: Any) -> dict[str, str]:
    given, given_native = draw(st.sampled_from(GIVEN))
    family, family_native = draw(st.sampled_from(FAMILY))
    hostile = draw(st.sampled_from(HOSTILE))
    native = f"{given_native} {family_native}".strip() if draw(st.booleans()) else ""
    return {
        "recordId": str(draw(st.integers(1, 4))),
        "annex": draw(st.sampled_from(["I.A", "XIII.A", "XV.A", "XVI.A"])),
        "name": f"{given} {family}{hostile}",
        "alias": native,
        "nationality": draw(st.sampled_from(NATIONALITIES)),
        "birthDate": draw(st.sampled_from(BIRTHS)),
        "position": draw(st.sampled_from(["", "Member of the State Duma", "former Minister of Defence"])),
        "startDate": draw(st.sampled_from(["12.12.2022", "2.3.2016"])),
    }


def eu_files(celex: str | None = None) -> st.SearchStrategy[bytes]:
    persons = st.lists(eu_persons(), min_size=1, max_size=6, unique_by=lambda r: (r["annex"], r["recordId"]))
    return st.tuples(st.sampled_from(sorted(PROGRAMS)) if celex is None else st.just(celex), persons).map(
        lambda args: eu_csv(args[0], args[1])
    )


def eu_csv(celex: str, persons: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, EU_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for person in persons:
        row = {"celex": celex, "programKey": PROGRAMS.get(celex, "EU-PRK"), "measure": "Asset freeze"}
        writer.writerow({**row, "schema": "Person", "gender": "male", "reason": "Listed.", **person})
    return out.getvalue().encode("utf-8")


@st.composite
def ofac_files(draw: Any) -> bytes:
    rows = []
    numbers = draw(st.lists(st.integers(90001, 90006), min_size=1, max_size=4, unique=True))
    for number in numbers:
        given, _native = draw(st.sampled_from(GIVEN))
        family, _native = draw(st.sampled_from(FAMILY))
        program = draw(st.sampled_from(["RUSSIA-EO14024", "BELARUS-EO14038", "DPRK3", "SDGT"]))
        remarks = "; ".join(
            part
            for part in (
                f"DOB {draw(st.sampled_from(['01 Feb 1960', '1960', '02 Feb 1975']))}",
                draw(st.sampled_from(["", "nationality Russia", "nationality Belarus", "nationality Serbia"])),
                "Gender Male",
            )
            if part
        )
        cells = [str(number), f"{family}, {given}", "individual", program, *["-0- "] * 7, remarks + "."]
        rows.append(",".join(f'"{c}"' for c in cells))
    return ("\r\n".join(rows) + "\r\n").encode("ascii", "replace")


def state_of(session) -> tuple[Any, ...]:
    """Everything an import may change, in a comparable form."""
    officials = sorted(
        session.execute(
            select(Official.id, Official.name, Official.native_name, Official.birth_date, Official.state_id)
        ).tuples()
    )
    names = sorted(session.execute(select(OfficialName.official_id, OfficialName.name, OfficialName.lang)).tuples())
    identifiers = sorted(session.execute(select(ExternalIdentifier.scheme, ExternalIdentifier.value)).tuples())
    records = sorted(session.execute(select(ImportRecord.source, ImportRecord.key, ImportRecord.official_id)).tuples())
    reviews = sorted(
        session.execute(select(MatchReview.scheme, MatchReview.source_id, MatchReview.official_id)).tuples()
    )
    tenures = sorted(session.execute(select(Tenure.official_id, Tenure.position_id, Tenure.start_date)).tuples())
    supports = len(session.scalars(select(Support.id)).all())
    return officials, names, identifiers, records, reviews, tenures, supports


def load(session, fmt: str, data: bytes):
    return run_import(session, fmt, io.BytesIO(data), user=None, file_name="generated")


def test_any_eu_file_twice_changes_nothing_the_second_time(session):
    @SETTINGS
    @given(eu_files())
    def check(data: bytes) -> None:
        first = load(session, "eu-csv", data)
        before = state_of(session)
        second = load(session, "eu-csv", data)
        assert state_of(session) == before
        assert second.status == first.status
        if second.status == "applied":
            assert not second.counts["new"] and not second.counts["updated"] and not second.counts["merged"]

    check()


def test_files_interleaved_in_any_order_change_nothing_when_they_come_again(session):
    @SETTINGS
    @given(st.lists(st.one_of(eu_files().map(lambda d: ("eu-csv", d)), ofac_files().map(lambda d: ("ofac-csv", d))),
                    min_size=2, max_size=3), st.randoms(use_true_random=False))  # fmt: skip
    def check(files: list[tuple[str, bytes]], random: Any) -> None:
        for fmt, data in files:
            load(session, fmt, data)
        before = state_of(session)
        again = list(files)
        random.shuffle(again)
        for fmt, data in again:
            report = load(session, fmt, data)
            assert not report.counts["new"] and not report.counts["updated"], (fmt, report.rows)
        assert state_of(session) == before

    check()


def test_each_row_is_one_official_with_only_its_own_names(session):
    celexes = (f"3{2040 + n}R{n:04d}" for n in itertools.count(1))  # a new list for every example

    @SETTINGS
    @given(st.lists(eu_persons(), min_size=1, max_size=6, unique_by=lambda r: (r["annex"], r["recordId"])))
    def check(persons: list[dict[str, str]]) -> None:
        celex = next(celexes)
        report = load(session, "eu-csv", eu_csv(celex, persons))
        if report.status != "applied":
            return  # an impossible date refused the file: nothing written
        records = session.execute(
            select(ImportRecord.key, ImportRecord.official_id).where(ImportRecord.source == f"eu_{celex}")
        ).tuples()
        owners = dict(records.all())
        assert len(set(owners.values())) == len(owners)  # no two rows share an official
        by_key = {f"{p['annex']}/EU-PRK/{p['recordId']}": p for p in persons}
        for key, official_id in owners.items():
            row = by_key[key]
            official = session.get(Official, official_id)
            mine = {official.name, *(n.name for n in official.names)} | (
                {official.native_name} if official.native_name else set()
            )
            cells = " ".join([row["name"], row["alias"]]).casefold()
            for name in mine:
                assert all(word.casefold() in cells for word in name.split()), (name, row)

    check()
