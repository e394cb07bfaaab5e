"""The EU sanctions regimes as OpenSanctions transcribes them from the Official Journal.

One CSV per regime (``datasets/eu/journal_sanctions/data/consolidated/<CELEX>.csv``): a header
of FollowTheMoney property names (celex, recordId, programKey, annex, startDate, reason, schema,
name, alias, nationality, birthDate, position, gender, ...), UTF-8, one designation per row,
``;`` between several values in a cell, ``d.m.yyyy`` dates. Persons become ``ImportedPerson``;
companies, vessels and other schemas are skipped and counted. Regulation 269/2014 (Russia /
Ukraine), 765/2006 (Belarus) and 2017/1509 (DPRK) share the format, and so do the amendment
files (``amendedCelex`` in place of ``celex``).

Identity: entry numbers restart in each annex (the DPRK regulation numbers its persons from 1
in Annexes XIII, XV, XVI...), so a row is the act, the annex, the programme and the entry
(``record_key`` "XV.A/EU-PRK/12" in ``record_source`` "eu_32017R1509"); a row without an
entry number is its name and birth date there. The identifier people cite is the entry number,
with its annex beyond Annex I ("669"; "XV.A 12").

State: the nationality cell, else the regime (``programKey`` and the act: regimes.py); a
national of another State is not imported, with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO

from services.imports.parsers.csv_lines import Record, csv_records
from services.imports.parsers.names import split_names
from services.imports.parsers.records import (
    FormatError,
    ImportedListing,
    ImportedName,
    ImportedPerson,
    ParsedRow,
    Rejected,
    Skipped,
)
from services.imports.parsers.regimes import regime_states, resolve_state
from services.imports.parsers.text import (
    AGGRESSOR_STATES,
    ImpossibleDate,
    clean,
    country_codes,
    detect_script,
    name_language,
    parse_birth_date,
    parse_listing_date,
)

REQUIRED_COLUMNS = ("schema", "name", "recordId")
CELEX_COLUMNS = ("celex", "amendedCelex")  # consolidated files, amendment files
KEY_LIMIT = 200  # match_review.source_id
EUR_LEX_URL = "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:{celex}"
_CELEX = re.compile(r"^3(\d{4})([RD])(\d{4})$")
_ROMAN_ANNEX = re.compile(r"^([IVXLC]+)\b")
# Cells kept for the record: the pipeline shows them, nothing decides on them
_EXTRA_COLUMNS = {
    "birthPlace": "birth_place",
    "nationality": "nationality",
    "passportNumber": "passport",
    "taxNumber": "tax_number",
    "idNumber": "id_number",
    "innCode": "inn",
    "address": "address",
}


def _decode(raw: bytes, line: int) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormatError(f"not UTF-8 text (byte {exc.object[exc.start]:#04x})", line) from exc
    return text.removeprefix("\ufeff") if line == 1 else text


def instrument(celex: str) -> str | None:
    """The legal act a CELEX number names, as the Official Journal cites it:
    32014R0269 -> "Council Regulation (EU) No 269/2014", 32006R0765 -> "Council Regulation (EC)
    No 765/2006", 32017R1509 -> "Council Regulation (EU) 2017/1509", 32014D0145 -> "Council
    Decision 2014/145/CFSP"."""
    match = _CELEX.match(celex.strip())
    if not match:
        return None
    year, kind, number = int(match[1]), match[2], int(match[3])
    if kind == "D":
        return f"Council Decision (CFSP) {year}/{number}" if year >= 2015 else f"Council Decision {year}/{number}/CFSP"
    if year >= 2015:  # the EU numbers its acts "(EU) year/number" since 1 January 2015
        return f"Council Regulation (EU) {year}/{number}"
    return f"Council Regulation ({'EU' if year >= 2010 else 'EC'}) No {number}/{year}"


def identifier_scheme(celex: str) -> str:
    """The identifier scheme of a regime's entry numbers: "eu_269_2014" for 32014R0269 (as in
    models.enums), "eu_765_2006" for the Belarus regime and so on: entry numbers restart in
    each regulation, so they are only unique within it."""
    match = _CELEX.match(celex.strip())
    if not match:
        return f"eu_{celex.strip().lower() or 'unknown'}"
    return f"eu_{int(match[3])}_{match[1]}"


def _values(cell: str) -> list[str]:
    return [clean(v) for v in cell.split(";") if v.strip()]


def _celex(row: dict[str, str]) -> str:
    return next((row[c].strip().upper() for c in CELEX_COLUMNS if row.get(c, "").strip()), "")


def entry_reference(annex: str, record_id: str) -> str:
    """The reference people cite for an entry: its number in Annex I (the demo's "669"), the
    annex and the number elsewhere ("XV.A 12"), where numbering starts again."""
    record_id = record_id.strip()
    if not record_id:
        return ""
    roman = _ROMAN_ANNEX.match(annex.strip())
    if not annex.strip() or (roman and roman[1] == "I"):
        return record_id
    return f"{annex.strip()} {record_id}"


