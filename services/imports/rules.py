"""Import rules outside the browser: a YAML or JSON document that another instance can load.

The document names what a rule links to by what people read, not by ids (which differ
between instances): a decision by its title (and date, when titles repeat), a position by
its title, its institution and the institution's State::

    rules:
      - kind: involvement
        pattern: "voted for resolution No. 58243-8"
        decision: {title: "State Duma appeal ...", date: "2022-02-15"}
        role: voted_for
      - kind: position
        pattern: "Member of the State Duma"
        position: {title: "Deputy", institution: "State Duma", state: RU}
        active: true
        note: "..."

Loading checks the whole document first and writes nothing when anything is wrong; each
error names the rule (its number and pattern) and the field. A rule already on record (the
same kind, pattern and target) is updated (active, note); any other is created. Rules on
record that the document does not name are kept, unless ``replace`` deactivates them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from models import Decision, ImportRule, Institution, Position
from models.enums import IMPORT_RULE_KINDS, INVOLVEMENT_ROLES
from services.facts.errors import N_
from services.imports.apply import fold

FORMATS = ("yaml", "json")
PATTERN_LIMITS = (4, 2000)
NOTE_LIMIT = 2000
DOCUMENT_VERSION = 1


class RulesError(ValueError):
    """The document cannot be loaded; ``errors`` says every reason, one per line."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class LoadResult:
    created: list[ImportRule] = field(default_factory=list)
    updated: list[ImportRule] = field(default_factory=list)
    unchanged: list[ImportRule] = field(default_factory=list)
    deactivated: list[ImportRule] = field(default_factory=list)


# --- export -----------------------------------------------------------------------------------


def _decision_ref(decision: Decision) -> dict[str, str]:
    return {"title": decision.title, "date": str(decision.when)}


def _position_ref(position: Position) -> dict[str, str]:
    institution = position.institution
    return {"title": position.title, "institution": institution.name, "state": institution.state.code}


def rule_document(rule: ImportRule) -> dict[str, Any]:
    """One rule as the document writes it."""
    data: dict[str, Any] = {"kind": rule.kind, "pattern": rule.pattern}
    if rule.decision is not None:
        data["decision"] = _decision_ref(rule.decision)
        data["role"] = rule.role
    if rule.position is not None:
        data["position"] = _position_ref(rule.position)
    data["active"] = rule.active
    if rule.note:
        data["note"] = rule.note
    return data


def all_rules(session: Session) -> list[ImportRule]:
    return list(
        session.scalars(
            select(ImportRule)
            .options(
                joinedload(ImportRule.decision),
                joinedload(ImportRule.position).joinedload(Position.institution).joinedload(Institution.state),
            )
            .order_by(ImportRule.id)
        )
    )


def export_rules(session: Session, fmt: str = "yaml") -> str:
    """Every rule, active or not, as a YAML or JSON document."""
    document = {"version": DOCUMENT_VERSION, "rules": [rule_document(r) for r in all_rules(session)]}
    if fmt == "json":
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=120)


# --- load -----------------------------------------------------------------------------------------


def parse_document(text: str, fmt: str | None = None) -> Any:
    """The document's data; ``fmt`` None: JSON when it reads as JSON, else YAML (a superset)."""
    if fmt not in (None, *FORMATS):
        raise RulesError([f"unknown format {fmt!r}: use yaml or json"])
    try:
        if fmt == "json":
            return json.loads(text)
        return yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" at line {where.line + 1}" if where is not None else ""
        raise RulesError(
            [f"the document is not valid {fmt or 'YAML or JSON'}{line}: {str(exc).splitlines()[0]}"]
        ) from exc


