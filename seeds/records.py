"""The record kinds of the demo data set (seeds/data/*.json), one TypedDict each.

A record is a plain dict, as read from its file; these types say which fields it holds and of
what type (``NotRequired`` fields may be absent; ``X | None`` ones may be null). Fields that
name another record hold that record's ``key`` (or a State's ``code``, an exhibit's
``exhibit_no``, an act's key); seeds/loader.py checks them all.

No ``from __future__ import annotations`` here: with string annotations, Python 3.11 counts
``NotRequired`` fields as required (``__required_keys__``), and the loader reads those sets.
"""

from typing import NotRequired, TypedDict


class StateRecord(TypedDict):
    code: str
    name: str
    role: str


class InstitutionRecord(TypedDict):
    key: str
    state: str
    name: str
    native_name: str | None
    kind: str
    parent: str | None


class PositionRecord(TypedDict):
    key: str
    institution: str
    title: str
    tier: str
    troika: str | None


class AliasRecord(TypedDict):
    name: str
    script: str
    lang: str | None
    kind: NotRequired[str]  # "alias" when absent


class IdentifierRecord(TypedDict):
    scheme: str
    value: str


class OfficialRecord(TypedDict):
    key: str
    state: str
    name: str
    native_name: str | None
    native_script: str | None
    native_lang: str | None
    birth_date: str | None
    gender: str | None
    aliases: list[AliasRecord]
    identifiers: list[IdentifierRecord]


class TenureRecord(TypedDict):
    key: str
    official: str
    position: str
    start: str
    end: str | None
    note: NotRequired[str | None]


class ActRecord(TypedDict):
    key: str
    title: str
    categories: list[str]
    states: list[str]
    start: str
    end: str | None
    description: str | None


class ActAssessmentRecord(TypedDict):
    act: str
    aspect: str
    finding: str


class DecisionRecord(TypedDict):
    key: str
    title: str
    kind: str
    date: str
    institution: str
    instrument: str | None
    summary: str | None
    stage: str | None
    acts: list[str]


class InvolvementRecord(TypedDict):
    official: str
    decision: str
    role: str
    status: NotRequired[str]  # "alleged" when absent
    note: str | None


class EvidenceRecord(TypedDict):
    exhibit_no: str
    title: str
    kind: str
    source: str
    provenance: str | None
    url: str | None
    collected_by: str | None
    collected_on: str | None
    collection_method: str | None
    language: str | None
    classification: str
    reliability: str
    credibility: str
    summary: str | None


class SupportRecord(TypedDict):
    evidence: str
    target_type: str
    target: str
    stance: str
    pinpoint: str | None
    note: NotRequired[str | None]


class ModeChoiceRecord(TypedDict):
    modes: list[str]
    reason: str


class DossierRecord(TypedDict):
    official: str
    status: str
    theory: str | None
    mode_choice: NotRequired[ModeChoiceRecord]  # the prosecutors' choice of the modes to charge


class ImportRuleRecord(TypedDict):
    kind: str  # "involvement" (with decision and role) or "position" (with position)
    pattern: str
    decision: NotRequired[str]
    role: NotRequired[str]
    position: NotRequired[str]
    note: str | None
