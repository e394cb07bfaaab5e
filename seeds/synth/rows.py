"""The synthetic data set's people and facts: officials and their names, tenures, decisions,
involvements, evidence, supports and dossiers.

Generated in id order from one random stream per table (``frame.rng_for``), so the
same seed gives the same rows. Only what later tables need is kept in memory (an official's
tenures, a decision's involvements and acts); evidence and supports are streamed in batches.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from models.enums import DOSSIER_STATUSES, EVIDENCE_KINDS, INVOLVEMENT_ROLES
from models.official import name_search_key
from seeds.synth.frame import (
    BATCH,
    EXHIBIT_PREFIX,
    FIRST_DAY,
    LAST_DAY,
    STATE_SHARES,
    Frame,
    Sink,
    partial_day,
    pick,
    random_day,
    rng_for,
)
from seeds.synth.names import official_name

VERSIONED = ("created_at", "updated_at", "version")
# The columns each table is written with, in the order the rows give them
OFFICIAL: tuple[str, ...] = ("id", "name", "native_name", "native_script", "state_id", "birth_date")
OFFICIAL += ("birth_date_precision", "gender", *VERSIONED)
OFFICIAL_NAME = ("id", "official_id", "name", "script", "lang", "kind", "search_key", *VERSIONED)
IDENTIFIER = ("id", "official_id", "scheme", "value", *VERSIONED)
DECISION: tuple[str, ...] = (
    "id",
    "title",
    "kind",
    "date",
    "date_precision",
    "institution_id",
    "instrument",
    "summary",
    "stage",
)
DECISION += VERSIONED
DECISION_ACT = ("decision_id", "act_id")
INVOLVEMENT = ("id", "official_id", "decision_id", "role", "status", *VERSIONED)
EVIDENCE: tuple[str, ...] = (
    "id",
    "exhibit_no",
    "title",
    "kind",
    "summary",
    "source",
    "url",
    "collected_by",
    "collected_on",
)
EVIDENCE += ("language", "classification", "reliability", "credibility", *VERSIONED)
ROLE_WEIGHTS = tuple(zip(INVOLVEMENT_ROLES, (8, 6, 20, 12, 14, 8, 6, 12, 8, 6, 2, 1), strict=True))
STATUS_WEIGHTS = (("alleged", 60), ("corroborated", 35), ("disputed", 5))
STAGE_WEIGHTS = (("planning", 20), ("preparation", 30), ("initiation", 15), ("execution", 30), (None, 5))
TIER_WEIGHTS = (("leadership", 3), ("senior", 27), ("operational", 70))
KIND_WEIGHTS = tuple(zip(EVIDENCE_KINDS, (20, 10, 6, 14, 8, 8, 5, 6, 12, 4, 7, 3, 5), strict=True))
CLASSIFICATION_WEIGHTS = (("public", 70), ("restricted", 15), ("confidential", 10), ("strictly_confidential", 5))
RELIABILITY_WEIGHTS = (("A", 5), ("B", 25), ("C", 30), ("D", 20), ("E", 10), ("F", 10))
CREDIBILITY_WEIGHTS = (("1", 10), ("2", 30), ("3", 30), ("4", 15), ("5", 10), ("6", 5))
IDENTIFIER_BY_STATE = {"RU": "eu_269_2014", "BY": "eu_765_2006", "KP": "un"}

INSTRUMENTS = {
    "political": ("Decree", "Resolution", "Federal Law", "Order"),
    "diplomatic": ("Treaty", "Agreement", "Note verbale", "Joint statement"),
    "military": ("Order", "Directive", "Combat order", "Instruction"),
}
TOPICS = {
    "political": (
        "the recognition of the so-called people's republics",
        "the admission of new subjects of the federation",
        "partial mobilisation",
        "martial law in the occupied territories",
        "the use of the armed forces outside the national territory",
        "funding for the special military operation",
        "state awards for participants in the operation",
        "the autumn conscription campaign",
    ),
    "diplomatic": (
        "comprehensive strategic partnership",
        "military and technical cooperation",
        "the stationing of foreign forces",
        "joint exercises of the armed forces",
        "the supply of artillery ammunition",
        "mutual assistance in case of aggression",
    ),
    "military": (
        "the deployment of units to the border",
        "missile strikes on critical infrastructure",
        "the transfer of troops to the Kursk region",
        "the formation of a new army corps",
        "the rotation of units in the occupied territories",
        "the air defence of the border regions",
        "the launch of ballistic missiles from the territory of an ally",
    ),
}
KIND_LABELS = {
    "document": "Copy of",
    "testimony": "Testimony of witness",
    "pow_interview": "Interview of prisoner of war",
    "official_statement": "Official statement on",
    "audio_video": "Video recording of",
    "image": "Photograph of",
    "satellite_imagery": "Satellite image of",
    "intercept": "Intercepted communication on",
    "osint_capture": "Capture of a public post on",
    "expert_report": "Expert report on",
    "sanctions_listing": "Sanctions listing citing",
    "statement_of_reasons": "Statement of reasons citing",
    "press_report": "Press report on",
}
SOURCES = (
    "Official Journal of the European Union (Council Regulation 269/2014 annex)",
    "Office of Foreign Assets Control, SDN list",
    "Security Service of Ukraine (SBU), intercept release",
    "Office of the Prosecutor General of Ukraine",
    "Kremlin.ru, official transcripts",
    "Korean Central News Agency (KCNA)",
    "BelTA state news agency",
    "Maxar Technologies commercial satellite imagery",
    "UN Panel of Experts on the DPRK, final report",
    "Open-source investigation team of the ICPA",
    "Witness interview by the joint investigation team",
    "Coordination Headquarters for the Treatment of Prisoners of War",
)
LANGUAGES = ("ru", "ru", "uk", "en", "be", "ko")


@dataclass
class Facts:
    """What later tables need about earlier rows, indexed by id (index 0 unused)."""

    official_state: list[str] = field(default_factory=lambda: [""])
    by_state: dict[str, list[int]] = field(default_factory=dict)
    # (tenure id, position id, start, end) per official
    tenures: list[list[tuple[int, int, dt.date, dt.date]]] = field(default_factory=lambda: [[]])
    tenure_count: int = 0
    decision_tenure: list[int] = field(default_factory=lambda: [0])
    decision_acts: list[tuple[int, ...]] = field(default_factory=lambda: [()])
    decision_involvements: list[range] = field(default_factory=lambda: [range(0)])
    decision_instrument: list[str] = field(default_factory=lambda: [""])
    involvement_count: int = 0
    support_count: int = 0


class Buffers:
    """Rows of several tables, written together (in the given order, for the foreign keys)."""

    def __init__(self, sink: Sink, tables: Sequence[tuple[str, Sequence[str]]]) -> None:
        self.sink = sink
        self.tables = tables
        self.rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name, _ in tables}

    def add(self, table: str, row: tuple[Any, ...]) -> None:
        self.rows[table].append(row)

    def full(self) -> bool:
        return len(self.rows[self.tables[0][0]]) >= BATCH

    def flush(self) -> None:
        for name, columns in self.tables:
            self.sink.rows(name, columns, self.rows[name])
            self.rows[name] = []


def write_officials(sink: Sink, facts: Facts, frame: Frame, seed: int, count: int) -> None:
    """Officials with a native-script name, aliases, partial birth dates and some identifiers."""
    rng = rng_for(seed, "official")
    out = Buffers(sink, (("official", OFFICIAL), ("official_name", OFFICIAL_NAME), ("external_identifier", IDENTIFIER)))
    name_id = identifier_id = 0
    for official_id in range(1, count + 1):
        state = pick(rng, STATE_SHARES)
        facts.official_state.append(state)
        facts.by_state.setdefault(state, []).append(official_id)
        person = official_name(rng, state)
        birth, precision = None, None
        if rng.random() < 0.85:
            born = random_day(rng, dt.date(1940, 1, 1), dt.date(1985, 12, 31))
            birth, precision = partial_day(rng, born, (60, 15, 25))
        ts = sink.ts(official_id)
        out.add(
            "official",
            (official_id, person.name, person.native_name, person.native_script, frame.state_ids[state])
            + (sink.day(birth), precision, person.gender, ts, ts, 1),
        )
        for alias, script, lang, kind in person.aliases:
            name_id += 1
            key = name_search_key(alias)
            out.add("official_name", (name_id, official_id, alias, script, lang, kind, key, ts, ts, 1))
        if rng.random() < 0.3:
            identifier_id += 1
            scheme = IDENTIFIER_BY_STATE[state]
            value = f"KPi.S{official_id}" if scheme == "un" else f"SYN-{official_id}"
            out.add("external_identifier", (identifier_id, official_id, scheme, value, ts, ts, 1))
            if rng.random() < 0.3:
                identifier_id += 1
                qid = f"Q{90_000_000 + official_id}"
                out.add("external_identifier", (identifier_id, official_id, "wikidata", qid, ts, ts, 1))
        texts = [("name", person.name), ("native_name", person.native_name)]
        sink.index("official", official_id, texts + [("alias", alias[0]) for alias in person.aliases])
        if out.full():
            out.flush()
    out.flush()


def write_tenures(sink: Sink, facts: Facts, frame: Frame, seed: int) -> None:
    """One to three posts per official, in their own State; partial dates, some still in office.
    Every tenure overlaps 2014-2025, so decisions can be dated inside it."""
    rng = rng_for(seed, "tenure")
    columns = ("id", "official_id", "position_id", "start_date", "start_date_precision")
    out = Buffers(sink, (("tenure", (*columns, "end_date", "end_date_precision", *VERSIONED)),))
    tenure_id = 0
    for official_id in range(1, len(facts.official_state)):
        state = facts.official_state[official_id]
        held = []
        for _ in range(pick(rng, ((1, 35), (2, 40), (3, 25)))):
            tenure_id += 1
            position_id = rng.choice(frame.positions[(state, pick(rng, TIER_WEIGHTS))])
            start = random_day(rng, dt.date(2005, 1, 1), dt.date(2024, 12, 31))
            end = None
            if rng.random() < 0.65:
                end = min(start + dt.timedelta(days=rng.randint(180, 3650)), LAST_DAY)
                end = max(end, random_day(rng, FIRST_DAY, dt.date(2015, 12, 31)))
            start_value, start_precision = partial_day(rng, start, (70, 20, 10))
            end_value, end_precision = partial_day(rng, end, (70, 20, 10)) if end else (None, None)
            if end_value is not None and end_value < start_value:  # a coarse end would precede the start
                end_value, end_precision = end, "day"
            held.append((tenure_id, position_id, max(start, FIRST_DAY), min(end or LAST_DAY, LAST_DAY)))
            ts = sink.ts(tenure_id)
            out.add(
                "tenure",
                (tenure_id, official_id, position_id, sink.day(start_value), start_precision)
                + (sink.day(end_value), end_precision, ts, ts, 1),
            )
        facts.tenures.append(held)
        if out.full():
            out.flush()
    out.flush()
    facts.tenure_count = tenure_id


def _acts_for(rng: Any, frame: Frame, state: str, when: dt.date) -> tuple[int, ...]:
    """One or two of the State's acts that had begun by a year after the decision."""
    acts = frame.act_ids.get(state) or frame.act_ids["RU"]
    begun = [act_id for act_id, start in acts if start <= when + dt.timedelta(days=365)] or [acts[0][0]]
    chosen = {rng.choice(begun) for _ in range(pick(rng, ((1, 70), (2, 30))))}
    return tuple(sorted(chosen))


