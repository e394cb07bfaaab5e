"""The OpenAPI document states every constraint the API's validators enforce (issue 18.9), so a
client -- or a fuzzer -- can check data before sending it, and the two cannot drift.

For every operation, every field it reads (body, query, multipart, nested objects and list
items) is compared with the document: each validator on it must be one the document states --
a length, a range, an enumeration, a pattern -- with the same values, or one listed below
with the reason no document can state it. Then the shared patterns (services/common/text_rules.py)
are checked against what they stand for, and in the regular-expression dialect of a validator
that is not Python's.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterator
from typing import Any

import jsonschema_rs
import marshmallow as ma
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from marshmallow import fields, validate

from services.common import text_rules
from services.evidence.exhibits import web_address_fault
from tests.test_api.conftest import assert_problem
from views.api.common import Pattern, TextRule

# Validators no OpenAPI document can state, and why; each is said in the field's description
# where it matters to a client
UNSTATABLE = {
    "not_after_today": "a date that has come: today moves, a document is fixed",
    "_no_surrogates": "lone surrogates: no pattern states them alike in Python, ECMA-262 and Rust",
}
# Conditions between fields (OpenAPI 3.0 has no `dependentRequired` nor `if`): stated in the
# descriptions of the fields concerned
CROSS_FIELD = {
    ("DecisionUpdateSchema", "_date"),
    ("DecisionWriteSchema", "_date"),
    ("EvidenceFileUploadSchema", "_derivation"),
    ("OfficialUpdateSchema", "_dates"),
    ("OfficialWriteSchema", "_dates"),
    ("SupportListArgs", "_target"),
}
BODY_LOCATIONS = ("json", "multipart")


@pytest.fixture(scope="module")
def document(app):
    with app.test_client() as client:
        return client.get("/api/v1/openapi.json").get_json()


def _operations(app) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(method, OpenAPI path, flask-smorest argument declaration) for every API operation."""
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        view = app.view_functions[rule.endpoint]
        view_class = getattr(view, "view_class", None)
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            handler = getattr(view_class, method.lower(), None) if view_class else view
            for argument in getattr(handler, "_apidoc", {}).get("arguments", {}).get("parameters", []):
                yield method.lower(), path, argument


