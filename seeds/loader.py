"""Read, check and return the demo data set: seeds/data/*.json, one file per record kind.

Each file holds a JSON array of records, in the order they are loaded into the database (ids
follow it). ``load_data`` checks every record against its type (seeds/records.py): no field
missing or unknown, every value of its declared type, every key unique, and every reference
to another record resolved. Bad data raises ``SeedError``, which names the file, the record
(its index and key) and the field.

Files are kept in one canonical form (``dump_records``: the fields in the order the type
declares them, two-space indents, UTF-8 text rather than escapes), so a change shows as a
readable diff; tests/test_seeds checks that every file is in it.
"""

from __future__ import annotations

import json
import types
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path
from typing import Any, Union, cast, get_args, get_origin, get_type_hints, is_typeddict

from seeds.records import (
    ActAssessmentRecord,
    ActRecord,
    DecisionRecord,
    DossierRecord,
    EvidenceRecord,
    ImportRuleRecord,
    InstitutionRecord,
    InvolvementRecord,
    OfficialRecord,
    PositionRecord,
    StateRecord,
    SupportRecord,
    TenureRecord,
)

DATA_DIR = Path(__file__).resolve().parent / "data"


class SeedError(ValueError):
    """A record of a seed file that does not fit its type or refers to a missing record."""

    def __init__(self, file: str, record: str, field: str, problem: str) -> None:
        super().__init__(f"{file}: {record}: field {field!r}: {problem}")
        self.file, self.record, self.field, self.problem = file, record, field, problem


@dataclass(frozen=True)
class DemoData:
    """The demo data set, one list per record kind, in loading order (one file each)."""

    states: list[StateRecord]
    institutions: list[InstitutionRecord]
    positions: list[PositionRecord]
    officials: list[OfficialRecord]
    tenures: list[TenureRecord]
    acts: list[ActRecord]
    act_assessments: list[ActAssessmentRecord]
    decisions: list[DecisionRecord]
    involvements: list[InvolvementRecord]
    evidence: list[EvidenceRecord]
    supports: list[SupportRecord]
    dossiers: list[DossierRecord]
    import_rules: list[ImportRuleRecord]


# The key each record is referred to by, per kind.
KEYS: dict[str, Callable[[Any], str]] = {
    "states": lambda r: r["code"],
    "act_assessments": lambda r: f"{r['act']}|{r['aspect']}",
    "involvements": lambda r: f"{r['official']}|{r['decision']}|{r['role']}",
    "evidence": lambda r: r["exhibit_no"],
    "supports": lambda r: f"{r['evidence']}|{r['target_type']}|{r['target']}|{r['stance']}|{r['pinpoint'] or ''}",
    "dossiers": lambda r: r["official"],
    "import_rules": lambda r: f"{r['kind']}|{r['pattern']}",
}

# (kind, field, kind referred to): the field holds the key (or a list of keys) of such a record.
REFERENCES: tuple[tuple[str, str, str], ...] = (
    ("institutions", "state", "states"),
    ("institutions", "parent", "institutions"),
    ("positions", "institution", "institutions"),
    ("officials", "state", "states"),
    ("tenures", "official", "officials"),
    ("tenures", "position", "positions"),
    ("acts", "states", "states"),
    ("act_assessments", "act", "acts"),
    ("decisions", "institution", "institutions"),
    ("decisions", "acts", "acts"),
    ("involvements", "official", "officials"),
    ("involvements", "decision", "decisions"),
    ("supports", "evidence", "evidence"),
    ("dossiers", "official", "officials"),
    ("import_rules", "decision", "decisions"),
    ("import_rules", "position", "positions"),
)

# A support's target_type names the kind its target is a key of.
SUPPORT_TARGETS = {
    "tenure": "tenures",
    "involvement": "involvements",
    "decision": "decisions",
    "act": "acts",
    "act_assessment": "act_assessments",
}

