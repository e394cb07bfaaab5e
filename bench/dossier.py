"""Benchmark of issue 5: the dossier page of an official with 1,000 involvements and 5,000 supports.

    .venv/bin/python bench/dossier.py [--requests 200] [--no-record]

In one run: a fresh instance in a temporary directory (SQLite, production settings) holding one
official with a leadership tenure and 1,000 involvements, one per decision (about 60 % of the
decisions linked to an aggression act), 5,000 supports from 1,000 exhibits spread over the
tenure, the involvements, the decisions and the acts (about 10 % contradicting, every
classification and grade), 50 other officials sharing those decisions (the network), and a
small official with one involvement. Then:

* latency: gunicorn (one sync worker) serves the app; signed in as a prosecutor cleared for
  strictly confidential material, the script requests the big dossier --requests times one
  after another (after a warm-up), and ``GET /health`` as many times on the same server, the
  ceiling of what one request can cost; p50, p95 and the largest of each;
* queries per page: the app in a process of its own (Flask's test client, the same settings
  and database) counts the statements of one request of the big dossier and of the small one,
  with a ``before_cursor_execute`` listener (as ``count_queries`` in tests/conftest.py);
* a cProfile of one request of the big dossier, top 15 by cumulative and by own time.

Issue 5 asks for the figures only; issue 9 will want p95 <= 50 ms, printed here as PASS/FAIL
for information. Exit status 0 when every request answered 200 and both dossiers took the same
number of queries, 1 otherwise, 2 when the benchmark could not run. Figures are printed and,
unless --no-record, written to bench/RESULTS.md. Everything created is removed at the end,
also on failure. Linux only (reads /proc).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import re
import shlex
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from upload import (
    ROOT,
    VENV_BIN,
    Authenticator,
    BenchError,
    Client,
    Instance,
    Server,
    busy_seconds,
    cpu_of,
    machine,
    own_cpu,
    record,
    scratch,
)

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
SECTION = "## Dossier page (issue 5)"
EMAIL = "bench-prosecutor@example.org"
DOSSIER_PATH = "/dossiers/{official_id}"  # views/dossiers.py show_dossier
HEALTH_PATH = "/health"
P95_TARGET_MS = 50.0  # issue 9, information only here
DEFAULT_WSGI = "app:create_app()"

# The data set (issue 5)
INVOLVEMENTS = 1000
SUPPORTS = 5000
EXHIBITS = 1000
PEERS = 50
ACT_SHARE = 0.6  # decisions linked to an aggression act
CONTRADICTING_SHARE = 0.1
# Where the 5,000 supports go: on the tenure, the involvements, the decisions, the acts
SUPPORT_SPREAD = {"tenure": 100, "involvement": 2500, "decision": 2000, "act": 400}
CLASSIFICATION_WEIGHTS = {"public": 4, "restricted": 3, "confidential": 2, "strictly_confidential": 1}
SEED = 5


# --- inside the app: build the data, count the queries, profile ----------------------------
# These run in a child process with the instance's environment (``--inside STEP``), so this
# process never opens the database while gunicorn has it.


def _build() -> dict[str, Any]:
    """The data set, committed; the ids of the big and the small official and what the
    dossier loader finds for them (a check that the data is what it should be)."""
    import random

    from app import create_app
    from extensions import db
    from services.audit import trail as audit
    from services.dossiers.facts import load_facts

    app = create_app()
    rng = random.Random(SEED)  # noqa: S311  (test data, repeatable; nothing secret)
    with app.app_context(), audit.acting_as(None, "bench/dossier.py"):
        big, small = _add_records(db.session, rng)
        db.session.commit()
        found = {}
        for name, official_id in (("big", big), ("small", small)):
            facts = load_facts(db.session(), official_id)
            if facts is None:
                raise BenchError(f"the {name} official just committed cannot be loaded")
            found[name] = {"id": official_id, "involvements": len(facts.involvements), "supports": len(facts.supports)}
        return found


def _add_records(session: Any, rng: Any) -> tuple[int, int]:
    from models import AggressionAct, Institution, Official, PartialDate, Position, State
    from models.enums import INSTITUTION_KINDS, POSITION_TIERS

    russia = State(code="RU", name="Russian Federation", role="aggressor")
    institutions = [
        Institution(state=russia, name=f"Institution {n:02d}", kind=INSTITUTION_KINDS[n % len(INSTITUTION_KINDS)])
        for n in range(20)
    ]
    posts = [
        Position(institution=institutions[n % 20], title=f"Post {n:02d}", tier=POSITION_TIERS[n % 3]) for n in range(30)
    ]
    leadership = Position(institution=institutions[0], title="Minister", tier="leadership")
    acts = []
    for n, (start, letters) in enumerate((("2014-02-20", ["a"]), ("2022-02-24", ["a", "b"]))):
        act = AggressionAct(title=f"Act of aggression {n + 1}", description="Benchmark act")
        act.start = PartialDate.parse(start)
        act.categories = letters
        act.states = [russia]
        acts.append(act)
    big = Official(state=russia, name="Benchmark Official", native_name="Бенчмарк", native_script="Cyrl")
    session.add_all([russia, *institutions, *posts, leadership, *acts, big])
    tenure = _tenure(big, leadership, "2012-05-07")
    decisions, involvements = _decisions(session, rng, big, institutions, acts)
    _supports(session, rng, tenure, involvements, decisions, acts)
    peers = _peers(session, rng, russia, posts, decisions)
    small = _small_official(session, rng, russia, leadership, institutions[1], peers[0])
    session.flush()
    return big.id, small.id


def _tenure(official: Any, position: Any, start: str) -> Any:
    from models import PartialDate, Tenure

    tenure = Tenure(official=official, position=position)
    tenure.start = PartialDate.parse(start)
    return tenure


def _decisions(session: Any, rng: Any, official: Any, institutions: list[Any], acts: list[Any]) -> tuple[Any, Any]:
    """1,000 decisions from March 2014 to 2025, each with one involvement of ``official``."""
    from models import Decision, Involvement, PartialDate
    from models.enums import CONDUCT_STAGES, DECISION_KINDS, INVOLVEMENT_ROLES, INVOLVEMENT_STATUSES

    first = dt.date(2014, 3, 1)
    span = (dt.date(2025, 12, 31) - first).days
    decisions, involvements = [], []
    for n in range(INVOLVEMENTS):
        day = first + dt.timedelta(days=rng.randrange(span))
        decision = Decision(
            title=f"Decision {n + 1:04d}",
            kind=DECISION_KINDS[n % len(DECISION_KINDS)],
            institution=institutions[n % len(institutions)],
            instrument=f"Order No. {n + 1}",
            summary="Benchmark decision",
            stage=CONDUCT_STAGES[n % len(CONDUCT_STAGES)],
        )
        # a tenth known only to the month, a twentieth only to the year
        text = day.isoformat() if n % 10 else day.isoformat()[:7] if n % 20 else str(day.year)
        decision.when = PartialDate.parse(text)
        if rng.random() < ACT_SHARE:
            decision.acts = [acts[1] if day >= dt.date(2022, 2, 24) else acts[0]]
        involvement = Involvement(
            official=official,
            decision=decision,
            role=INVOLVEMENT_ROLES[n % len(INVOLVEMENT_ROLES)],
            status=INVOLVEMENT_STATUSES[n % len(INVOLVEMENT_STATUSES)],
        )
        decisions.append(decision)
        involvements.append(involvement)
    session.add_all(decisions + involvements)
    return decisions, involvements


def _exhibits(rng: Any, count: int, prefix: str) -> list[Any]:
    from models import Evidence
    from models.enums import CREDIBILITY_GRADES, EVIDENCE_KINDS, RELIABILITY_GRADES

    classes = list(CLASSIFICATION_WEIGHTS)
    weights = list(CLASSIFICATION_WEIGHTS.values())
    return [
        Evidence(
            exhibit_no=f"{prefix}-{n + 1:04d}",
            title=f"Exhibit {prefix}-{n + 1:04d}",
            kind=EVIDENCE_KINDS[n % len(EVIDENCE_KINDS)],
            source="bench/dossier.py",
            classification=rng.choices(classes, weights)[0],
            reliability=RELIABILITY_GRADES[n % len(RELIABILITY_GRADES)],
            credibility=CREDIBILITY_GRADES[n % len(CREDIBILITY_GRADES)],
        )
        for n in range(count)
    ]


def _supports(
    session: Any, rng: Any, tenure: Any, involvements: list[Any], decisions: list[Any], acts: list[Any]
) -> None:
    """5,000 supports from 1,000 exhibits (five facts each), spread as SUPPORT_SPREAD says."""
    from models import Support

    targets: list[tuple[str, Any]] = [("tenure", tenure)] * SUPPORT_SPREAD["tenure"]
    targets += [("involvement", rng.choice(involvements)) for _ in range(SUPPORT_SPREAD["involvement"])]
    targets += [("decision", rng.choice(decisions)) for _ in range(SUPPORT_SPREAD["decision"])]
    targets += [("act", acts[n % len(acts)]) for n in range(SUPPORT_SPREAD["act"])]
    rng.shuffle(targets)
    exhibits = _exhibits(rng, EXHIBITS, "B")
    supports = [
        Support(
            evidence=exhibits[n % EXHIBITS],
            stance="contradicts" if rng.random() < CONTRADICTING_SHARE else "supports",
            pinpoint=f"p. {n % 40 + 1}",
            **{kind: fact},
        )
        for n, (kind, fact) in enumerate(targets)
    ]
    session.add_all(exhibits + supports)


def _peers(session: Any, rng: Any, state: Any, posts: list[Any], decisions: list[Any]) -> list[Any]:
    """50 other officials, each in 5 to 60 of the same decisions."""
    from models import Involvement, Official
    from models.enums import INVOLVEMENT_ROLES

    peers = []
    for n in range(PEERS):
        peer = Official(state=state, name=f"Peer Official {n + 1:02d}")
        session.add(peer)
        session.add(_tenure(peer, posts[n % len(posts)], f"{2010 + n % 10}"))
        for k, decision in enumerate(rng.sample(decisions, rng.randint(5, 60))):
            role = INVOLVEMENT_ROLES[(n + k) % len(INVOLVEMENT_ROLES)]
            session.add(Involvement(official=peer, decision=decision, role=role))
        peers.append(peer)
    return peers


def _small_official(session: Any, rng: Any, state: Any, position: Any, institution: Any, peer: Any) -> Any:
    """One tenure and one involvement, in a decision of its own linked to an act of its own,
    with evidence on each fact (one contradicting) and one peer: every part of the page."""
    from models import AggressionAct, Decision, Involvement, Official, PartialDate, Support

    small = Official(state=state, name="Small Official")
    tenure = _tenure(small, position, "2019-01-15")
    act = AggressionAct(title="Act of aggression 4")
    act.start = PartialDate.parse("2022-09-30")
    act.categories = ["a"]
    act.states = [state]
    decision = Decision(title="Decision of the small official", kind="political", institution=institution)
    decision.when = PartialDate.parse("2022-09-30")
    decision.acts = [act]
    involvement = Involvement(official=small, decision=decision, role="signed")
    exhibits = _exhibits(rng, 4, "S")
    supports = [
        Support(evidence=exhibits[0], stance="supports", tenure=tenure),
        Support(evidence=exhibits[1], stance="supports", involvement=involvement),
        Support(evidence=exhibits[2], stance="contradicts", decision=decision),
        Support(evidence=exhibits[3], stance="supports", act=act),
    ]
    session.add_all([small, tenure, act, decision, involvement, *exhibits, *supports])
    session.add(Involvement(official=peer, decision=decision, role="attended"))
    return small


class _Counter:
    """Statements sent to the database, as tests/conftest.py's QueryCounter counts them."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN")):
            self.statements.append(" ".join(statement.split()))


