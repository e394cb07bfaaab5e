"""FollowTheMoney import: the OpenSanctions sample, merged lines, our own export read back,
and malformed input reported by line without a traceback."""

from __future__ import annotations

import datetime as dt
import io
import json
import random
from collections import Counter

import pytest
from sqlalchemy import select

from models import ExternalIdentifier, Official, OfficialName, PartialDate
from models.enums import CLASSIFICATIONS
from services.exports.data import gather
from services.exports.ftm import ftm_lines
from services.imports.parsers import ftm
from services.imports.parsers.ftm import parse_ftm
from services.imports.parsers.records import (
    FormatError,
    ImportedPerson,
    ImportedTenure,
    Rejected,
    Skipped,
    own_official_id,
    tenures_of,
)
from tests.conftest import FTM_EXCERPT, real_data_file

ZAKHAROV = "NK-aU5ybkbRFJucf8YMwsJvDw"


def parse(data: bytes | str) -> list:
    return list(parse_ftm(io.BytesIO(data.encode() if isinstance(data, str) else data)))


def lines(*entities: dict) -> str:
    return "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entities)


def person(entity_id="p1", **properties) -> dict:
    return {"id": entity_id, "schema": "Person", "properties": {"name": ["Ivan Petrov"], **properties}}


def persons(rows) -> dict[str, ImportedPerson]:
    return {r.source_id: r for r in rows if isinstance(r, ImportedPerson)}


@pytest.fixture(scope="module")
def sample_lines() -> list[str]:
    """The excerpt of the OpenSanctions sample (tests/data): its first 19 lines, every person
    among them, and every other line about a person."""
    return FTM_EXCERPT.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def whole_sample() -> list[str]:
    return real_data_file("opensanctions_zala_cluster.ftm.jsonl").read_text(encoding="utf-8").splitlines()


# --- the OpenSanctions sample ------------------------------------------------------------


def test_real_sample_six_russian_persons_the_rest_skipped_or_context(sample_lines):
    rows = parse("\n".join(sample_lines) + "\n")
    kinds = Counter(type(r).__name__ for r in rows)
    assert kinds == {"ImportedPerson": 6, "Skipped": 12}  # 10 companies, 2 addresses
    assert Counter(r.reason for r in rows if isinstance(r, Skipped)) == {
        "Company: not a person": 10,
        "Address: not a person": 2,
    }
    assert [r.line for r in rows] == sorted(r.line for r in rows)
    found = persons(rows)
    assert all(p.state_code == "RU" and p.scheme == "opensanctions" for p in found.values())
    assert all(own_official_id(p) is None for p in found.values())


def test_the_whole_sample_skips_its_companies_and_addresses(whole_sample):
    rows = parse("\n".join(whole_sample) + "\n")
    assert Counter(type(r).__name__ for r in rows) == {"ImportedPerson": 6, "Skipped": 22}
    assert Counter(r.reason for r in rows if isinstance(r, Skipped)) == {
        "Company: not a person": 11,
        "Address: not a person": 11,
    }


def test_the_excerpt_persons_parse_as_within_the_whole_sample(sample_lines, whole_sample):
    """The excerpt keeps every line about a person, so each is parsed exactly as in the whole."""
    assert persons(parse("\n".join(sample_lines))) == persons(parse("\n".join(whole_sample)))


def test_real_sample_person_names_dates_identifiers_and_listing(sample_lines):
    zakharov = persons(parse("\n".join(sample_lines)))[ZAKHAROV]
    assert zakharov.line == 11
    assert zakharov.name == "Aleksandr Vyacheslavovich Zakharov"
    assert zakharov.birth == PartialDate(dt.date(1965, 9, 21), "day")
    assert zakharov.gender == "male"
    names = {(n.name, n.script, n.kind) for n in zakharov.names}
    assert ("Александр Вячеславович Захаров", "Cyrl", "alias") in names
    assert ("Aleksandr Vjačeslavovič Zacharov", "Latn", "alias") in names
    assert "Owner of LLC CST" in zakharov.positions
    # OpenSanctions referents: the OFAC uid becomes an ofac_sdn identifier, the rest stay OpenSanctions ids
    assert ("ofac_sdn", "45937") in zakharov.identifiers
    assert ("opensanctions", "gb-hmt-16271") in zakharov.identifiers
    assert ("opensanctions", ZAKHAROV) not in zakharov.identifiers
    listing = zakharov.listing
    assert listing is not None and listing.program == "GB-RUS"
    assert listing.list_name.startswith("Foreign, Commonwealth & Development Office: The Russia (Sanctions)")
    assert listing.listed_on == dt.date(2023, 12, 6)
    assert "involved person" in listing.reasons