# An import rule of each kind names these fields and not the others of the set.
IMPORT_RULE_TARGETS = {"involvement": ("decision", "role"), "position": ("position",)}


def record_types() -> dict[str, type]:
    """Each kind (a field of DemoData, the stem of its file) with its record type, in loading order."""
    hints = get_type_hints(DemoData)
    return {f.name: get_args(hints[f.name])[0] for f in fields(DemoData)}


def key_of(kind: str, record: dict[str, Any]) -> str:
    return KEYS.get(kind, lambda r: r["key"])(record)


def _type_name(hint: Any) -> str:
    if hint is type(None):
        return "null"
    if is_typeddict(hint):
        return "object"
    if get_origin(hint) is list:
        return f"list of {_type_name(get_args(hint)[0])}"
    if get_origin(hint) in (Union, types.UnionType):
        return " or ".join(_type_name(arg) for arg in get_args(hint))
    return {str: "string", int: "integer", bool: "boolean"}.get(hint, getattr(hint, "__name__", str(hint)))


def _json_type_name(value: object) -> str:
    if value is None:
        return "null"
    return {str: "string", int: "integer", bool: "boolean", float: "number", list: "list", dict: "object"}.get(
        type(value), type(value).__name__
    )


def _check(value: object, hint: Any, path: str, fail: Callable[[str, str], None]) -> None:
    """Check ``value`` against ``hint``; ``fail(field path, problem)`` on the first mismatch."""
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        options = get_args(hint)
        if value is None and type(None) in options:
            return
        for option in options:
            if option is not type(None):
                return _check(value, option, path, fail)
        return None
    if origin is list:
        if not isinstance(value, list):
            return fail(path, f"expected {_type_name(hint)}, got {_json_type_name(value)}")
        for index, item in enumerate(value):
            _check(item, get_args(hint)[0], f"{path}[{index}]", fail)
        return None
    if is_typeddict(hint):
        if not isinstance(value, dict):
            return fail(path, f"expected an object, got {_json_type_name(value)}")
        prefix = f"{path}." if path else ""
        hints = get_type_hints(hint)
        for name in sorted(set(value) - set(hints)):
            fail(prefix + name, f"unknown field (the fields of {hint.__name__}: {', '.join(hints)})")
        for name in hints:
            if name not in value:
                if name in hint.__required_keys__:
                    fail(prefix + name, "missing")
                continue
            _check(value[name], hints[name], prefix + name, fail)
        return None
    if type(value) is not hint:  # bool is not an integer here, nor an integer a string
        return fail(path, f"expected {_type_name(hint)}, got {_json_type_name(value)}")
    if isinstance(value, str) and not value.strip():
        return fail(path, "empty")
    return None


def _label(kind: str, index: int, record: object) -> str:
    try:
        return f"record {index} ({key_of(kind, cast(dict[str, Any], record))!r})"
    except (KeyError, TypeError):
        return f"record {index}"


def check_records(kind: str, records: object, file: str) -> list[Any]:
    """``records`` as read from ``file``, checked against the record type of ``kind``."""
    if not isinstance(records, list):
        raise SeedError(file, "the file", "-", f"expected a JSON array of records, got {_json_type_name(records)}")
    record_type = record_types()[kind]
    for index, record in enumerate(records):
        label = _label(kind, index, record)

        def fail(path: str, problem: str, label: str = label) -> None:
            raise SeedError(file, label, path or "-", problem)

        _check(record, record_type, "", fail)
    return records


def _import_rule_fields(records: list[ImportRuleRecord], file: str) -> None:
    """A rule names the fields of its kind's target, and not those of the other kind's."""
    every = sorted({name for names in IMPORT_RULE_TARGETS.values() for name in names})
    for index, record in enumerate(records):
        wanted, label = IMPORT_RULE_TARGETS.get(record["kind"]), _label("import_rules", index, record)
        if wanted is None:
            raise SeedError(file, label, "kind", f"{record['kind']!r} is none of {', '.join(IMPORT_RULE_TARGETS)}")
        for field in every:
            if (field in record) != (field in wanted):
                problem = "missing" if field in wanted else f"not a field of a rule of kind {record['kind']!r}"
                raise SeedError(file, label, field, problem)


