"""Is an incoming person an official we already hold? A score across scripts and spellings.

How the score is computed (the review page shows the same parts):

1. Identifiers. The same identifier (scheme and value) on both sides: decision ``same``, total
   1.0, merged without review. Different values in a scheme that gives one id per person
   (``CONFLICTING_SCHEMES``: Wikidata, the OFAC uid, the UN reference) veto the match. EU entry
   numbers are not among them: they restart in each annex and regulation.
2. Names. Every name of the person is compared with every name of the official, in any
   script, with rigour (the name engine of OpenSanctions): each name is tokenised and
   transliterated to Latin (Шойгу -> shoigu); Hangul names are split into syllables first
   (김정은 -> 김 정 은) because Korean writes a given name as one word where the romanisations
   split it (Kim Jong Un, Kim Jong-un). Parts are paired, in this order:
   - by rigour's name symbols, Wikidata's items for given names and surnames, which tie
     Sergey/Sergei/Сергей, Aksyonov/Aksenov and 김/Kim/Gim together: ``SYMBOL_SCORES``
     ("same name"), 1.0 when the two parts are spelt alike ("identical");
   - by rigour's edit distance for names, cheap for confusable letters, within a budget
     that grows with the length (``SPELLING``): its score ("spelling");
   - by the same metaphone code, for parts of 4 letters or more: ``SOUND_ALIKE`` ("sound").
   A name's similarity is the average over the pairs; a part left over on one side only
   (the patronymic one list omits) weighs ``ONE_SIDED_WEIGHT``, and a part left over on each
   side (Ivan vs Petr) counts as one pair at similarity 0. A pair of names involving a weak
   alias counts ``WEAK_ALIAS_FACTOR`` of its similarity. The best pair gives the name score.
3. Birth dates, from the name score: same day closes ``DATE_SUPPORT`` of the gap to 1; one
   date within the other's period (1952 vs 1952-10-07) closes ``DATE_COMPATIBLE`` of it. Same
   year with a slip of the pen (only the day, only the month, or day and month swapped):
   x ``DATE_TYPO``; same year otherwise: x ``DATE_CONFLICT``. Different years: a veto, unless
   one side gives only a year and the other is within a year of it (year-only dates are
   often approximate): neutral. A date missing on either side: neutral.
4. State: both known and different, x ``STATE_MISMATCH``. Gender: both known and different,
   a veto. A veto multiplies the total by ``VETO_FACTOR``.

Decision: ``same`` (shared identifier); otherwise with no veto, total >= 0.9 ``likely``
(proposed in the review queue), 0.75 to 0.9 ``possible`` (review queue), below ``different``.
A veto always gives ``different``.

``load_candidates`` reads every live official in three queries; ``CandidateIndex.best``
blocks on the folded name parts and their phonetic keys, shortlists the officials sharing the
rarest keys (idf weights) and scores only those, by spelling and sound, and by name symbols
only where parts left unmatched look alike (``SYMBOL_GATE``) or are written in Han or Hangul:
rigour builds its symbol tagger (6-15 s of CPU) on first use, and a file whose persons are
near nobody never needs it. The importer asks ``CandidateIndex.matches``, which leaves out
unscored the officials that cannot be a match whatever the names (``could_match``: a birth
date, the gender or an identifier vetoes them; most of a list's persons against most
officials), and the guard compares by spelling and sound first, asking for symbols only when
no pair of names agrees that way.

The guard (``contradiction``): a row found through its identity (an entry already imported,
an identifier) is attached to an official only when their names share a form (any script,
any transliteration: ``NAMES_AGREE``) and no full birth date differs; otherwise the row goes
to the review queue with the conflict in words. ``certain``: the same name in some script or
transliteration, the same full birth date, the same State, no conflicting identifier: a match
that can be accepted in bulk.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from rigour.names import (
    CompareConfig,
    Name,
    NamePart,
    align_person_name_order,
    compare_parts,
)
from rigour.names import pair_symbols as _pair_symbols
from rigour.text.distance import jaro_winkler
from rigour.text.scripts import codepoint_script
from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session

from models import ExternalIdentifier, Official, OfficialName, PartialDate, State
from models.enums import MatchDecision
from services.imports import name_symbols
from services.imports.parsers.records import ImportedPerson

LIKELY = 0.9
POSSIBLE = 0.75
SYMBOL_SCORES = {"NAME": 0.9, "NICK": 0.75, "INITIAL": 0.5}  # rigour symbol categories; others 0.9
SOUND_ALIKE = 0.8
# rigour's default budget lets Belova pass for Belekhova; 0.85 still keeps Vasiliyevich /
# Vasilevich, Shchegolev / Shchyogolev, Morhun / Morgun
SPELLING = CompareConfig(budget_tolerance=0.85)
ONE_SIDED_WEIGHT = 0.3
WEAK_ALIAS_FACTOR = 0.85
DATE_SUPPORT = 0.6
DATE_COMPATIBLE = 0.2
DATE_TYPO = 0.95
DATE_CONFLICT = 0.8
STATE_MISMATCH = 0.9
VETO_FACTOR = 0.5
# Parts left unmatched by spelling and sound are compared by name symbols when at least this
# alike (Jaro-Winkler): Aleksandr / Alexander 0.90, Pyotr / Peter 0.76, Kim / Gim 0.78, Ivanov / Kiriyenko 0.52
SYMBOL_GATE = 0.75
_HAN_OR_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
NAMES_AGREE = POSSIBLE  # the guard: two persons' names share a form at least this alike
CONFLICTING_SCHEMES = frozenset({"wikidata", "ofac_sdn", "un"})
SHORTLIST = 15  # officials fully scored per incoming person
DECISIONS = MatchDecision.values()  # same, likely, possible, different


# --- names ------------------------------------------------------------------------------


def _split_hangul(text: str) -> str:
    """김정은 -> 김 정 은: one part per syllable, as the romanisations split the name."""
    if not any(codepoint_script(ord(c)) == "Hangul" for c in text):
        return text
    spaced = "".join(f" {c} " if codepoint_script(ord(c)) == "Hangul" else c for c in text)
    return " ".join(spaced.split())


@lru_cache(maxsize=65536)
def analysed(text: str, symbols: bool = True) -> Name | None:
    """rigour's analysis of a person's name (parts, Latin forms, phonetics and, with
    ``symbols``, name symbols); cached. The symbols of a name of the real lists or the demo
    data come from ``name_symbols``' table, the same as rigour's tagger gives without building it."""
    if symbols:
        known = name_symbols.tagged(text, _split_hangul(text))
        if known is not None:
            return known
    return name_symbols.analyse(_split_hangul(text), symbols)


@dataclass(frozen=True)
class PartAgreement:
    incoming: str  # the parts' Latin forms, space-joined ("" when one side has none)
    existing: str
    similarity: float
    how: str  # "identical", "same name" (a symbol), "spelling" (edit distance), "sound" (metaphone), "unmatched"


@dataclass(frozen=True)
class NameAgreement:
    incoming: str
    existing: str
    similarity: float
    parts: tuple[PartAgreement, ...]


def _symbol_score(category: str, left: str, right: str) -> tuple[float, str]:
    if left == right:
        return 1.0, "identical"
    return SYMBOL_SCORES.get(category, 0.9), "same name"


def _weighted(parts: list[PartAgreement], sizes: list[tuple[int, int]]) -> float:
    """The parts' average similarity, weighted by how many parts each pair spans. Unmatched
    parts pair up as conflicts (weight 1, similarity 0); the rest are one-sided."""
    total = weight = 0.0
    left_only = right_only = 0
    for part, (left, right) in zip(parts, sizes, strict=True):
        if part.how == "unmatched":
            left_only, right_only = left_only + left, right_only + right
        else:
            total += part.similarity * max(left, right)
            weight += max(left, right)
    conflicting = min(left_only, right_only)
    weight += conflicting + ONE_SIDED_WEIGHT * (left_only + right_only - 2 * conflicting)
    return total / weight if weight else 0.0


def _align(left: Name, right: Name, pairing: Sequence[Any]) -> tuple[float, tuple[PartAgreement, ...]]:
    parts: list[PartAgreement] = []
    sizes: list[tuple[int, int]] = []
    used_left: set[int] = set()
    used_right: set[int] = set()
    for edge in pairing:
        score, how = _symbol_score(edge.symbol.category.value if edge.symbol else "", edge.qstr, edge.rstr)
        parts.append(PartAgreement(edge.qstr, edge.rstr, score, how))
        sizes.append((len(edge.qps), len(edge.rps)))
        used_left.update(p.index for p in edge.qps)
        used_right.update(p.index for p in edge.rps)
    rest_left: list[NamePart] = [p for p in left.parts if p.index not in used_left]
    rest_right: list[NamePart] = [p for p in right.parts if p.index not in used_right]
    unmatched_left: list[NamePart] = []
    unmatched_right: list[NamePart] = []
    if rest_left and rest_right:
        ordered_left, ordered_right = align_person_name_order(rest_left, rest_right)
        for edge in compare_parts(ordered_left, ordered_right, SPELLING):
            if edge.qps and edge.rps and edge.score > 0:
                how = "identical" if edge.qstr == edge.rstr else "spelling"
                parts.append(PartAgreement(edge.qstr, edge.rstr, 1.0 if how == "identical" else edge.score, how))
                sizes.append((len(edge.qps), len(edge.rps)))
            else:
                unmatched_left.extend(edge.qps)
                unmatched_right.extend(edge.rps)
    else:
        unmatched_left, unmatched_right = rest_left, rest_right
    for part in unmatched_left:
        sound = next((p for p in unmatched_right if _sound_alike(part, p)), None)
        if sound is not None:
            unmatched_right.remove(sound)
            parts.append(PartAgreement(part.comparable, sound.comparable, SOUND_ALIKE, "sound"))
            sizes.append((1, 1))
        else:
            parts.append(PartAgreement(part.comparable, "", 0.0, "unmatched"))
            sizes.append((1, 0))
    for part in unmatched_right:
        parts.append(PartAgreement("", part.comparable, 0.0, "unmatched"))
        sizes.append((0, 1))
    return _weighted(parts, sizes), tuple(parts)


def _sound_alike(left: NamePart, right: NamePart) -> bool:
    """Same metaphone code (Shein / Shen, Yauhenievich / Yauhienavich), for parts long enough."""
    return bool(left.metaphone) and left.metaphone == right.metaphone and min(len(left.form), len(right.form)) >= 4


def _may_share_symbols(agreement: NameAgreement, incoming: str, existing: str) -> bool:
    """Whether name symbols could pair what spelling and sound left apart: parts left
    unmatched on both sides that look alike (Aleksandr / Alexander, Kim / Gim), or a name
    in Han characters or Hangul (김 / Kim)."""
    left = [p.incoming for p in agreement.parts if p.how == "unmatched" and p.incoming]
    right = [p.existing for p in agreement.parts if p.how == "unmatched" and p.existing]
    if not left or not right:
        return False
    if _HAN_OR_HANGUL.search(incoming) or _HAN_OR_HANGUL.search(existing):
        return True
    return any(jaro_winkler(a, b) >= SYMBOL_GATE for a in left for b in right)


def _by_spelling(incoming: str, existing: str) -> tuple[NameAgreement, bool]:
    """The comparison by spelling and sound only, and whether it is settled: whether
    ``compare_names(..., None)`` ends with it (no name symbol could pair what it left apart)."""
    rough = compare_names(incoming, existing, False)
    return rough, rough.similarity >= 1.0 or not _may_share_symbols(rough, incoming, existing)


def compare_names(incoming: str, existing: str, symbols: bool | None = True) -> NameAgreement:
    """How alike two written forms of a person's name are, 0..1, part by part. Without
    ``symbols``: by spelling and sound only; ``None``: with name symbols too where they
    could pair what is left apart (``_may_share_symbols``), which keeps rigour's tagger
    unloaded for names nothing ties."""
    if symbols is None:
        rough, settled = _by_spelling(incoming, existing)
        return rough if settled else compare_names(incoming, existing, True)
    left, right = analysed(incoming, symbols), analysed(existing, symbols)
    if left is None or right is None:
        return NameAgreement(incoming, existing, 0.0, ())
    best: tuple[float, tuple[PartAgreement, ...]] = (0.0, ())
    # pairing by symbols needs a symbol on both sides; most names compared share none
    shared = not left.symbols.isdisjoint(right.symbols)
    for pairing in (_pair_symbols(left, right) if shared else None) or [()]:
        scored = _align(left, right, pairing)
        if scored[0] > best[0] or not best[1]:
            best = scored
    return NameAgreement(incoming, existing, round(best[0], 4), best[1])


# --- dates, candidates, score -------------------------------------------------------------


@dataclass(frozen=True)
class DateVerdict:
    verdict: str  # match, compatible, near, typo, conflict, veto, absent
    incoming: str | None
    existing: str | None


def _one_slip(left: PartialDate, right: PartialDate) -> bool:
    """Two dates of one year that differ by a slip of the pen: only the month, only the day,
    or day and month swapped (1973-07-01 / 1973-07-10 / 1973-01-07)."""
    (month, day), (other_month, other_day) = (left.value.month, left.value.day), (right.value.month, right.value.day)
    return month == other_month or day == other_day or (month, day) == (other_day, other_month)


def compare_births(incoming: PartialDate | None, existing: PartialDate | None) -> DateVerdict:
    shown = (str(incoming) if incoming else None, str(existing) if existing else None)
    if incoming is None or existing is None:
        return DateVerdict("absent", *shown)
    if incoming.precision == existing.precision == "day" and incoming == existing:
        return DateVerdict("match", *shown)
    if incoming.possibly_overlaps(existing):
        return DateVerdict("compatible", *shown)
    if incoming.value.year == existing.value.year:
        return DateVerdict("typo" if _one_slip(incoming, existing) else "conflict", *shown)
    year_only = "year" in (incoming.precision, existing.precision)
    if year_only and abs(incoming.value.year - existing.value.year) <= 1:
        return DateVerdict("near", *shown)
    return DateVerdict("veto", *shown)


@dataclass(frozen=True)
class CandidateName:
    name: str
    script: str | None
    weak: bool = False


@dataclass(frozen=True)
class CandidateOfficial:
    """What matching needs of an official: its names in every script, birth, ids, state."""

    id: int
    name: str
    names: tuple[CandidateName, ...]  # the primary name first
    birth: PartialDate | None
    identifiers: frozenset[tuple[str, str]]
    state_code: str | None
    gender: str | None = None


@dataclass(frozen=True)
class MatchScore:
    total: float  # 0..1
    decision: str  # same, likely, possible, different
    names: tuple[NameAgreement, ...]  # the best name pairs, best first
    date: DateVerdict
    identifiers_shared: tuple[tuple[str, str], ...] = ()
    identifiers_conflicting: tuple[tuple[str, str, str], ...] = ()  # scheme, incoming, existing
    state: str = "unknown"  # same, different, unknown
    gender: str = "unknown"  # same, different (a veto), unknown

    @property
    def vetoed(self) -> bool:
        return self.date.verdict == "veto" or bool(self.identifiers_conflicting) or self.gender == "different"

    def explanation(self) -> dict[str, Any]:
        """JSON for the review queue (MatchReview.explanation)."""
        return {
            "total": self.total,
            "decision": self.decision,
            "names": [
                {
                    "incoming": n.incoming,
                    "existing": n.existing,
                    "similarity": n.similarity,
                    "parts": [[p.incoming, p.existing, round(p.similarity, 3), p.how] for p in n.parts],
                }
                for n in self.names
            ],
            "birth": {"verdict": self.date.verdict, "incoming": self.date.incoming, "existing": self.date.existing},
            "identifiers_shared": [list(i) for i in self.identifiers_shared],
            "identifiers_conflicting": [list(i) for i in self.identifiers_conflicting],
            "state": self.state,
            "gender": self.gender,
        }


def person_names(person: ImportedPerson) -> list[CandidateName]:
    return [
        CandidateName(person.name, None),
        *(CandidateName(n.name, n.script, n.kind == "weak_alias") for n in person.names),
    ]


def _comparable(person: ImportedPerson, official: CandidateOfficial) -> Iterator[tuple[CandidateName, CandidateName]]:
    """The pairs of the two persons' names worth comparing, in order."""
    for mine in person_names(person):
        mine_keys = name_keys(mine.name)
        for theirs in official.names:
            if not mine_keys.isdisjoint(name_keys(theirs.name)):  # else not one part alike: nothing to pair
                yield mine, theirs


