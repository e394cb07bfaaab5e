"""A case file as FollowTheMoney (FtM) entities, one JSON object per line.

The shape follows OpenSanctions' data on politically exposed persons, so that importing it
back recreates officials, posts and tenures:

- official          -> Person (name; alias, previousName, weakAlias for the other names, the
                       native-script name among the aliases; birthDate as precise as known,
                       "1952", "1952-10" or "1952-10-07"; nationality and country; wikidataId;
                       position, the posts held, as OpenSanctions writes them; topics role.pep)
- external id       -> Identification (holder, number, type = our scheme key, authority)
- institution       -> PublicBody (jurisdiction and country; parent when exported too)
- position          -> Position (name = title, organization = the PublicBody, country, topics)
- tenure            -> Occupancy (holder, post, startDate, endDate, status current/ended)
- decision          -> Event (date, summary, recordId = instrument, organizer, involved)
- aggression act    -> Event (startDate, endDate, country = the responsible States; notes =
                       its character, gravity and scale as assessed, "aspect: finding")
- decision -> act   -> UnknownLink (subject = decision, object = act, role "contributed to")
- involvement       -> UnknownLink (subject = Person, object = decision, role "voted for", status)
- exhibit           -> Folder (fileName = exhibit number, title, publisher = source, ...)
- exhibit file      -> Document (parent = the exhibit's Folder, fileName, fileSize, mimeType)
- derivative file   -> UnknownLink (subject = derivative, object = parent file, role "translation of")
- support           -> Documentation (document = exhibit, entity, role = supports/contradicts,
                       summary = pinpoint, recordId = the id of the exact fact)
- mode of liability -> Note (entity = Person; name = the mode and its article of Rome Statute
                       Art. 25(3), in English; keywords = mode, status, each element's status,
                       the roles suggesting it and whether it is charged, as stored codes;
                       description = the prosecutors' reason and createdAt = when, when the
                       latest choice charges it): each mode a role suggests or a choice charges

Choices the FtM model forces:
- A file's SHA-256 goes to ``notes`` as ``sha256:<hex>``: ``contentHash`` holds SHA-1 only.
- Documentation.entity must be a Thing, and Occupancy and UnknownLink are Intervals, so a
  support of a tenure or an involvement names the official as its entity and the exact fact's
  entity id in ``recordId``; supports of decisions and acts name their Event directly.
- Enumerated values (position tier, decision kind and stage, exhibit grading and
  classification, act categories) go to ``keywords`` as ``field:value``, in the stored codes,
  so the output does not depend on the exporting user's language.

Entity ids are ``ts-<kind>-<database id>`` (``ts-person-12``, ``ts-support-40``): derived from
nothing but the record's kind and primary key, so exporting the same database twice gives the
same ids, and a later export of the same official merges with an earlier one. They are not
shared between installations: another database numbers its rows on its own, so match across
installations on the identifiers (Identification, wikidataId), not on these ids.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterator

from followthemoney import model
from followthemoney.proxy import EntityProxy

from models import (
    AggressionAct,
    Decision,
    Evidence,
    EvidenceFile,
    Institution,
    Involvement,
    Official,
    Position,
    Support,
    Tenure,
)
from services.assessment.modes import MODES
from services.exports.data import ExportBundle, OfficialCase

ID_PREFIX = "ts"

# Who issues each identifier scheme (models.enums.IDENTIFIER_SCHEMES)
IDENTIFIER_AUTHORITIES = {
    "eu_269_2014": "European Union, Council Regulation (EU) No 269/2014",
    "eu_765_2006": "European Union, Council Regulation (EC) No 765/2006",
    "eu_1509_2017": "European Union, Council Regulation (EU) 2017/1509",
    "eu_fsf": "European Union, Financial Sanctions Files",
    "ofac_sdn": "US Treasury, Office of Foreign Assets Control (SDN list)",
    "opensanctions": "OpenSanctions",
    "un": "United Nations Security Council",
    "uk": "United Kingdom, sanctions list",
    "wikidata": "Wikidata",
}

# OpenSanctions topics for the posts of each kind of institution (models.enums.INSTITUTION_KINDS)
INSTITUTION_TOPICS = {
    "head_of_state_office": ("gov.national", "gov.executive"),
    "government": ("gov.national", "gov.executive"),
    "ministry": ("gov.national", "gov.executive"),
    "military_command": ("gov.national", "mil"),
    "parliament_chamber": ("gov.national", "gov.legislative"),
    "security_council": ("gov.national", "gov.security"),
    "party_organ": ("pol.party",),
    "other": (),
}
TROIKA_TOPICS = {"head_of_state": ("gov.head",), "head_of_government": ("gov.head",), "foreign_minister": ()}

# The FtM property each kind of other name goes to (models.enums.NAME_KINDS)
NAME_PROPERTIES = {
    "alias": "alias",
    "transliteration": "alias",
    "former_name": "previousName",
    "weak_alias": "weakAlias",
}


def entity_id(kind: str, *keys: int | str) -> str:
    """``ts-person-12``; several keys for link records (``ts-decision-3-act-2``)."""
    return "-".join([ID_PREFIX, kind, *(str(key) for key in keys)])


def _country(code: str) -> str:
    return code.lower()


def _role(code: str) -> str:
    """An enumerated role written as words, the same in every export (``voted for``)."""
    return code.replace("_", " ")


class _Entities:
    """The entities of one export, by id; an id made twice is a bug, not a merge."""

    def __init__(self) -> None:
        self.by_id: dict[str, EntityProxy] = {}

    def make(self, schema: str, entity_id_: str) -> EntityProxy:
        if entity_id_ in self.by_id:
            raise ValueError(f"entity {entity_id_} made twice")
        proxy = model.make_entity(schema)
        proxy.id = entity_id_
        self.by_id[entity_id_] = proxy
        return proxy

    def sorted(self) -> list[EntityProxy]:
        return sorted(self.by_id.values(), key=lambda p: (p.schema.name, p.id or ""))


def _add_person(entities: _Entities, official: Official, tenures: list[Tenure]) -> None:
    person = entities.make("Person", entity_id("person", official.id))
    person.add("name", official.name)
    person.add("alias", official.native_name)
    for other in official.names:
        person.add(NAME_PROPERTIES[other.kind], other.name)
    if official.birth is not None:
        person.add("birthDate", str(official.birth))
    person.add("gender", official.gender)
    person.add("nationality", _country(official.state.code))
    person.add("country", _country(official.state.code))
    person.add("notes", official.notes)
    person.add("topics", "role.pep")
    for tenure in tenures:
        person.add("position", tenure.position.full_title)
    for identifier in official.identifiers:
        if identifier.scheme == "wikidata":
            person.add("wikidataId", identifier.value)
        ident = entities.make("Identification", entity_id("identifier", identifier.id))
        ident.add("holder", person.id)
        ident.add("number", identifier.value)
        ident.add("type", identifier.scheme)
        ident.add("authority", IDENTIFIER_AUTHORITIES.get(identifier.scheme))


def _add_public_body(entities: _Entities, institution: Institution, exported: set[int]) -> None:
    body = entities.make("PublicBody", entity_id("institution", institution.id))
    body.add("name", institution.name)
    body.add("alias", institution.native_name)
    body.add("jurisdiction", _country(institution.state.code))
    body.add("country", _country(institution.state.code))
    body.add("topics", list(INSTITUTION_TOPICS.get(institution.kind, ())))
    body.add("keywords", f"kind:{institution.kind}")
    # A parent left out of the export would be a dangling reference
    if institution.parent_id in exported:
        body.add("parent", entity_id("institution", institution.parent_id))


def _add_position(entities: _Entities, position: Position) -> None:
    post = entities.make("Position", entity_id("position", position.id))
    post.add("name", position.title)
    post.add("organization", entity_id("institution", position.institution_id))
    post.add("country", _country(position.institution.state.code))
    post.add("topics", list(INSTITUTION_TOPICS.get(position.institution.kind, ())))
    post.add("keywords", f"tier:{position.tier}")
    if position.troika:
        post.add("topics", list(TROIKA_TOPICS.get(position.troika, ())))
        post.add("keywords", f"troika:{position.troika}")


def _add_occupancy(entities: _Entities, tenure: Tenure, bundle: ExportBundle) -> None:
    occupancy = entities.make("Occupancy", entity_id("tenure", tenure.id))
    occupancy.add("holder", entity_id("person", tenure.official_id))
    occupancy.add("post", entity_id("position", tenure.position_id))
    occupancy.add("startDate", str(tenure.start))
    end = tenure.end
    if end is not None:
        occupancy.add("endDate", str(end))
    # "current" as of the state exported, so the same state always reads the same
    occupancy.add("status", "current" if end is None or end.end >= bundle.as_of else "ended")
    occupancy.add("description", tenure.note)


def _add_decision(entities: _Entities, decision: Decision, involved: list[int]) -> None:
    event = entities.make("Event", entity_id("decision", decision.id))
    event.add("name", decision.title)
    event.add("date", str(decision.when))
    event.add("summary", decision.summary)
    event.add("recordId", decision.instrument)
    event.add("organizer", entity_id("institution", decision.institution_id))
    event.add("country", _country(decision.institution.state.code))
    event.add("involved", [entity_id("person", official_id) for official_id in involved])
    event.add("keywords", f"kind:{decision.kind}")
    if decision.stage:
        event.add("keywords", f"stage:{decision.stage}")


def _add_act(entities: _Entities, act: AggressionAct) -> None:
    event = entities.make("Event", entity_id("act", act.id))
    event.add("name", act.title)
    event.add("startDate", str(act.start))
    if act.end is not None:
        event.add("endDate", str(act.end))
    event.add("description", act.description)
    event.add("country", [_country(state.code) for state in act.states])
    event.add("keywords", [f"category:{letter}" for letter in act.categories])
    event.add("notes", [f"{assessment.aspect}: {assessment.finding}" for assessment in act.assessments])


def _add_link(entities: _Entities, link_id: str, subject: str, target: str, role: str) -> EntityProxy:
    link = entities.make("UnknownLink", link_id)
    link.add("subject", subject)
    link.add("object", target)
    link.add("role", role)
    return link


def _add_involvement(entities: _Entities, involvement: Involvement) -> None:
    link = _add_link(
        entities,
        entity_id("involvement", involvement.id),
        entity_id("person", involvement.official_id),
        entity_id("decision", involvement.decision_id),
        _role(involvement.role),
    )
    link.add("status", involvement.status)
    link.add("description", involvement.note)


def _add_exhibit(entities: _Entities, evidence: Evidence) -> None:
    folder = entities.make("Folder", entity_id("evidence", evidence.id))
    folder.add("fileName", evidence.exhibit_no)
    folder.add("title", evidence.title)
    folder.add("summary", evidence.summary)
    folder.add("publisher", evidence.source)
    folder.add("sourceUrl", evidence.url)
    folder.add("language", evidence.language)
    if evidence.collected_on is not None:
        folder.add("retrievedAt", evidence.collected_on.isoformat())
    folder.add(
        "keywords",
        [
            f"kind:{evidence.kind}",
            f"classification:{evidence.classification}",
            f"reliability:{evidence.reliability}",
            f"credibility:{evidence.credibility}",
        ],
    )
    for label, value in (
        ("Provenance", evidence.provenance),
        ("Collected by", evidence.collected_by),
        ("Collection method", evidence.collection_method),
    ):
        if value:
            folder.add("notes", f"{label}: {value}")
    for file in sorted(evidence.files, key=lambda f: f.id):
        _add_file(entities, file)


def _add_file(entities: _Entities, file: EvidenceFile) -> None:
    document = entities.make("Document", entity_id("file", file.id))
    document.add("parent", entity_id("evidence", file.evidence_id))
    # The store knows the bytes by their hash: the name to fall back on when none was given
    document.add("fileName", file.original_name or file.sha256)
    document.add("fileSize", str(file.size))
    document.add("mimeType", file.media_type)
    document.add("notes", f"sha256:{file.sha256}")
    if file.parent_id is not None and file.derivation:
        # A derivative's parent is a file of the same exhibit, so it is exported too
        link = _add_link(
            entities,
            entity_id("file", file.id, "derived"),
            entity_id("file", file.id),
            entity_id("file", file.parent_id),
            f"{_role(file.derivation)} of",
        )
        link.add("description", file.derivation_note)


def _support_target(support: Support, owners: dict[tuple[str, int], int]) -> tuple[str, str]:
    """(entity, exact fact) ids of what a support bears on; see the module docstring."""
    if support.tenure_id is not None:
        person = owners[("tenure", support.tenure_id)]
        return entity_id("person", person), entity_id("tenure", support.tenure_id)
    if support.involvement_id is not None:
        person = owners[("involvement", support.involvement_id)]
        return entity_id("person", person), entity_id("involvement", support.involvement_id)
    if support.decision_id is not None:
        fact = entity_id("decision", support.decision_id)
        return fact, fact
    if support.act_assessment is not None:
        # The act is the Event; the exact fact (its character, gravity or scale) is recorded beside it
        return entity_id("act", support.act_assessment.act_id), entity_id("act-assessment", support.act_assessment.id)
    if support.act_id is not None:
        fact = entity_id("act", support.act_id)
        return fact, fact
    raise ValueError(f"support {support.id} has no target")


def _add_documentation(entities: _Entities, support: Support, owners: dict[tuple[str, int], int]) -> None:
    target, fact = _support_target(support, owners)
    link = entities.make("Documentation", entity_id("support", support.id))
    link.add("document", entity_id("evidence", support.evidence_id))
    link.add("entity", target)
    link.add("role", support.stance)
    link.add("summary", support.pinpoint)
    link.add("description", support.note)
    link.add("recordId", fact)


MODE_NAMES = {m.code: m.name for m in MODES}


def _add_modes(entities: _Entities, case: OfficialCase) -> None:
    charged = case.charged_modes
    choice = case.dossier.mode_choice if case.dossier else None
    for mode in case.modes:
        note = entities.make("Note", entity_id("mode", case.official.id, mode.code))
        note.add("entity", entity_id("person", case.official.id))
        note.add("name", f"{MODE_NAMES[mode.code]} ({mode.article})")
        note.add("keywords", [f"mode:{mode.code}", f"status:{mode.status}"])
        note.add("keywords", [f"charged:{'yes' if mode.code in charged else 'no'}"])
        note.add("keywords", [f"{element.code}:{element.status}" for element in mode.elements])
        note.add("keywords", [f"role:{role}" for role in mode.roles])
        if choice is not None and mode.code in charged:
            note.add("description", choice.reason)
            note.add("createdAt", choice.chosen_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S"))


def build_entities(bundle: ExportBundle) -> list[EntityProxy]:
    """Every entity of the export, sorted by schema then id."""
    entities = _Entities()
    owners: dict[tuple[str, int], int] = {}
    involved: dict[int, set[int]] = defaultdict(set)
    for case in bundle.cases:
        _add_person(entities, case.official, case.tenures)
        _add_modes(entities, case)
        for tenure in case.tenures:
            owners[("tenure", tenure.id)] = case.official.id
            _add_occupancy(entities, tenure, bundle)
        for involvement in case.involvements:
            owners[("involvement", involvement.id)] = case.official.id
            involved[involvement.decision_id].add(case.official.id)
            _add_involvement(entities, involvement)
    exported_institutions = {i.id for i in bundle.institutions}
    for institution in bundle.institutions:
        _add_public_body(entities, institution, exported_institutions)
    for position in bundle.positions:
        _add_position(entities, position)
    exported_acts = {a.id for a in bundle.acts}
    for act in bundle.acts:
        _add_act(entities, act)
    for decision in bundle.decisions:
        _add_decision(entities, decision, sorted(involved[decision.id]))
        for act in decision.acts:
            if act.id in exported_acts:
                link_id = entity_id("decision", decision.id, "act", act.id)
                subject, target = entity_id("decision", decision.id), entity_id("act", act.id)
                _add_link(entities, link_id, subject, target, "contributed to")
    for evidence in bundle.evidence:
        _add_exhibit(entities, evidence)
    for support in bundle.supports:
        _add_documentation(entities, support, owners)
    return entities.sorted()


def ftm_lines(bundle: ExportBundle) -> Iterator[str]:
    """One FtM entity per line (no line ends), in a fixed order: the same state gives the
    same lines."""
    for proxy in build_entities(bundle):
        yield json.dumps(proxy.to_dict(), sort_keys=True, ensure_ascii=False)