def _resolve(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = document
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def _schema(declared: Any) -> ma.Schema:
    return declared() if isinstance(declared, type) else declared


def _fields_and_documents(document, app) -> Iterator[tuple[str, ma.fields.Field, dict[str, Any], bool]]:
    """(where, field, its documented schema, documented as required) for every field read."""
    for method, path, argument in _operations(app):
        operation = document["paths"][path][method]
        schema = _schema(argument["schema"])
        where = f"{method.upper()} {path}"
        if argument["in"] in BODY_LOCATIONS:
            content = operation["requestBody"]["content"]
            (body,) = [_resolve(document, media["schema"]) for media in content.values()]
            yield from _object_fields(document, schema, body, where)
        else:
            parameters = {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "query"}
            for name, field in schema.fields.items():
                assert name in parameters, f"{where}: query argument {name} is not documented"
                yield f"{where} ?{name}", field, parameters[name]["schema"], parameters[name].get("required", False)


def _object_fields(document, schema: ma.Schema, body: dict[str, Any], where: str) -> Iterator[Any]:
    assert body.get("additionalProperties") is False, f"{where}: unknown fields are refused, say so"
    assert schema.unknown == ma.RAISE, where
    required = set(body.get("required", []))
    for name, field in schema.fields.items():
        if field.dump_only:
            continue
        documented = body["properties"][field.data_key or name]
        yield from _field_and_inner(document, f"{where} {name}", field, documented, name in required)


def _nested_object(document, documented: dict[str, Any]) -> dict[str, Any]:
    """A nested object's own schema: a nullable one is documented as anyOf its schema or null."""
    if "anyOf" in documented:
        (own,) = [branch for branch in documented["anyOf"] if "$ref" in branch]
        return _resolve(document, own)
    return documented


def _field_and_inner(document, where: str, field, documented, required: bool) -> Iterator[Any]:
    documented = _resolve(document, documented)
    yield where, field, documented, required
    if isinstance(field, fields.Nested):
        yield from _object_fields(document, _schema(field.schema), _nested_object(document, documented), f"{where}.")
    if isinstance(field, fields.List):
        yield from _field_and_inner(document, f"{where}[]", field.inner, documented["items"], False)


def _stated(field, documented: dict[str, Any], where: str) -> None:
    """Every validator of ``field`` appears in ``documented`` with its values."""
    patterns = [v for v in field.validators if isinstance(v, validate.Regexp)]
    assert len(patterns) <= 1, f"{where}: the document states one pattern per field"
    lengths = [v for v in field.validators if isinstance(v, validate.Length)]
    if lengths:  # the document states the strictest of each bound
        low, high = ("minItems", "maxItems") if isinstance(field, fields.List) else ("minLength", "maxLength")
        assert documented.get(low, 0) == max(v.min or 0 for v in lengths), where
        maxima = [v.max for v in lengths if v.max is not None]
        assert documented.get(high) == (min(maxima) if maxima else None), where
    for validator in field.validators:
        if isinstance(validator, validate.Length):
            pass
        elif isinstance(validator, validate.Range):
            assert documented.get("minimum") == validator.min and documented.get("maximum") == validator.max, where
            assert validator.min_inclusive and validator.max_inclusive, where
        elif isinstance(validator, validate.OneOf):
            assert set(documented["enum"]) - {None} == set(validator.choices), where
        elif isinstance(validator, validate.Regexp):
            # a whole-value match, as the document's pattern means (marshmallow's Regexp
            # matches a prefix, and its $ passes a final newline)
            assert isinstance(validator, Pattern), f"{where}: use views.api.common.Pattern"
            assert documented.get("pattern") == validator.regex.pattern, where
        else:
            name = getattr(validator, "__name__", type(validator).__name__)
            assert name in UNSTATABLE, f"{where}: the document cannot show what {name} refuses"


def test_every_validator_is_stated_in_the_document(document, app):
    checked = 0
    for where, field, documented, required in _fields_and_documents(document, app):
        assert field.required == required, f"{where}: required in one, not the other"
        if field.allow_none:
            assert documented.get("nullable") is True, f"{where}: null is accepted"
        _stated(field, documented, where)
        checked += 1
    assert checked >= 270  # 274 fields of the operations that read any, nested ones and list items too


def test_conditions_between_fields_are_the_known_ones(app):
    """A new condition between fields must be added above (and described to clients)."""
    found = set()
    for _method, _path, argument in _operations(app):
        schema = _schema(argument["schema"])
        for nested in [schema, *(_schema(f.schema) for f in schema.fields.values() if isinstance(f, fields.Nested))]:
            for attribute, hook in nested._hooks.items():
                if hook and "validates_schema" in str(attribute):
                    found |= {(type(nested).__name__, name) for name, *_rest in hook}
    assert found == CROSS_FIELD


# --- the shared patterns -------------------------------------------------------------------------

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
SPICE = st.sampled_from(["\t", "\n", "\r", "\x00", "\x1f", "\x7f", "\x85", "\x97", "\xa0", "\u2003", "\u3000", " "])
SPICED = st.lists(st.one_of(TEXT, SPICE), max_size=5).map("".join)


@settings(max_examples=300, derandomize=True, database=None)
@given(SPICED)
def test_text_patterns_mean_what_they_say(value):
    clean = not any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r" for ch in value)
    for least in range(6):
        assert bool(re.fullmatch(text_rules.text_pattern(least), value)) == (clean and len(value.strip()) >= least)


@pytest.mark.parametrize("least", [0, 1, 4])
@settings(max_examples=200, derandomize=True, database=None)
@given(value=SPICED)
def test_text_rule_accepts_what_its_pattern_matches(least, value):
    rule = TextRule(min_stripped=least)
    try:
        rule(value)
        accepted = True
    except ma.ValidationError:
        accepted = False
    assert accepted == bool(rule.regex.fullmatch(value))


ADDRESS = st.builds(
    "".join,
    st.lists(
        st.one_of(
            st.sampled_from(["http://", "https://", "HTTP://", "ftp://", "javascript:", "//", "@", ":", "[", "]"]),
            st.sampled_from(["::1", "example.org", ":8080", "/path", "?q=1", "#f", "user:pw@", "пример.рф"]),
            SPICED,
        ),
        max_size=5,
    ),
)


@settings(max_examples=400, derandomize=True, database=None)
@given(ADDRESS)
def test_web_addresses_accepted_match_the_documented_pattern(value):
    """The validator may refuse more (a host urlsplit cannot read), never less."""
    if value and web_address_fault(value) is None:
        assert re.fullmatch(text_rules.WEB_ADDRESS_PATTERN, value)


@pytest.mark.parametrize(
    "address",
    ["http://example.org/a?b#c", "https://user:pw@example.org:8443/", "http://[::1]:8080/", "HTTP://пример.рф/путь"],
)
def test_web_addresses_of_every_form_pass(address):
    assert web_address_fault(address) is None and re.fullmatch(text_rules.WEB_ADDRESS_PATTERN, address)


@pytest.mark.parametrize(
    ("address", "fault"),
    [
        ("httP://\u0097][X", "characters"),  # the fuzzer's 500 of issue 18.9
        ("http://[x", "form"),
        ("http://example.org\u00a0/x", "characters"),  # a no-break space: the pattern refused it, the check did not
        ("http:///x", "form"),
        ("http://a@b@c", "form"),
        ("javascript:alert(1)", "form"),
    ],
)
def test_web_addresses_refused(address, fault):
    assert web_address_fault(address) == fault


PATTERNS = [
    text_rules.TEXT_PATTERN,
    text_rules.NON_BLANK_TEXT_PATTERN,
    text_rules.text_pattern(4),
    text_rules.WEB_ADDRESS_PATTERN,
    "^[0-9a-f]{8}$",
]


@pytest.mark.parametrize("pattern", PATTERNS, ids=["text", "non-blank", "four", "web-address", "cursor"])
@settings(max_examples=150, derandomize=True, database=None)
@given(value=st.one_of(SPICED, ADDRESS, st.text(string.hexdigits, min_size=7, max_size=9)))
def test_patterns_read_alike_in_another_dialect(pattern, value):
    """A document's patterns are read by other engines: jsonschema-rs (Rust's regex crate,
    which schemathesis validates with) must agree with Python's re on each."""
    assert jsonschema_rs.validator_for({"type": "string", "pattern": pattern}).is_valid(value) == bool(
        re.fullmatch(pattern, value)
    )


def test_own_patterns_of_text_fields_refuse_control_characters(app):
    """A Text field with a pattern of its own is documented with that pattern alone, so it
    must refuse control characters itself (views/api/common.py Text)."""
    own = set()
    for _method, _path, argument in _operations(app):
        for field in _schema(argument["schema"]).fields.values():
            names = {getattr(v, "__name__", "") for v in field.validators}
            if "_no_surrogates" in names:
                own |= {v.regex.pattern for v in field.validators if isinstance(v, Pattern)}
    assert len(own) == 2  # the evidence's web address and language

    for pattern in sorted(own):

        @settings(max_examples=200, derandomize=True, database=None)
        @given(st.from_regex(pattern, fullmatch=True))
        def never_a_control_character(value):
            assert not any(ch in text_rules.CONTROL_CHARACTERS for ch in value)

        never_a_control_character()


# --- the API keeps to what the document says --------------------------------------------------


def _cursor_pattern(document) -> str:
    (cursor,) = [p for p in document["paths"]["/api/v1/officials"]["get"]["parameters"] if p["name"] == "cursor"]
    return cursor["schema"]["pattern"]


def test_cursors_are_of_the_documented_form(api, russia, make, document):
    """A cursor was base64 of "after:<id>", which no pattern stated: fuzzers sent random
    ones (a third of the list cases refused). Any value of the documented form is accepted."""
    for n in range(3):
        make.official(state=russia, name=f"Person {n}")
    viewer = api("viewer")
    cursor = viewer.get("/officials?limit=1").get_json()["next_cursor"]
    assert re.fullmatch(_cursor_pattern(document), cursor)
    assert viewer.get(f"/officials?limit=1&cursor={cursor}").status_code == 200
    for past_every_id in ("7fffffff", "ffffffff"):
        page = viewer.get(f"/officials?cursor={past_every_id}")
        assert page.status_code == 200 and page.get_json() == {"items": [], "next_cursor": None}
    for foreign in ("YWZ0ZXI6MQ", "0000000G", "0000001", "FFFFFFFF", "00000001\n"):
        body = assert_problem(viewer.get("/officials", query_string={"cursor": foreign}), 422, "validation")
        assert [e["field"] for e in body["errors"]] == ["cursor"]


@pytest.mark.parametrize(
    "name",
    [
        "x" * 300 + " ",  # the document's maxLength counts what is sent; it was counted once stripped
        "\u00a0\u2003",  # spaces that are not ASCII are blank too
        "A\x85B",  # a control character beyond ASCII
    ],
)
def test_text_is_checked_as_sent(api, russia, name):
    body = assert_problem(api("analyst").post("/officials", json={"name": name, "state": "RU"}), 422, "validation")
    assert [e["field"] for e in body["errors"]] == ["name"]


def test_a_minimum_length_counts_what_is_kept(api):
    """An import rule's phrase keeps at least four characters once stripped, as the pattern
    documents (its minLength alone would pass "   a")."""
    body = assert_problem(
        api("analyst").post("/import-rules", json={"kind": "position", "pattern": "   ab ", "position_id": 1}),
        422,
        "validation",
    )
    assert [e["field"] for e in body["errors"]] == ["pattern"]


def test_the_docs_page_says_the_shared_patterns_in_words(client):
    html = client.get("/api/v1/docs").get_data(as_text=True)
    assert "not blank, no control characters" in html and "an http(s) address with a host" in html
    assert "\\u0000" not in html  # the full patterns are in openapi.json


def test_patterns_match_the_whole_value(api):
    """marshmallow's Regexp matched with re.match, whose $ passes a final newline: "RU\\n"
    was a State code to the validator and not to the document (found comparing the two)."""
    viewer = api("viewer")
    body = assert_problem(viewer.get("/dossiers", query_string={"state": "RU\n"}), 422, "validation")
    assert [e["field"] for e in body["errors"]] == ["state"]
    evidence = {"title": "A report", "source": "A newspaper", "language": "en\n"}
    body = assert_problem(api("analyst").post("/evidence", json=evidence), 422, "validation")
    assert [e["field"] for e in body["errors"]] == ["language"]
