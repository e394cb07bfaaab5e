"""FollowTheMoney JSON lines -> imported persons: OpenSanctions data, and our own FtM export.

One entity per line, ``{"id", "schema", "properties"}``; OpenSanctions adds ``caption``,
``referents``, ``datasets`` and others. Several lines may carry the same id: they are merged
(FtM's ``merge``, which also narrows LegalEntity + Person to Person), so the file is read in one
pass into proxies by id before anything is yielded. Memory grows with the number of entities,
which is fine for sanctions and PEP files; lines longer than ``MAX_LINE_BYTES`` are rejected
without being loaded.

What a Person becomes (``ImportedPerson``):
- scheme ``opensanctions``, ``source_id`` the entity id. Our own export's ids
  (``ts-person-12``) are kept as they are: ``own_official_id`` (records.py) reads them back, so the
  pipeline can update that official instead of matching by name.
- primary name: a Latin-script ``name`` (rigour's ``pick_name``); every other ``name`` and
  ``alias`` is an alias, ``previousName`` a former name, ``weakAlias`` a weak alias, each with
  its script. Case-only variants are folded (rigour's ``reduce_names``) except in our own
  export, which is taken as written.
- birth date with its precision (``1952``, ``1952-10``, ``1952-10-07``); the most precise of
  several. A date FtM cannot read (``1952-13-45``) rejects the line.
- state (regimes.py): a nationality or citizenship that is the State of a regime listing the
  person (the Sanctions' programme ids, the entity's datasets), else one of ours; without
  one, that regime's State, else a country of ours the person is tied to (``country``, a
  post held there: a Position's country or its organisation's). Anyone else is not imported,
  with the reason.
- positions: the Person's ``position`` texts and, for each Occupancy, "title, institution";
  the occupancies themselves, with dates, tier and troika, as ``ImportedTenure`` records
  (records.py ``tenures_of``), so our own export comes back with the same posts and tenures.
- identifiers: ``wikidataId``; Identification entities whose ``type`` is one of our schemes
  (what our export writes); OpenSanctions ``referents`` -- ``ofac-<uid>`` as ``ofac_sdn``,
  ``Q...`` as ``wikidata``, any other as a further ``opensanctions`` id.
- listing: of the Sanction entities naming the person, one with a program id and a listing
  date, then the fullest statement of reasons, then the earliest (authority and program,
  listing date, reason and summary). ``ImportedPerson`` holds one listing.

Other entities are context (Position, Occupancy, the organisations of posts, Sanction,
Identification, links) or, for things that are not persons (companies, vessels, addresses,
documents), one ``Skipped`` row each. A malformed line is a ``Rejected`` row naming the line;
a file in which no line is an FtM entity raises ``FormatError``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from flask_babel import gettext as _
from followthemoney import model
from followthemoney.exc import InvalidData
from followthemoney.proxy import EntityProxy
from followthemoney.schema import Schema
from followthemoney.types import registry
from rigour.names import pick_name, reduce_names

from models.enums import GENDERS, IDENTIFIER_SCHEMES
from models.partial_date import PartialDate, PartialDateError, after_today
from services.imports.parsers.records import (
    OWN_PERSON_ID,
    FormatError,
    ImportedListing,
    ImportedName,
    ImportedPerson,
    ImportedTenure,
    ParsedRow,
    Rejected,
    Skipped,
)
from services.imports.parsers.regimes import regime_states, resolve_state
from services.imports.parsers.text import detect_script, name_language

MAX_LINE_BYTES = 8 * 1024 * 1024
MAX_ID_LENGTH = 200  # match_review.source_id
MAX_IDENTIFIER_LENGTH = 100  # external_identifier.value
OUR_STATES = {"ru": "RU", "by": "BY", "kp": "KP"}
OFAC_REFERENT = re.compile(r"^ofac-(\d+)$")
WIKIDATA_ID = re.compile(r"^Q\d+$")
# FtM name properties -> our name kinds (models.enums.NAME_KINDS); "name" beyond the primary is an alias
NAME_PROPERTIES = (("name", "alias"), ("alias", "alias"), ("previousName", "former_name"), ("weakAlias", "weak_alias"))


# --- reading ---------------------------------------------------------------------------


@dataclass
class _Graph:
    """Every entity of the file by id, with the first line each was seen on."""

    entities: dict[str, EntityProxy] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    referents: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    datasets: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    rejected: list[Rejected] = field(default_factory=list)

    def links(self, schema: str, prop: str) -> dict[str, list[EntityProxy]]:
        """Entities of ``schema`` by the id their ``prop`` points at (Occupancy by holder ...)."""
        found: dict[str, list[EntityProxy]] = defaultdict(list)
        for proxy in self.entities.values():
            if proxy.schema.is_a(schema):
                for target in proxy.get(prop):
                    found[target].append(proxy)
        return found


def _lines(stream: BinaryIO) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) for each line; None for a line over the cap, read past in chunks."""
    number = 0
    while chunk := stream.readline(MAX_LINE_BYTES + 1):
        number += 1
        if len(chunk) > MAX_LINE_BYTES and not chunk.endswith(b"\n"):
            while (rest := stream.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                pass
            yield number, None
        else:
            yield number, chunk


# Dates that become facts (a birth, a tenure's start and end, a listing): none can lie after today
_FACT_DATES = {"Person": {"birthDate"}, "Occupancy": {"startDate", "endDate"}, "Sanction": {"listingDate", "startDate"}}


def _impossible_date(schema: Schema, properties: dict[str, Any]) -> str | None:
    facts = _FACT_DATES.get(schema.name, set())
    for name, values in properties.items():
        prop = schema.get(name)
        if prop is None or prop.type != registry.date:
            continue
        for value in values if isinstance(values, list) else [values]:
            if not (isinstance(value, str) and value.strip()):
                continue
            cleaned = registry.date.clean(value)
            if cleaned is None:
                return _("impossible date %(value)r in %(property)s", value=value[:40], property=name)
            when = _partial(cleaned)
            if name in facts and when is not None and after_today(when.start):
                return _("date %(value)r in %(property)s is after today", value=value[:40], property=name)
    return None


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _entity(text: str) -> tuple[EntityProxy, list[str], list[str]] | str:
    """The line as an FtM entity with its referents and datasets, or the reason it is not one."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        return _("not JSON (%(error)s)", error=str(exc)[:80])
    if not isinstance(data, dict):
        return _("not a JSON object")
    entity_id, schema_name, properties = data.get("id"), data.get("schema"), data.get("properties", {})
    if not isinstance(entity_id, str) or not entity_id.strip():
        return _("the entity has no id")
    if len(entity_id) > MAX_ID_LENGTH:
        return _("the entity id is longer than %(n)d characters", n=MAX_ID_LENGTH)
    if not isinstance(schema_name, str) or not schema_name:
        return _("the entity has no schema")
    schema = model.get(schema_name)
    if schema is None or schema.abstract:
        return _("unknown FollowTheMoney schema %(schema)r", schema=schema_name[:60])
    if not isinstance(properties, dict) or not all(isinstance(v, list | str) for v in properties.values()):
        return _("properties must map each property name to a list of values")
    reason = _impossible_date(schema, properties)
    if reason:
        return reason
    try:
        proxy = model.get_proxy({"id": entity_id, "schema": schema.name, "properties": properties}, cleaned=False)
    except (InvalidData, TypeError, ValueError) as exc:
        return _("not a valid FollowTheMoney entity (%(error)s)", error=str(exc)[:80])
    return proxy, _strings(data.get("referents")), _strings(data.get("datasets"))


def _read(stream: BinaryIO) -> _Graph:
    graph = _Graph()
    lines_read = 0
    for number, chunk in _lines(stream):
        if chunk is None:
            graph.rejected.append(Rejected(number, _("line longer than %(n)s MiB", n=f"{MAX_LINE_BYTES / 2**20:g}")))
            continue
        try:
            text = chunk.decode("utf-8-sig" if number == 1 else "utf-8").strip()
        except UnicodeDecodeError:
            graph.rejected.append(Rejected(number, _("not UTF-8 text")))
            continue
        if not text:
            continue
        lines_read += 1
        parsed = _entity(text)
        if isinstance(parsed, str):
            reason = parsed if chunk.endswith(b"\n") else _("incomplete last line (is the file truncated?)")
            graph.rejected.append(Rejected(number, reason))
            continue
        _add(graph, number, *parsed)
    if not graph.entities:
        first = graph.rejected[0] if graph.rejected else None
        detail = f": {first.reason}" if first else ""
        raise FormatError(_("no FollowTheMoney entity in the file") + detail, line=first.line if first else None)
    return graph


def _add(graph: _Graph, number: int, proxy: EntityProxy, referents: list[str], datasets: list[str]) -> None:
    entity_id = str(proxy.id)
    known = graph.entities.get(entity_id)
    if known is None:
        graph.entities[entity_id] = proxy
        graph.lines[entity_id] = number
    else:
        try:
            known.merge(proxy)
        except InvalidData:
            graph.rejected.append(
                Rejected(
                    number,
                    _(
                        "entity %(id)s is a %(known)s on line %(line)d and cannot also be a %(schema)s",
                        id=entity_id,
                        known=known.schema.name,
                        line=graph.lines[entity_id],
                        schema=proxy.schema.name,
                    ),
                )
            )
            return
    graph.referents[entity_id].extend(referents)
    graph.datasets[entity_id].extend(datasets)


# --- what a person becomes ----------------------------------------------------------------


def _partial(text: str | None) -> PartialDate | None:
    """An FtM date (cleaned: ``1952``, ``1952-10``, ``1952-10-07``, or a timestamp) as a PartialDate."""
    if not text:
        return None
    try:
        return PartialDate.parse(text[:10])
    except PartialDateError:
        return None


def _birth(proxy: EntityProxy) -> PartialDate | None:
    dates = [d for d in (_partial(v) for v in proxy.get("birthDate")) if d is not None]
    precision = {"day": 0, "month": 1, "year": 2}
    return min(dates, key=lambda d: (precision[d.precision], d.value), default=None)


def _keyword(proxy: EntityProxy | None, prefix: str) -> str | None:
    if proxy is None:
        return None
    for keyword in proxy.get("keywords"):
        if keyword.startswith(f"{prefix}:"):
            return str(keyword[len(prefix) + 1 :])
    return None


def _tenure(occupancy: EntityProxy, graph: _Graph) -> ImportedTenure | None:
    post = graph.entities.get(str(occupancy.first("post")))
    if post is None or not post.schema.is_a("Position") or not post.first("name"):
        return None
    organization = graph.entities.get(str(post.first("organization")))
    countries = [*post.get("country")]
    if organization is not None:
        countries += [*organization.get("jurisdiction"), *organization.get("country")]
    return ImportedTenure(
        position_title=str(post.first("name")),
        institution_name=organization.first("name") if organization is not None else None,
        country=countries[0].upper() if countries else None,
        start=_partial(occupancy.first("startDate")),
        end=_partial(occupancy.first("endDate")),
        tier=_keyword(post, "tier"),
        troika=_keyword(post, "troika"),
        institution_kind=_keyword(organization, "kind"),
        note=occupancy.first("description"),
    )


def _state(
    proxy: EntityProxy, tenures: Iterable[ImportedTenure], sanctions: list[EntityProxy], datasets: list[str]
) -> tuple[str | None, str, str]:
    """(State, reason, reason code) by regimes.resolve_state."""
    nationalities = [c for prop in ("nationality", "citizenship") for c in proxy.get(prop)]
    hints = [*proxy.get("country"), *(t.country for t in tenures if t.country)]
    tags = [str(v) for s in sanctions for prop in ("programId", "program") for v in s.get(prop)]
    regimes = regime_states(tags=tags, acts=tags, datasets=datasets)
    verdict = resolve_state([c.split("-")[0] for c in nationalities], regimes, [h.split("-")[0] for h in hints])
    return verdict.state, verdict.reason, verdict.code


def _names(proxy: EntityProxy, exact: bool) -> tuple[str, tuple[ImportedName, ...]]:
    """The primary name (Latin script where there is one) and every other name with its kind."""
    all_names = proxy.get("name")
    latin = [n for n in all_names if detect_script(n) == "Latn"]
    primary = str(all_names[0] if exact else pick_name(latin or all_names) or all_names[0])
    key = (lambda text: text) if exact else str.casefold
    seen = {key(primary)}
    others: list[ImportedName] = []
    for prop, kind in NAME_PROPERTIES:
        values = proxy.get(prop)
        for value in values if exact else reduce_names(values):
            if key(value) not in seen:
                seen.add(key(value))
                script = detect_script(value)
                others.append(ImportedName(name=value, script=script, kind=kind, lang=name_language(value, script)))
    return primary, tuple(others)


def _identifiers(proxy: EntityProxy, graph: _Graph, identifications: list[EntityProxy]) -> tuple[tuple[str, str], ...]:
    found: list[tuple[str, str]] = [("wikidata", q) for q in proxy.get("wikidataId")]
    for ident in identifications:
        scheme, number = ident.first("type"), ident.first("number")
        if scheme in IDENTIFIER_SCHEMES and number:
            found.append((scheme, number))
    for referent in graph.referents.get(str(proxy.id), []):
        if (ofac := OFAC_REFERENT.match(referent)) is not None:
            found.append(("ofac_sdn", ofac.group(1)))
        elif WIKIDATA_ID.match(referent):
            found.append(("wikidata", referent))
        elif referent != proxy.id:
            found.append(("opensanctions", referent))
    own = ("opensanctions", str(proxy.id))
    return tuple(i for i in dict.fromkeys(found) if i != own and 0 < len(i[1]) <= MAX_IDENTIFIER_LENGTH)


def _listing(sanctions: list[EntityProxy]) -> ImportedListing | None:
    listings = []
    for sanction in sanctions:
        dates = [d for d in map(_partial, [*sanction.get("listingDate"), *sanction.get("startDate")]) if d]
        reasons = "\n".join([*sanction.get("reason"), *sanction.get("summary")]) or None
        name = ": ".join([*sanction.get("authority")[:1], *sanction.get("program")[:1]])
        listing = ImportedListing(
            list_name=name or sanction.first("programId") or str(sanction.id),
            program=sanction.first("programId") or sanction.first("program"),
            listed_on=min((d.value for d in dates if d.precision == "day"), default=None),
            reasons=reasons,
            source_url=sanction.first("sourceUrl") or sanction.first("programUrl"),
        )
        # A named programme with a listing date first, then the fullest statement of reasons
        rank = (
            sanction.first("programId") is None,
            listing.listed_on is None,
            -len(reasons or ""),
            listing.listed_on or dt.date.max,
        )
        listings.append((rank, str(sanction.id), listing))
    return min(listings, key=lambda item: item[:2])[2] if listings else None


@dataclass
class _Context:
    graph: _Graph
    occupancies: dict[str, list[EntityProxy]]
    sanctions: dict[str, list[EntityProxy]]
    identifications: dict[str, list[EntityProxy]]

    @classmethod
    def of(cls, graph: _Graph) -> _Context:
        return cls(
            graph,
            graph.links("Occupancy", "holder"),
            graph.links("Sanction", "entity"),
            graph.links("Identification", "holder"),
        )


def _person(proxy: EntityProxy, context: _Context) -> ParsedRow:
    entity_id = str(proxy.id)
    line = context.graph.lines[entity_id]
    if not proxy.get("name"):
        return Rejected(line, _("a Person without a name"))
    found = (_tenure(o, context.graph) for o in context.occupancies.get(entity_id, []))
    tenures = sorted((t for t in found if t), key=lambda t: (str(t.start or ""), t.full_title))
    sanctions = context.sanctions.get(entity_id, [])
    state, reason, code = _state(proxy, tenures, sanctions, context.graph.datasets.get(entity_id, []))
    name, names = _names(proxy, exact=OWN_PERSON_ID.match(entity_id) is not None)
    if state is None:
        return Skipped(line, reason, code, person=True, name=name)
    gender = proxy.first("gender")
    return ImportedPerson(
        line=line,
        scheme="opensanctions",
        source_id=entity_id,
        name=name,
        names=names,
        birth=_birth(proxy),
        state_code=state,
        gender=gender if gender in GENDERS else None,
        positions=tuple(dict.fromkeys([*proxy.get("position"), *(t.full_title for t in tenures)])),
        identifiers=_identifiers(proxy, context.graph, context.identifications.get(entity_id, [])),
        listing=_listing(sanctions),
        extra={"tenures": json.dumps([t.to_json() for t in tenures], ensure_ascii=False)} if tenures else {},
        record_source="opensanctions",
        record_key=entity_id,
    )


def _rows(graph: _Graph) -> Iterator[ParsedRow]:
    context = _Context.of(graph)
    organizations = {
        org for post in graph.entities.values() if post.schema.is_a("Position") for org in post.get("organization")
    }
    for entity_id, proxy in graph.entities.items():
        if proxy.schema.is_a("Person"):
            yield _person(proxy, context)
        elif proxy.schema.is_a("Thing") and not proxy.schema.is_a("Position") and entity_id not in organizations:
            reason = f"{proxy.schema.name}: not a person"
            yield Skipped(graph.lines[entity_id], reason, reason, name=str(proxy.caption or ""))


def parse_ftm(stream: BinaryIO) -> Iterator[ParsedRow]:
    """Every person of an FtM JSON-lines file, with skipped and rejected lines, in line order."""
    graph = _read(stream)
    rows: list[ParsedRow] = [*graph.rejected, *_rows(graph)]
    yield from sorted(rows, key=lambda row: row.line)
