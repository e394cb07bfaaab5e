"""Name symbols of the names we know, as rigour's tagger gives them, without building the tagger.

rigour tags each part of a name with its name symbols (Wikidata's items for given names and
surnames, "bin", "abu", numbers) through a tagger it builds, in Rust, the first time a process
asks for symbols: 9-12 s of CPU in every process that imports a file into a database holding
officials. ``name_symbols.json.gz`` holds the symbols rigour gives every name of the real
sanctions lists and of the demo data (``known_names``): for each name as ``matching.analysed``
receives it, its spans in rigour's order, each a symbol and the indices of the parts it covers
(none for a name without symbols). ``tagged`` rebuilds rigour's analysis of such a name from
its analysis without symbols and the table; a name not in the table gets None, and
``matching.analysed`` asks rigour's tagger for it. Written by ``python -m services.imports.name_symbols``
from the rigour that requirements.txt pins (after an upgrade, or for new lists, run it again);
tests/test_services/test_name_symbols.py checks a sample of the table against rigour's tagger.
"""

from __future__ import annotations

import gzip
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from itertools import groupby
from pathlib import Path
from typing import Any

from rigour.names import Name, NameTypeTag, Span, Symbol, analyze_names

TABLE = Path(__file__).with_name("name_symbols.json.gz")
ROOT = Path(__file__).resolve().parents[2]
REAL_DATA = ROOT.parent / "shared" / "data" / "real"
DEMO_OFFICIALS = ROOT / "seeds" / "data" / "officials.json"  # the demo data's officials (seeds/demo_data.py)
# the category of each of rigour's symbol categories by its short key (NAME, NICK, NUM, ...)
CATEGORIES = {category.value: category for key, category in vars(Symbol.Category).items() if key.isupper()}


def analyse(text: str, symbols: bool) -> Name | None:
    """rigour's analysis of one person's name, the longest form it finds (``matching.analysed``)."""
    names = analyze_names(NameTypeTag.PER, [text], consolidate=False, symbols=symbols)
    return max(names, key=lambda n: (len(n.parts), n.form)) if names else None


@cache
def _table() -> tuple[list[Symbol], dict[str, list[list[int]]]]:
    with gzip.open(TABLE, "rt", encoding="utf-8") as stream:
        data = json.load(stream)
    symbols = [Symbol(CATEGORIES[category], ident) for category, ident in data["symbols"]]
    return symbols, data["names"]


def tagged(text: str, analysed: str) -> Name | None:
    """rigour's analysis, with symbols, of ``analysed`` (the form of ``text`` rigour is given),
    from the table; None when the table does not hold ``text``."""
    symbols, names = _table()
    spans = names.get(text)
    if spans is None:
        return None
    name = analyse(analysed, False)
    if name is None:
        return None
    for symbol, *indices in spans:
        name.spans.append(Span([name.parts[i] for i in indices], symbols[symbol]))
    return name


def spans_of(name: Name | None) -> list[tuple[tuple[int, ...], str, str]]:
    """A name's spans, comparable: (part indices, symbol category, symbol id), in order."""
    if name is None:
        return []
    return [(tuple(p.index for p in span.parts), span.symbol.category.value, span.symbol.id) for span in name.spans]


def known_names(real_data: Path = REAL_DATA) -> list[str]:
    """Every name of a person of the real lists (the EU 269/2014 file, the OFAC file, the
    OpenSanctions cluster) and of the demo officials, once each, in a stable order."""
    from services.imports.parsers.eu_csv import parse_eu_csv
    from services.imports.parsers.ftm import parse_ftm
    from services.imports.parsers.ofac_csv import parse_ofac_csv
    from services.imports.parsers.records import ImportedPerson

    def persons(path: Path, parse: Callable[..., Iterator[object]]) -> Iterator[str]:
        with path.open("rb") as stream:
            for row in parse(stream):
                if isinstance(row, ImportedPerson):
                    yield row.name
                    yield from (n.name for n in row.names)

    def demo() -> Iterator[str]:
        for official in json.loads(DEMO_OFFICIALS.read_text(encoding="utf-8")):
            yield official["name"]
            yield official.get("native_name") or ""
            yield from (alias["name"] for alias in official.get("aliases", ()))

    found: dict[str, None] = {}
    for texts in (
        persons(real_data / "eu_oj_32014R0269_russia_ukraine.csv", parse_eu_csv),
        persons(real_data / "us_ofac_sdn_2024-05-03.csv", parse_ofac_csv),
        persons(real_data / "opensanctions_zala_cluster.ftm.jsonl", parse_ftm),
        demo(),
    ):
        found.update(dict.fromkeys(t for t in texts if t))
    return sorted(found)


def build(texts: Iterable[str]) -> dict[str, Any]:
    """The table of ``texts``' symbols, from rigour's tagger. The symbols of one category on the
    same parts, which rigour gives in an order that changes from process to process (Robert:
    NICK BOB, ROB, ROBBIE), in the order of their ids: the same table from the same rigour."""
    from services.imports.matching import _split_hangul

    symbols: dict[tuple[str, str], int] = {}
    names: dict[str, list[list[int]]] = {}
    for text in texts:
        spans = spans_of(analyse(_split_hangul(text), True))
        names[text] = [
            [symbols.setdefault((category, ident), len(symbols)), *indices]
            for _, run in groupby(spans, key=lambda span: span[:2])
            for indices, category, ident in sorted(run)
        ]
    return {"symbols": [list(key) for key in symbols], "names": names}


def main(argv: list[str] | None = None) -> int:
    """``python -m services.imports.name_symbols [REAL_DATA_DIR]`` (default: shared/data/real beside the checkout)."""
    from importlib.metadata import version

    from services.imports.parsers.territories import write_table

    args = sys.argv[1:] if argv is None else argv
    data = {"rigour": version("rigour"), **build(known_names(Path(args[0]) if args else REAL_DATA))}
    write_table(TABLE, data)
    print(f"{TABLE}: {len(data['names'])} names, {len(data['symbols'])} symbols, rigour {data['rigour']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