def _measure(big: int, small: int, password: str, authenticator: Authenticator) -> dict[str, Any]:
    """Queries per page of both dossiers, and a profile of one request of the big one."""
    import cProfile
    import io
    import pstats

    from sqlalchemy import event

    from app import create_app
    from extensions import db

    app = create_app()
    client = app.test_client()
    _sign_in(client, password, authenticator)
    paths = {"big": DOSSIER_PATH.format(official_id=big), "small": DOSSIER_PATH.format(official_id=small)}
    for path in paths.values():  # warm-up: templates compiled, translations loaded
        client.get(path)
    with app.app_context():
        engine = db.engine
    result: dict[str, Any] = {}
    for name, path in paths.items():
        counter = _Counter()
        event.listen(engine, "before_cursor_execute", counter)
        try:
            response = client.get(path)
        finally:
            event.remove(engine, "before_cursor_execute", counter)
        result[name] = {"status": response.status_code, "bytes": len(response.data), "statements": counter.statements}
    result["stages"] = _stages(client, paths["big"])
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    client.get(paths["big"])
    profiler.disable()
    result["profiled_seconds"] = time.perf_counter() - start
    result["profile"] = {"project": _project_rows(pstats.Stats(profiler))}
    for sort in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(sort).print_stats(15)
        result["profile"][sort] = _profile_rows(out.getvalue())
    return result


