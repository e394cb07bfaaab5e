"""The exhibit list as CSV: exact header and rows, formula injection neutralised, clearance kept."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from sqlalchemy import select

from models import Evidence, Official
from models.enums import CLASSIFICATIONS
from services.evidence.exhibits import add_support
from services.evidence.files import Derivation, attach_file
from services.evidence.store import store_for
from services.exports.data import gather
from services.exports.exhibit_list import HEADER, csv_rows, neutralise, write_csv

SCOPE = dt.date(2014, 2, 20)


def bundle_of(session, officials, visible=CLASSIFICATIONS):
    return gather(session, [o.id for o in officials], visible=tuple(visible), scope_start=SCOPE)


def written(bundle) -> bytes:
    """The bytes as services/exports/case_files.py writes them: UTF-8 through a text wrapper."""
    raw = io.BytesIO()
    text = io.TextIOWrapper(raw, encoding="utf-8", newline="", write_through=True)
    write_csv(bundle, text)
    text.flush()
    text.detach()
    return raw.getvalue()


def parsed(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


@pytest.fixture
def upload(app, session):
    store = store_for(app.config)

    def attach(evidence, data, name, derivation=None):
        incoming = store.receive()
        incoming.write(data)
        return attach_file(session, store, evidence, incoming, original_name=name, actor=None, derivation=derivation)

    return attach


@pytest.fixture
def case(session, make, upload):
    """One official, a tenure and an order, and one exhibit bearing on them both ways."""
    ministry = make.institution(name="Ministry of Defence")
    official = make.official(name="Sergei Shoigu")
    post = make.position(institution=ministry, title="Minister of Defence")
    tenure = make.tenure(official=official, position=post, start="2012-11-06", end="2024-05-12")
    order = make.decision(institution=ministry, title="Order X", when="2022-02-24")
    involvement = make.involvement(official=official, decision=order, role="ordered")
    exhibit = make.evidence(
        exhibit_no="T-0100",
        title='=HYPERLINK("http://evil.example","Стенограмма")',
        kind="document",
        collected_on=dt.date(2024, 5, 1),
        source="@SUM(1+1)",
        reliability="B",
        credibility="2",
        classification="public",
    )
    original = upload(exhibit, b"Prikaz", "order.txt")
    translation = upload(exhibit, b"Order", "order-en.txt", Derivation(original, "translation", "CLT"))
    add_support(session, exhibit, "tenure", tenure.id, stance="supports", pinpoint="p. 2", note=None)
    add_support(session, exhibit, "decision", order.id, stance="supports", pinpoint=None, note=None)
    add_support(session, exhibit, "involvement", involvement.id, stance="contradicts", pinpoint="00:12:30", note=None)
    return official, exhibit, original, translation


def test_header_and_one_row_exactly(session, case):
    official, _exhibit, original, translation = case
    rows = parsed(written(bundle_of(session, [official])))
    assert rows[0] == [
        "Exhibit",
        "Title",
        "Kind",
        "Collected on",
        "Source",
        "Reliability",
        "Credibility",
        "Classification",
        "File names",
        "SHA-256",
        "Facts supported",
        "Facts contradicted",
    ]
    assert rows[1:] == [
        [
            "T-0100",
            '\'=HYPERLINK("http://evil.example","Стенограмма")',
            "document",
            "2024-05-01",
            "'@SUM(1+1)",
            "B",
            "2",
            "public",
            "order.txt; order-en.txt",
            f"{original.sha256}; {translation.sha256}",
            "Sergei Shoigu: Minister of Defence, Ministry of Defence, 2012-11-06 to 2024-05-12 [p. 2]; "
            "Order X (2022-02-24, Ministry of Defence)",
            "Sergei Shoigu: ordered in Order X (2022-02-24) [00:12:30]",
        ]
    ]


def test_bytes_are_utf8_with_crlf_rows_and_the_same_every_time(session, case):
    official, _exhibit, original, _translation = case
    first = written(bundle_of(session, [official]))
    assert first.startswith(b'"Exhibit","Title","Kind","Collected on","Source",')
    assert first.count(b"\r\n") == 2 and first.endswith(b"\r\n")
    assert "Стенограмма".encode() in first
    assert original.sha256.encode() in first
    assert written(bundle_of(session, [official])) == first


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_a_spreadsheet_would_run_is_prefixed_with_an_apostrophe(start):
    assert neutralise(f"{start}cmd|' /C calc'!A0") == f"'{start}cmd|' /C calc'!A0"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Memo;=1+1", "Memo;'=1+1"),
        ("Memo; =1+1", "Memo; '=1+1"),
        ("a,+1", "a,'+1"),
        ("a|-1", "a|'-1"),
        ("a\t@x", "a\t'@x"),
        ("a\n=1", "a\n'=1"),
        ("\t=1", "'\t'=1"),
        ("=a;+b", "'=a;'+b"),
    ],
)
def test_a_formula_after_a_cell_break_is_prefixed_too(text, shown):
    assert neutralise(text) == shown


@pytest.mark.parametrize("text", ["", "plain", "a=b", " =1", "'=1", "P-0001", "2022-02-24", "Ⓐ", "＝1", "a - b"])
def test_other_cells_are_left_alone(text):
    assert neutralise(text) == text


def test_hostile_cells_from_every_column_are_neutralised(session, make, upload):
    official = make.official(name="-2+3 Official")
    tenure = make.tenure(official=official)
    exhibit = make.evidence(exhibit_no="T-0200", title="+SUM(A1)", source="\tcmd", kind="image")
    upload(exhibit, b"payload", "=cmd.txt")
    add_support(session, exhibit, "tenure", tenure.id, stance="supports", pinpoint=None, note=None)
    other = make.evidence(exhibit_no="T-0201", title="\r=1", source="-1")
    add_support(session, other, "tenure", tenure.id, stance="contradicts", pinpoint=None, note=None)
    rows = list(csv_rows(bundle_of(session, [official])))
    first, second = rows[1], rows[2]
    assert first[1] == "'+SUM(A1)" and first[4] == "'\tcmd" and first[8] == "'=cmd.txt"
    assert first[10].startswith("'-2+3 Official: ") and first[11] == ""
    assert second[1] == "'\r'=1" and second[4] == "'-1" and second[11].startswith("'-2+3 Official: ")
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_a_restricted_bundle_lists_no_confidential_exhibit(session, demo, make, upload):
    putin = session.scalars(select(Official).where(Official.name == "Vladimir Putin")).one()
    secret = make.evidence(exhibit_no="X-0002", title="Defector testimony", classification="confidential")
    secret_file = upload(secret, b"Secret words", "secret.txt")
    add_support(session, secret, "tenure", putin.tenures[0].id, stance="contradicts", pinpoint="12:30", note=None)
    everything = parsed(written(bundle_of(session, [putin])))
    assert "X-0002" in [row[0] for row in everything]
    data = written(bundle_of(session, [putin], visible=("public",)))
    rows = parsed(data)
    for leak in (b"X-0002", b"Defector testimony", secret_file.sha256.encode(), b"secret.txt"):
        assert leak not in data, leak
    numbers = [row[0] for row in rows[1:]]
    assert numbers == sorted(numbers) and numbers
    assert {row[7] for row in rows[1:]} == {"public"}
    restricted = session.scalars(select(Evidence.exhibit_no).where(Evidence.classification == "restricted")).all()
    assert restricted and not set(restricted) & set(numbers)


def test_the_whole_demo_lists_every_exhibit_once_in_order(session, demo):
    officials = session.scalars(select(Official).order_by(Official.id)).all()
    bundle = bundle_of(session, officials)
    rows = parsed(written(bundle))
    assert rows[0] == HEADER
    numbers = [row[0] for row in rows[1:]]
    assert numbers == sorted(e.exhibit_no for e in bundle.evidence)
    assert len(set(numbers)) == len(numbers) == len(bundle.evidence)
    assert all(len(row) == len(HEADER) for row in rows)
    assert all(row[10] or row[11] for row in rows[1:]), "every exhibit bears on some fact"
    assert any(row[11] for row in rows[1:]), "the demo has exculpatory exhibits"
