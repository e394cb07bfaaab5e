"""Which State a sanctions regime targets, and so which State a listed person belongs to.

A sanctions list says why a person is on it by the regime that lists them: EU programme keys
(``EU-UKR``, ``EU-BLR``, ``EU-PRK``, ``EU-RUS``...), regulation and decision numbers (269/2014,
765/2006, 2017/1509), OFAC programs (``RUSSIA-EO14024``, ``UKRAINE-EO13660``, ``BELARUS-EO14038``,
``DPRK3``...), OpenSanctions programme ids (``GB-RUS``, ``AU-DPRK``, ``US-RUSHAR``) and dataset
names (``ru_...``). Many lists leave the nationality cell empty where the regime says it all:
over a third of the persons on the EU Belarus list. ``resolve_state`` decides:

1. a nationality that is one of the regime's States: that State (a dual national
   "Russian, Belarusian" on the Belarus list is BY);
2. else a nationality of ours (a Russian on the Belarus list stays RU);
3. else another nationality: not imported, "a national of Serbia, listed under a Belarus
   regime";
4. no nationality: the regime's State; else a State the source associates the person with
   (a post held there, a country cell); else not imported, with that reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rigour.territories import get_territory

from services.imports.parsers.text import AGGRESSOR_STATES

STATE_NAMES = {"RU": "Russia", "BY": "Belarus", "KP": "the DPRK"}

# Words of a programme tag (split on anything but letters and digits) naming a regime
# against one State. "UKR"/"UKRAINE" are the regimes on Russia's aggression against Ukraine
# (EU-UKR, UKRAINE-EO13660..13685, AU-UKRAINE, SECO-UKRAINE).
_TAG_WORDS = {
    "RU": {"RUS", "RUSSIA", "RUSDA", "RUSHAR", "RSA2022", "UKR", "UKRAINE"},
    "BY": {"BLR", "BELARUS"},
    "KP": {"PRK", "DPRK", "DPRK2", "DPRK3", "DPRK4", "NKSPEA", "NKHRA", "NK", "NORTHKOREA"},
}
# Tags with these words are about something else: assets misappropriated from Ukraine's
# state (CA-FACFOA-UKR, CH-FIAA-UA) list Ukrainian officials, not Russian ones
_NOT_A_REGIME = {"FACFOA", "FIAA", "MISAPPROPRIATION"}
# Programme tags of a State's own national list: it lists anyone, whatever State
_OWN_LIST_PREFIXES = ("UA-",)
# EU acts (regulations and CFSP decisions) establishing the regimes, as "number/year" and
# "year/number" the way the Official Journal cites them
_EU_ACTS = {
    "RU": {"269/2014", "833/2014", "2014/145", "2014/512", "2024/1485", "2024/1484", "2024/2642", "2024/2643"},
    "BY": {"765/2006", "2012/642"},
    "KP": {"2017/1509", "2016/849", "329/2007"},
}
_CELEX = re.compile(r"^3(\d{4})([RD])(\d{4})$")
_ACT_NUMBER = re.compile(r"\b(\d{1,4})/(\d{4})\b|\b(\d{4})/(\d{1,4})\b")
_DATASET_PREFIXES = {"ru_": "RU", "by_": "BY", "kp_": "KP"}


def tag_state(tag: str) -> str | None:
    """The State a programme tag targets (EU-BLR -> BY, DPRK3 -> KP, RUSSIA-EO14024 -> RU)."""
    upper = tag.strip().upper()
    if not upper or upper.startswith(_OWN_LIST_PREFIXES):
        return None
    words = set(re.split(r"[^A-Z0-9]+", upper))
    if words & _NOT_A_REGIME:
        return None
    for state, names in _TAG_WORDS.items():
        if words & names:
            return state
    # "NORTH KOREA", "KOREA, NORTH": spelt out
    if "KOREA" in words and "NORTH" in words:
        return "KP"
    return None


def act_state(text: str) -> str | None:
    """The State an EU act targets, from its CELEX number (32006R0765 -> BY) or its number
    as cited ("Council Regulation (EU) No 269/2014" -> RU)."""
    text = text.strip()
    celex = _CELEX.match(text)
    if celex:
        year, number = celex[1], str(int(celex[3]))
        cited = {f"{number}/{year}", f"{year}/{number}"}
        return next((state for state, acts in _EU_ACTS.items() if acts & cited), None)
    for match in _ACT_NUMBER.finditer(text):
        for state, acts in _EU_ACTS.items():
            if match[0] in acts:
                return state
    return None


def dataset_state(name: str) -> str | None:
    """An OpenSanctions dataset named for one of our States (``ru_rupep``)."""
    return next((state for prefix, state in _DATASET_PREFIXES.items() if name.lower().startswith(prefix)), None)


def regime_states(*, tags: Iterable[str] = (), acts: Iterable[str] = (), datasets: Iterable[str] = ()) -> list[str]:
    """The States the regimes of a listing target, in the order found, without repeats."""
    found = [tag_state(t) for t in tags] + [act_state(a) for a in acts] + [dataset_state(d) for d in datasets]
    return list(dict.fromkeys(s for s in found if s))


def country_name(code: str) -> str:
    if code in STATE_NAMES:
        return STATE_NAMES[code]
    territory = get_territory(code.lower())
    return territory.name if territory is not None else code


@dataclass(frozen=True)
class StateVerdict:
    state: str | None
    reason: str = ""  # why no State, for the report
    code: str = ""  # the reason without particulars, for the counts


def resolve_state(nationalities: Iterable[str], regimes: Iterable[str], hints: Iterable[str] = ()) -> StateVerdict:
    """The State a listed person belongs to (see the module docstring). ``nationalities`` and
    ``hints`` are ISO codes in the source's order; ``regimes`` the States of the listing's
    regimes; ``hints`` States the source otherwise ties the person to (posts, a country cell),
    used only without a nationality."""
    nationalities = list(dict.fromkeys(c.upper() for c in nationalities))
    regimes = [r for r in regimes if r in AGGRESSOR_STATES]
    for code in nationalities:
        if code in regimes:
            return StateVerdict(code)
    ours = [c for c in nationalities if c in AGGRESSOR_STATES]
    if ours:
        return StateVerdict(ours[0])
    if nationalities:
        names = ", ".join(country_name(c) for c in nationalities)
        if regimes:
            regime = " and ".join(STATE_NAMES[r] for r in regimes)
            return StateVerdict(None, f"a national of {names}, listed under a regime targeting {regime}", "other_state")
        return StateVerdict(None, f"a national of {names}, not of Russia, Belarus or the DPRK", "other_state")
    hinted = [h.upper() for h in hints if h.upper() in AGGRESSOR_STATES]
    if regimes:
        return StateVerdict(next((h for h in hinted if h in regimes), regimes[0]))
    if hinted:
        return StateVerdict(hinted[0])
    return StateVerdict(None, "no nationality given and no regime against Russia, Belarus or the DPRK", "no_state")