def test_several_lines_for_one_id_are_merged(sample_lines):
    """The Zakharov line split in three (one as a LegalEntity, as some sources publish it): one
    person, on the first line, with the properties of all three."""
    entity = json.loads(next(line for line in sample_lines if ZAKHAROV in line and '"Person"' in line))
    names = entity["properties"]["name"]
    first = {**entity, "properties": {"name": names[:3], "nationality": ["ru"]}}
    second = {"id": ZAKHAROV, "schema": "LegalEntity", "properties": {"name": names[3:6]}}
    third = {"id": ZAKHAROV, "schema": "Person", "properties": {"name": names[6:], "birthDate": ["1965-09-21"]}}
    rows = parse(lines(first, person("other"), second, third))
    merged = persons(rows)[ZAKHAROV]
    assert merged.line == 1 and merged.birth == PartialDate(dt.date(1965, 9, 21), "day")
    all_names = {n.casefold() for n in (merged.name, *(n.name for n in merged.names))}
    assert {names[0].casefold(), names[3].casefold(), names[-1].casefold()} <= all_names
    assert len(persons(rows)) == 1  # "other" has no state: skipped
    assert [type(r) for r in rows] == [ImportedPerson, Skipped]


# --- persons, states and posts ----------------------------------------------------------


def test_state_from_nationality_or_from_a_post_held_otherwise_skipped():
    rows = parse(
        lines(
            person("by", nationality=["by"], citizenship=["ru"]),
            person("kp-citizen", citizenship=["kp"]),
            person("german", nationality=["de"]),
            person("unknown"),
            person("post-holder", name=["Anna Ivanova"]),
            {"id": "pos", "schema": "Position", "properties": {"name": ["Senator"], "organization": ["fc"]}},
            {
                "id": "fc",
                "schema": "PublicBody",
                "properties": {"name": ["Federation Council"], "jurisdiction": ["ru"]},
            },
            {
                "id": "occ",
                "schema": "Occupancy",
                "properties": {"holder": ["post-holder"], "post": ["pos"], "startDate": ["2019-09"]},
            },
        )
    )
    found = persons(rows)
    assert {k: p.state_code for k, p in found.items()} == {"by": "BY", "kp-citizen": "KP", "post-holder": "RU"}
    skipped = [r for r in rows if isinstance(r, Skipped)]
    assert [r.line for r in skipped] == [3, 4]
    assert [(r.reason, r.code, r.person) for r in skipped] == [
        ("a national of Germany, not of Russia, Belarus or the DPRK", "other_state", True),
        ("no nationality given and no regime against Russia, Belarus or the DPRK", "no_state", True),
    ]
    holder = found["post-holder"]
    assert holder.positions == ("Senator, Federation Council",)
    assert tenures_of(holder) == (
        ImportedTenure("Senator", "Federation Council", "RU", PartialDate(dt.date(2019, 9, 1), "month"), None),
    )


def test_names_scripts_kinds_and_the_most_precise_birth_date():
    rows = parse(
        lines(
            person(
                name=["Шойгу Сергей Кужугетович", "Sergei Shoigu", "SHOIGU, Sergei"],
                alias=["김정은", "Shoygu"],
                previousName=["Old Name"],
                weakAlias=["Seryozha"],
                birthDate=["1955", "1955-05-21", "1955-05"],
                nationality=["ru"],
                wikidataId=["Q313374"],
                gender=["male"],
            )
        )
    )
    (shoigu,) = rows
    assert shoigu.name in {"Sergei Shoigu", "SHOIGU, Sergei"}  # Latin script where there is one
    kinds = {n.name: (n.script, n.kind) for n in shoigu.names}
    assert kinds["Шойгу Сергей Кужугетович"] == ("Cyrl", "alias")
    assert kinds["김정은"] == ("Hang", "alias") and kinds["Shoygu"] == ("Latn", "alias")
    assert kinds["Old Name"] == ("Latn", "former_name") and kinds["Seryozha"] == ("Latn", "weak_alias")
    assert shoigu.birth == PartialDate(dt.date(1955, 5, 21), "day")
    assert shoigu.identifiers == (("wikidata", "Q313374"),)


# --- our own export, read back ----------------------------------------------------------


def _export(session, officials) -> bytes:
    bundle = gather(session, [o.id for o in officials], visible=CLASSIFICATIONS, scope_start=dt.date(2014, 2, 20))
    return "".join(line + "\n" for line in ftm_lines(bundle)).encode()


