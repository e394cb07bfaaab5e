"""The US Treasury OFAC SDN list in its legacy CSV layout (``sdn.csv``).

No header row; twelve columns: ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign,
Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks. ``-0-`` (with a trailing space) is
null, programs are joined with ``] [``, the file ends with a DOS end-of-file byte (0x1A).
Personal details are prose in Remarks: ``DOB 03 Jun 1974; POB Moscow, Russia; nationality
Russia; Gender Male; a.k.a. 'X'; Passport ...``. Strong aliases and addresses live in the
separate alt.csv and add.csv, which this parser does not read.

Only individuals of Russia, Belarus and the DPRK are kept: a nationality or citizenship in
Remarks that is the State of one of the entry's programs (regimes.py: RUSSIA-EO14024,
UKRAINE-EO13660..., BELARUS-EO14038, DPRK...), else one of ours, else the program's State
for an individual without one. Everyone else is not imported, with the reason; entities,
vessels and aircraft are skipped by design. The entry number is the row's identity.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

from services.imports.parsers.csv_lines import Record, csv_records
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
    ImpossibleDate,
    clean,
    country_codes,
    detect_script,
    name_language,
    parse_birth_date,
)

COLUMNS = 12
NULL = "-0-"
EOF_BYTE = b"\x1a"
LIST_NAME = "OFAC Specially Designated Nationals List"
SOURCE_URL = "https://www.treasury.gov/ofac/downloads/sdn.csv"
SOURCE = "ofac_sdn"

# Remarks every listing under a program repeats: kept in extra["remarks"], not in the reasons
_BOILERPLATE = re.compile(r"^(?:Secondary sanctions risk|Transactions Prohibited For Persons)\b", re.IGNORECASE)
_AKA = re.compile(r"^([afn])\.k\.a\.\s*(.+)$", re.IGNORECASE)
_AKA_KINDS = {"a": "weak_alias", "f": "former_name", "n": "alias"}  # Remarks a.k.a.s are OFAC's weak ones
_IDENTITY = re.compile(
    r"^(?:alt\.\s+)?(?:DOB|POB|nationality|citizen|Gender|[afn]\.k\.a\.|Passport|National ID No\.|Tax ID No\."
    r"|Identification Number|Email Address|Phone Number)\b",
    re.IGNORECASE,
)


def _decode(raw: bytes, line: int) -> str:
    """One line in UTF-8 if it is, else Windows-1252 (the list's historic encoding), else
    Latin-1 (which decodes any byte), so a stray byte never stops the import. The EOF byte
    at the end of the file is dropped."""
    body = raw.rstrip(b"\r\n")
    if body.endswith(EOF_BYTE):
        raw = body.rstrip(EOF_BYTE) + raw[len(body) :]
    for encoding in ("utf-8", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def _cell(value: str) -> str | None:
    value = clean(value)
    return None if value in ("", NULL) else value


def program_state(programs: list[str]) -> str | None:
    """The State the first State-specific program tag points at (regimes.py). Not MAGNIT,
    CYBER2 or ELECTION-EO13848: they also list other nationals, and their Russians carry
    "nationality Russia"."""
    states = regime_states(tags=programs)
    return states[0] if states else None


def display_name(sdn_name: str, korean: bool = False) -> str:
    """Turn "AKSENOV, Sergei Valeryevich" into "Sergei Valeryevich AKSENOV" (the EU's order); Korean
    names keep the surname first ("KIM, Jong Un" -> "KIM Jong Un"), as Korean and the EU do."""
    surname, comma, given = sdn_name.partition(",")
    if not comma or not given.strip():
        return clean(sdn_name)
    return clean(f"{surname} {given}" if korean else f"{given} {surname}")


@dataclass
class _Remarks:
    """What the Remarks prose says about a person."""

    dob: str | None = None
    nationalities: list[str] = field(default_factory=list)
    gender: str | None = None
    aliases: list[ImportedName] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)
    narrative: list[str] = field(default_factory=list)  # the parts that are not identity data

    @classmethod
    def parse(cls, text: str) -> _Remarks:
        remarks = cls()
        for part in (clean(p).rstrip(".") for p in text.split(";")):
            if part:
                remarks._take(part)
        return remarks

    def _take(self, part: str) -> None:
        key, _space, value = part.partition(" ")
        if key == "DOB":
            self.dob = self.dob or value
        elif key == "POB":
            self.extra.setdefault("birth_place", value)
        elif re.match(r"^(?:alt\.\s+)?(?:nationality|citizen)\s", part, re.IGNORECASE):
            self.nationalities.append(part.split(None, 2 if part.startswith("alt.") else 1)[-1])
        elif key == "Gender" and value.lower() in ("male", "female"):
            self.gender = value.lower()
        elif match := _AKA.match(part):
            name = match[2].strip().removeprefix("'").removesuffix("'").strip()
            if name:
                self.aliases.append(ImportedName(name, detect_script(name), _AKA_KINDS[match[1].lower()]))
        elif key == "Passport":
            self.extra.setdefault("passport", value)
        elif not _IDENTITY.match(part):
            self.narrative.append(part)


def _program_list(cell: str) -> list[str]:
    return [p.strip() for p in cell.strip().strip("[]").split("] [") if p.strip() and p.strip() != NULL]


def _person(cells: list[str], line: int, state: str, remarks: _Remarks, programs: list[str]) -> ImportedPerson:
    """Raises ImpossibleDate for a DOB no calendar has."""
    sdn_name = clean(cells[1])
    title = _cell(cells[4])
    positions = tuple(p.strip() for p in (title or "").split(";") if p.strip())
    narrative = [part for part in remarks.narrative if part not in positions and not _BOILERPLATE.match(part)]
    reasons = "; ".join([*positions, *narrative]) or None
    extra = dict(remarks.extra)
    if remarks.dob:
        extra["birth_date_text"] = remarks.dob
    if remarks.nationalities:
        extra["nationality"] = "; ".join(remarks.nationalities)
    if (by_program := program_state(programs)) is not None:
        extra["program_state"] = by_program
    extra["remarks"] = clean(cells[11]) if _cell(cells[11]) else ""
    return ImportedPerson(
        line=line,
        scheme="ofac_sdn",
        source_id=cells[0].strip(),
        name=display_name(sdn_name, korean=state == "KP"),
        names=(ImportedName(sdn_name, detect_script(sdn_name), "alias", name_language(sdn_name)), *remarks.aliases),
        birth=parse_birth_date(remarks.dob) if remarks.dob else None,
        state_code=state,
        gender=remarks.gender,
        positions=positions,
        listing=ImportedListing(
            list_name=LIST_NAME,
            program="; ".join(programs) or None,
            listed_on=None,  # the legacy CSV does not say when a person was listed
            reasons=reasons,
            source_url=SOURCE_URL,
        ),
        extra={k: v for k, v in extra.items() if v},
        record_source=SOURCE,
        record_key=cells[0].strip(),
    )


def _row(record: Record) -> ParsedRow:
    if record.cells is None:
        return Rejected(record.line, record.error or "malformed row")
    cells = record.cells
    if len(cells) != COLUMNS:
        return Rejected(record.line, f"{len(cells)} cells where the SDN list has {COLUMNS}")
    if not cells[0].strip().isdigit() or _cell(cells[1]) is None:
        return Rejected(record.line, f"no entry number or no name (ent_num {cells[0][:20]!r})")
    kind = _cell(cells[2]) or "entity"
    if kind != "individual":
        reason = f"{kind}: not an individual"
        return Skipped(record.line, reason, reason, name=clean(cells[1]))
    remarks = _Remarks.parse(cells[11] if _cell(cells[11]) else "")
    programs = _program_list(cells[3])
    nationalities = [code for text in remarks.nationalities for code in country_codes(text)]
    verdict = resolve_state(nationalities, regime_states(tags=programs))
    if verdict.state is None:
        reason = f"{verdict.reason} (programs {', '.join(programs) or 'none'})"
        return Skipped(record.line, reason, verdict.code, person=True, name=clean(cells[1]))
    try:
        return _person(cells, record.line, verdict.state, remarks, programs)
    except ImpossibleDate as exc:
        return Rejected(record.line, f"impossible date: {exc}")


def parse_ofac_csv(stream: IO[bytes]) -> Iterator[ParsedRow]:
    """Each record of an SDN legacy CSV as a person, a skip or a rejection, in file order.

    Reads the first record at once and raises FormatError when the file is empty or does not
    start like the SDN list (twelve cells, a numeric entry number): a file with a header row,
    or another format, is refused before anything is imported. The rest is read as the result
    is iterated, a line at a time.
    """
    records = csv_records(stream, _decode)
    first = next(records, None)
    if first is None:
        raise FormatError("the file is empty: expected the OFAC SDN list (sdn.csv)")
    if first.cells is None or len(first.cells) != COLUMNS or not first.cells[0].strip().isdigit():
        found = first.error or f"{len(first.cells or [])} cells starting {','.join(first.cells or [])[:60]!r}"
        raise FormatError(f"not the OFAC SDN legacy CSV (twelve cells, no header row): {found}", first.line)
    return (_row(record) for record in _chain(first, records))


def _chain(first: Record, rest: Iterator[Record]) -> Iterator[Record]:
    yield first
    yield from rest
