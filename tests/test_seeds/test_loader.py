"""The demo data files (seeds/data/*.json): every file checked by the typed loader, kept in its
canonical form, and bad data refused with an error naming the file, the record and the field."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from seeds import demo_data
from seeds.loader import DATA_DIR, SeedError, demo_set, dump_records, load_data, record_types, rewrite

# How many records of each kind the data set holds; a change to the data changes this on purpose.
RECORDS = {
    "states": 4,
    "institutions": 25,
    "positions": 32,
    "officials": 27,
    "tenures": 30,
    "acts": 5,
    "act_assessments": 14,
    "decisions": 23,
    "involvements": 57,
    "evidence": 62,
    "supports": 159,
    "dossiers": 8,
    "import_rules": 7,
}


def test_every_file_is_a_kind_and_every_kind_a_file():
    assert sorted(p.stem for p in DATA_DIR.glob("*.json")) == sorted(record_types()) == sorted(RECORDS)


def test_the_data_set_loads_with_the_pinned_counts():
    data = load_data()
    assert {kind: len(getattr(data, kind)) for kind in record_types()} == RECORDS
    assert demo_data.OFFICIALS is demo_set().officials and demo_data.SUPPORTS == data.supports


@pytest.mark.parametrize("kind", sorted(RECORDS))
def test_every_file_is_in_its_canonical_form(kind):
    """Fields in the order their type declares, two-space indents, UTF-8 text, a final newline:
    diffs stay readable and a rewrite by ``dump_records`` changes nothing."""
    raw = (DATA_DIR / f"{kind}.json").read_bytes()
    text = raw.decode("utf-8")
    assert text == dump_records(kind, json.loads(text))
    assert "\\u" not in text  # Cyrillic and Hangul names as themselves, not escaped


def test_every_evidence_record_keeps_its_source_and_provenance():
    for record in demo_set().evidence:
        assert record["source"] and record["provenance"] and record["collected_on"], record["exhibit_no"]


# --- bad data -------------------------------------------------------------------------------


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def _edit(folder: Path, kind: str, change) -> None:
    path = folder / f"{kind}.json"
    records: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    change(records)
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")


def _refused(folder: Path) -> SeedError:
    with pytest.raises(SeedError) as caught:
        load_data(folder)
    return caught.value


def test_a_copy_of_the_files_loads(data_copy):
    assert load_data(data_copy) == demo_set()


def test_rewrite_puts_an_edited_file_back_in_canonical_form(data_copy):
    _edit(data_copy, "acts", lambda r: r.reverse())  # one line, fields in order, the records reversed
    _edit(data_copy, "states", lambda r: r.__setitem__(0, dict(reversed(r[0].items()))))
    assert rewrite(data_copy) == ["states.json", "acts.json"]
    assert (data_copy / "states.json").read_text(encoding="utf-8") == (DATA_DIR / "states.json").read_text("utf-8")
    assert load_data(data_copy).acts == demo_set().acts[::-1]
    assert rewrite(data_copy) == []


@pytest.mark.parametrize(
    ("kind", "change", "record", "field", "problem"),
    [
        ("officials", lambda r: r[2].pop("name"), "record 2 ('lavrov')", "name", "missing"),
        ("officials", lambda r: r[0].update(nickname="V."), "record 0 ('putin')", "nickname", "unknown field"),
        ("officials", lambda r: r[0].update(name=7), "record 0 ('putin')", "name", "expected string, got integer"),
        ("officials", lambda r: r[0].update(name=None), "record 0 ('putin')", "name", "expected string, got null"),
        ("officials", lambda r: r[0].update(name="  "), "record 0 ('putin')", "name", "empty"),
        ("officials", lambda r: r[0].update(aliases="Putin"), "record 0 ('putin')", "aliases", "expected list of"),
        (
            "officials",
            lambda r: r[0]["aliases"][1].update(script=["Cyrl"]),
            "record 0 ('putin')",
            "aliases[1].script",
            "expected string, got list",
        ),
        (
            "officials",
            lambda r: r[0]["identifiers"][0].pop("value"),
            "record 0 ('putin')",
            "identifiers[0].value",
            "missing",
        ),
        ("acts", lambda r: r[0]["states"].append(True), "record 0", "states[", "expected string, got boolean"),
        ("dossiers", lambda r: r[0].update(mode_choice=[]), "record 0", "mode_choice", "expected an object, got list"),
        ("states", lambda r: r.append("XX"), "record 4", "-", "expected an object, got string"),
        ("evidence", lambda r: r[3].update(source=None), "record 3 ('P-0004')", "source", "got null"),
    ],
)
def test_a_record_that_does_not_fit_its_type_is_refused(data_copy, kind, change, record, field, problem):
    _edit(data_copy, kind, change)
    error = _refused(data_copy)
    assert error.file == f"data/{kind}.json"
    assert error.record.startswith(record) and error.field.startswith(field) and problem in error.problem, str(error)
    assert str(error).startswith(f"data/{kind}.json: {error.record}: field ")


@pytest.mark.parametrize(
    ("kind", "change", "field", "problem"),
    [
        ("tenures", lambda r: r[0].update(official="nobody"), "official", "'nobody' is not a key of data/officials"),
        ("institutions", lambda r: r[1].update(parent="nowhere"), "parent", "not a key of data/institutions.json"),
        ("decisions", lambda r: r[0]["acts"].append("act-x"), "acts", "'act-x' is not a key of data/acts.json"),
        ("supports", lambda r: r[0].update(evidence="P-9999"), "evidence", "not a key of data/evidence.json"),
        ("supports", lambda r: r[0].update(target_type="rumour"), "target_type", "'rumour' is none of tenure"),
        ("supports", lambda r: r[0].update(target="no-tenure"), "target", "not a key of data/tenures.json"),
        ("positions", lambda r: r.append(dict(r[0])), "key", "duplicate key"),
        ("import_rules", lambda r: r[0].pop("role"), "role", "missing"),
        ("import_rules", lambda r: r[0].update(position="ru-president"), "position", "not a field of a rule"),
        ("import_rules", lambda r: r[0].update(kind="official"), "kind", "is none of involvement, position"),
    ],
)
def test_a_reference_to_a_missing_record_is_refused(data_copy, kind, change, field, problem):
    _edit(data_copy, kind, change)
    error = _refused(data_copy)
    assert (error.file, error.field) == (f"data/{kind}.json", field) and problem in error.problem, str(error)
    assert error.record.startswith("record ")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b'{"code": "RU"}', "expected a JSON array of records, got object"),
        (b'[{"code": "RU",]', "not JSON"),
        ("[]".encode("utf-16"), "not UTF-8 text"),
    ],
)
def test_a_file_that_is_not_an_array_of_records_is_refused(data_copy, content, problem):
    (data_copy / "states.json").write_bytes(content)
    error = _refused(data_copy)
    assert (error.file, error.record) == ("data/states.json", "the file") and problem in error.problem


def test_a_missing_file_is_refused(data_copy):
    (data_copy / "dossiers.json").unlink()
    error = _refused(data_copy)
    assert (error.file, error.problem) == ("data/dossiers.json", "missing")