def _official_names(official: Official) -> set[tuple[str, str | None, str]]:
    kinds = {"transliteration": "alias"}  # FtM has one property for both: they come back as aliases
    names = {(n.name, n.script, kinds.get(n.kind, n.kind)) for n in official.names}
    if official.native_name:
        names.add((official.native_name, official.native_script, "alias"))
    return names


def test_our_export_comes_back_with_the_same_names_dates_identifiers_and_tenures(session, make):
    russia = make.state(code="RU", name="Russian Federation")
    duma = make.institution(state=russia, name="State Duma", kind="parliament_chamber")
    kremlin = make.institution(state=russia, name="Presidency", kind="head_of_state_office")
    deputy = make.position(institution=duma, title="Deputy", tier="senior")
    president = make.position(institution=kremlin, title="President", tier="leadership", troika="head_of_state")
    official = make.official(state=russia, name="Sergei Shoigu", native_name="Сергей Шойгу", native_script="Cyrl")
    official.gender = "male"
    official.birth = PartialDate(dt.date(1955, 5, 21), "day")
    for name, script, kind in (
        ("Shoygu", "Latn", "transliteration"),
        ("Шойгу Сергей Кужугетович", "Cyrl", "alias"),
        ("S. K. Shoigu", "Latn", "weak_alias"),
        ("Old Name", "Latn", "former_name"),
    ):
        session.add(OfficialName(official=official, name=name, script=script, kind=kind))
    for scheme, value in (("wikidata", "Q313374"), ("eu_269_2014", "42"), ("ofac_sdn", "20157")):
        session.add(ExternalIdentifier(official=official, scheme=scheme, value=value))
    make.tenure(official=official, position=deputy, start="2016-10", end="2021-09-19", note="8th convocation")
    make.tenure(official=official, position=president, start="2024")
    other = make.official(state=make.state(code="KP"), name="Kim Jong Un", native_name="김정은", native_script="Hang")
    other.birth = PartialDate(dt.date(1984, 1, 1), "year")
    session.flush()
    session.refresh(official)

    rows = parse(_export(session, [official, other]))
    found = persons(rows)
    assert set(found) == {f"ts-person-{official.id}", f"ts-person-{other.id}"}
    back = found[f"ts-person-{official.id}"]
    assert own_official_id(back) == official.id
    assert back.name == "Sergei Shoigu" and back.state_code == "RU" and back.gender == "male"
    assert {(n.name, n.script, n.kind) for n in back.names} == _official_names(official)
    assert back.birth == official.birth
    assert set(back.identifiers) == {("wikidata", "Q313374"), ("eu_269_2014", "42"), ("ofac_sdn", "20157")}
    assert tenures_of(back) == (
        ImportedTenure(
            "Deputy",
            "State Duma",
            "RU",
            PartialDate(dt.date(2016, 10, 1), "month"),
            PartialDate(dt.date(2021, 9, 19), "day"),
            tier="senior",
            institution_kind="parliament_chamber",
            note="8th convocation",
        ),
        ImportedTenure(
            "President",
            "Presidency",
            "RU",
            PartialDate(dt.date(2024, 1, 1), "year"),
            None,
            tier="leadership",
            troika="head_of_state",
            institution_kind="head_of_state_office",
        ),
    )
    assert back.positions == ("Deputy, State Duma", "President, Presidency")
    kim = found[f"ts-person-{other.id}"]
    assert kim.state_code == "KP" and kim.birth == PartialDate(dt.date(1984, 1, 1), "year")
    assert {(n.name, n.script) for n in kim.names} == {("김정은", "Hang")}
    # the exhibits, decisions and bodies of the export are not persons
    assert not [r for r in rows if isinstance(r, Rejected)]


def test_the_whole_demo_comes_back(session, demo):
    officials = session.scalars(select(Official).where(Official.deleted_at.is_(None)).order_by(Official.id)).all()
    found = persons(parse(_export(session, officials)))
    assert len(found) == len(officials)
    for official in officials:
        back = found[f"ts-person-{official.id}"]
        assert back.name == official.name
        assert {(n.name, n.script, n.kind) for n in back.names} == _official_names(official), official.name
        assert back.birth == official.birth and back.state_code == official.state.code
        assert set(back.identifiers) == {(i.scheme, i.value) for i in official.identifiers}
        expected = [
            (t.position.title, t.position.institution.name, str(t.start), str(t.end) if t.end else None)
            for t in official.tenures
        ]
        got = [
            (t.position_title, t.institution_name, str(t.start), str(t.end) if t.end else None)
            for t in tenures_of(back)
        ]
        assert sorted(got) == sorted(expected), official.name