def _weighed(agreement: NameAgreement, weak: bool) -> NameAgreement:
    """A pair involving a weak alias counts for less."""
    if not weak:
        return agreement
    similarity = round(agreement.similarity * WEAK_ALIAS_FACTOR, 4)
    return NameAgreement(agreement.incoming, agreement.existing, similarity, agreement.parts)


def _name_pairs(
    person: ImportedPerson, official: CandidateOfficial, symbols: bool | None = None
) -> list[NameAgreement]:
    pairs = [
        _weighed(compare_names(mine.name, theirs.name, symbols), mine.weak or theirs.weak)
        for mine, theirs in _comparable(person, official)
    ]
    return sorted(pairs, key=lambda a: -a.similarity)


def _identifiers(
    person: ImportedPerson, official: CandidateOfficial
) -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    incoming = {(person.scheme, person.source_id), *person.identifiers}
    shared = sorted(incoming & official.identifiers)
    conflicting = sorted(
        (scheme, value, other)
        for scheme, value in incoming
        if scheme in CONFLICTING_SCHEMES
        for other_scheme, other in official.identifiers
        if other_scheme == scheme and other != value and (scheme, value) not in official.identifiers
    )
    return shared, conflicting


def _decide(total: float, vetoed: bool) -> str:
    if vetoed or total < POSSIBLE:
        return "different"
    return "likely" if total >= LIKELY else "possible"