def record_identity(row: dict[str, str], primary: str, birth_text: str) -> tuple[str, str]:
    """(source, key): what is unique in the file (FORMAT.md of the OpenSanctions EU journal
    files: an entry number may repeat across acts, annexes, programmes and schemas). A row
    without an entry number is keyed on its name and birth date."""
    celex = _celex(row)
    program = row.get("programKey", "").strip()
    source = f"eu_{celex or program or 'unknown'}"
    record_id = row.get("recordId", "").strip()
    entry = record_id or "~" + " ".join(f"{primary} {birth_text}".casefold().split())
    return source, f"{row.get('annex', '').strip()}/{program}/{entry}"[:KEY_LIMIT]


def _listing(row: dict[str, str]) -> ImportedListing:
    celex = _celex(row)
    act = instrument(celex) or row.get("programKey", "").strip() or "EU sanctions list"
    annex = _ROMAN_ANNEX.match(row.get("annex", "").strip())
    starts = _values(row.get("startDate", ""))
    return ImportedListing(
        list_name=f"{act}, Annex {annex[1]}" if annex else act,
        program=row.get("programKey", "").strip() or None,
        listed_on=parse_listing_date(starts[0]) if starts else None,
        reasons=row.get("reason", "").strip() or None,
        source_url=EUR_LEX_URL.format(celex=celex) if _CELEX.match(celex) else None,
    )


def _names(row: dict[str, str]) -> tuple[str, tuple[ImportedName, ...]]:
    """The primary name (Latin script where the row has one) and every other name."""
    first = _values(row["name"])[0]
    names = split_names(first, "alias") or [ImportedName(first, detect_script(first), "alias", name_language(first))]
    names += split_names(row.get("alias", ""), "alias")
    names += split_names(row.get("weakAlias", ""), "weak_alias")
    names += split_names(row.get("previousName", ""), "former_name")
    primary = next((n for n in names if n.script == "Latn"), names[0])
    others: dict[str, ImportedName] = {}
    for name in names:
        if name is not primary:
            others.setdefault(name.name.casefold(), name)
    others.pop(primary.name.casefold(), None)
    return primary.name, tuple(others.values())


def _person(row: dict[str, str], line: int) -> ImportedPerson | Skipped:
    """Raises ImpossibleDate on a date no calendar has."""
    primary, names = _names(row)
    nationalities = country_codes(row.get("nationality", ""))
    hints = [c for c in country_codes(row.get("country", "")) if c in AGGRESSOR_STATES]
    celex = _celex(row)
    verdict = resolve_state(
        nationalities, regime_states(tags=[row.get("programKey", "")], acts=[celex] if celex else []), hints
    )
    gender = row.get("gender", "").strip().lower()
    extra = {key: clean(row[column]) for column, key in _EXTRA_COLUMNS.items() if row.get(column, "").strip()}
    birth = None
    for value in _values(row.get("birthDate", "")):
        birth = parse_birth_date(value)
        if birth is not None:
            extra["birth_date_text"] = value
            break
    if verdict.state is None:
        return Skipped(line, verdict.reason, verdict.code, person=True, name=primary)
    source, key = record_identity(row, primary, extra.get("birth_date_text", ""))
    return ImportedPerson(
        line=line,
        scheme=identifier_scheme(celex),
        source_id=entry_reference(row.get("annex", ""), row["recordId"]),
        name=primary,
        names=names,
        birth=birth,
        state_code=verdict.state,
        gender=gender if gender in ("male", "female") else None,
        positions=tuple(_values(row.get("position", ""))),
        listing=_listing(row),
        extra=extra,
        record_source=source,
        record_key=key,
    )


def _header(records: Iterator[Record]) -> list[str]:
    first = next(records, None)
    if first is None:
        raise FormatError("the file is empty: expected an EU journal CSV with a header row")
    if first.cells is None:
        raise FormatError(f"the header row is unreadable: {first.error}", first.line)
    header = [cell.strip() for cell in first.cells]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise FormatError("not an EU journal CSV: the header row lacks the column(s) " + ", ".join(missing), first.line)
    return header


def _row(record: Record, header: list[str]) -> ParsedRow:
    if record.cells is None:
        return Rejected(record.line, record.error or "malformed row")
    if len(record.cells) != len(header):
        return Rejected(record.line, f"{len(record.cells)} cells where the header has {len(header)}")
    row = dict(zip(header, record.cells, strict=True))
    schema = row["schema"].strip()
    if schema != "Person":
        reason = f"{schema or 'no schema'}: not a person"
        return Skipped(record.line, reason, reason, name=_values(row["name"])[0] if _values(row["name"]) else "")
    if not _values(row["name"]):
        return Rejected(record.line, "a person without a name")
    if detect_script(row["name"]) is None:
        return Rejected(record.line, f"the name {row['name'][:80]!r} has no letters")
    try:
        return _person(row, record.line)
    except ImpossibleDate as exc:
        return Rejected(record.line, f"impossible date: {exc}")


def parse_eu_csv(stream: IO[bytes]) -> Iterator[ParsedRow]:
    """Each row of an EU journal CSV as a person, a skip or a rejection, in file order.

    Reads the header at once and raises FormatError for an empty file, a missing header or one
    without the schema, name and recordId columns; raises it later, naming the line, for bytes
    that are not UTF-8. The rows are read one at a time as the result is iterated.
    """
    records = csv_records(stream, _decode)
    header = _header(records)
    return (_row(record, header) for record in records)
