"""The importers' parsers fuzzed (hypothesis): bytes, text lines and CSV-like or JSON-like
structures. A parser yields rows (people, skipped or rejected rows) or raises FormatError, its
documented error; the date parsers raise ImpossibleDate; nothing else may escape. A malformed
file given to the import pipeline writes nothing but the record of the run."""

from __future__ import annotations

import contextlib
import csv
import io
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from extensions import db
from services.imports.parsers import eu_csv, ftm, names, ofac_csv, text
from services.imports.parsers.eu_csv import parse_eu_csv
from services.imports.parsers.ftm import parse_ftm
from services.imports.parsers.ofac_csv import parse_ofac_csv
from services.imports.parsers.records import FormatError, ImportedPerson, Rejected, Skipped
from services.imports.runs import run_import
from tests.test_fuzz.strategies import HOSTILE_TEXT


def fuzz(examples: int) -> Any:
    return settings(
        max_examples=examples, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
    )


PARSERS: dict[str, Callable[[Any], Iterator[Any]]] = {
    "eu-csv": parse_eu_csv,
    "ofac-csv": parse_ofac_csv,
    "ftm": parse_ftm,
}

CELL = st.one_of(
    HOSTILE_TEXT,
    st.sampled_from(["Person", "Company", "", "RU", "Russia", "KP", "male", "1961-13-45", "12.03.1961", "circa 1950"]),
    st.sampled_from(['"', '""', "a\nb", "x" * 5000, "3 2014R0269", "32014R0269", "Ivanov; Иванов", "-0- "]),
)
EU_COLUMNS = [*eu_csv.REQUIRED_COLUMNS, "celex", "birthDate", "nationality", "gender", "position", "alias"]


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8", "surrogatepass")


@st.composite
def eu_files(draw: Any) -> bytes:
    header = draw(st.lists(st.sampled_from(EU_COLUMNS), min_size=0, max_size=len(EU_COLUMNS), unique=True))
    width = st.integers(0, len(header) + 1)
    rows = draw(st.lists(st.lists(CELL, max_size=12), max_size=5))
    body = [header] + [row[: draw(width)] for row in rows]
    return _csv(body)


@st.composite
def ofac_files(draw: Any) -> bytes:
    rows = draw(st.lists(st.lists(CELL, min_size=10, max_size=13), max_size=5))
    for row in rows:
        if row and draw(st.booleans()):
            row[3] = "individual"  # the SDN type column
    return _csv(rows)


JSON_VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), HOSTILE_TEXT),
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(HOSTILE_TEXT, children, max_size=3)),
    max_leaves=8,
)


@st.composite
def ftm_files(draw: Any) -> bytes:
    lines = []
    for _ in range(draw(st.integers(0, 4))):
        entity = {
            "id": draw(st.one_of(HOSTILE_TEXT, st.sampled_from(["p1", "o1", ""]))),
            "schema": draw(st.sampled_from(["Person", "Occupancy", "Position", "Sanction", "Identification", "Nope"])),
            "properties": draw(
                st.dictionaries(
                    st.sampled_from(["name", "birthDate", "nationality", "holder", "post", "startDate", "country"]),
                    st.one_of(st.lists(st.one_of(HOSTILE_TEXT, st.just("p1")), max_size=3), JSON_VALUE),
                    max_size=4,
                )
            ),
        }
        lines.append(json.dumps(entity) if draw(st.integers(0, 5)) else draw(HOSTILE_TEXT))
    return "\n".join(lines).encode("utf-8", "surrogatepass")


FILES = {"eu-csv": eu_files(), "ofac-csv": ofac_files(), "ftm": ftm_files()}


def parse_all(fmt: str, data: bytes) -> list[Any]:
    """Every row, or FormatError; any other exception fails the test."""
    try:
        rows = list(PARSERS[fmt](io.BytesIO(data)))
    except FormatError:
        return []
    assert all(isinstance(row, ImportedPerson | Skipped | Rejected) for row in rows)
    return rows


@pytest.mark.parametrize("fmt", sorted(PARSERS))
@fuzz(50)
@given(data=st.binary(max_size=2000))
def test_parsers_take_any_bytes(fmt, data):
    parse_all(fmt, data)


@pytest.mark.parametrize("fmt", sorted(PARSERS))
@fuzz(15)
@given(data=st.data())
def test_parsers_take_files_of_the_right_shape_with_hostile_values(fmt, data):
    content = data.draw(FILES[fmt])
    parse_all(fmt, content)
    # the same file cut short and with a byte flipped
    cut = data.draw(st.integers(0, len(content)))
    parse_all(fmt, content[:cut])
    if content:
        flipped = bytearray(content)
        flipped[cut % len(content)] ^= data.draw(st.integers(1, 255))
        parse_all(fmt, bytes(flipped))


DECODED = st.one_of(HOSTILE_TEXT, CELL, st.text(max_size=40)).filter(
    lambda value: not any(0xD800 <= ord(ch) <= 0xDFFF for ch in value)
)  # what a cell of a decoded UTF-8 file can hold: anything but a lone surrogate


@fuzz(15)
@given(value=DECODED)
def test_text_helpers_raise_only_their_documented_error(value):
    for parse in (text.parse_birth_date, text.parse_dmy):
        with contextlib.suppress(text.ImpossibleDate):
            parse(value)
    text.detect_script(value)
    text.country_code(value)
    text.country_codes(value)
    text.clean(value)
    for kind in ("alias", "primary", "weak_alias"):
        names.split_names(value, kind)
    ofac_csv.display_name(value)
    eu_csv.identifier_scheme(value)
    assert ftm.FormatError is FormatError


@pytest.mark.parametrize("fmt", sorted(PARSERS))
@fuzz(5)
@given(data=st.data())
def test_a_malformed_file_writes_nothing_but_the_run_record(session, fmt, data):
    content = data.draw(st.one_of(st.binary(max_size=500), FILES[fmt]))
    before = _counts(session)
    report = run_import(session, fmt, io.BytesIO(content), user=None, file_name="fuzz")
    session.commit()  # the trail takes a transaction's events when it commits
    after = _counts(session)
    if report.status == "refused":
        assert {t: after[t] - before[t] for t in after if after[t] != before[t]} == {"import_run": 1, "audit_event": 1}
    session.rollback()


def _counts(session) -> dict[str, int]:
    return {
        table.name: session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
        if table.name not in ("data_generation",)
    }