def _agreement(left: str | None, right: str | None) -> str:
    if not left or not right:
        return "unknown"
    return "same" if left == right else "different"


@dataclass(frozen=True)
class _Context:
    """What a score knows of a pair before comparing a name: identifiers, birth dates, State, gender."""

    shared: tuple[tuple[str, str], ...]
    conflicting: tuple[tuple[str, str, str], ...]
    date: DateVerdict
    state: str
    gender: str

    @property
    def vetoed(self) -> bool:
        return self.date.verdict == "veto" or bool(self.conflicting) or self.gender == "different"


def _context(person: ImportedPerson, official: CandidateOfficial) -> _Context:
    shared, conflicting = _identifiers(person, official)
    return _Context(
        tuple(shared),
        tuple(conflicting),
        compare_births(person.birth, official.birth),
        _agreement(person.state_code, official.state_code),
        _agreement(person.gender, official.gender),
    )


def _total(names: float, context: _Context) -> float:
    """The score from the best name agreement: rises with it (never falls as it rises)."""
    total = names
    if context.date.verdict == "match":
        total += (1 - total) * DATE_SUPPORT
    elif context.date.verdict == "compatible":
        total += (1 - total) * DATE_COMPATIBLE
    elif context.date.verdict in ("typo", "conflict"):
        total *= DATE_TYPO if context.date.verdict == "typo" else DATE_CONFLICT
    if context.vetoed:
        total *= VETO_FACTOR
    if context.state == "different":
        total *= STATE_MISMATCH
    return round(total, 4)