def write_decisions(sink: Sink, facts: Facts, frame: Frame, seed: int, count: int) -> None:
    """Decisions taken by an official's institution during their tenure, with ~2 involvements each."""
    rng = rng_for(seed, "decision")
    out = Buffers(sink, (("decision", DECISION), ("decision_act", DECISION_ACT), ("involvement", INVOLVEMENT)))
    involvement_id = 0
    officials = len(facts.official_state) - 1
    for decision_id in range(1, count + 1):
        official_id = rng.randint(1, officials)
        state = facts.official_state[official_id]
        tenure_id, position_id, first, last = rng.choice(facts.tenures[official_id])
        institution_id = frame.position_institution[position_id]
        when, precision = partial_day(rng, random_day(rng, first, last), (85, 10, 5))
        kind = rng.choice(("political", "diplomatic", "military"))
        number = rng.randint(1, 9999)
        instrument_type = rng.choice(INSTRUMENTS[kind])
        topic = rng.choice(TOPICS[kind])
        title = f"{instrument_type} No. {number} on {topic}"
        instrument = f"{instrument_type} No. {number} of {when.isoformat()}"
        summary = None
        if rng.random() < 0.25:
            summary = f"{frame.institution_names[institution_id]} decided on {topic} ({when.isoformat()})."
        acts = _acts_for(rng, frame, state, when)
        ts = sink.ts(decision_id)
        out.add(
            "decision",
            (decision_id, title, kind, sink.day(when), precision, institution_id, instrument, summary)
            + (pick(rng, STAGE_WEIGHTS), ts, ts, 1),
        )
        for act_id in acts:
            out.add("decision_act", (decision_id, act_id))
        first_involvement = involvement_id + 1
        seen: set[tuple[int, str]] = set()
        for n in range(pick(rng, ((1, 20), (2, 60), (3, 20)))):
            who = official_id if n == 0 or rng.random() < 0.3 else rng.choice(facts.by_state[state])
            role = pick(rng, ROLE_WEIGHTS)
            if (who, role) in seen:
                continue
            seen.add((who, role))
            involvement_id += 1
            its = sink.ts(involvement_id)
            out.add("involvement", (involvement_id, who, decision_id, role, pick(rng, STATUS_WEIGHTS), its, its, 1))
        facts.decision_tenure.append(tenure_id)
        facts.decision_acts.append(acts)
        facts.decision_involvements.append(range(first_involvement, involvement_id + 1))
        facts.decision_instrument.append(instrument)
        sink.index("decision", decision_id, (("title", title), ("instrument", instrument), ("summary", summary)))
        if out.full():
            out.flush()
    out.flush()
    facts.involvement_count = involvement_id


