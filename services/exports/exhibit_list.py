"""A case file's exhibit list as CSV: one row per exhibit the exporting user may see.

Written with the csv module (RFC 4180, every cell quoted, CRLF line ends), UTF-8, a header
row, rows in exhibit-number order. Every cell is data from the case file and is treated as
hostile (OWASP, "CSV injection"): what a spreadsheet would read as a formula (text starting
with =, +, -, @, tab or carriage return) is prefixed with an apostrophe, so it is shown as text
and never evaluated -- at the start of the cell, and after any character a spreadsheet may
split cells or rows on (comma, semicolon, tab, bar, line end; spaces after it aside): a
spreadsheet whose list separator is ";" (Ukrainian and most European locales) reads
``"Memo;=1+1"`` as two cells, the second ``=1+1``, quotes or not.

Dates are ISO (``2022-02-24``, ``2022-02``, ``2022``) and enumerated values are the stored
codes, so the same state gives the same bytes whoever exports it; fact labels are worded in
the exporting user's language, as the dossier pages word them.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from typing import TextIO

from models import Evidence, Support
from services.evidence.exhibits import fact_label
from services.exports.data import ExportBundle

HEADER = [
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
SEPARATOR = "; "  # between several files or facts in one cell
FORMULA_STARTS = "=+-@\t\r"  # what a spreadsheet reads as the start of a formula
CELL_BREAKS = ",;\t|\r\n"  # where a spreadsheet may begin a cell or a row, whatever its separator
# A formula start at the start of the cell, or after a break and any spaces
_FORMULA = re.compile(f"(^|[{re.escape(CELL_BREAKS)}] *)(?=[{re.escape(FORMULA_STARTS)}])")


def neutralise(cell: str) -> str:
    """The cell as a spreadsheet will show it as text rather than run it as a formula, whatever
    separator it splits the file on: an apostrophe before every formula start."""
    return _FORMULA.sub(r"\1'", cell)


def _role(code: str) -> str:
    return code.replace("_", " ")


def _fact(support: Support) -> str:
    label = fact_label(support, str, _role)
    return f"{label} [{support.pinpoint}]" if support.pinpoint else label


def _row(evidence: Evidence, supports: list[Support]) -> list[str]:
    files = sorted(evidence.files, key=lambda f: f.id)
    facts = {
        stance: SEPARATOR.join(_fact(s) for s in supports if s.stance == stance)
        for stance in ("supports", "contradicts")
    }
    return [
        evidence.exhibit_no,
        evidence.title,
        evidence.kind,
        evidence.collected_on.isoformat() if evidence.collected_on else "",
        evidence.source,
        evidence.reliability,
        evidence.credibility,
        evidence.classification,
        SEPARATOR.join(f.original_name or "" for f in files),
        SEPARATOR.join(f.sha256 for f in files),
        facts["supports"],
        facts["contradicts"],
    ]


def csv_rows(bundle: ExportBundle) -> Iterator[list[str]]:
    """The header, then one row per exhibit by exhibit number, every cell neutralised."""
    yield list(HEADER)
    by_exhibit: dict[int, list[Support]] = {}
    for support in sorted(bundle.supports, key=lambda s: s.id):
        by_exhibit.setdefault(support.evidence_id, []).append(support)
    for evidence in sorted(bundle.evidence, key=lambda e: e.exhibit_no):
        yield [neutralise(cell) for cell in _row(evidence, by_exhibit.get(evidence.id, []))]


def write_csv(bundle: ExportBundle, stream: TextIO) -> None:
    """Write the exhibit list to ``stream``, a text stream opened with ``newline=""``."""
    csv.writer(stream, quoting=csv.QUOTE_ALL).writerows(csv_rows(bundle))