def score(person: ImportedPerson, official: CandidateOfficial, symbols: bool | None = None) -> MatchScore:
    """How likely ``person`` is ``official``, with the reasons; see the module docstring."""
    context = _context(person, official)
    pairs = _name_pairs(person, official, symbols)
    names = tuple(p for p in pairs[:3] if p is pairs[0] or p.similarity >= POSSIBLE)
    parts = (context.date, context.shared, context.conflicting, context.state, context.gender)
    if context.shared:
        return MatchScore(1.0, "same", names, *parts)
    total = _total(pairs[0].similarity if pairs else 0.0, context)
    return MatchScore(total, _decide(total, context.vetoed), names, *parts)


def could_match(person: ImportedPerson, official: CandidateOfficial) -> bool:
    """Whether ``score`` may decide anything but "different" for the pair, before any name is
    compared: they share an identifier, or nothing vetoes the match and the best name
    agreement there is (1.0) would reach a possible match."""
    context = _context(person, official)
    return bool(context.shared) or (not context.vetoed and _total(1.0, context) >= POSSIBLE)


# --- loading and blocking -----------------------------------------------------------------


@lru_cache(maxsize=65536)
def name_keys(text: str) -> frozenset[str]:
    """Keys two forms of one name are likely to share: the Latin forms and phonetic codes of
    its parts (not name symbols: they would load rigour's tagger for every import)."""
    name = analysed(text, False)
    if name is None:
        return frozenset()
    keys = {f"t:{part.comparable}" for part in name.parts if len(part.comparable) >= 2}
    keys |= {f"m:{part.metaphone}" for part in name.parts if part.metaphone and len(part.metaphone) >= 2}
    return frozenset(keys)


