"""The synthetic data set's frame: States, institutions, positions and acts of aggression.

Every value comes from a ``random.Random`` seeded with the run's seed and the table's name,
walked in id order, so the same arguments give the same rows on every run and engine. Ids
are assigned here, so rows refer to each other without asking the database.

``Sink`` receives the rows: ``rows(table, columns, batch)`` writes them and ``index(kind,
record_id, texts)`` adds their searchable texts to the search index.
"""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from typing import Any, Protocol

from models.partial_date import PartialDate
from seeds import demo_data

BATCH = 20_000
EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)  # created_at = EPOCH + id seconds
FIRST_DAY, LAST_DAY = dt.date(2014, 1, 1), dt.date(2025, 12, 31)  # decisions fall in here
STATE_SHARES = (("RU", 70), ("BY", 15), ("KP", 15))
EXHIBIT_PREFIX = "S-"  # the demo uses other prefixes, so exhibit numbers never clash


class Sink(Protocol):
    def rows(self, table: str, columns: Sequence[str], batch: list[tuple[Any, ...]]) -> None: ...

    def index(self, kind: str, record_id: int, texts: Sequence[tuple[str, str | None]]) -> None: ...

    def ts(self, seconds: int) -> Any: ...

    def day(self, value: dt.date | None) -> Any: ...


def rng_for(seed: int, table: str) -> random.Random:
    """One stream per table: adding a table never changes the rows of another."""
    return random.Random(f"{seed}:{table}")  # noqa: S311 (test data, not secrets)


@lru_cache(maxsize=64)
def _cumulative(weighted: tuple[tuple[Any, int], ...]) -> tuple[tuple[Any, ...], list[int]]:
    return tuple(v for v, _ in weighted), list(accumulate(w for _, w in weighted))


def pick(rng: random.Random, weighted: tuple[tuple[Any, int], ...]) -> Any:
    """``rng.choices(values, weights)[0]`` (the same draw), without rebuilding the table each call."""
    values, cumulative = _cumulative(weighted)
    return values[bisect(cumulative, rng.random() * (cumulative[-1] + 0.0), 0, len(cumulative) - 1)]


def partial_day(rng: random.Random, value: dt.date, weights: tuple[int, int, int]) -> tuple[dt.date, str]:
    """``value`` at a random precision (day, month or year), stored as its interval's first day."""
    precision = rng.choices(("day", "month", "year"), weights)[0]
    if precision == "month":
        return value.replace(day=1), precision
    if precision == "year":
        return value.replace(month=1, day=1), precision
    return value, precision


def random_day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, max(0, (last - first).days)))


# --- the fixed frame: States, institutions, positions, acts -----------------------------------