def _project_rows(stats: Any, limit: int = 15) -> list[list[str]]:
    """The project's own functions and templates (not Flask's, Jinja's or SQLAlchemy's), by
    cumulative time: which of our steps the time is spent under."""
    venv = str(ROOT / ".venv")
    rows = []
    for (filename, line, function), (_calls, ncalls, own, cumulative, _callers) in stats.stats.items():
        if filename.startswith(str(ROOT)) and not filename.startswith(venv):
            name = f"{Path(filename).relative_to(ROOT)}:{line}({function})"
            rows.append((cumulative, [str(ncalls), f"{own:.3f}", "", f"{cumulative:.3f}", "", name]))
    rows.sort(key=lambda row: -row[0])
    return [row for _cumulative, row in rows[:limit]]


# The steps of the dossier view, timed without the profiler's overhead: (module, name, label).
STAGES = (
    ("views.dossiers", "dossier_page", "services/dossiers/pages.py dossier_page: load, assess, draw (all below)"),
    ("services.dossiers.pages", "_official", "  services/dossiers/pages.py _official: the official, names, tenures"),
    ("services.dossiers.pages", "_involvements", "  services/dossiers/pages.py _involvements: every involvement"),
    ("services.dossiers.pages", "load_facts", "  services/dossiers/facts.py load_facts: the facts as plain rows"),
    ("services.dossiers.pages", "assess_dossier", "  services/assessment/elements.py assess_dossier"),
    ("services.dossiers.pages", "co_involved", "  services/dossiers/pages.py co_involved: the network's query"),
    ("services.dossiers.pages", "_acts_of", "  services/dossiers/pages.py _acts_of"),
    ("services.dossiers.pages", "exhibits_by_target", "  services/dossiers/pages.py exhibits_by_target"),
    ("services.dossiers.pages", "exculpatory_items", "  services/dossiers/pages.py exculpatory_items"),
    ("services.dossiers.pages", "draw_timeline", "  services/dossiers/graphics.py draw_timeline"),
    ("views.dossiers", "_case_form", "views/dossiers.py _case_form: the prosecutor's form"),
    ("views.dossiers", "render_template", "templates/dossiers/detail.html rendered"),
)
STAGE_RUNS = 5


