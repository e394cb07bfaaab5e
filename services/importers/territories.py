"""Country names to States as rigour reads them, without rigour's start-up cost.

rigour's ``lookup_territory`` normalises its 25,000 territory names (in every script) the
first time it is asked: 3 s of CPU in each process that imports a file, more than parsing all
of an EU regime list. ``territory_names.json.gz`` is that table as rigour builds it: each
normalised name with the State it names ("" for a territory that is no State today, such as
the USSR), written by ``python -m services.importers.territories`` from the rigour that
requirements.txt pins; tests/test_services/test_import_text.py checks it is rigour's. A name
it does not hold goes to rigour itself (its fuzzy search for misspellings too): the same
answer, later.
"""

from __future__ import annotations

import gzip
import json
import sys
from functools import cache, lru_cache
from pathlib import Path

from rigour.territories import Territory, lookup_by_identifier
from rigour.territories.util import normalize_territory_name

TABLE = Path(__file__).with_name("territory_names.json.gz")


def state_code(territory: Territory) -> str | None:
    """The ISO 3166 alpha-2 code (upper case) of a territory's State: sub-national territories
    give their country (Crimea -> UA); historical entities (suhh: the USSR) have none."""
    code = territory.code.split("-")[0].upper()
    return code if len(code) == 2 else None


@cache
def _names() -> dict[str, str]:
    """Normalised name -> State code ("" for none), from the shipped table."""
    with gzip.open(TABLE, "rt", encoding="utf-8") as stream:
        by_state: dict[str, list[str]] = json.load(stream)["states"]
    return {name: code for code, names in by_state.items() for name in names}


@lru_cache(maxsize=4096)
def known_state(text: str) -> tuple[bool, str | None]:
    """(found, State code) as rigour's ``lookup_territory(text)`` without fuzzy search would
    give them, for a code, an identifier or a name the table holds; (False, None) for any
    other text, which only rigour can answer."""
    territory = lookup_by_identifier(text)
    if territory is not None:
        return True, state_code(territory)
    code = _names().get(normalize_territory_name(text))
    if code is None:
        return False, None
    return True, code or None


def build() -> dict[str, list[str]]:
    """rigour's table of territory names (strong names, weak names, places, in its order of
    precedence), grouped by the State each names; rigour's own, private, builder."""
    from rigour.territories.lookup import _get_territory_names

    by_state: dict[str, list[str]] = {}
    for name, territory in _get_territory_names().items():
        by_state.setdefault(state_code(territory) or "", []).append(name)
    return {code: sorted(names) for code, names in sorted(by_state.items())}


def main() -> int:
    from importlib.metadata import version

    states = build()
    data = {"rigour": version("rigour"), "states": states}
    with gzip.GzipFile(TABLE, "wb", mtime=0) as stream:  # the same bytes from the same rigour
        stream.write(json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8"))
    print(f"{TABLE}: {sum(len(names) for names in states.values())} names of rigour {data['rigour']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