TROIKA_TITLES = {
    ("RU", "president"): ("President of the Russian Federation", "head_of_state"),
    ("RU", "government"): ("Chairman of the Government", "head_of_government"),
    ("RU", "mfa"): ("Minister of Foreign Affairs", "foreign_minister"),
    ("BY", "president"): ("President of the Republic of Belarus", "head_of_state"),
    ("BY", "government"): ("Prime Minister", "head_of_government"),
    ("BY", "mfa"): ("Minister of Foreign Affairs", "foreign_minister"),
    ("KP", "president"): ("President of the State Affairs", "head_of_state"),
    ("KP", "government"): ("Premier of the Cabinet", "head_of_government"),
    ("KP", "mfa"): ("Minister of Foreign Affairs", "foreign_minister"),
}
# (key, name, native name, kind, parent key) of each State's main bodies
TOP_INSTITUTIONS: dict[str, tuple[tuple[str, str, str, str, str | None], ...]] = {
    "RU": (
        ("president", "Office of the President of the Russian Federation", "Администрация Президента Российской Федерации", "head_of_state_office", None),  # noqa: E501
        ("government", "Government of the Russian Federation", "Правительство Российской Федерации", "government", None),  # noqa: E501
        ("mfa", "Ministry of Foreign Affairs of the Russian Federation", "Министерство иностранных дел Российской Федерации", "ministry", "government"),  # noqa: E501
        ("mod", "Ministry of Defence of the Russian Federation", "Министерство обороны Российской Федерации", "ministry", "government"),  # noqa: E501
        ("staff", "General Staff of the Armed Forces of the Russian Federation", "Генеральный штаб Вооружённых сил Российской Федерации", "military_command", "mod"),  # noqa: E501
        ("security", "Security Council of the Russian Federation", "Совет Безопасности Российской Федерации", "security_council", None),  # noqa: E501
        ("lower", "State Duma of the Federal Assembly", "Государственная дума Федерального собрания", "parliament_chamber", None),  # noqa: E501
        ("upper", "Federation Council of the Federal Assembly", "Совет Федерации Федерального собрания", "parliament_chamber", None),  # noqa: E501
        ("party", "United Russia General Council", "Генеральный совет партии «Единая Россия»", "party_organ", None),  # noqa: E501
    ),
    "BY": (
        ("president", "Administration of the President of the Republic of Belarus", "Администрация Президента Республики Беларусь", "head_of_state_office", None),  # noqa: E501
        ("government", "Council of Ministers of the Republic of Belarus", "Совет Министров Республики Беларусь", "government", None),  # noqa: E501
        ("mfa", "Ministry of Foreign Affairs of the Republic of Belarus", "Министерство иностранных дел Республики Беларусь", "ministry", "government"),  # noqa: E501
        ("mod", "Ministry of Defence of the Republic of Belarus", "Министерство обороны Республики Беларусь", "ministry", "government"),  # noqa: E501
        ("staff", "General Staff of the Armed Forces of the Republic of Belarus", "Генеральный штаб Вооружённых Сил Республики Беларусь", "military_command", "mod"),  # noqa: E501
        ("security", "Security Council of the Republic of Belarus", "Совет Безопасности Республики Беларусь", "security_council", None),  # noqa: E501
        ("lower", "House of Representatives of the National Assembly", "Палата представителей Национального собрания", "parliament_chamber", None),  # noqa: E501
        ("upper", "Council of the Republic of the National Assembly", "Совет Республики Национального собрания", "parliament_chamber", None),  # noqa: E501
    ),
    "KP": (
        ("president", "State Affairs Commission", "국무위원회", "head_of_state_office", None),
        ("government", "Cabinet of the DPRK", "내각", "government", None),
        ("mfa", "Ministry of Foreign Affairs of the DPRK", "외무성", "ministry", "government"),
        ("mod", "Ministry of National Defence of the DPRK", "국방성", "ministry", "government"),
        ("staff", "General Staff of the Korean People's Army", "조선인민군 총참모부", "military_command", "mod"),
        ("party", "Central Committee of the Workers' Party of Korea", "조선로동당 중앙위원회", "party_organ", None),
        ("security", "Central Military Commission of the Workers' Party of Korea", "조선로동당 중앙군사위원회", "party_organ", "party"),  # noqa: E501
        ("lower", "Supreme People's Assembly", "최고인민회의", "parliament_chamber", None),
    ),
}  # fmt: skip
HEAD_TITLES = {
    "head_of_state_office": "Head of the Administration",
    "government": "First Deputy Head of Government",
    "ministry": "Minister",
    "military_command": "Chief",
    "parliament_chamber": "Chairman",
    "security_council": "Secretary",
    "party_organ": "Chairman",
    "other": "Director",
}
UNIT_NAMES = {
    "head_of_state_office": ("Directorate", "other"),
    "government": ("Agency", "other"),
    "ministry": ("Department", "ministry"),
    "military_command": ("Main Directorate", "military_command"),
    "parliament_chamber": ("Committee", "parliament_chamber"),
    "security_council": ("Interagency Commission", "security_council"),
    "party_organ": ("Department", "party_organ"),
    "other": ("Section", "other"),
}
SUB_UNIT_NAMES = {"military_command": "Division", "parliament_chamber": "Subcommittee", "ministry": "Division"}


@dataclass
class Frame:
    """What later tables refer to: ids, and the few facts generation needs about them."""

    state_ids: dict[str, int] = field(default_factory=dict)
    institution_state: list[str] = field(default_factory=lambda: [""])  # by institution id
    institution_names: list[str] = field(default_factory=lambda: [""])
    position_institution: list[int] = field(default_factory=lambda: [0])  # by position id
    positions: dict[tuple[str, str], list[int]] = field(default_factory=dict)  # (state, tier) -> ids
    act_ids: dict[str, list[tuple[int, dt.date]]] = field(default_factory=dict)  # state -> (id, start)


def write_states(sink: Sink, frame: Frame, existing: dict[str, int]) -> None:
    """Reuse the States already there (matched by code), add the others."""
    next_id = max(existing.values(), default=0) + 1
    rows = []
    for item in demo_data.STATES:
        if item["code"] in existing:
            frame.state_ids[item["code"]] = existing[item["code"]]
            continue
        frame.state_ids[item["code"]] = next_id
        rows.append((next_id, item["code"], item["name"], item["role"], sink.ts(next_id), sink.ts(next_id), 1))
        next_id += 1
    sink.rows("state", ("id", "code", "name", "role", "created_at", "updated_at", "version"), rows)


