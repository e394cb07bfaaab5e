"""What a parser yields for each row (or entity) of a source file, and what the planner and
the applier read of it: here, not in the parsers, so that importing a file loads its own
parser only (followthemoney, behind the FtM parser, takes over a second of CPU to import)."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from models.partial_date import PartialDate

# Ids of persons in our own FtM export: "ts-person-12" is official 12 of the exporting instance
OWN_PERSON_ID = re.compile(r"^ts-person-(\d+)$")


@dataclass(frozen=True)
class ImportedName:
    name: str
    script: str | None  # ISO 15924 (Latn, Cyrl, Hang...), detected from the characters
    kind: str  # "primary", or an OfficialName kind: alias, transliteration, former_name, weak_alias
    lang: str | None = None  # BCP 47 (ru, be, uk, ko) when the letters tell; None otherwise


@dataclass(frozen=True)
class ImportedListing:
    """The sanctions designation the row records: it becomes a "sanctions listing" exhibit."""

    list_name: str  # e.g. "EU Council Regulation (EU) No 269/2014, Annex I"
    program: str | None  # e.g. "EU-UKR", "RUSSIA-EO14024"
    listed_on: dt.date | None
    reasons: str | None  # the statement of reasons
    source_url: str | None = None


@dataclass(frozen=True)
class ImportedPerson:
    line: int  # where the row starts in the file (1-based)
    scheme: str  # models.enums IDENTIFIER_SCHEMES: the id's scheme (eu_269_2014, ofac_sdn, opensanctions)
    source_id: str  # the person's reference in that scheme, as people cite it ("669", "XV.A 12")
    name: str  # the primary name, Latin script where the source has one
    names: tuple[ImportedName, ...] = ()  # every other name (aliases, native scripts)
    birth: PartialDate | None = None
    state_code: str | None = None  # RU, BY, KP: from the nationality, else the regime that lists them
    gender: str | None = None  # male, female
    positions: tuple[str, ...] = ()  # position texts as the source words them
    identifiers: tuple[tuple[str, str], ...] = ()  # further (scheme, value) pairs
    listing: ImportedListing | None = None
    extra: dict[str, str] = field(default_factory=dict, compare=False)
    # The row's identity in its source: what is unique there, so two designations can never
    # be taken for one ("eu_32017R1509", "XV.A/EU-PRK/12"; "ofac_sdn", "35096"). Empty: the
    # scheme and source_id serve.
    record_source: str = ""
    record_key: str = ""

    @property
    def record(self) -> tuple[str, str]:
        """(source, key): the identity of the row, never shared by two designations."""
        return (self.record_source or self.scheme, self.record_key or self.source_id)


@dataclass(frozen=True)
class ImportedTenure:
    """An Occupancy: the person held ``position_title`` (at ``institution_name``)."""

    position_title: str
    institution_name: str | None
    country: str | None  # upper-case ISO code
    start: PartialDate | None
    end: PartialDate | None
    tier: str | None = None  # our export's Position keywords (tier:..., troika:...)
    troika: str | None = None
    institution_kind: str | None = None  # our export's PublicBody keyword (kind:...)
    note: str | None = None

    @property
    def full_title(self) -> str:
        """As models.Position.full_title: the post with its institution, once if they read the same."""
        if not self.institution_name or self.institution_name == self.position_title:
            return self.position_title
        return f"{self.position_title}, {self.institution_name}"

    def to_json(self) -> dict[str, str | None]:
        data = asdict(self)
        data["start"] = str(self.start) if self.start else None
        data["end"] = str(self.end) if self.end else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ImportedTenure:
        start, end = data.get("start"), data.get("end")
        return cls(
            **{
                **data,
                "start": PartialDate.parse(start) if start else None,
                "end": PartialDate.parse(end) if end else None,
            }
        )


def tenures_of(person: ImportedPerson) -> tuple[ImportedTenure, ...]:
    """The occupancies the parser found for ``person`` (kept in ``extra["tenures"]``)."""
    text = person.extra.get("tenures")
    return tuple(ImportedTenure.from_json(item) for item in json.loads(text)) if text else ()


def own_official_id(person: ImportedPerson) -> int | None:
    """The official's id when ``person`` comes from our own FtM export (``ts-person-12``)."""
    match = OWN_PERSON_ID.match(person.source_id) if person.scheme == "opensanctions" else None
    return int(match.group(1)) if match else None


@dataclass(frozen=True)
class Skipped:
    """A row that is valid but not imported: something other than a person (a company, a
    vessel: skipped by design), or a person who is not for us, with the reason (``person``)."""

    line: int
    reason: str  # this row's reason, with its particulars
    code: str = ""  # the reason without particulars, for the counts ("not a person: Vessel", "other_state")
    person: bool = False  # a person not imported (counted apart from things skipped by design)
    name: str = ""

    @property
    def count_key(self) -> str:
        return self.code or self.reason


@dataclass(frozen=True)
class Rejected:
    """A malformed row: the import stops on it unless lenient."""

    line: int
    reason: str


ParsedRow = ImportedPerson | Skipped | Rejected


class FormatError(ValueError):
    """A file that is not in the expected format at all (wrong kind, encoding, truncated)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(f"line {line}: {message}" if line else message)
        self.line = line
