"""CSV records out of a byte stream, one at a time, each with the physical line it starts on.

The csv module does the splitting, over lines this module reads with a bound: a text stream
would read a 200 MB line whole before anything could complain. A line over
``MAX_RECORD_BYTES`` is skipped without being kept (the csv reader sees an empty line in its
place) and the record it belongs to is reported as malformed; the file is read normally after
it. A value that never closes its quote is bounded by csv's field size limit (128 KiB).
Bad quoting and a file that ends inside a quoted value become malformed records too, never
exceptions: the csv reader starts afresh on the next line.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO

MAX_RECORD_BYTES = 1 << 20  # 1 MiB per line: a statement of reasons is a few KB
# The longest value: csv's default, set around each read because other libraries
# (followthemoney) raise csv's process-wide limit when they are imported
MAX_VALUE_CHARS = 128 * 1024
_DRAIN_CHUNK = 1 << 16

# Decodes one physical line (bytes, its line number) or raises FormatError
Decoder = Callable[[bytes, int], str]


@dataclass(frozen=True)
class Record:
    line: int  # where the record starts (1-based)
    cells: list[str] | None  # None when the record is malformed
    error: str | None = None


def _drain(stream: IO[bytes]) -> None:
    """Read past the rest of an overlong line, keeping nothing."""
    while True:
        chunk = stream.readline(_DRAIN_CHUNK)
        if not chunk or chunk.endswith(b"\n"):
            return


def _lines(stream: IO[bytes], decode: Decoder, max_bytes: int, overlong: list[int]) -> Iterator[str]:
    """Decoded physical lines; an overlong one is replaced by an empty line and its number noted."""
    line_no = 0
    while raw := stream.readline(max_bytes + 1):
        line_no += 1
        if len(raw) > max_bytes:
            if not raw.endswith(b"\n"):
                _drain(stream)
            overlong.append(line_no)
            yield "\n"
            continue
        yield decode(raw, line_no)


def _csv_error(exc: csv.Error) -> str:
    text = str(exc)
    if "unexpected end of data" in text:
        return "the file ends inside a quoted value: it is truncated"
    if "field limit" in text:
        return f"a value is longer than {MAX_VALUE_CHARS // 1024} KiB (an unclosed quote?)"
    return f"malformed CSV: {text}"


def csv_records(stream: IO[bytes], decode: Decoder, max_bytes: int = MAX_RECORD_BYTES) -> Iterator[Record]:
    """Every non-blank record of ``stream``; malformed ones carry an ``error`` instead of cells."""
    overlong: list[int] = []
    reader = csv.reader(_lines(stream, decode, max_bytes, overlong), strict=True)
    while True:
        start = reader.line_num + 1
        limit = csv.field_size_limit(MAX_VALUE_CHARS)
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Record(start, None, _csv_error(exc))
            continue
        finally:
            csv.field_size_limit(limit)
        if overlong and overlong[-1] >= start:
            yield Record(start, None, f"the record is longer than {max_bytes // 1024} KiB")
        elif any(cell.strip() for cell in cells):
            yield Record(start, cells)