def write_institutions(sink: Sink, frame: Frame, seed: int, extra: int) -> None:
    """Each State's main bodies, then ``extra`` units below them (some two levels down)."""
    rng = rng_for(seed, "institution")
    rows: list[tuple[Any, ...]] = []

    def add(state: str, name: str, native: str | None, kind: str, parent: int | None) -> int:
        new_id = len(frame.institution_state)
        frame.institution_state.append(state)
        frame.institution_names.append(name)
        rows.append((new_id, frame.state_ids[state], parent, name, native, kind, sink.ts(new_id), sink.ts(new_id), 1))
        sink.index("institution", new_id, (("name", name), ("native_name", native)))
        return new_id

    units: dict[str, list[tuple[int, str, bool]]] = {}  # per State: (id, kind, main body?)
    for state, bodies in TOP_INSTITUTIONS.items():
        keys: dict[str, int] = {}
        for key, name, native, kind, parent in bodies:
            keys[key] = add(state, name, native, kind, keys[parent] if parent else None)
            units.setdefault(state, []).append((keys[key], kind, True))
    for n in range(1, extra + 1):
        state = pick(rng, STATE_SHARES)
        parent_id, parent_kind, main = rng.choice(units[state])
        unit, kind = UNIT_NAMES[parent_kind] if main else (SUB_UNIT_NAMES.get(parent_kind, "Section"), parent_kind)
        name = f"{unit} No. {n} of the {frame.institution_names[parent_id]}"[:300]
        new_id = add(state, name, None, kind, parent_id)
        if main and rng.random() < 0.3:  # some units have sections of their own (three levels at most)
            units[state].append((new_id, kind, False))
    columns = ("id", "state_id", "parent_id", "name", "native_name", "kind", "created_at", "updated_at", "version")
    sink.rows("institution", columns, rows)


def write_positions(sink: Sink, frame: Frame, seed: int) -> None:
    """Few leadership posts (the main bodies' heads and the troika), more senior, most operational."""
    rng = rng_for(seed, "position")
    rows: list[tuple[Any, ...]] = []
    offsets, at = {}, 1  # the main bodies' ids, as write_institutions gave them
    for state in TOP_INSTITUTIONS:
        offsets[state] = at
        at += len(TOP_INSTITUTIONS[state])

    def add(institution_id: int, title: str, tier: str, troika: str | None) -> None:
        new_id = len(frame.position_institution)
        frame.position_institution.append(institution_id)
        frame.positions.setdefault((frame.institution_state[institution_id], tier), []).append(new_id)
        rows.append((new_id, institution_id, title, tier, troika, sink.ts(new_id), sink.ts(new_id), 1))

    for state, bodies in TOP_INSTITUTIONS.items():
        for index, (key, _name, _native, kind, _parent) in enumerate(bodies):
            institution_id = offsets[state] + index
            if (state, key) in TROIKA_TITLES:
                title, troika = TROIKA_TITLES[(state, key)]
                add(institution_id, title, "leadership", troika)
            head = HEAD_TITLES[kind]
            add(institution_id, head, "leadership", None)
            add(institution_id, f"First Deputy {head}", "senior", None)
            for k in range(1, rng.randint(2, 4) + 1):
                add(institution_id, f"Deputy {head} {k}", "senior", None)
            member = "Member" if kind in ("parliament_chamber", "security_council", "party_organ") else "Adviser"
            for k in range(1, rng.randint(4, 8) + 1):
                add(institution_id, f"{member} {k}", "operational", None)
    for institution_id in range(at, len(frame.institution_state)):
        add(institution_id, "Head", "senior", None)
        add(institution_id, "First Deputy Head", "senior" if rng.random() < 0.5 else "operational", None)
        for k in range(1, rng.randint(2, 5) + 1):
            add(institution_id, f"Chief Specialist {k}", "operational", None)
    sink.rows(
        "position", ("id", "institution_id", "title", "tier", "troika", "created_at", "updated_at", "version"), rows
    )


def write_acts(sink: Sink, frame: Frame) -> None:
    """The demo's acts of aggression (a handful, with their Art. 3 letters and States)."""
    acts: list[tuple[Any, ...]] = []
    categories: list[tuple[Any, ...]] = []
    states: list[tuple[Any, ...]] = []
    for act_id, item in enumerate(demo_data.ACTS, start=1):
        start = PartialDate.parse(item["start"])
        end = PartialDate.parse(item["end"]) if item["end"] else None
        acts.append(
            (act_id, item["title"], item.get("description"), sink.day(start.value), start.precision)
            + (sink.day(end.value if end else None), end.precision if end else None)
            + (sink.ts(act_id), sink.ts(act_id), 1)
        )
        categories += [(act_id, letter) for letter in sorted(item["categories"])]
        for code in item["states"]:
            states.append((act_id, frame.state_ids[code]))
            frame.act_ids.setdefault(code, []).append((act_id, start.value))
    columns = ("id", "title", "description", "start_date", "start_date_precision", "end_date", "end_date_precision")
    sink.rows("aggression_act", (*columns, "created_at", "updated_at", "version"), acts)
    sink.rows("act_category", ("act_id", "category"), categories)
    sink.rows("act_state", ("act_id", "state_id"), states)


# --- shared helpers for the streamed tables ---------------------------------------------------


def batched(
    sink: Sink, table: str, columns: Sequence[str], count: int, make: Callable[[int], tuple[Any, ...] | None]
) -> None:
    """Write ``make(id)`` for ids 1..count in batches; ``make`` may return None to skip an id."""
    batch: list[tuple[Any, ...]] = []
    for record_id in range(1, count + 1):
        row = make(record_id)
        if row is not None:
            batch.append(row)
        if len(batch) >= BATCH:
            sink.rows(table, columns, batch)
            batch = []
    sink.rows(table, columns, batch)