# --- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("{not json", "not JSON"),
        ("[1, 2]", "not a JSON object"),
        ('{"schema": "Person", "properties": {}}', "no id"),
        ('{"id": "x", "properties": {}}', "no schema"),
        ('{"id": "x", "schema": "Spaceship", "properties": {}}', "unknown FollowTheMoney schema"),
        ('{"id": "x", "schema": "Thing", "properties": {}}', "unknown FollowTheMoney schema"),
        ('{"id": "x", "schema": "Person", "properties": ["name"]}', "properties must map"),
        (
            '{"id": "x", "schema": "Person", "properties": {"name": ["A"], "birthDate": ["1952-13-45"]}}',
            "impossible date",
        ),
        (
            '{"id": "x", "schema": "Person", "properties": {"name": ["A"], "birthDate": ["2999-01-01"]}}',
            "is after today",
        ),
        ('{"id": "x", "schema": "Occupancy", "properties": {"startDate": ["2999-05"]}}', "is after today"),
        ('{"id": "x", "schema": "Sanction", "properties": {"listingDate": ["2999"]}}', "is after today"),
        ('{"id": "x", "schema": "Person", "properties": {"nationality": ["ru"]}}', "without a name"),
        ('{"id": "' + "x" * 201 + '", "schema": "Person", "properties": {}}', "longer than 200"),
        ("[" * 100_000 + "]" * 100_000, "not JSON"),
    ],
)
def test_a_malformed_line_is_rejected_with_its_line_number(line, reason):
    rows = parse(lines(person("a", nationality=["ru"])) + line + "\n" + lines(person("b", nationality=["ru"])))
    rejected = [r for r in rows if isinstance(r, Rejected)]
    assert len(rejected) == 1 and rejected[0].line == 2 and reason in rejected[0].reason
    assert set(persons(rows)) == {"a", "b"}


def test_an_overlong_line_is_rejected_without_being_read_whole(monkeypatch):
    monkeypatch.setattr(ftm, "MAX_LINE_BYTES", 1024)
    huge = json.dumps(person("huge", nationality=["ru"], notes=["x" * 100_000])) + "\n"
    stream = io.BytesIO(
        (lines(person("a", nationality=["ru"])) + huge + lines(person("b", nationality=["ru"]))).encode()
    )
    reads = []
    original = stream.readline
    stream.readline = lambda limit=-1: reads.append(limit) or original(limit)  # type: ignore[method-assign]
    rows = list(parse_ftm(stream))
    assert rows[1].line == 2 and "line longer than" in rows[1].reason
    assert set(persons(rows)) == {"a", "b"} and persons(rows)["b"].line == 3
    assert all(0 < limit <= 1025 for limit in reads)


def test_a_real_9_mib_line_is_rejected():
    huge = '{"id": "x", "schema": "Person", "properties": {"notes": ["' + "x" * (9 << 20) + '"]}}\n'
    rows = parse(huge + lines(person("a", nationality=["ru"])))
    assert rows[0] == Rejected(1, "line longer than 8 MiB")
    assert set(persons(rows)) == {"a"}


def test_truncated_file_non_utf8_line_and_conflicting_schemas():
    data = (
        lines(person("a", nationality=["ru"])).encode()
        + b"\xff\xfe\n"
        + lines({"id": "a", "schema": "Company", "properties": {"name": ["A LLC"]}}).encode()
        + b'{"id": "b", "schema": "Person", "prop'
    )
    rows = parse(data)
    assert [(type(r).__name__, r.line) for r in rows] == [
        ("ImportedPerson", 1),
        ("Rejected", 2),
        ("Rejected", 3),
        ("Rejected", 4),
    ]
    assert rows[1].reason == "not UTF-8 text"
    assert "is a Person on line 1 and cannot also be a Company" in rows[2].reason
    assert "truncated" in rows[3].reason


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\n\n",
        b"ent_num,SDN_Name\n2674,ABBAS\n",
        "celex,recordId,schema\n32014R0269,1,Person\n".encode("utf-16"),
    ],
)
def test_a_file_without_any_entity_is_a_format_error(data):
    with pytest.raises(FormatError) as caught:
        parse(data)
    assert "no FollowTheMoney entity" in str(caught.value)


def test_random_bytes_never_raise_anything_but_format_error():
    generator = random.Random(7)  # noqa: S311 - reproducible noise, not secrets
    valid = lines(person("a", nationality=["ru"]), person("b", nationality=["by"])).encode()
    for _ in range(300):
        data = bytearray(valid)
        for _ in range(generator.randint(1, 8)):
            data[generator.randrange(len(data))] = generator.randrange(256)
        try:
            rows = parse(bytes(data))
        except FormatError:
            continue
        assert all(isinstance(r, ImportedPerson | Skipped | Rejected) for r in rows)