class _Targets:
    """Decisions and positions by what the document names them by."""

    def __init__(self, session: Session) -> None:
        self.decisions: dict[str, list[Decision]] = {}
        for decision in session.scalars(select(Decision).where(Decision.deleted_at.is_(None))):
            self.decisions.setdefault(fold(decision.title), []).append(decision)
        self.positions: dict[tuple[str, str, str], Position] = {}
        query = select(Position).options(joinedload(Position.institution).joinedload(Institution.state))
        for position in session.scalars(query):
            institution = position.institution
            self.positions[(fold(position.title), fold(institution.name), institution.state.code)] = position

    def decision(self, ref: Any, errors: list[str], where: str) -> Decision | None:
        if not isinstance(ref, dict) or not isinstance(ref.get("title"), str):
            errors.append(f"{where}: decision must be a mapping with a title (and a date)")
            return None
        found = self.decisions.get(fold(ref["title"]), [])
        date = ref.get("date")
        if date is not None:
            found = [d for d in found if str(d.when) == str(date)]
        if len(found) == 1:
            return found[0]
        if not found:
            on = f" dated {date}" if date is not None else ""
            errors.append(f"{where}: there is no decision titled {ref['title']!r}{on}")
        else:
            errors.append(f"{where}: {len(found)} decisions are titled {ref['title']!r}: give its date")
        return None

    def position(self, ref: Any, errors: list[str], where: str) -> Position | None:
        keys = ("title", "institution", "state")
        if not isinstance(ref, dict) or not all(isinstance(ref.get(k), str) for k in keys):
            errors.append(f"{where}: position must be a mapping with a title, an institution and a state")
            return None
        position = self.positions.get((fold(ref["title"]), fold(ref["institution"]), ref["state"].upper()))
        if position is None:
            errors.append(f"{where}: there is no position {ref['title']!r} in {ref['institution']!r} ({ref['state']})")
        return position


@dataclass(frozen=True)
class _Wanted:
    kind: str
    pattern: str
    decision: Decision | None
    role: str | None
    position: Position | None
    active: bool
    note: str | None

    @property
    def key(self) -> tuple[str, str, int, str, int]:
        return (
            self.kind,
            fold(self.pattern),
            self.decision.id if self.decision else 0,
            self.role or "",
            self.position.id if self.position else 0,
        )


def _rule_key(rule: ImportRule) -> tuple[str, str, int, str, int]:
    return (rule.kind, fold(rule.pattern), rule.decision_id or 0, rule.role or "", rule.position_id or 0)


@dataclass(frozen=True)
class TargetFault:
    """A rule's target that does not match its kind: ``field`` at fault, ``message`` for the
    page (translatable, said as what to do), ``detail`` for the API and the rules document."""

    field: str  # decision_id, role or position_id
    message: str
    detail: str


# For each kind, whether a rule gives each target field (in the order they are checked), and
# what is said when it is wrong: on the page (what to do) and to the API.
RULE_TARGETS: dict[str, tuple[tuple[str, bool, str, str], ...]] = {
    "involvement": (
        ("decision_id", True, N_("Choose the decision the phrase links to."),
         "An involvement rule links to a decision: give its id."),
        ("role", True, N_("Choose the role the person had in the decision."),
         "An involvement rule gives the role the person had in the decision."),
        ("position_id", False, N_("An involvement rule names no position: leave this empty."),
         "An involvement rule names no position."),
    ),
    "position": (
        ("position_id", True, N_("Choose the position the phrase means."),
         "A position rule links to a position: give its id."),
        ("decision_id", False, N_("A position rule names no decision: leave this empty."),
         "A position rule names no decision nor role."),
        ("role", False, N_("A position rule names no role: leave this empty."),
         "A position rule names no decision nor role."),
    ),
}  # fmt: skip


def target_faults(kind: str | None, given: dict[str, bool]) -> list[TargetFault]:
    """The one rule of a rule's target, for the page and the API alike: an involvement rule
    links to a decision with a role and names no position; a position rule links to a
    position and names no decision nor role. ``given``: whether the rule gives each of
    decision_id, role and position_id."""
    return [
        TargetFault(field, message, detail)
        for field, wanted, message, detail in RULE_TARGETS.get(kind or "", ())
        if given[field] != wanted
    ]


ALLOWED_KEYS = {"kind", "pattern", "decision", "role", "position", "active", "note"}


