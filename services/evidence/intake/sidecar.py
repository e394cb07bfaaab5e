"""The metadata sidecar of an intake: a CSV naming each file's title, kind, source, date,
classification and grade.

The file must be readable as a whole before anything is created: text that is not UTF-8
(with or without a byte-order mark) or UTF-16 with its mark, unless the person names the
encoding, or a column it does not know (a misspelt "clasification" must not let files fall back
to the default classification), refuses the intake. A bad value refuses the file it describes,
with the row and the column; so does a file listed twice.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import Any

from models.enums import CLASSIFICATIONS, EVIDENCE_KINDS, Classification, EvidenceKind
from services.common.text_rules import text_fault
from services.evidence.intake.sources import SIDECAR_NAME, IntakeRefused, normal_name

COLUMNS = ("file", "title", "kind", "source", "date", "classification", "grade")
LIMITS = {"title": 300, "source": 5_000}
_GRADE = re.compile(r"^([A-Fa-f])[\s-]?([1-6])$")
_PARTIAL = re.compile(r"^\d{4}(-\d{1,2})?$")


@dataclass
class RowMetadata:
    """One file's metadata as the sidecar gives it (None: not given), or why it cannot be used."""

    rows: list[int]
    title: str | None = None
    kind: str | None = None
    source: str | None = None
    collected_on: dt.date | None = None
    classification: str | None = None
    reliability: str | None = None
    credibility: str | None = None
    refusal: str | None = None
    values: dict[str, Any] = field(default_factory=dict)


def decode(data: bytes, encoding: str | None) -> str:
    """The sidecar's text: the encoding named, else UTF-8 (a BOM is dropped) or UTF-16 with its mark."""
    if encoding:
        try:
            codecs.lookup(encoding)
            return data.decode(encoding).lstrip("\ufeff")
        except LookupError as error:
            raise IntakeRefused(f"Unknown encoding {encoding!r}.") from error
        except UnicodeDecodeError as error:
            raise IntakeRefused(
                f"{SIDECAR_NAME} is not {encoding} text ({error.reason} at byte {error.start})."
            ) from error
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16").lstrip("\ufeff")
        except UnicodeDecodeError as error:
            raise IntakeRefused(f"{SIDECAR_NAME} is not UTF-16 text ({error.reason}).") from error
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise IntakeRefused(
            f"{SIDECAR_NAME} is not UTF-8 text (byte {error.start}): save it as UTF-8, or name its encoding "
            "(--encoding cp1251, for instance)."
        ) from error


def _choice(value: str, allowed: tuple[str, ...], labelled: Any) -> str | None:
    """A value given as the stored word or the English label, any case ("Strictly confidential")."""
    folded = value.strip().casefold().replace("-", " ").replace("_", " ")
    for code in allowed:
        if folded in (code.casefold().replace("_", " "), str(labelled.label_of(code)).casefold()):
            return code
    return None


def _bad(row: int, column: str, code: str, **values: Any) -> tuple[str, dict[str, Any]]:
    return "bad_value", {"row": row, "column": column, "problem": {"code": code, "values": values}}


def _text(meta: RowMetadata, row: int, column: str, value: str) -> tuple[str, dict[str, Any]] | None:
    limit = LIMITS[column]
    if text_fault(value) is not None or len(value) > limit:
        return _bad(row, column, "text", limit=limit)
    setattr(meta, column, value.strip() or None)
    return None


def _date(meta: RowMetadata, row: int, value: str, today: dt.date) -> tuple[str, dict[str, Any]] | None:
    if _PARTIAL.match(value):
        return _bad(row, "date", "partial_date", value=value)
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return _bad(row, "date", "date", value=value[:40])
    if day > today:
        return _bad(row, "date", "future_date", value=value)
    meta.collected_on = day
    return None


def _fill(meta: RowMetadata, row: int, cells: dict[str, str], today: dt.date) -> tuple[str, dict[str, Any]] | None:
    """Set the row's values on ``meta``; the first problem, or None."""
    for column in ("title", "source"):
        if cells.get(column):
            problem = _text(meta, row, column, cells[column])
            if problem:
                return problem
    if value := cells.get("kind", "").strip():
        meta.kind = _choice(value, EVIDENCE_KINDS, EvidenceKind)
        if meta.kind is None:
            return _bad(row, "kind", "kind", value=value[:40], allowed=", ".join(EVIDENCE_KINDS))
    if value := cells.get("classification", "").strip():
        meta.classification = _choice(value, CLASSIFICATIONS, Classification)
        if meta.classification is None:
            return _bad(row, "classification", "classification", value=value[:40], allowed=", ".join(CLASSIFICATIONS))
    if value := cells.get("grade", "").strip():
        match = _GRADE.match(value)
        if match is None:
            return _bad(row, "grade", "grade", value=value[:40])
        meta.reliability, meta.credibility = match.group(1).upper(), match.group(2)
    if value := cells.get("date", "").strip():
        return _date(meta, row, value, today)
    return None


def _header(cells: list[str]) -> list[str]:
    header = [cell.strip().lstrip("\ufeff").strip().casefold() for cell in cells]
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        shown = ", ".join(repr(name[:40]) for name in unknown[:10])
        raise IntakeRefused(f"{SIDECAR_NAME} has columns it cannot use: {shown} (known: {', '.join(COLUMNS)}).")
    if len(set(header)) != len(header):
        raise IntakeRefused(f"{SIDECAR_NAME} names a column twice.")
    if "file" not in header:
        raise IntakeRefused(f"{SIDECAR_NAME} has no column 'file' naming the file each row describes.")
    return header


def parse(data: bytes, *, encoding: str | None = None, today: dt.date) -> dict[str, RowMetadata]:
    """The metadata of each file the sidecar names (by its path in the intake, NFC)."""
    text = decode(data, encoding)
    if "\x00" in text:
        raise IntakeRefused(f"{SIDECAR_NAME} holds NUL characters: it is not a CSV file.")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = list(reader)
    except csv.Error as error:
        raise IntakeRefused(f"{SIDECAR_NAME} cannot be read as CSV (line {reader.line_num}): {error}.") from error
    if not rows:
        raise IntakeRefused(f"{SIDECAR_NAME} is empty.")
    header = _header(rows[0])
    found: dict[str, RowMetadata] = {}
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        named = dict(zip(header, cells, strict=False))
        name = normal_name(named.get("file", "").strip())
        if not name:
            continue
        meta = found.get(name)
        if meta is not None:  # listed twice: the file is refused, whichever row is right
            meta.rows.append(number)
            meta.refusal, meta.values = "row_twice", {"rows": ", ".join(map(str, meta.rows))}
            continue
        meta = found[name] = RowMetadata(rows=[number])
        if len(cells) > len(header):
            meta.refusal, meta.values = "row_cells", {"row": number}
            continue
        problem = _fill(meta, number, named, today)
        if problem:
            meta.refusal, meta.values = problem
    return found