def _stages(client: Any, path: str) -> dict[str, Any]:
    """Median seconds of each stage and of the whole request over STAGE_RUNS requests, the
    functions wrapped in timers (a few microseconds each) for the time of the measurement."""
    import importlib
    import statistics
    from collections import defaultdict

    spent: dict[str, list[float]] = defaultdict(list)
    saved = []

    def timed(label: str, function: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[label].append(time.perf_counter() - start)

        return wrapper

    for module_name, name, label in STAGES:
        module = importlib.import_module(module_name)
        saved.append((module, name, getattr(module, name)))
        setattr(module, name, timed(label, getattr(module, name)))
    try:
        for _ in range(STAGE_RUNS):
            start = time.perf_counter()
            client.get(path)
            spent["request"].append(time.perf_counter() - start)
    finally:
        for module, name, function in saved:
            setattr(module, name, function)
    medians = {}
    for label, times in spent.items():
        calls = max(1, len(times) // STAGE_RUNS)  # a stage called k times a request counts k times
        per_request = [sum(times[i * calls : (i + 1) * calls]) for i in range(STAGE_RUNS)]
        medians[label] = {"seconds": statistics.median(per_request), "calls": calls}
    return medians


def _sign_in(client: Any, password: str, authenticator: Authenticator) -> None:
    """The prosecutor signs in with their password, then a code from ``authenticator``."""
    import html

    page = client.get("/login").get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    if not match:
        raise BenchError("no CSRF token on /login")
    data = {"csrf_token": html.unescape(match.group(1)), "email": EMAIL, "password": password}
    response = client.post("/login", data=data)
    if response.status_code in (302, 303) and response.headers["Location"] == "/login/code":
        page = client.get("/login/code").get_data(as_text=True)
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        if not match:
            raise BenchError("no CSRF token on /login/code")
        data = {"csrf_token": html.unescape(match.group(1)), "code": authenticator.code()}
        response = client.post("/login/code", data=data)
    if response.status_code not in (302, 303) or response.headers["Location"].startswith("/login"):
        raise BenchError(f"sign-in refused in the test client (HTTP {response.status_code})")


def _profile_rows(text: str) -> list[list[str]]:
    """pstats' table as rows: ncalls, tottime, percall, cumtime, percall, function."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls")) + 1
    return [line.split(None, 5) for line in lines[start:] if line.strip()]


def inside(step: str, argv: list[str]) -> int:
    """Run one step inside the app and print its result as JSON."""
    if step == "build":
        print(json.dumps(_build()))
    elif step == "measure":
        big, small = int(argv[0]), int(argv[1])
        password, secret, last_step = (sys.stdin.readline().strip() for _ in range(3))
        print(json.dumps(_measure(big, small, password, Authenticator(secret, int(last_step)))))
    else:
        raise SystemExit(f"unknown step {step}")
    return 0


def run_inside(instance: Instance, step: str, *args: str, stdin: str | None = None) -> Any:
    out = instance.run(str(VENV_BIN / "python"), str(Path(__file__).resolve()), "--inside", step, *args, stdin=stdin)
    return json.loads(out.strip().splitlines()[-1])


# --- latency through gunicorn --------------------------------------------------------------


@dataclass
class Timings:
    """Wall times of one path requested again and again, in seconds."""

    path: str
    seconds: list[float]
    statuses: list[int]
    worker_cpu_seconds: float  # the worker's user + system CPU over all the requests
    others_cpu_seconds: float  # everything but the worker, the master and this client, meanwhile
    body_bytes: int

    def percentile(self, p: float) -> float:
        """Nearest rank: the smallest time that at least p % of the requests did not exceed."""
        ordered = sorted(self.seconds)
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]

    @property
    def p50_ms(self) -> float:
        return self.percentile(50) * 1000

    @property
    def p95_ms(self) -> float:
        return self.percentile(95) * 1000

    @property
    def max_ms(self) -> float:
        return max(self.seconds) * 1000

    @property
    def mean_cpu_ms(self) -> float:
        return self.worker_cpu_seconds / len(self.seconds) * 1000

    @property
    def others_share(self) -> float:
        """Other processes' CPU use meanwhile, as a share of one CPU."""
        return self.others_cpu_seconds / sum(self.seconds)

    @property
    def all_ok(self) -> bool:
        return all(status == 200 for status in self.statuses)


def time_requests(server: Server, client: Client, path: str, count: int) -> Timings:
    worker, master = server.worker, server.process.pid
    before = cpu_of(worker).total, cpu_of(master).total, own_cpu(), busy_seconds()
    seconds, statuses, size = [], [], 0
    for _ in range(count):
        start = time.perf_counter()
        response = client.get(path)
        seconds.append(time.perf_counter() - start)
        statuses.append(response.status)
        size = len(response.body.encode())
    worker_cpu = cpu_of(worker).total - before[0]
    ours = worker_cpu + cpu_of(master).total - before[1] + own_cpu() - before[2]
    others = max(0.0, busy_seconds() - before[3] - ours)
    return Timings(path, seconds, statuses, worker_cpu, others, size)


# --- one run ------------------------------------------------------------------------------


@dataclass
class Figures:
    data: dict[str, Any]  # what the loader found for the big and the small official
    dossier: Timings
    health: Timings
    measured: dict[str, Any]  # queries per page, profile
    build_seconds: float
    warm_up: int

    @property
    def queries(self) -> tuple[int, int]:
        return len(self.measured["big"]["statements"]), len(self.measured["small"]["statements"])

    @property
    def queries_equal(self) -> bool:
        big, small = self.queries
        return big == small

    @property
    def ratio(self) -> float:
        return self.dossier.p95_ms / self.health.p95_ms

    @property
    def p95_ok(self) -> bool:
        return self.dossier.p95_ms <= P95_TARGET_MS

    @property
    def data_ok(self) -> bool:
        big = self.data["big"]
        return big["involvements"] == INVOLVEMENTS and big["supports"] == SUPPORTS

    @property
    def responses_ok(self) -> bool:
        statuses = [self.measured[n]["status"] for n in ("big", "small")]
        return self.dossier.all_ok and self.health.all_ok and statuses == [200, 200]

    @property
    def passed(self) -> bool:
        return self.queries_equal and self.responses_ok and self.data_ok


def run(args: argparse.Namespace, work: Path) -> Figures:
    instance = Instance(work)
    instance.evidence_dir.mkdir()
    flask = str(VENV_BIN / "flask")
    print("setting up a fresh instance in", work, flush=True)
    instance.run(flask, "--app", "app", "db", "upgrade")
    created = instance.run(
        flask, "--app", "app", "users", "create", EMAIL, "--role", "prosecutor",
        "--clearance", "strictly_confidential", "--password-stdin", stdin=instance.password + "\n",
    )  # fmt: skip
    enrolment_code = created.strip().splitlines()[-1]  # a prosecutor sets up two-factor sign-in with it
    print(f"building {INVOLVEMENTS} involvements, {SUPPORTS} supports, {PEERS} other officials", flush=True)
    start = time.perf_counter()
    data = run_inside(instance, "build")
    build_seconds = time.perf_counter() - start
    print(f"  {build_seconds:.1f} s: {data}", flush=True)
    big = DOSSIER_PATH.format(official_id=data["big"]["id"])

    server = Server.start(instance, args.wsgi, args.timeout)
    try:
        client = Client(server.port, Authenticator(enrolment_code=enrolment_code))
        client.sign_in(EMAIL, instance.password)
        for _ in range(args.warm_up):
            if client.get(big).status != 200 or client.get(HEALTH_PATH).status != 200:
                raise BenchError("the warm-up requests did not answer 200")
        print(f"{args.requests} requests of {big}", flush=True)
        dossier = time_requests(server, client, big, args.requests)
        print(f"  p50 {dossier.p50_ms:.1f} ms, p95 {dossier.p95_ms:.1f} ms", flush=True)
        print(f"{args.requests} requests of {HEALTH_PATH}", flush=True)
        health = time_requests(server, client, HEALTH_PATH, args.requests)
        print(f"  p50 {health.p50_ms:.2f} ms, p95 {health.p95_ms:.2f} ms", flush=True)
    finally:
        server.stop()
    print("counting queries and profiling in the test client", flush=True)
    ids = (str(data["big"]["id"]), str(data["small"]["id"]))
    # the prosecutor set up two-factor sign-in at the server's sign-in above: the same app signs in again
    authenticator = f"{client.authenticator.secret}\n{client.authenticator.last_step}\n"
    measured = run_inside(instance, "measure", *ids, stdin=instance.password + "\n" + authenticator)
    return Figures(data, dossier, health, measured, build_seconds, args.warm_up)


# --- reporting ----------------------------------------------------------------------------


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def _profile_table(rows: list[list[str]]) -> list[str]:
    lines = ["| calls | own s | cumulative s | function |", "| --- | ---: | ---: | --- |"]
    for row in rows:
        if len(row) == 6:
            calls, own, _per, cumulative, _per2, function = row
            lines.append(f"| {calls} | {own} | {cumulative} | `{function}` |")
    return lines


def _shape(statement: str) -> str:
    """A statement without its parameters' count (``IN (?, ?, ?)`` -> ``IN (?…)``), shortened
    to what tells statements apart: the start of the column list and the FROM clause on."""
    shape = re.sub(r"\(\?(?:, \?)*\)", "(?…)", statement)
    head, sep, tail = shape.partition(" FROM ")
    return f"{head[:70]} … FROM {tail[:160]}" if sep and len(head) > 70 else shape[:230]


def _query_lines(figures: Figures) -> list[str]:
    """The statements that one dossier sends more often than the other."""
    if figures.queries_equal:
        return []
    big, small = (Counter(_shape(s) for s in figures.measured[n]["statements"]) for n in ("big", "small"))
    rows = [
        f"| {big[shape]} | {small[shape]} | `{shape}` |"
        for shape in sorted(set(big) | set(small))
        if big[shape] != small[shape]
    ]
    return [
        "Statements sent a different number of times by the two dossiers (parameter lists shortened):",
        "",
        "| big | small | statement |",
        "| ---: | ---: | --- |",
        *rows,
        "",
    ]


def report(figures: Figures, args: argparse.Namespace) -> str:
    d, h = figures.dossier, figures.health
    big_q, small_q = figures.queries
    info = machine()
    info.pop("sha256sum", None)
    command = "`" + shlex.join([".venv/bin/python", "bench/dossier.py", *args.argv]) + "`"
    wsgi = "" if args.wsgi == DEFAULT_WSGI else f", app `{args.wsgi}`"
    big, small = figures.data["big"], figures.data["small"]
    measured = figures.measured
    lines = [
        SECTION,
        "",
        f"Run on {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')} with {command}.",
        "",
        *(f"- {name}: {value}" for name, value in info.items()),
        f"- server: gunicorn, 1 sync worker, --timeout {args.timeout}, TRIBUNAL_ENV=production, SQLite{wsgi}",
        f"- data: one official with a leadership tenure and {big['involvements']} involvements (one per decision,"
        f" about {ACT_SHARE:.0%} of the decisions linked to an aggression act), {big['supports']} supports from"
        f" {EXHIBITS} exhibits on the tenure, the involvements, the decisions and the acts"
        f" ({', '.join(f'{k} {v}' for k, v in SUPPORT_SPREAD.items())}; about {CONTRADICTING_SHARE:.0%}"
        f" contradicting; every classification and grade), {PEERS} other officials in 5 to 60 of the same"
        f" decisions; built in {figures.build_seconds:.0f} s",
        f"- small official: {small['involvements']} involvement, {small['supports']} supports, one other official",
        f"- client: signed in as a prosecutor cleared for strictly confidential material (everything visible);"
        f" {figures.warm_up} warm-up requests of each path, then {len(d.seconds)} sequential requests of each,"
        " a new connection per request (a sync worker closes it after each response)",
        "",
        "| figure | value | target | result |",
        "| --- | --- | --- | --- |",
        f"| dossier page p50 / p95 / max | {d.p50_ms:.1f} / {d.p95_ms:.1f} / {d.max_ms:.1f} ms | | |",
        f"| `GET /health` p50 / p95 / max (the ceiling) | {h.p50_ms:.2f} / {h.p95_ms:.2f} / {h.max_ms:.2f} ms | | |",
        f"| dossier p95 / health p95 | {figures.ratio:.0f} | | |",
        f"| dossier p95 (issue 9's target, information only) | {d.p95_ms:.1f} ms | <= {P95_TARGET_MS:.0f} ms "
        f"| {_verdict(figures.p95_ok)} (not counted) |",
        f"| worker CPU per dossier request, mean (user + system) | {d.mean_cpu_ms:.1f} ms | | |",
        f"| other processes' CPU during the dossier requests, in CPUs | {d.others_share:.2f} of {os.cpu_count()} | | |",
        f"| dossier page size | {d.body_bytes / 1024:.0f} KiB | | |",
        f"| queries per page: big dossier / small dossier | {big_q} / {small_q} | equal "
        f"| {_verdict(figures.queries_equal)} |",
        f"| responses | dossier {_statuses(d)}; health {_statuses(h)}; test client "
        f"{measured['big']['status']}, {measured['small']['status']} | 200 | {_verdict(figures.responses_ok)} |",
        f"| data as built (loader finds {big['involvements']} involvements, {big['supports']} supports) | "
        f"{'as built' if figures.data_ok else 'NOT as built'} | {INVOLVEMENTS}, {SUPPORTS} "
        f"| {_verdict(figures.data_ok)} |",
        "",
        "Latency is the client's wall time per request (connection, request, the whole response read) on"
        " loopback. Other processes' CPU is the machine's busy time during the dossier requests less the"
        " worker's, the master's and the client's, over the requests' wall time: near 1 means another process"
        " had a whole CPU, and a wall time well above the worker's CPU time says the worker waited for one."
        " Queries are every statement the request sent (the session lookup and sign-in bookkeeping"
        " included), counted in the test client with the same settings and database.",
        "",
        *_query_lines(figures),
        f"Where the time of one request of the big dossier goes, median of {STAGE_RUNS} requests in the test"
        " client (no profiler):",
        "",
        *_stage_table(measured["stages"]),
        "",
        f"One request of the big dossier under cProfile took {measured['profiled_seconds'] * 1000:.0f} ms"
        " (profiling slows it). The project's own functions and templates, top 15 by cumulative time:",
        "",
        *_profile_table(measured["profile"]["project"]),
        "",
        "Everything, top 15 by cumulative time (the first rows are Flask and the test client around the view):",
        "",
        *_profile_table(measured["profile"]["cumulative"]),
        "",
        "Top 15 by own time (time in the function itself):",
        "",
        *_profile_table(measured["profile"]["tottime"]),
        "",
    ]
    return "\n".join(lines)


def _stage_table(stages: dict[str, dict[str, float]]) -> list[str]:
    total = stages["request"]["seconds"]
    lines = ["| stage | ms | share of the request |", "| --- | ---: | ---: |"]
    for _module, _name, label in STAGES:
        if label in stages:
            seconds = stages[label]["seconds"]
            name = label.replace("  ", "&nbsp;&nbsp;&nbsp;&nbsp;", 1) if label.startswith("  ") else label
            lines.append(f"| {name} | {seconds * 1000:.0f} | {seconds / total:.0%} |")
    lines.append(f"| the whole request (test client) | {total * 1000:.0f} | 100% |")
    return lines


def _statuses(timings: Timings) -> str:
    counts: dict[int, int] = {}
    for status in timings.statuses:
        counts[status] = counts.get(status, 0) + 1
    return ", ".join(f"{n} × {status}" for status, n in sorted(counts.items()))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--inside"]:
        return inside(argv[1], argv[2:])
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200, help="timed requests of each path (default 200)")
    parser.add_argument("--warm-up", type=int, default=5, help="untimed requests of each path first (default 5)")
    parser.add_argument("--no-record", action="store_true", help="print the figures, leave RESULTS.md alone")
    parser.add_argument("--tmpdir", help="where to put the temporary instance (default: the system's)")
    parser.add_argument("--timeout", type=int, default=120, help="gunicorn worker timeout in seconds")
    parser.add_argument("--wsgi", default=DEFAULT_WSGI, help=f"the app gunicorn serves (default {DEFAULT_WSGI})")
    args = parser.parse_args(argv)
    args.argv = argv
    if args.requests < 20:
        parser.error("--requests must be at least 20 (a 95th percentile needs them)")
    if args.warm_up < 1:
        parser.error("--warm-up must be at least 1")
    # a plain kill would skip the clean-up: gunicorn left running, the instance left behind
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        with scratch(args.tmpdir, prefix="tribunal-bench-dossier-") as work:
            figures = run(args, work)
    except (BenchError, subprocess.SubprocessError, json.JSONDecodeError, KeyError) as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 2
    section = report(figures, args)
    print()
    print(section)
    if not args.no_record:
        record(section, SECTION)
        print(f"written to {RESULTS.relative_to(ROOT)}")
    return 0 if figures.passed else 1


if __name__ == "__main__":
    os.chdir(ROOT)  # flask --app app and the imports inside resolve from the project root
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