def _references(data: dict[str, list[Any]], files: dict[str, str]) -> None:
    keys: dict[str, set[str]] = {}
    for kind, records in data.items():
        seen: set[str] = set()
        for index, record in enumerate(records):
            key = key_of(kind, record)
            if key in seen:
                field = "key" if kind not in KEYS else ("code" if kind == "states" else "-")
                raise SeedError(files[kind], _label(kind, index, record), field, f"duplicate key {key!r}")
            seen.add(key)
        keys[kind] = seen

    def resolve(kind: str, index: int, field: str, target_kind: str, value: object) -> None:
        for item in value if isinstance(value, list) else [value]:
            if item is not None and item not in keys[target_kind]:
                problem = f"{item!r} is not a key of {files[target_kind]}"
                raise SeedError(files[kind], _label(kind, index, data[kind][index]), field, problem)

    for kind, field, target_kind in REFERENCES:
        for index, record in enumerate(data[kind]):
            resolve(kind, index, field, target_kind, record.get(field))
    for index, record in enumerate(data["supports"]):
        targets = SUPPORT_TARGETS.get(record["target_type"])
        if targets is None:
            problem = f"{record['target_type']!r} is none of {', '.join(SUPPORT_TARGETS)}"
            raise SeedError(files["supports"], _label("supports", index, record), "target_type", problem)
        resolve("supports", index, "target", targets, record["target"])


def load_data(directory: Path = DATA_DIR) -> DemoData:
    """Read every seed file of ``directory``, check it, and return the data set."""
    data: dict[str, list[Any]] = {}
    files: dict[str, str] = {}
    for kind in record_types():
        path = directory / f"{kind}.json"
        files[kind] = f"{directory.name}/{path.name}"
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise SeedError(files[kind], "the file", "-", "missing") from None
        except UnicodeDecodeError as error:
            raise SeedError(files[kind], "the file", "-", f"not UTF-8 text ({error.reason})") from None
        try:
            records = json.loads(text)
        except json.JSONDecodeError as error:
            raise SeedError(files[kind], "the file", "-", f"not JSON: {error}") from None
        data[kind] = check_records(kind, records, files[kind])
    _import_rule_fields(data["import_rules"], files["import_rules"])
    _references(data, files)
    return DemoData(**data)


@cache
def demo_set() -> DemoData:
    """The demo data set of seeds/data, read once."""
    return load_data()


def dump_records(kind: str, records: Iterable[Any]) -> str:
    """The canonical text of a seed file: fields in declared order, indented, UTF-8, a final newline."""
    record_type = record_types()[kind]

    def ordered(value: Any, hint: Any) -> Any:
        if get_origin(hint) in (Union, types.UnionType):
            hint = next((a for a in get_args(hint) if a is not type(None)), hint)
        if is_typeddict(hint) and isinstance(value, dict):
            hints = get_type_hints(hint)
            extra = [name for name in value if name not in hints]
            return {name: ordered(value[name], hints.get(name)) for name in [*hints, *extra] if name in value}
        if get_origin(hint) is list and isinstance(value, list):
            return [ordered(item, get_args(hint)[0]) for item in value]
        return value

    body = [ordered(record, record_type) for record in records]
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"


def rewrite(directory: Path = DATA_DIR) -> list[str]:
    """Check the files of ``directory`` and rewrite those not in canonical form; their names."""
    data = load_data(directory)
    changed = []
    for kind in record_types():
        path = directory / f"{kind}.json"
        text = dump_records(kind, getattr(data, kind))
        if path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path.name)
    return changed


if __name__ == "__main__":  # python -m seeds.loader: check the files, rewrite them canonically
    print(", ".join(rewrite()) or "every file already in canonical form")
