"""Hypothesis strategies for hostile form input: what a browser would never send, and what a
careless one might."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote_from_bytes

from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from tests.test_fuzz.discovery import CHECKBOX, CHOICE, DATE, FILE, NUMBER, FieldSpec

HOSTILE_CHARS = st.sampled_from(
    ["\x00", "\n", "\r", "\t", "\x1b", "\x7f", "\u202e", "\u200f", "\u200b", "\ufeff", "\ud800", "\udfff", "'", '"']
    + ["<", ">", "&", "%", "\\", "/", "..", "é", "Щ", "김", "𝕏", "\U0010ffff"]
)
HOSTILE_TEXT = st.lists(st.one_of(HOSTILE_CHARS, st.text(max_size=5)), max_size=12).map("".join)
HUGE_TEXT = st.sampled_from([301, 2_001, 10_001, 100_000]).map(lambda n: "Щ" * n)
NUMBERS = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["0", "-1", "1e308", "NaN", "inf", "-0", "0x10", "1.5", " 7 ", "٣", "9" * 40]),
)
DATES = st.one_of(
    st.sampled_from(
        ["2022-02-30", "0000", "9999-99-99", "2022-13", "-5", "2022-02-24T", "20220224", "2022-2-3", "1899"]
        + ["2022-02-24T10:00", "9999-12-31T23:59", "0001-01-01T00:00", "2022-02-24 10:00:00", "2014", "2022-02-24"]
    ),
    st.dates().map(str),
)
JUNK_BYTES = st.one_of(
    st.binary(max_size=300),
    st.sampled_from([b"", b"\x00" * 64, b"%PDF-1.4\n", b"PK\x03\x04", b"\xef\xbb\xbfname,id\n\xff\xfe", b"{\n"]),
)
FILE_NAMES = st.one_of(
    st.sampled_from(["../../etc/passwd", "..\\x.csv", "a\x00b.txt", "evil\u202etxt.exe", "", "x" * 300, "CON"]),
    HOSTILE_TEXT,
)


def text_for(spec: FieldSpec) -> st.SearchStrategy[str]:
    """A value for one field: often a plausible one (so some submissions pass the form and
    reach the services), otherwise hostile."""
    plausible: list[st.SearchStrategy[str]] = [st.text(max_size=20)]
    if spec.kind == CHOICE:
        plausible.append(st.sampled_from(spec.choices) if spec.choices else st.just(""))
    elif spec.kind == DATE:
        plausible.append(DATES)
    elif spec.kind == NUMBER:
        plausible.append(NUMBERS)
    elif spec.kind == CHECKBOX:
        plausible.append(st.sampled_from(["y", "on", "1", "false", ""]))
    else:
        plausible.append(st.sampled_from(["Minister of Defence", "T-0001", "2022-02-24", "0", "supports"]))
    return st.one_of(*plausible, *plausible, HOSTILE_TEXT, HUGE_TEXT, NUMBERS, DATES)


def valid_for(spec: FieldSpec) -> st.SearchStrategy[str]:
    """A value the form should accept, text holding hostile characters included."""
    if spec.kind == CHOICE:
        return st.sampled_from([c for c in spec.choices if c] or [""])
    if spec.kind == DATE:
        return st.sampled_from(["2022-02-24", "2020", "2021-05", "2022-02-24T10:00"])
    if spec.kind == NUMBER:
        return st.sampled_from(spec.choices or [""])  # the version the page was filled from
    if spec.kind == CHECKBOX:
        return st.sampled_from(["y", ""])
    hostile = HOSTILE_TEXT.map(lambda t: f"Name {t}"[:250])
    return st.one_of(st.sampled_from(["Minister of Defence", "T-0001", "supports", "en"]), hostile)


@st.composite
def submissions(draw: Any, specs: Iterable[FieldSpec]) -> list[tuple[str, Any]]:
    """A list of (name, value) pairs: fields missing, repeated, unknown; files of junk. Half
    the submissions are valid but for one field, so that they reach the services."""
    specs = list(specs)
    nearly_valid = draw(st.booleans())
    odd_one = draw(st.sampled_from([s.name for s in specs])) if specs and nearly_valid else None
    pairs: list[tuple[str, Any]] = []
    for spec in specs:
        if spec.kind == FILE:
            pairs.append((spec.name, (draw(JUNK_BYTES), draw(FILE_NAMES))))
            continue
        if nearly_valid and spec.name != odd_one:
            pairs.append((spec.name, draw(valid_for(spec))))
            continue
        if draw(st.integers(0, 9)) == 0:
            continue  # the field is missing
        for _ in range(2 if draw(st.integers(0, 9)) == 0 else 1):  # sometimes twice
            pairs.append((spec.name, draw(text_for(spec))))
    if draw(st.booleans()):
        unknown = draw(st.sampled_from(["id", "created_by_id", "sha256", "deleted_at", "\x00"]))
        pairs.append((unknown, draw(HOSTILE_TEXT)))
    return pairs


def urlencoded(pairs: list[tuple[str, str]]) -> bytes:
    """The body a browser would send, byte by byte: lone surrogates become invalid UTF-8."""
    return b"&".join(
        quote_from_bytes(name.encode("utf-8", "surrogatepass")).encode()
        + b"="
        + quote_from_bytes(value.encode("utf-8", "surrogatepass")).encode()
        for name, value in pairs
    )


def multipart(pairs: list[tuple[str, Any]]) -> MultiDict[str, Any]:
    """The same pairs for a multipart body (files as streams); multipart text is UTF-8, so lone
    surrogates are replaced, as a browser does."""
    fields: list[tuple[str, Any]] = []
    for name, value in pairs:
        if isinstance(value, tuple):
            content, filename = value
            fields.append((name, (io.BytesIO(content), filename.encode("utf-8", "replace").decode("utf-8"))))
        else:
            fields.append((name, value.encode("utf-8", "replace").decode("utf-8")))
    return MultiDict(fields)
