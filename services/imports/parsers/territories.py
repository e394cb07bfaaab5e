"""Country names to States as rigour reads them, without rigour's start-up cost.

rigour's ``lookup_territory`` normalises its 25,000 territory names (in every script) the
first time it is asked: 3 s of CPU in each process that imports a file, more than parsing all
of an EU regime list. ``territory_names.json.gz`` is that table as rigour builds it, in its
order: each normalised name with the State it names ("" for a territory that is no State
today, such as the USSR), written by ``python -m services.imports.parsers.territories`` from the
rigour that requirements.txt pins; tests/test_services/test_import_text.py checks it is
rigour's. ``lookup_state`` answers as ``lookup_territory`` does, its fuzzy search for
misspellings ("Belarussian") included, from the table.
"""

from __future__ import annotations

import gzip
import json
import sys
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from rigour.territories import Territory, lookup_by_identifier
from rigour.territories.util import normalize_territory_name
from rigour.text.distance import raw_levenshtein_cutoff

TABLE = Path(__file__).with_name("territory_names.json.gz")


def state_code(territory: Territory) -> str | None:
    """The ISO 3166 alpha-2 code (upper case) of a territory's State: sub-national territories
    give their country (Crimea -> UA); historical entities (suhh: the USSR) have none."""
    code = territory.code.split("-")[0].upper()
    return code if len(code) == 2 else None


@cache
def _names() -> dict[str, str]:
    """Normalised name -> State code ("" for none), in rigour's order, from the shipped table."""
    with gzip.open(TABLE, "rt", encoding="utf-8") as stream:
        return dict(json.load(stream)["names"])


def _fuzzy(name: str) -> str | None:
    """rigour's ``_fuzzy_search`` over the table: the first name (of more than 4 letters)
    nearest ``name`` within 30% of its length in edits."""
    cutoff = int(len(name) * 0.3)
    best, best_distance = None, cutoff + 1
    for candidate, code in _names().items():
        if len(candidate) <= 4:
            continue
        distance = raw_levenshtein_cutoff(name, candidate, cutoff)
        if distance < best_distance:
            best, best_distance = code, distance
    return best


@lru_cache(maxsize=4096)
def lookup_state(text: str, fuzzy: bool = False) -> tuple[bool, str | None]:
    """(found, State code) as ``state_code(lookup_territory(text, fuzzy))`` gives them: a
    territory's code or identifier, a name in the table, else with ``fuzzy`` the nearest
    name; (False, None) when nothing is found."""
    territory = lookup_by_identifier(text)
    if territory is not None:
        return True, state_code(territory)
    name = normalize_territory_name(text)
    code = _names().get(name)
    if code is None and fuzzy:
        code = _fuzzy(name)
    if code is None:
        return False, None
    return True, code or None


def build() -> list[tuple[str, str]]:
    """rigour's table of territory names (strong names, weak names, places, in its order of
    precedence), each with the State it names; from rigour's own, private, builder."""
    from rigour.territories.lookup import _get_territory_names

    return [(name, state_code(territory) or "") for name, territory in _get_territory_names().items()]


def write_table(path: Path, data: dict[str, Any]) -> None:
    """A shipped table of rigour's: compact JSON, gzipped without a time (the same bytes from the
    same rigour)."""
    with gzip.GzipFile(path, "wb", mtime=0) as stream:
        stream.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def main() -> int:
    from importlib.metadata import version

    names = build()
    data = {"rigour": version("rigour"), "names": names}
    write_table(TABLE, data)
    print(f"{TABLE}: {len(names)} names of rigour {data['rigour']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