def _targets(facts: Facts, decision_id: int) -> list[tuple[str, int]]:
    """The facts an exhibit about a decision bears on: it, its involvements, the tenure it was
    taken in, its acts."""
    return [
        ("decision", decision_id),
        *(("involvement", i) for i in facts.decision_involvements[decision_id]),
        ("tenure", facts.decision_tenure[decision_id]),
        *(("act", a) for a in facts.decision_acts[decision_id]),
    ]


SUPPORT_COLUMNS = ("id", "evidence_id", "tenure_id", "involvement_id", "decision_id", "act_id", "stance", "pinpoint")
TARGET_SLOT = {"tenure": 0, "involvement": 1, "decision": 2, "act": 3}
PINPOINTS = ("p. {n}", "para. {n}", "00:{n:02d}:14", "sheet {n}", "item {n}")


def _support_targets(rng: Any, facts: Facts, decisions: int, wanted: int) -> list[tuple[str, int]]:
    """``wanted`` distinct facts about one or more decisions (fewer only when the set is tiny)."""
    pool: dict[tuple[str, int], None] = {}
    for _attempt in range(8):
        for target in _targets(facts, rng.randint(1, decisions)):
            pool[target] = None
        if len(pool) >= wanted:
            break
    return rng.sample(list(pool), min(wanted, len(pool)))


