"""FollowTheMoney export: every line a valid entity, no dangling reference, stable ids."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import pytest
from followthemoney import model
from followthemoney.exc import InvalidData
from sqlalchemy import select

from models import Evidence, ExternalIdentifier, Official, OfficialName
from models.enums import CLASSIFICATIONS, IDENTIFIER_SCHEMES, INSTITUTION_KINDS, NAME_KINDS, TROIKA_KINDS
from services.evidence.exhibits import add_support
from services.evidence.files import Derivation, attach_file
from services.evidence.store import store_for
from services.exports.data import gather
from services.exports.ftm import (
    IDENTIFIER_AUTHORITIES,
    INSTITUTION_TOPICS,
    NAME_PROPERTIES,
    TROIKA_TOPICS,
    entity_id,
    ftm_lines,
)

SCOPE = dt.date(2014, 2, 20)


def export(session, officials, visible=CLASSIFICATIONS):
    ids = [o.id for o in officials]
    return list(ftm_lines(gather(session, ids, visible=tuple(visible), scope_start=SCOPE)))


def _required(schema):
    """Required properties: the schema's own, or those of the nearest schema it extends that
    declares any (a Folder is a Document, so it needs a fileName too)."""
    while not schema.required and len(schema.extends) == 1:
        (schema,) = schema.extends
    return set(schema.required)


def validate(lines):
    """Each line parsed and checked against the FtM model, strictly: known non-abstract schema,
    nothing but id/schema/properties, values unchanged by a full re-cleaning (an unknown
    property or an invalid value would be dropped), required properties present, and every
    entity reference pointing at an entity of the export whose schema fits the property's
    range. Returns the entities by id."""
    entities = {}
    for line in lines:
        assert "\n" not in line and "\r" not in line
        data = json.loads(line)
        assert set(data) == {"id", "schema", "properties"}, data
        schema = model.get(data["schema"])
        assert schema is not None and not schema.abstract, data["schema"]
        assert set(data["properties"]) <= set(schema.properties), (data["id"], set(data["properties"]))
        assert model.get_proxy(data, cleaned=False).to_dict() == data, data["id"]
        schema.validate(data)
        missing = _required(schema) - {k for k, v in data["properties"].items() if v}
        assert not missing, (data["id"], missing)
        assert data["id"] not in entities, f"duplicate id {data['id']}"
        entities[data["id"]] = data
    for data in entities.values():
        schema = model.get(data["schema"])
        for name, values in data["properties"].items():
            prop = schema.get(name)
            if prop.type.name != "entity":
                continue
            for ref in values:
                assert ref in entities, f"{data['id']}.{name} -> {ref} is not in the export"
                assert model.get(entities[ref]["schema"]).is_a(prop.range), (data["id"], name, ref)
    return entities


def of_schema(entities, schema):
    return [e for e in entities.values() if e["schema"] == schema]


def prop(entity, name):
    return entity["properties"].get(name, [])


def demo_officials(session):
    return session.scalars(select(Official).where(Official.deleted_at.is_(None)).order_by(Official.id)).all()


def official_named(session, name):
    return session.scalars(select(Official).where(Official.name == name)).one()


def test_every_line_of_the_whole_demo_is_a_valid_entity_without_dangling_references(demo):
    officials = demo_officials(demo)
    lines = export(demo, officials)
    entities = validate(lines)
    schemas = Counter(e["schema"] for e in entities.values())
    for schema in ("Person", "Identification", "PublicBody", "Position", "Occupancy", "Event", "UnknownLink"):
        assert schemas[schema] > 0, schema
    assert schemas["Folder"] > 0 and schemas["Documentation"] > 0
    assert schemas["Person"] == len(officials)
    roles = Counter(e["properties"]["role"][0] for e in of_schema(entities, "Documentation"))
    assert roles["supports"] > 0 and roles["contradicts"] > 0
    # sorted by schema, then id
    keys = [(json.loads(line)["schema"], json.loads(line)["id"]) for line in lines]
    assert keys == sorted(keys)


def test_two_exports_of_the_same_state_are_identical_and_ids_come_from_database_ids(demo):
    officials = demo_officials(demo)[:6]
    first, second = export(demo, officials), export(demo, officials)
    assert first == second
    ids = {json.loads(line)["id"] for line in first}
    assert {entity_id("person", o.id) for o in officials} <= ids
    assert entity_id("person", officials[0].id) == f"ts-person-{officials[0].id}"
    # the same official exported with others keeps its entities and ids unchanged
    alone = set(export(demo, officials[:1]))
    person_line = next(line for line in alone if json.loads(line)["schema"] == "Person")
    assert person_line in first


def test_names_in_every_script_dates_with_their_precision_and_identifiers(demo):
    putin, kim = official_named(demo, "Vladimir Putin"), official_named(demo, "Kim Jong Un")
    entities = validate(export(demo, [putin, kim]))
    person = entities[entity_id("person", putin.id)]
    assert prop(person, "name") == ["Vladimir Putin"]
    assert "Владимир Владимирович Путин" in prop(person, "alias")
    assert "Путин Владимир Владимирович" in prop(person, "alias")
    assert prop(person, "birthDate") == ["1952-10-07"]
    assert prop(person, "nationality") == ["ru"] and prop(person, "country") == ["ru"]
    assert prop(person, "topics") == ["role.pep"]
    korean = entities[entity_id("person", kim.id)]
    assert "김정은" in prop(korean, "alias") and "Ким Чен Ын" in prop(korean, "alias")
    assert prop(korean, "nationality") == ["kp"]
    idents = {(prop(e, "type")[0], prop(e, "number")[0]): e for e in of_schema(entities, "Identification")}
    sdn = idents[("ofac_sdn", "20157")]
    assert prop(sdn, "holder") == [entity_id("person", kim.id)]
    assert prop(sdn, "authority") == [IDENTIFIER_AUTHORITIES["ofac_sdn"]]
    assert ("eu_269_2014", "669") in idents


def test_partial_birth_dates_name_kinds_and_wikidata(session, make):
    official = make.official(name="Sergei Shoigu", native_name="Сергей Шойгу", gender="male")
    official.birth_date, official.birth_date_precision = dt.date(1955, 5, 1), "month"
    for name, kind in (("Shoygu", "transliteration"), ("S. K. Shoigu", "weak_alias"), ("Old Name", "former_name")):
        session.add(OfficialName(official=official, name=name, script="Latn", kind=kind))
    session.add(ExternalIdentifier(official=official, scheme="wikidata", value="Q313374"))
    session.add(ExternalIdentifier(official=official, scheme="opensanctions", value="Q313374-os"))
    year_only = make.official(name="Year Only", birth_date=dt.date(1966, 1, 1), birth_date_precision="year")
    session.flush()
    entities = validate(export(session, [official, year_only]))
    person = entities[entity_id("person", official.id)]
    assert prop(person, "birthDate") == ["1955-05"]
    assert prop(person, "alias") == ["Сергей Шойгу", "Shoygu"]
    assert prop(person, "weakAlias") == ["S. K. Shoigu"] and prop(person, "previousName") == ["Old Name"]
    assert prop(person, "wikidataId") == ["Q313374"] and prop(person, "gender") == ["male"]
    os_ids = [e for e in of_schema(entities, "Identification") if prop(e, "type") == ["opensanctions"]]
    assert [prop(e, "number") for e in os_ids] == [["Q313374-os"]]
    assert prop(entities[entity_id("person", year_only.id)], "birthDate") == ["1966"]


def test_tenures_as_occupancies_of_positions_of_public_bodies(session, make):
    state = make.state(code="RU")
    ministry = make.institution(state=state, name="Ministry of Defence", kind="ministry")
    staff = make.institution(state=state, name="General Staff", kind="military_command", parent=ministry)
    official = make.official(state=state)
    post = make.position(institution=ministry, title="Minister of Defence", tier="leadership")
    chief = make.position(institution=staff, title="Chief of the General Staff", tier="senior", troika=None)
    ended = make.tenure(official=official, position=post, start="2012-11", end="2024-05-12")
    current = make.tenure(official=official, position=chief, start="2024")
    entities = validate(export(session, [official]))
    occupancy = entities[entity_id("tenure", ended.id)]
    assert prop(occupancy, "holder") == [entity_id("person", official.id)]
    assert prop(occupancy, "post") == [entity_id("position", post.id)]
    assert prop(occupancy, "startDate") == ["2012-11"] and prop(occupancy, "endDate") == ["2024-05-12"]
    assert prop(occupancy, "status") == ["ended"]
    still = entities[entity_id("tenure", current.id)]
    assert prop(still, "startDate") == ["2024"] and not prop(still, "endDate")
    assert prop(still, "status") == ["current"]
    position = entities[entity_id("position", post.id)]
    assert prop(position, "name") == ["Minister of Defence"]
    assert prop(position, "organization") == [entity_id("institution", ministry.id)]
    assert prop(position, "country") == ["ru"]
    assert set(prop(position, "topics")) == {"gov.national", "gov.executive"}
    assert prop(position, "keywords") == ["tier:leadership"]
    body = entities[entity_id("institution", staff.id)]
    assert body["schema"] == "PublicBody"
    assert prop(body, "jurisdiction") == ["ru"] and prop(body, "parent") == [entity_id("institution", ministry.id)]
    assert "Minister of Defence, Ministry of Defence" in prop(entities[entity_id("person", official.id)], "position")


def test_decisions_involvements_and_acts(demo):
    putin = official_named(demo, "Vladimir Putin")
    entities = validate(export(demo, [putin]))
    links = of_schema(entities, "UnknownLink")
    roles = [e for e in links if prop(e, "subject") == [entity_id("person", putin.id)]]
    assert len(roles) == len(putin.involvements)
    for involvement in putin.involvements:
        link = entities[entity_id("involvement", involvement.id)]
        assert prop(link, "object") == [entity_id("decision", involvement.decision_id)]
        assert prop(link, "role") == [involvement.role.replace("_", " ")]
        assert prop(link, "status") == [involvement.status]
        event = entities[entity_id("decision", involvement.decision_id)]
        decision = involvement.decision
        assert prop(event, "name") == [decision.title] and prop(event, "date") == [str(decision.when)]
        assert prop(event, "organizer") == [entity_id("institution", decision.institution_id)]
        assert entity_id("person", putin.id) in prop(event, "involved")
        assert f"kind:{decision.kind}" in prop(event, "keywords")
    contributed = [e for e in links if prop(e, "role") == ["contributed to"]]
    assert contributed
    act = entities[prop(contributed[0], "object")[0]]
    assert act["schema"] == "Event" and prop(act, "startDate")
    assert any(k.startswith("category:") for k in prop(act, "keywords"))


@pytest.fixture
def exhibits(demo, make, app):
    """Putin's first tenure supported by a public exhibit with a file and its translation, and
    contradicted by a confidential one with a file of its own; a decision supported too."""
    putin = official_named(demo, "Vladimir Putin")
    tenure = putin.tenures[0]
    store = store_for(app.config)

    def upload(evidence, data, name, derivation=None):
        incoming = store.receive()
        incoming.write(data)
        return attach_file(demo, store, evidence, incoming, original_name=name, actor=None, derivation=derivation)

    public = make.evidence(exhibit_no="X-0001", title="Kremlin transcript", classification="public")
    original = upload(public, b"Stenogramma", "stenogramma.txt")
    translation = upload(public, b"Transcript", "transcript-en.txt", Derivation(original, "translation", "by CLT"))
    secret = make.evidence(exhibit_no="X-0002", title="Defector testimony", classification="confidential")
    secret_file = upload(secret, b"Secret words", "secret.txt")
    add_support(demo, public, "tenure", tenure.id, stance="supports", pinpoint="p. 2", note=None)
    add_support(demo, secret, "tenure", tenure.id, stance="contradicts", pinpoint="12:30", note="Says he was away")
    decision = putin.involvements[0].decision
    on_decision = add_support(demo, public, "decision", decision.id, stance="supports", pinpoint=None, note=None)
    return putin, tenure, public, (original, translation), secret, secret_file, on_decision


def test_exhibits_their_files_hashes_and_supports(demo, exhibits):
    putin, tenure, public, (original, translation), secret, secret_file, on_decision = exhibits
    entities = validate(export(demo, [putin]))
    folder = entities[entity_id("evidence", public.id)]
    assert folder["schema"] == "Folder"
    assert prop(folder, "fileName") == ["X-0001"] and prop(folder, "title") == ["Kremlin transcript"]
    assert "classification:public" in prop(folder, "keywords")
    document = entities[entity_id("file", original.id)]
    assert prop(document, "parent") == [entity_id("evidence", public.id)]
    assert prop(document, "fileName") == ["stenogramma.txt"]
    assert prop(document, "notes") == [f"sha256:{original.sha256}"]
    assert prop(document, "fileSize") == [str(original.size)]
    derived = entities[entity_id("file", translation.id, "derived")]
    assert prop(derived, "subject") == [entity_id("file", translation.id)]
    assert prop(derived, "object") == [entity_id("file", original.id)]
    assert prop(derived, "role") == ["translation of"] and prop(derived, "description") == ["by CLT"]
    on_tenure = next(
        e
        for e in of_schema(entities, "Documentation")
        if prop(e, "document") == [entity_id("evidence", public.id)] and prop(e, "recordId")[0].startswith("ts-tenure")
    )
    assert prop(on_tenure, "entity") == [entity_id("person", putin.id)]
    assert prop(on_tenure, "recordId") == [entity_id("tenure", tenure.id)]
    assert prop(on_tenure, "role") == ["supports"] and prop(on_tenure, "summary") == ["p. 2"]
    decision_link = entities[entity_id("support", on_decision.id)]
    assert prop(decision_link, "entity") == [entity_id("decision", on_decision.decision_id)]
    against = [e for e in of_schema(entities, "Documentation") if prop(e, "role") == ["contradicts"]]
    assert any(prop(e, "document") == [entity_id("evidence", secret.id)] for e in against)
    assert entity_id("file", secret_file.id) in entities


def test_a_restricted_bundle_holds_no_confidential_exhibit(demo, exhibits):
    putin, _tenure, public, _files, secret, secret_file, _on_decision = exhibits
    lines = export(demo, [putin], visible=("public",))
    entities = validate(lines)
    text = "\n".join(lines)
    assert entity_id("evidence", secret.id) not in entities and entity_id("file", secret_file.id) not in entities
    for leak in ("Defector testimony", "X-0002", secret_file.sha256, "secret.txt", "Says he was away", "12:30"):
        assert leak not in text, leak
    assert entity_id("evidence", public.id) in entities
    classes = {k for e in of_schema(entities, "Folder") for k in prop(e, "keywords") if k.startswith("classification")}
    assert classes == {"classification:public"}
    restricted = demo.scalars(select(Evidence).where(Evidence.classification == "restricted")).all()
    assert restricted and not any(entity_id("evidence", e.id) in entities for e in restricted)


def test_hostile_text_stays_on_its_line_and_inside_its_value(session, make):
    official = make.official(name='Evil\u2028Name\n{"id": "x"}', notes="line\rbreak\u2029end")
    make.tenure(official=official)
    lines = export(session, [official])
    assert len("\n".join(lines).splitlines()) == len(lines)
    entities = validate(lines)
    assert len(entities) == len(lines)


def test_the_mappings_cover_every_enumerated_value():
    assert set(IDENTIFIER_AUTHORITIES) == set(IDENTIFIER_SCHEMES)
    assert set(INSTITUTION_TOPICS) == set(INSTITUTION_KINDS)
    assert set(TROIKA_TOPICS) == set(TROIKA_KINDS)
    assert set(NAME_PROPERTIES) == set(NAME_KINDS)


GOOD_PERSON = {"id": "ts-person-1", "schema": "Person", "properties": {"name": ["A"]}}


@pytest.mark.parametrize(
    "bad",
    [
        {"id": "ts-person-2", "schema": "Person", "properties": {"name": ["B"], "colour": ["red"]}},
        {"id": "ts-person-2", "schema": "Person", "properties": {"name": ["B"], "birthDate": ["22 Feb"]}},
        {"id": "ts-person-2", "schema": "Person", "properties": {"alias": ["B"]}},
        {"id": "ts-person-2", "schema": "Thing", "properties": {"name": ["B"]}},
        {
            "id": "ts-link-1",
            "schema": "UnknownLink",
            "properties": {"subject": ["ts-person-9"], "object": ["ts-person-1"]},
        },
        {
            "id": "ts-tenure-1",
            "schema": "Occupancy",
            "properties": {"holder": ["ts-person-1"], "post": ["ts-person-1"]},
        },
        {"id": "ts-file-1", "schema": "Document", "properties": {"parent": ["ts-person-1"], "fileName": ["a"]}},
        {"id": "ts-evidence-1", "schema": "Folder", "properties": {"title": ["no file name"]}},
        {"id": "ts-file-1", "schema": "Document", "properties": {"fileName": ["a"], "contentHash": ["ab" * 32]}},
        {**GOOD_PERSON, "caption": "A"},
    ],
)
def test_the_validator_refuses_what_the_model_would_not_keep(bad):
    lines = [json.dumps(GOOD_PERSON), json.dumps(bad)]
    with pytest.raises((AssertionError, InvalidData)):
        validate(lines)