def blocking_keys(names: Iterable[str]) -> set[str]:
    """Keys two names of one person are likely to share (``name_keys``)."""
    return set().union(*(name_keys(text) for text in names))


@dataclass
class CandidateIndex:
    """Every live official, with an inverted index from blocking keys to officials."""

    candidates: dict[int, CandidateOfficial] = field(default_factory=dict)
    by_key: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    by_identifier: dict[tuple[str, str], set[int]] = field(default_factory=lambda: defaultdict(set))

    def add(self, candidate: CandidateOfficial) -> None:
        """Index an official (also one created earlier in the same import)."""
        self.candidates[candidate.id] = candidate
        for key in blocking_keys(n.name for n in candidate.names):
            self.by_key[key].add(candidate.id)
        for identifier in candidate.identifiers:
            self.by_identifier[identifier].add(candidate.id)

    def rekey(self, ids: dict[int, int]) -> None:
        """Give officials indexed under a provisional id (``ids``' keys) their real one."""
        for old, new in ids.items():
            candidate = replace(self.candidates.pop(old), id=new)
            self.candidates[new] = candidate
            for key in blocking_keys(n.name for n in candidate.names):
                self.by_key[key].discard(old)
                self.by_key[key].add(new)
            for identifier in candidate.identifiers:
                self.by_identifier[identifier].discard(old)
                self.by_identifier[identifier].add(new)

    def shortlist(
        self, person: ImportedPerson, size: int = SHORTLIST, exclude: frozenset[int] = frozenset()
    ) -> list[int]:
        """Officials sharing an identifier, then those sharing the rarest name keys; never
        those in ``exclude``."""
        ids = {(person.scheme, person.source_id), *person.identifiers}
        sure = {c for identifier in ids for c in self.by_identifier.get(identifier, ()) if c not in exclude}
        weights: dict[int, float] = defaultdict(float)
        count = max(len(self.candidates), 1)
        for key in blocking_keys(n.name for n in person_names(person)):
            holders = self.by_key.get(key)
            if holders:
                idf = math.log(1 + count / len(holders))
                for candidate_id in holders:
                    if candidate_id not in exclude:
                        weights[candidate_id] += idf
        ranked = sorted(weights, key=lambda c: (-weights[c], c))
        return [*sorted(sure), *(c for c in ranked if c not in sure)][: max(size, len(sure))]

    def best(
        self, person: ImportedPerson, limit: int = 5, exclude: frozenset[int] = frozenset()
    ) -> list[tuple[CandidateOfficial, MatchScore]]:
        """The ``limit`` best-scoring officials for ``person``, best first (any decision);
        never those in ``exclude``."""
        scored = [
            (self.candidates[c], score(person, self.candidates[c])) for c in self.shortlist(person, exclude=exclude)
        ]
        return _ranked(scored)[:limit]

    def matches(
        self, person: ImportedPerson, limit: int = 5, exclude: frozenset[int] = frozenset()
    ) -> list[tuple[CandidateOfficial, MatchScore]]:
        """``best`` without the officials it finds different: the ``limit`` best that may be
        ``person`` (same, likely, possible), best first. An official a birth date, the gender
        or an identifier rules out whatever the names (``could_match``) is never compared by
        name: comparing names is most of what matching costs, and the symbols a comparison
        may need make rigour build its tagger (seconds of CPU)."""
        scored = [
            (candidate, score(person, candidate))
            for candidate in (self.candidates[c] for c in self.shortlist(person, exclude=exclude))
            if could_match(person, candidate)
        ]
        return [pair for pair in _ranked(scored) if pair[1].decision != "different"][:limit]


