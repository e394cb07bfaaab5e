"""What a parser yields for each row (or entity) of a source file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from models.partial_date import PartialDate


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