def _title(rng: Any, kind: str, evidence_id: int, instrument: str | None) -> str:
    if kind == "testimony":
        return f"Testimony of witness W-{evidence_id}"
    if kind == "pow_interview":
        return f"Interview of prisoner of war P-{rng.randint(1, 9999)}"
    return f"{KIND_LABELS[kind]} {instrument or 'an undated instruction'}"


def write_evidence(
    sink: Sink, facts: Facts, seed: int, count: int, supports: int, with_files: set[int]
) -> list[tuple[int, str, str]]:
    """Exhibits of every kind and classification, each with its share of the ``supports``
    (about one in ten contradicting). Returns (id, exhibit number, kind) of those in ``with_files``."""
    rng = rng_for(seed, "evidence")
    out = Buffers(sink, (("evidence", EVIDENCE), ("support", (*SUPPORT_COLUMNS, *VERSIONED))))
    decisions = len(facts.decision_tenure) - 1
    support_id = 0
    filed = []
    for evidence_id in range(1, count + 1):
        kind = pick(rng, KIND_WEIGHTS)
        decision_id = rng.randint(1, decisions) if decisions else 0
        instrument = facts.decision_instrument[decision_id] if decisions else None
        exhibit_no = f"{EXHIBIT_PREFIX}{evidence_id:07d}"
        summary = f"Bears on {instrument}." if instrument and rng.random() < 0.1 else None
        collected = random_day(rng, FIRST_DAY, LAST_DAY) if rng.random() < 0.8 else None
        team = f"Joint investigation team {rng.randint(1, 40)}" if rng.random() < 0.6 else None
        url = f"https://example.org/captures/{evidence_id}" if kind == "osint_capture" else None
        ts = sink.ts(evidence_id)
        title = _title(rng, kind, evidence_id, instrument)
        out.add(
            "evidence",
            (evidence_id, exhibit_no, title, kind, summary, rng.choice(SOURCES))
            + (url, team, sink.day(collected), rng.choice(LANGUAGES), pick(rng, CLASSIFICATION_WEIGHTS))
            + (pick(rng, RELIABILITY_WEIGHTS), pick(rng, CREDIBILITY_WEIGHTS), ts, ts, 1),
        )
        sink.index("evidence", evidence_id, (("exhibit_no", exhibit_no), ("title", title), ("summary", summary)))
        wanted = evidence_id * supports // count - (evidence_id - 1) * supports // count
        if wanted and decisions:
            for target_type, target_id in _support_targets(rng, facts, decisions, wanted):
                support_id += 1
                slots: list[int | None] = [None, None, None, None]
                slots[TARGET_SLOT[target_type]] = target_id
                stance = "contradicts" if rng.random() < 0.1 else "supports"
                pinpoint = rng.choice(PINPOINTS).format(n=rng.randint(1, 59))
                sts = sink.ts(support_id)
                out.add("support", (support_id, evidence_id, *slots, stance, pinpoint, sts, sts, 1))
        if evidence_id in with_files:
            filed.append((evidence_id, exhibit_no, kind))
        if out.full():
            out.flush()
    out.flush()
    facts.support_count = support_id
    return filed


def write_dossiers(sink: Sink, facts: Facts, seed: int) -> None:
    """A case record for one official in twenty, at every status."""
    rng = rng_for(seed, "dossier")
    officials = len(facts.official_state) - 1
    chosen = sorted(rng.sample(range(1, officials + 1), officials // 20)) if officials else []
    rows = []
    for dossier_id, official_id in enumerate(chosen, start=1):
        theory = None
        if rng.random() < 0.3:
            theory = "Took part in decisions that planned and carried out the act of aggression, from a leading post."
        ts = sink.ts(dossier_id)
        rows.append((dossier_id, official_id, rng.choice(DOSSIER_STATUSES), theory, ts, ts, 1))
        if len(rows) >= BATCH:
            sink.rows("dossier", ("id", "official_id", "status", "theory", *VERSIONED), rows)
            rows = []
    sink.rows("dossier", ("id", "official_id", "status", "theory", *VERSIONED), rows)