def _ranked(scored: list[tuple[CandidateOfficial, MatchScore]]) -> list[tuple[CandidateOfficial, MatchScore]]:
    """Best first: by decision, then score, then the official's id."""
    rank = {decision: i for i, decision in enumerate(DECISIONS)}
    return sorted(scored, key=lambda pair: (rank[pair[1].decision], -pair[1].total, pair[0].id))


def load_candidates(session: Session, ids: Collection[int] | None = None) -> CandidateIndex:
    """Every live official (or those of ``ids``) with its names and identifiers, in three queries."""
    live: ColumnElement[bool] = Official.deleted_at.is_(None)
    if ids is not None:
        live = and_(live, Official.id.in_(sorted(ids)))
    names: dict[int, list[CandidateName]] = defaultdict(list)
    for official_id, name, script, kind in session.execute(
        select(OfficialName.official_id, OfficialName.name, OfficialName.script, OfficialName.kind)
        .join(Official, Official.id == OfficialName.official_id)
        .where(live)
        .order_by(OfficialName.id)
    ):
        names[official_id].append(CandidateName(name, script, kind == "weak_alias"))
    identifiers: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for official_id, scheme, value in session.execute(
        select(ExternalIdentifier.official_id, ExternalIdentifier.scheme, ExternalIdentifier.value)
        .join(Official, Official.id == ExternalIdentifier.official_id)
        .where(live)
    ):
        identifiers[official_id].add((scheme, value))
    index = CandidateIndex()
    for row in session.execute(
        select(
            Official.id,
            Official.name,
            Official.native_name,
            Official.native_script,
            Official.birth_date,
            Official.birth_date_precision,
            Official.gender,
            State.code,
        )
        .join(State, State.id == Official.state_id)
        .where(live)
        .order_by(Official.id)
    ):
        primary = [CandidateName(row.name, "Latn")]
        if row.native_name:
            primary.append(CandidateName(row.native_name, row.native_script))
        index.add(
            CandidateOfficial(
                id=row.id,
                name=row.name,
                names=tuple(primary + names[row.id]),
                birth=PartialDate.from_columns(row.birth_date, row.birth_date_precision),
                identifiers=frozenset(identifiers[row.id]),
                state_code=row.code,
                gender=row.gender,
            )
        )
    return index


