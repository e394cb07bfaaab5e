"""The shipped table of name symbols (services/imports/name_symbols.py) answers as rigour's tagger does."""

from __future__ import annotations

import gzip
import json

from rigour.names import Name

from services.imports import matching, name_symbols
from services.imports.matching import _split_hangul


def _shipped() -> dict[str, list[list[int]]]:
    return json.loads(gzip.decompress(name_symbols.TABLE.read_bytes()))["names"]


def _analysis(name: Name | None) -> object:
    """Everything of an analysed name matching reads: forms, parts, spans, symbols. The spans
    sorted: rigour's tagger gives the symbols of one category on one part in an order that
    changes from process to process (Robert: NICK BOB, ROB, ROBBIE)."""
    if name is None:
        return None
    parts = [(p.form, p.index, p.tag, p.metaphone, p.comparable, p.latinize, p.ascii) for p in name.parts]
    return name.form, name.comparable, parts, sorted(name_symbols.spans_of(name)), sorted(map(str, name.symbols))


def _sample() -> list[str]:
    """Every 40th name of the table, and those with a span over several parts, in Hangul or Han
    characters, or with a number: about 250 names of every kind the table holds."""
    names = _shipped()
    texts = sorted(names)
    odd = [t for t in texts if any(len(span) > 2 for span in names[t]) or matching._HAN_OR_HANGUL.search(t)]
    numbers = [t for t in texts if any(ch.isdigit() for ch in t)]
    return sorted({*texts[::40], *odd[:60], *numbers[:20]})


def test_the_shipped_symbols_are_rigours_on_a_sample():
    """After an upgrade of rigour, or when the real lists change: python -m services.imports.name_symbols."""
    sample = _sample()
    assert len(sample) > 200
    for text in sample:
        mine = name_symbols.tagged(text, _split_hangul(text))
        rigours = name_symbols.analyse(_split_hangul(text), True)
        assert _analysis(mine) == _analysis(rigours), text
        assert (mine is None) == (rigours is None), text


def test_the_demo_names_are_in_the_table():
    names = _shipped()
    from seeds.demo_data import OFFICIALS

    for official in OFFICIALS:
        texts = [official["name"], official.get("native_name"), *(a["name"] for a in official.get("aliases", ()))]
        assert all(text in names for text in texts if text), official["key"]


def test_a_name_not_in_the_table_is_tagged_by_rigour():
    text = "Sergei Quuxworthy Zyxqualin"  # no list holds it
    assert name_symbols.tagged(text, text) is None
    matching.analysed.cache_clear()
    found = matching.analysed(text)
    assert found is not None
    assert name_symbols.spans_of(found) == name_symbols.spans_of(name_symbols.analyse(text, True))
    assert any(span[0] == (0,) for span in name_symbols.spans_of(found))  # Sergei's symbols


def test_matching_reads_the_table_for_known_names():
    text = "Сергей Кужугетович Шойгу"
    if text not in _shipped():  # the demo data names Shoigu in Cyrillic
        text = next(t for t, spans in _shipped().items() if spans and not matching._HAN_OR_HANGUL.search(t))
    matching.analysed.cache_clear()
    mine = matching.analysed(text)
    assert _analysis(mine) == _analysis(name_symbols.analyse(_split_hangul(text), True))
    assert name_symbols.spans_of(mine)


def test_the_table_holds_every_known_name_from_the_default_paths():
    """``python -m services.imports.name_symbols`` reads the real lists beside the checkout and
    the demo officials by default; every name it finds there is in the shipped table (a table
    out of date with the data, or default paths that miss the files, fail here)."""
    assert name_symbols.REAL_DATA.is_dir(), name_symbols.REAL_DATA
    assert name_symbols.DEMO_OFFICIALS.is_file(), name_symbols.DEMO_OFFICIALS
    known = name_symbols.known_names()
    assert len(known) > 5000
    assert "Сергей Кужугетович Шойгу" in known  # a demo official's native name
    assert set(known) <= set(_shipped())