def _check(item: Any, number: int, targets: _Targets, errors: list[str]) -> _Wanted | None:
    where = f"rule {number}"
    if not isinstance(item, dict):
        errors.append(f"{where}: must be a mapping of kind, pattern and target")
        return None
    pattern = item.get("pattern")
    if isinstance(pattern, str):
        where = f"rule {number} ({pattern[:60]!r})"
    before = len(errors)
    unknown = sorted(set(item) - ALLOWED_KEYS, key=str)
    if unknown:
        errors.append(f"{where}: unknown field(s) {', '.join(map(str, unknown))}")
    kind = item.get("kind")
    if kind not in IMPORT_RULE_KINDS:
        errors.append(f"{where}: kind must be one of {', '.join(IMPORT_RULE_KINDS)}, not {kind!r}")
    if not isinstance(pattern, str) or not PATTERN_LIMITS[0] <= len(pattern.strip()) <= PATTERN_LIMITS[1]:
        errors.append(f"{where}: pattern must be a phrase of {PATTERN_LIMITS[0]} to {PATTERN_LIMITS[1]} characters")
    elif any(ord(c) < 32 and c not in "\t" for c in pattern):
        errors.append(f"{where}: pattern holds a control character")
    active = item.get("active", True)
    if not isinstance(active, bool):
        errors.append(f"{where}: active must be true or false")
    note = item.get("note")
    if note is not None and (not isinstance(note, str) or len(note) > NOTE_LIMIT):
        errors.append(f"{where}: note must be text of at most {NOTE_LIMIT} characters")
    decision = position = role = None
    if kind == "involvement":
        role = item.get("role")
        if role not in INVOLVEMENT_ROLES:
            errors.append(f"{where}: role must be one of {', '.join(INVOLVEMENT_ROLES)}, not {role!r}")
        if "position" in item:
            errors.append(f"{where}: an involvement rule names a decision, not a position")
        decision = targets.decision(item.get("decision"), errors, where)
    elif kind == "position":
        if "decision" in item or "role" in item:
            errors.append(f"{where}: a position rule names a position, not a decision or a role")
        position = targets.position(item.get("position"), errors, where)
    if len(errors) > before:
        return None
    return _Wanted(kind, pattern.strip(), decision, role, position, active, note or None)  # type: ignore[arg-type, union-attr]


def load_rules(session: Session, data: Any, *, replace: bool = False) -> LoadResult:
    """Create or update the document's rules (flushed); raises RulesError, writing nothing."""
    if isinstance(data, dict):
        items = data.get("rules")
        version = data.get("version", DOCUMENT_VERSION)
        if version != DOCUMENT_VERSION:
            raise RulesError([f"version {version!r} of the rules document is not known: this instance reads 1"])
    else:
        items = data
    if not isinstance(items, list):
        raise RulesError(["the document must be a list of rules, or a mapping with a list under 'rules'"])
    targets = _Targets(session)
    errors: list[str] = []
    wanted = [_check(item, number, targets, errors) for number, item in enumerate(items, start=1)]
    seen: dict[tuple[str, str, int, str, int], int] = {}
    for number, rule in enumerate(wanted, start=1):
        if rule is not None and rule.key in seen:
            errors.append(f"rule {number} ({rule.pattern[:60]!r}): the same rule as rule {seen[rule.key]}")
        elif rule is not None:
            seen[rule.key] = number
    if errors:
        raise RulesError(errors)
    existing = {_rule_key(r): r for r in all_rules(session)}
    result = LoadResult()
    for rule in wanted:
        assert rule is not None  # noqa: S101  (errors were raised above)
        found = existing.pop(rule.key, None)
        if found is None:
            found = ImportRule(kind=rule.kind, pattern=rule.pattern, decision=rule.decision, role=rule.role,
                               position=rule.position, active=rule.active, note=rule.note)  # fmt: skip
            session.add(found)
            result.created.append(found)
        elif (found.active, found.note) != (rule.active, rule.note):
            found.active, found.note = rule.active, rule.note
            result.updated.append(found)
        else:
            result.unchanged.append(found)
    if replace:
        for left in existing.values():
            if left.active:
                left.active = False
                result.deactivated.append(left)
    session.flush()
    return result