# --- the guard, and certain matches -------------------------------------------------------------


def names_agree(person: ImportedPerson, official: CandidateOfficial) -> NameAgreement | None:
    """The closest pair of the two persons' names; None when they have no names."""
    pairs = _name_pairs(person, official)
    return pairs[0] if pairs else None


def _full_births_differ(person: ImportedPerson, official: CandidateOfficial) -> bool:
    left, right = person.birth, official.birth
    return bool(left and right and left.precision == right.precision == "day" and left.value != right.value)


def _agree_by_spelling(person: ImportedPerson, official: CandidateOfficial) -> bool:
    """Whether a pair of the two persons' names agrees (``NAMES_AGREE``) in a comparison by
    spelling and sound that is settled without name symbols: the closest pair agrees then
    too, and the guard needs no more (nor rigour's tagger)."""
    for mine, theirs in _comparable(person, official):
        rough, settled = _by_spelling(mine.name, theirs.name)
        if settled and _weighed(rough, mine.weak or theirs.weak).similarity >= NAMES_AGREE:
            return True
    return False


def contradiction(person: ImportedPerson, official: CandidateOfficial) -> str | None:
    """Why ``person`` cannot be ``official`` whatever points from one to the other: no name
    form in common, a different birth date (full dates that differ, or years too far apart),
    or both; None when nothing contradicts."""
    found = []
    date = compare_births(person.birth, official.birth)
    if _full_births_differ(person, official) or date.verdict == "veto":
        found.append(f"born {date.incoming} according to the row, {date.existing} on record")
    if not _agree_by_spelling(person, official):
        closest = names_agree(person, official)
        if closest is None or closest.similarity < NAMES_AGREE:
            shown = (
                f" (closest: “{closest.incoming}” and “{closest.existing}”, {closest.similarity:.0%} alike)"
                if closest
                else ""
            )
            found.append(f"no name in common with “{official.name}”{shown}")
    return " and ".join(found) or None


def certain(result: MatchScore) -> bool:
    """A match certain enough to accept in bulk: a name identical in some script or
    transliteration (every part the same), the same full birth date, the same State, no
    conflicting identifier, no veto."""
    return (
        not result.vetoed
        and result.date.verdict == "match"
        and result.state == "same"
        and not result.identifiers_conflicting
        and bool(result.names)
        and all(part.how == "identical" for part in result.names[0].parts)
        and result.names[0].similarity >= 0.999
    )
