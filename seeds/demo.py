"""Load the demo data set (seeds/data/*.json, read by seeds/loader.py) into the database, idempotently.

Every record is looked up by its natural key first (a State's code, an exhibit number, an
official's name and State, ...) and created only when missing, so a second load changes
nothing. The loader flushes; the caller commits.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import partial
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from extensions import db
from models import (
    ActAssessment,
    AggressionAct,
    ChargedMode,
    Decision,
    Dossier,
    Evidence,
    ExternalIdentifier,
    ImportRule,
    Institution,
    Involvement,
    ModeChoice,
    Official,
    OfficialName,
    PartialDate,
    Position,
    State,
    Support,
    Tenure,
)
from models.evidence import SUPPORT_TARGET_COLUMNS
from seeds.loader import DemoData, demo_set
from seeds.records import ActRecord, DecisionRecord, OfficialRecord, TenureRecord
from services.dossiers import summaries as dossier_summaries
from services.evidence import numbers as exhibit_numbers

T = TypeVar("T")


def database_is_empty(session: Session | None = None) -> bool:
    active = session or db.session
    return not active.scalar(select(func.count()).select_from(Official))


def _date(text: str | None) -> PartialDate | None:
    return PartialDate.parse(text) if text else None


class _Loader:
    def __init__(self, session: Session, data: DemoData) -> None:
        self.session = session
        self.data = data
        self.counts: dict[str, int] = {}
        self.states: dict[str, State] = {}
        self.institutions: dict[str, Institution] = {}
        self.positions: dict[str, Position] = {}
        self.officials: dict[str, Official] = {}
        self.tenures: dict[str, Tenure] = {}
        self.acts: dict[str, AggressionAct] = {}
        self.act_assessments: dict[str, ActAssessment] = {}  # "act key|aspect"
        self.decisions: dict[str, Decision] = {}
        self.involvements: dict[str, Involvement] = {}
        self.evidence: dict[str, Evidence] = {}

    def _existing(self, model: type[T], key: Callable[[T], Hashable]) -> dict[Hashable, T]:
        return {key(row): row for row in self.session.scalars(select(model))}

    def _get_or_create(self, existing: dict[Hashable, T], key: Hashable, make: Callable[[], T]) -> T:
        row = existing.get(key)
        if row is None:
            row = make()
            self.session.add(row)
            existing[key] = row
            name = type(row).__tablename__  # type: ignore[attr-defined]
            self.counts[name] = self.counts.get(name, 0) + 1
        return row

    def load(self) -> dict[str, int]:
        self._states()
        self._institutions()
        self._positions()
        self._officials()
        self._tenures()
        self._acts()
        self._act_assessments()
        self._decisions()
        self._involvements()
        self._evidence()
        self._supports()
        self._dossiers()
        self._import_rules()
        self.session.flush()
        return self.counts

    def _states(self) -> None:
        existing = self._existing(State, lambda s: s.code)
        for item in self.data.states:
            self.states[item["code"]] = self._get_or_create(
                existing, item["code"], partial(State, code=item["code"], name=item["name"], role=item["role"])
            )

    def _institutions(self) -> None:
        existing = self._existing(Institution, lambda i: (i.state.code, i.name))
        for item in self.data.institutions:
            state = self.states[item["state"]]
            self.institutions[item["key"]] = self._get_or_create(
                existing,
                (item["state"], item["name"]),
                partial(
                    Institution, state=state, name=item["name"], native_name=item.get("native_name"), kind=item["kind"]
                ),
            )
        for item in self.data.institutions:
            institution, parent = self.institutions[item["key"]], item.get("parent")
            if parent and institution.parent is None:
                institution.parent = self.institutions[parent]

    def _positions(self) -> None:
        existing = self._existing(Position, lambda p: (p.institution_id, p.title))
        self.session.flush()
        for item in self.data.positions:
            institution = self.institutions[item["institution"]]
            self.positions[item["key"]] = self._get_or_create(
                existing,
                (institution.id, item["title"]),
                partial(
                    Position, institution=institution, title=item["title"], tier=item["tier"], troika=item.get("troika")
                ),
            )

    def _officials(self) -> None:
        existing = self._existing(Official, lambda o: (o.name, o.state_id))
        names = self._existing(OfficialName, lambda n: (n.official_id, n.name))
        identifiers = self._existing(ExternalIdentifier, lambda x: (x.scheme, x.value))
        for item in self.data.officials:
            state = self.states[item["state"]]
            official = self._get_or_create(existing, (item["name"], state.id), partial(self._new_official, item, state))
            self.officials[item["key"]] = official
            self.session.flush()
            for alias in item.get("aliases", []):
                self._get_or_create(
                    names,
                    (official.id, alias["name"]),
                    partial(
                        OfficialName,
                        official=official,
                        name=alias["name"],
                        script=alias["script"],
                        lang=alias.get("lang"),
                        kind=alias.get("kind", "alias"),
                    ),
                )
            for ident in item.get("identifiers", []):
                self._get_or_create(
                    identifiers,
                    (ident["scheme"], ident["value"]),
                    partial(ExternalIdentifier, official=official, scheme=ident["scheme"], value=ident["value"]),
                )

    @staticmethod
    def _new_official(item: OfficialRecord, state: State) -> Official:
        official = Official(
            name=item["name"],
            native_name=item.get("native_name"),
            native_script=item.get("native_script"),
            state=state,
            gender=item.get("gender"),
        )
        official.birth = _date(item.get("birth_date"))
        return official

    def _tenures(self) -> None:
        self.session.flush()
        existing = self._existing(Tenure, lambda t: (t.official_id, t.position_id, t.start_date))
        for item in self.data.tenures:
            official, position = self.officials[item["official"]], self.positions[item["position"]]
            start = PartialDate.parse(item["start"])
            self.tenures[item["key"]] = self._get_or_create(
                existing,
                (official.id, position.id, start.value),
                partial(self._new_tenure, item, official, position, start),
            )

    @staticmethod
    def _new_tenure(item: TenureRecord, official: Official, position: Position, start: PartialDate) -> Tenure:
        tenure = Tenure(official=official, position=position, note=item.get("note"))
        tenure.start = start
        tenure.end = _date(item.get("end"))
        return tenure

    def _acts(self) -> None:
        existing = self._existing(AggressionAct, lambda a: a.title)
        for item in self.data.acts:
            self.acts[item["key"]] = self._get_or_create(existing, item["title"], partial(self._new_act, item))

    def _new_act(self, item: ActRecord) -> AggressionAct:
        act = AggressionAct(title=item["title"], description=item.get("description"))
        act.start = PartialDate.parse(item["start"])
        act.end = _date(item.get("end"))
        act.categories = list(item["categories"])
        act.states = [self.states[code] for code in item["states"]]
        return act

    def _act_assessments(self) -> None:
        """The character, gravity and scale of the demo acts (element E5), from public sources."""
        existing = self._existing(ActAssessment, lambda a: (a.act.title, a.aspect))
        for item in self.data.act_assessments:
            act = self.acts[item["act"]]
            self.act_assessments[f"{item['act']}|{item['aspect']}"] = self._get_or_create(
                existing,
                (act.title, item["aspect"]),
                partial(ActAssessment, act=act, aspect=item["aspect"], finding=item["finding"]),
            )

    def _decisions(self) -> None:
        self.session.flush()
        existing = self._existing(Decision, lambda d: (d.title, d.institution_id, d.date))
        for item in self.data.decisions:
            institution = self.institutions[item["institution"]]
            when = PartialDate.parse(item["date"])
            self.decisions[item["key"]] = self._get_or_create(
                existing,
                (item["title"], institution.id, when.value),
                partial(self._new_decision, item, institution, when),
            )

    def _new_decision(self, item: DecisionRecord, institution: Institution, when: PartialDate) -> Decision:
        decision = Decision(
            title=item["title"],
            kind=item["kind"],
            institution=institution,
            instrument=item.get("instrument"),
            summary=item.get("summary"),
            stage=item.get("stage"),
        )
        decision.when = when
        decision.acts = [self.acts[key] for key in item.get("acts", [])]
        return decision

    def _involvements(self) -> None:
        self.session.flush()
        existing = self._existing(Involvement, lambda i: (i.official_id, i.decision_id, i.role))
        for item in self.data.involvements:
            official, decision = self.officials[item["official"]], self.decisions[item["decision"]]
            key = f"{item['official']}|{item['decision']}|{item['role']}"
            self.involvements[key] = self._get_or_create(
                existing,
                (official.id, decision.id, item["role"]),
                partial(
                    Involvement,
                    official=official,
                    decision=decision,
                    role=item["role"],
                    status=item.get("status", "alleged"),
                    note=item.get("note"),
                ),
            )

    def _evidence(self) -> None:
        existing = self._existing(Evidence, lambda e: e.exhibit_no)
        for item in self.data.evidence:
            collected = _date(item.get("collected_on"))
            fields = {k: item.get(k) for k in _EVIDENCE_FIELDS}
            self.evidence[item["exhibit_no"]] = self._get_or_create(
                existing,
                item["exhibit_no"],
                partial(Evidence, **fields, collected_on=collected.value if collected else None),
            )
        self.session.flush()
        exhibit_numbers.catch_up(self.session)  # the data set numbers its exhibits itself

    def _supports(self) -> None:
        self.session.flush()
        targets: dict[str, dict[str, Any]] = {
            "tenure": self.tenures,
            "involvement": self.involvements,
            "decision": self.decisions,
            "act": self.acts,
            "act_assessment": self.act_assessments,
        }
        existing = self._existing(
            Support, lambda s: (s.evidence_id, s.target_type, s.target_id, s.stance, s.pinpoint or "")
        )
        for item in self.data.supports:
            evidence = self.evidence[item["evidence"]]
            target = targets[item["target_type"]][item["target"]]
            column = SUPPORT_TARGET_COLUMNS[item["target_type"]]
            self._get_or_create(
                existing,
                (evidence.id, item["target_type"], target.id, item["stance"], item.get("pinpoint") or ""),
                partial(
                    Support,
                    evidence=evidence,
                    stance=item["stance"],
                    pinpoint=item.get("pinpoint"),
                    note=item.get("note"),
                    **{column: target.id},
                ),
            )

    def _dossiers(self) -> None:
        existing = self._existing(Dossier, lambda d: d.official_id)
        for item in self.data.dossiers:
            official = self.officials[item["official"]]
            dossier = self._get_or_create(
                existing,
                official.id,
                partial(Dossier, official=official, status=item["status"], theory=item.get("theory")),
            )
            chosen = item.get("mode_choice")
            if chosen and not dossier.mode_choices:  # the prosecutors' choice of the modes to charge
                choice = ModeChoice(dossier=dossier, reason=chosen["reason"], chosen_by=None)
                choice.charged = [ChargedMode(mode=mode) for mode in chosen["modes"]]
                self.session.add(choice)
                self.counts["mode_choice"] = self.counts.get("mode_choice", 0) + 1

    def _import_rules(self) -> None:
        existing = self._existing(ImportRule, lambda r: (r.kind, r.pattern))
        for item in self.data.import_rules:
            target = (
                {"decision": self.decisions[item["decision"]], "role": item["role"]}
                if item["kind"] == "involvement"
                else {"position": self.positions[item["position"]]}
            )
            self._get_or_create(
                existing,
                (item["kind"], item["pattern"]),
                partial(ImportRule, kind=item["kind"], pattern=item["pattern"], note=item.get("note"), **target),
            )


_EVIDENCE_FIELDS = (
    "exhibit_no",
    "title",
    "kind",
    "summary",
    "source",
    "provenance",
    "url",
    "collected_by",
    "collection_method",
    "language",
    "classification",
    "reliability",
    "credibility",
)


def load_demo(session: Session | None = None, data: DemoData | None = None) -> dict[str, int]:
    """Create whatever part of the demo data set is missing; return how many rows of each table."""
    if data is None:
        data = demo_set()
    active = session or db.session()
    with dossier_summaries.deferred(active):  # the dossiers index reads them; once, at the end
        return _Loader(active, data).load()
