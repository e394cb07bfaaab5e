"""Load benchmark of issues 9 and 24: the app under gunicorn at three scales, on SQLite and PostgreSQL.

    .venv/bin/python bench/load.py [--scales 1000,10000,100000] [--seconds 10] [--no-record]

For each engine (SQLite always; PostgreSQL when DATABASE_URL names a postgresql database)
and each scale (officials; decisions x3 and exhibits x10, built by ``flask demo synth``):

1. the database: SQLite in a fresh file (a copy of a cached build when one exists for the same
   scale, seed, synthetic-data code and migrations), PostgreSQL by dropping and recreating
   the schema of DATABASE_URL (only one this benchmark built, or one without officials),
   migrating with ``flask db upgrade``, building into it and running ``ANALYZE`` -- or, when
   the schema holds this benchmark's finished build of the same scale, seed and code (its
   comment says which) and the cache holds that build's evidence files, that build as it is;
2. an admin cleared for everything (a new one each run), a password and an API token for
   them; about 200 officials with involvements picked evenly by id, and names from them in
   Latin, Cyrillic and Hangul; for issue 24, paths drawn with random.Random seeded by --seed
   (paths_for): dossiers of officials drawn uniformly from all of them but the 200, random
   index filter combinations, and names of officials drawn at random in the three scripts;
3. queries per request: the app in a process of its own (Flask's test client, the same
   settings and database) requests the first paths of each endpoint and counts the statements;
4. gunicorn with the repository's gunicorn.conf.py (TRIBUNAL_ENV=production) on a free
   loopback port; signed in over HTTP; for each endpoint a warm-up, then ``wrk`` (2 threads,
   one connection per core, --seconds) rotating through its paths (bench/load.lua): throughput,
   p50, p95 and p99 latency, gunicorn's CPU per request (master and workers, from /proc), answers
   other than 200, and the rest of the machine's CPU meanwhile; before the dossier page and the
   index, every sampled path requested until each worker keeps it (views/page_cache.py); the
   random paths' warm-ups request other paths drawn the same way, and wrk's threads split the
   timed ones, so each is requested about once; the sample's dossiers once more while a writer
   thread changes an official outside them once a second through the API (Writer); last, on a
   second server with the page cache off, the dossier page and the index (information: what a
   first visit costs) and random dossiers.

Endpoints: the dossier page, the dossiers index filtered by state (and by a missing element),
search, the official page, the API's dossier JSON, and ``GET /health`` as the ceiling (one
trivial query on the same server). Issue 9's targets are judged at 100,000 officials on each
engine: dossier p95 <= 50 ms and throughput >= 10 % of the ceiling's, search and index p95 <=
100 ms, and queries per request bounded (at most QUERY_LIMIT, and at most QUERY_SLACK more at
the largest scale than at the smallest of the same run). Issue 24's, at 100,000 officials too:
random dossiers (cache on and off) at <= 12 ms of server CPU per request and >= 6 % of the
ceiling, the warm dossiers with one write a second at >= 80 % of their throughput without,
random index filters and random searches p95 <= 50 ms, the index's first page <= 40,000 bytes.

Figures are printed and, unless --no-record, written to bench/RESULTS.md under "Load
(bench/load.py)", one subsection per engine and scale (subsections of scales not run this
time are kept). Exit status 0 when every request answered 200 and every target judged was
met, 1 otherwise, 2 when the benchmark could not run. Linux only (reads /proc). SCALES and
BENCH_SECONDS in the environment set the defaults of --scales and --seconds.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import http.client
import json
import os
import random
import re
import resource
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
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
    free_port,
    machine,
    scratch,
)

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
SECTION = "## Load (bench/load.py)"
LUA = Path(__file__).resolve().parent / "load.lua"
# The admin each run signs in as (one per run: a kept PostgreSQL build holds earlier runs', disabled).
EMAIL = "bench-load-admin-{stamp}@example.org"
WSGI = "app:create_app()"
DEFAULT_SCALES = "1000,10000,100000"
TARGET_SCALE = 100_000
SAMPLE = 200  # officials rotated through
SEARCH_NAMES = 10  # names per script searched for
QUERY_PATHS = 5  # paths of each endpoint counted in the test client
QUERY_LIMIT = 40  # statements per request, at most, whatever the scale
# A few more statements at the largest scale than at the smallest are not growth with the data
# (a dossier record present or not, a page of involvements more); an N+1 would add hundreds.
QUERY_SLACK = 2
MIN_REQUESTS = 20  # fewer in a run and its p95 says nothing: reported as too few, a target missed
DOSSIER_P95_MS, DOSSIER_SHARE, LIST_P95_MS = 50.0, 0.10, 100.0
# PostgreSQL schema comment: the schema may be dropped. A finished build adds its cache entry's
# name (scale, seed, code key), so a later run with the same code uses it instead of building again.
SCHEMA_MARK = "tribunal bench/load.py"


@dataclass(frozen=True)
class Endpoint:
    key: str
    label: str
    auth: str  # "session", "token" or "none"
    uncached: bool = False  # served by a second server with PAGE_CACHE_BYTES=0: every page rendered
    # Paths drawn at random, each requested about once: warmed up on other paths drawn the same
    # way, and split between wrk's threads so no two requests ask for the same page
    fresh: bool = False
    writes: bool = False  # one API write a second to other officials meanwhile (Writer)


ENDPOINTS = (
    Endpoint("dossier", "dossier page `/dossiers/<id>`", "session"),
    Endpoint("index", "dossiers index, filtered `/dossiers?state=BY[&missing=E1]`", "session"),
    Endpoint("search", "search `/search?q=<name>`", "session"),
    Endpoint("official", "official page `/officials/<id>`", "session"),
    Endpoint("api", "API dossier JSON `/api/v1/dossiers/<id>`", "token"),
    Endpoint("ceiling", "`GET /health` (the ceiling)", "none"),
    # Issue 24: what a team sees (pages a first time, filters and names of their own, writes)
    Endpoint("dossier_random", "dossier page of officials drawn at random (cache on)", "session", fresh=True),
    Endpoint("index_random", "dossiers index, random filter combinations", "session", fresh=True),
    Endpoint("search_random", "search for names drawn at random", "session", fresh=True),
    Endpoint("dossier_writes", "dossier page, the sample, one API write a second elsewhere", "session", writes=True),
    # Last: it restarts the server without the page cache (a first visit, or a visit after a change)
    Endpoint(
        "dossier_uncached", "dossier page, rendered every time (`PAGE_CACHE_BYTES=0`; information)", "session", True
    ),
    Endpoint("index_uncached", "dossiers index, rendered every time (information)", "session", True),
    Endpoint(
        "dossier_random_uncached",
        "dossier page of officials drawn at random (`PAGE_CACHE_BYTES=0`)",
        "session",
        uncached=True,
        fresh=True,
    ),
)
FRESH_KEYS = tuple(e.key for e in ENDPOINTS if e.fresh)
ISSUE9_ENDPOINTS = ("dossier", "index", "search", "official", "api", "ceiling", "dossier_uncached", "index_uncached")
INDEX_PATHS = ("/dossiers?state=BY", "/dossiers?state=BY&missing=E1")
# Issue 24's random paths: how many for the timed runs (more than a run at 100,000 officials
# requests, so each is visited about once) and for the warm-ups before them
RANDOM_DOSSIERS, RANDOM_INDEX, RANDOM_NAMES_PER_SCRIPT, RANDOM_WARM = 6000, 2000, 400, 100
NAME_DRAW = 4000  # officials drawn at random for the names searched for
WRITE_TARGETS = 60  # officials (not requested) the writer rotates through
INDEX_SORTS = ("strength", "name", "status")  # views/dossiers.py
SCRIPT_GROUPS = {"Latn": "Latn", "Cyrl": "Cyrl", "Hang": "Hang", "Kore": "Hang"}
# Issue 24's targets, at TARGET_SCALE on each engine
FRESH_CPU_MS, FRESH_SHARE, WRITES_KEPT, RANDOM_P95_MS, INDEX_BYTES = 12.0, 0.06, 0.80, 50.0, 40_000


def draw(
    pool: list[Any], sizes: tuple[int, ...], rng: random.Random, exclude: set[Any] | None = None
) -> list[list[Any]]:
    """Disjoint draws, uniform and without replacement, from ``pool`` less ``exclude``: one
    list per size, in order; the later ones get what is left when the pool is too small."""
    candidates = [x for x in pool if x not in (exclude or set())]
    picked = rng.sample(candidates, min(sum(sizes), len(candidates)))
    cuts = [sum(sizes[:n]) for n in range(len(sizes) + 1)]
    return [picked[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]


def index_paths(rng: random.Random, count: int, choices: dict[str, list[Any]]) -> list[str]:
    """``count`` distinct index paths with random filters: each of state, institution (its
    number or its name, as the search-as-you-type field sends them), status and missing element
    set half the time, and a sort drawn from INDEX_SORTS (the default left out of the path)."""
    paths: list[str] = []
    seen: set[str] = set()
    for _attempt in range(50 * count):
        if len(paths) >= count:
            break
        params: dict[str, str] = {}
        for name in ("state", "institution", "status", "missing"):
            if choices[name] and rng.random() < 0.5:
                value = rng.choice(choices[name])
                if name == "institution":  # [id, name]
                    value = str(value[0]) if rng.random() < 0.5 else value[1]
                params[name] = value
        sort = rng.choice(INDEX_SORTS)
        if sort != INDEX_SORTS[0]:
            params["sort"] = sort
        path = "/dossiers" + ("?" + urllib.parse.urlencode(params) if params else "")
        if path not in seen:
            seen.add(path)
            paths.append(path)
    return paths


def names_by_script(rows: list[tuple[str, str | None]], per_script: int) -> list[str]:
    """Up to ``per_script`` distinct names of each of Latin, Cyrillic and Hangul from ``rows``
    (name, script) in the order given, interleaved so that a rotation mixes the scripts."""
    groups: dict[str, list[str]] = {"Latn": [], "Cyrl": [], "Hang": []}
    for name, script in rows:
        group = groups.get(SCRIPT_GROUPS.get(script or "", ""))
        if group is not None and len(group) < per_script and name and name not in group:
            group.append(name)
    longest = max(len(g) for g in groups.values())
    return [g[n] for n in range(longest) for g in groups.values() if n < len(g)]


def paths_for(sample: dict[str, Any], seed: int) -> dict[str, Any]:
    """The paths each endpoint rotates through ("timed"), the other paths the endpoints with
    fresh pages warm up on ("warm"), and the officials the writer changes ("write_ids", none of
    them requested); all drawn with random.Random seeded from ``seed``."""
    ids, names = sample["ids"], sample["names"]
    rng = random.Random(f"bench/load.py {seed}")  # noqa: S311 (a benchmark's draw, not a secret)
    warm_ids, write_ids, random_ids = draw(
        sample["all_ids"], (RANDOM_WARM, WRITE_TARGETS, RANDOM_DOSSIERS), rng, exclude=set(ids)
    )
    half = len(random_ids) // 2  # one half with the page cache, the other without
    index = index_paths(rng, RANDOM_INDEX + RANDOM_WARM, sample["index_choices"])
    search = ["/search?" + urllib.parse.urlencode({"q": name}) for name in sample["random_names"]]
    warm_search = max(1, min(RANDOM_WARM, len(search) // 10))  # the warm-up's names are not searched again
    timed = {
        "dossier": [f"/dossiers/{n}" for n in ids],
        "dossier_uncached": [f"/dossiers/{n}" for n in ids],
        "index_uncached": list(INDEX_PATHS),
        "index": list(INDEX_PATHS),
        "search": ["/search?" + urllib.parse.urlencode({"q": name}) for name in names],
        "official": [f"/officials/{n}" for n in ids],
        "api": [f"/api/v1/dossiers/{n}" for n in ids],
        "ceiling": ["/health"],
        "dossier_random": [f"/dossiers/{n}" for n in random_ids[:half]],
        "dossier_random_uncached": [f"/dossiers/{n}" for n in random_ids[half:]],
        "index_random": index[RANDOM_WARM:],
        "search_random": search[warm_search:],
        "dossier_writes": [f"/dossiers/{n}" for n in ids],
    }
    warm = {
        "dossier_random": [f"/dossiers/{n}" for n in warm_ids],
        "dossier_random_uncached": [f"/dossiers/{n}" for n in warm_ids],
        "index_random": index[:RANDOM_WARM],
        "search_random": search[:warm_search],
    }
    return {"timed": timed, "warm": warm, "write_ids": write_ids}


# --- inside the app: reset, build, sample, count -------------------------------------------
# These run in a child process with the instance's environment (``--inside STEP``), so this
# process never holds the database while gunicorn has it.


def _reset_postgresql() -> dict[str, Any]:
    """Drop and recreate the public schema, unless it holds case data this benchmark did not
    put there (a schema without our comment and with officials: someone's real database)."""
    from sqlalchemy import create_engine, text

    from config import normalise_database_url

    engine = create_engine(normalise_database_url(os.environ["DATABASE_URL"]))
    with engine.begin() as conn:
        mark = conn.scalar(text("SELECT obj_description('public'::regnamespace, 'pg_namespace')")) or ""
        has_officials = conn.scalar(text("SELECT to_regclass('public.official') IS NOT NULL"))
        ours = mark == SCHEMA_MARK or mark.startswith(SCHEMA_MARK + " ")
        if has_officials and not ours and conn.scalar(text("SELECT count(*) FROM official")):
            raise BenchError("DATABASE_URL holds officials this benchmark did not build; refusing to drop it")
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
        conn.execute(text(f"COMMENT ON SCHEMA public IS '{SCHEMA_MARK}'"))
    engine.dispose()
    return {"reset": True}


def _postgresql_mark(built: str | None) -> dict[str, Any]:
    """The schema's comment; with ``built``, first record that the schema holds that finished
    build (a cache entry's name)."""
    from sqlalchemy import create_engine, text

    from config import normalise_database_url

    engine = create_engine(normalise_database_url(os.environ["DATABASE_URL"]))
    with engine.begin() as conn:
        if built is not None:
            if not re.fullmatch(r"[a-z0-9-]+", built):
                raise BenchError(f"not a build name: {built!r}")
            conn.execute(text(f"COMMENT ON SCHEMA public IS '{SCHEMA_MARK} {built}'"))
        mark = conn.scalar(text("SELECT obj_description('public'::regnamespace, 'pg_namespace')"))
    engine.dispose()
    return {"mark": mark or ""}


def _analyze_postgresql() -> dict[str, Any]:
    """Planner statistics for the bulk-loaded tables. Autovacuum would gather them within
    minutes of the load; without them the planner guesses, and the first minutes of a
    benchmark after a COPY measure its guesses (seconds per dossier at 100,000 officials)."""
    from sqlalchemy import create_engine, text

    from config import normalise_database_url

    engine = create_engine(normalise_database_url(os.environ["DATABASE_URL"]), isolation_level="AUTOCOMMIT")
    start = time.perf_counter()
    with engine.connect() as conn:
        conn.execute(text("ANALYZE"))
    engine.dispose()
    return {"seconds": time.perf_counter() - start}


def _synth(officials: int, seed: int) -> dict[str, Any]:
    """seeds.synth (services.synth in older checkouts) as ``flask demo synth`` runs it, for a
    checkout without the command yet."""
    from app import create_app
    from extensions import db
    from services.audit import trail as audit
    from services.evidence.store import store_for

    try:
        from seeds.synth import SynthSpec, build
    except ImportError:  # a checkout from before seeds/
        from services.synth import SynthSpec, build  # type: ignore[no-redef]

    app = create_app()
    spec = SynthSpec(officials=officials, decisions=3 * officials, evidence=10 * officials, seed=seed)
    with app.app_context(), audit.acting_as(None, "bench/load.py"):
        counts = build(db.session, spec, store_for(app.config), echo=lambda line: print(line, flush=True), tune=True)
        db.session.commit()
    return counts


def _sample(seed: int) -> dict[str, Any]:
    """Row counts; SAMPLE officials with involvements, evenly by id; names to search for; and
    for issue 24's random paths (paths_for): every official's id, names of officials drawn at
    random (seeded) in Latin, Cyrillic and Hangul, and the index filters' choices."""
    from sqlalchemy import bindparam, text

    from app import create_app
    from extensions import db
    from models.enums import DOSSIER_STATUSES
    from services.dossiers.pages import ELEMENT_CODES

    app = create_app()
    tables = ("official", "official_name", "decision", "involvement", "evidence", "support", "dossier")
    expanding = bindparam("ids", expanding=True)
    with app.app_context():
        counts = {t: db.session.scalar(text(f"SELECT count(*) FROM {t}")) for t in tables}  # noqa: S608 (fixed names)
        ids = db.session.scalars(
            text(
                "SELECT o.id FROM official o WHERE o.deleted_at IS NULL AND EXISTS "
                "(SELECT 1 FROM involvement i WHERE i.official_id = o.id) ORDER BY o.id"
            )
        ).all()
        step = max(1, len(ids) // SAMPLE)
        picked = list(ids[::step][:SAMPLE])
        rows = db.session.execute(
            text("SELECT id, name, native_name, native_script FROM official WHERE id IN :ids ORDER BY id").bindparams(
                expanding
            ),
            {"ids": picked},
        ).all()
        all_ids = list(db.session.scalars(text("SELECT id FROM official WHERE deleted_at IS NULL ORDER BY id")))
        drawn = random.Random(f"bench/load.py names {seed}").sample(all_ids, min(NAME_DRAW, len(all_ids)))  # noqa: S311
        order = {official_id: n for n, official_id in enumerate(drawn)}
        written: list[tuple[int, str, str | None]] = []
        for official_id, name, native, script in db.session.execute(
            text("SELECT id, name, native_name, native_script FROM official WHERE id IN :ids").bindparams(expanding),
            {"ids": drawn},
        ):
            written += [(official_id, name, "Latn"), (official_id, native, script)]
        written += db.session.execute(
            text("SELECT official_id, name, script FROM official_name WHERE official_id IN :ids").bindparams(expanding),
            {"ids": drawn},
        ).all()
        written.sort(key=lambda row: order[row[0]])  # stable: each official's names in the order read
        index_choices = {
            "state": list(db.session.scalars(text("SELECT code FROM state ORDER BY code"))),
            "institution": [list(r) for r in db.session.execute(text("SELECT id, name FROM institution ORDER BY id"))],
            "status": list(DOSSIER_STATUSES),
            "missing": list(ELEMENT_CODES),
        }
    by_script: dict[str, list[str]] = {"Latn": [], "Cyrl": [], "Hang": []}
    for _id, name, native, script in rows:
        by_script["Latn"].append(name)
        if native and script in ("Cyrl", "Hang", "Kore"):
            by_script["Hang" if script == "Kore" else script].append(native)
    names = [name for script in by_script.values() for name in script[:SEARCH_NAMES]]
    return {
        "counts": counts,
        "ids": picked,
        "names": names,
        "with_involvements": len(ids),
        "all_ids": all_ids,
        "random_names": names_by_script([(name, script) for _id, name, script in written], RANDOM_NAMES_PER_SCRIPT),
        "index_choices": index_choices,
    }


class _Counter:
    """Statements sent to the database, as tests/conftest.py's QueryCounter counts them."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN")):
            self.count += 1


def _queries(paths_file: str, email: str, password: str, token: str, enrolment_code: str) -> dict[str, Any]:
    """Statements per request of the first QUERY_PATHS paths of each endpoint (each requested
    once untimed first), the statuses they answered and their wall times, one at a time."""
    import html

    from sqlalchemy import event

    from app import create_app
    from extensions import db

    app = create_app()
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    if not match:
        raise BenchError("no CSRF token on /login in the test client")
    form = {"csrf_token": html.unescape(match.group(1)), "email": email, "password": password}
    response = client.post("/login", data=form)
    # The admin's first sign-in sets up two-factor sign-in; the server's client signs in later
    # with the secret learnt here (run_scale)
    authenticator = Authenticator(enrolment_code=enrolment_code)
    step = urllib.parse.urlsplit(response.headers.get("Location", "")).path
    if response.status_code in (302, 303) and step == "/login/enrol":
        page = client.get(step).get_data(as_text=True)
        authenticator.learn(page)
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        if not match:
            raise BenchError(f"no CSRF token on {step} in the test client")
        form = {
            "csrf_token": html.unescape(match.group(1)),
            "code": authenticator.code(),
            "enrolment_code": enrolment_code,
        }
        response = client.post(step, data=form)
    if response.status_code not in (302, 303) or response.headers["Location"].startswith("/login"):
        raise BenchError("sign-in refused in the test client")
    with app.app_context():
        engine = db.engine
    result: dict[str, Any] = {}
    cache_bytes = app.config["PAGE_CACHE_BYTES"]
    listed = json.loads(Path(paths_file).read_text())
    for endpoint in ENDPOINTS:
        paths = listed["timed"][endpoint.key][:QUERY_PATHS]
        # fresh pages are counted at a first visit: the warm-up requests another path
        warm = listed["warm"].get(endpoint.key) or paths
        headers = {"Authorization": f"Bearer {token}"} if endpoint.auth == "token" else {}
        app.config["PAGE_CACHE_BYTES"] = 0 if endpoint.uncached else cache_bytes
        counts, statuses, seconds = [], [], []
        for n, path in enumerate(paths):
            client.get(warm[n % len(warm)], headers=headers)  # warm-up: templates compiled, caches filled
            counter = _Counter()
            event.listen(engine, "before_cursor_execute", counter)
            start = time.perf_counter()
            try:
                response = client.get(path, headers=headers)
            finally:
                seconds.append(time.perf_counter() - start)
                event.remove(engine, "before_cursor_execute", counter)
            counts.append(counter.count)
            statuses.append(response.status_code)
        result[endpoint.key] = {"counts": counts, "statuses": statuses, "seconds": seconds}
    result["authenticator"] = {"secret": authenticator.secret, "last_step": authenticator.last_step}
    return result


def inside(step: str, argv: list[str]) -> int:
    """Run one step inside the app and print its result as JSON, on the last line."""
    if step == "reset-postgresql":
        result = _reset_postgresql()
    elif step == "analyze-postgresql":
        result = _analyze_postgresql()
    elif step == "postgresql-mark":
        result = _postgresql_mark(argv[0] if argv else None)
    elif step == "synth":
        result = _synth(int(argv[0]), int(argv[1]))
    elif step == "sample":
        result = _sample(int(argv[0]))
    elif step == "queries":
        password, token, enrolment_code = (sys.stdin.readline().strip() for _ in range(3))
        result = _queries(argv[0], argv[1], password, token, enrolment_code)
    else:
        raise SystemExit(f"unknown step {step}")
    print(json.dumps(result))
    return 0


# --- the instance and its database ---------------------------------------------------------


@dataclass
class LoadInstance(Instance):
    """upload.Instance with any database URL and gunicorn.conf.py's settings."""

    url: str = ""
    bind: str = ""

    @property
    def env(self) -> dict[str, str]:
        env = super().env
        env["DATABASE_URL"] = self.url or f"sqlite:///{self.database}"
        if self.bind:
            env["BIND"] = self.bind
        return env

    def flask(self, *args: str, stdin: str | None = None) -> str:
        return self.run(str(VENV_BIN / "flask"), "--app", "app", *args, stdin=stdin)

    def inside(self, step: str, *args: str, stdin: str | None = None) -> Any:
        out = self.run(str(VENV_BIN / "python"), str(Path(__file__).resolve()), "--inside", step, *args, stdin=stdin)
        return json.loads(out.strip().splitlines()[-1])


def synth_has_command(instance: LoadInstance) -> bool:
    try:
        instance.flask("demo", "synth", "--help")
    except BenchError:
        return False
    return True


def synth(instance: LoadInstance, officials: int, seed: int) -> str:
    """Build the synthetic set into the instance's (migrated, empty) database; how it was built."""
    if synth_has_command(instance):
        args = ["--officials", str(officials), "--decisions", str(3 * officials), "--evidence", str(10 * officials)]
        instance.flask("demo", "synth", *args, "--seed", str(seed))
        return "`flask demo synth " + " ".join(args) + f" --seed {seed}`"
    instance.inside("synth", str(officials), str(seed))
    return "the synthetic data builder (this checkout's `flask demo` has no `synth` command yet)"


def code_key(officials: int, seed: int) -> str:
    """What a cached SQLite build depends on: scale, seed, the synthetic data's code, the schema."""
    digest = hashlib.sha256(f"{officials}:{seed}".encode())
    synth = [*ROOT.glob("services/synth*.py"), *ROOT.glob("seeds/synth/*.py")]
    synth += [ROOT / "seeds/data/states.json", ROOT / "seeds/data/acts.json"]  # the frame's States and acts
    for path in sorted([*(p for p in synth if p.exists()), *ROOT.glob("migrations/versions/*.py")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def build_sqlite(instance: LoadInstance, officials: int, seed: int, cache: Path | None) -> tuple[float, str]:
    """The instance's database and evidence store, built or copied from the cache; the build's
    seconds (from the cache's record when copied) and how it was built."""
    entry = cache / f"{officials}-{seed}-{code_key(officials, seed)}" if cache else None
    if entry and (entry / "build.json").exists():
        print(f"  copying the cached build {entry}", flush=True)
        shutil.copy2(entry / "bench.db", instance.database)
        shutil.copytree(entry / "evidence", instance.evidence_dir, copy_function=os.link, dirs_exist_ok=True)
        built = json.loads((entry / "build.json").read_text())
        return built["seconds"], built["how"] + " (cached build)"
    instance.flask("db", "upgrade")
    start = time.perf_counter()
    how = synth(instance, officials, seed)
    seconds = time.perf_counter() - start
    if entry:
        keep_build(instance, entry, {"seconds": seconds, "how": how}, instance.database)
    return seconds, how


def keep_build(instance: LoadInstance, entry: Path, built: dict[str, Any], database: Path | None = None) -> None:
    """Put a finished build's evidence files (and SQLite file) in the cache as ``entry``,
    replacing entries of the same scale and seed built by older code."""
    partial = entry.with_name(entry.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    if database is not None:
        shutil.copy2(database, partial / "bench.db")  # flask has exited: the WAL is checkpointed
    shutil.copytree(instance.evidence_dir, partial / "evidence", copy_function=os.link)
    (partial / "build.json").write_text(json.dumps(built))
    prefix = entry.name.rsplit("-", 1)[0]
    for stale in entry.parent.glob(f"{prefix}-*"):  # built by older code: never used again
        if stale != partial:
            shutil.rmtree(stale, ignore_errors=True)
    partial.rename(entry)


def build_postgresql(instance: LoadInstance, officials: int, seed: int, cache: Path | None) -> tuple[float, str]:
    """The schema of DATABASE_URL built, or kept from an earlier run of the same code when the
    cache holds that build's evidence files; the build's seconds and how it was built."""
    entry = cache / f"postgresql-{officials}-{seed}-{code_key(officials, seed)}" if cache else None
    if entry and (entry / "build.json").exists():
        mark = instance.inside("postgresql-mark")["mark"]
        if mark == f"{SCHEMA_MARK} {entry.name}":
            print(f"  using the database's finished build {entry.name}", flush=True)
            shutil.copytree(entry / "evidence", instance.evidence_dir, copy_function=os.link, dirs_exist_ok=True)
            built = json.loads((entry / "build.json").read_text())
            return built["seconds"], built["how"] + " (kept from an earlier run)"
    instance.inside("reset-postgresql")
    instance.flask("db", "upgrade")
    start = time.perf_counter()
    how = synth(instance, officials, seed)
    seconds = time.perf_counter() - start
    analyzed = instance.inside("analyze-postgresql")
    how = f"{how}, then `ANALYZE` ({analyzed['seconds']:.0f} s)"
    if entry:
        keep_build(instance, entry, {"seconds": seconds, "how": how})
        instance.inside("postgresql-mark", entry.name)
    return seconds, how


def add_admin(instance: LoadInstance, email: str) -> tuple[str, str]:
    """The admin the load signs in as; their API token (for a day: on PostgreSQL the database
    stays; the account is disabled after the run, see run_scale) and the enrolment code they
    set up two-factor sign-in with."""
    created = instance.flask(
        "users", "create", email, "--role", "admin", "--clearance", "strictly_confidential",
        "--password-stdin", stdin=instance.password + "\n",
    )  # fmt: skip
    printed = instance.flask("users", "token", email, "--expires-days", "1", "--label", "bench/load.py")
    return printed.strip().splitlines()[-1].strip(), created.strip().splitlines()[-1].strip()


# --- gunicorn and wrk ------------------------------------------------------------------------


def start_server(instance: LoadInstance, **settings: str) -> Server:
    """gunicorn with gunicorn.conf.py (its workers, threads, logs), on a free loopback port;
    ``settings``: environment variables beyond the instance's."""
    port = free_port()
    instance.bind = f"127.0.0.1:{port}"
    log = instance.root / "gunicorn.log"
    args = [str(VENV_BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), WSGI]
    return Server.launch(args, port, log, {**instance.env, **settings}, append=True)


def worker_count(server: Server) -> int:
    return len(Path(f"/proc/{server.process.pid}/task/{server.process.pid}/children").read_text().split())


def fill_page_caches(client: Client, paths: list[str], workers: int) -> None:
    """Request every path 4 x workers times, a connection each: a kept dossier page
    (views/page_cache.py) lives in the worker that rendered it, and which worker accepts a
    connection is the kernel's choice, so each path reaches every worker (all but about 1% of
    the time with 4 workers) before the load is timed."""
    for _round in range(4 * workers):
        for path in paths:
            client.get(path)


class Writer:
    """One API write a second, on a thread of its own, while a load runs: the official's notes
    changed through ``PATCH /api/v1/officials/<id>`` (case data: an audit event, a new version,
    the data's generation moved), rotating through ``targets`` -- officials the load never
    requests. Versions are read before the load starts, then taken from each answer."""

    def __init__(self, port: int, token: str, targets: list[int], interval: float = 1.0) -> None:
        self.port, self.token, self.targets, self.interval = port, token, targets, interval
        self.versions: dict[int, int] = {}
        self.statuses: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="bench-writer", daemon=True)

    def _request(self, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, dict[str, Any]]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        try:
            conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
            response = conn.getresponse()
            raw = response.read()
        finally:
            conn.close()
        try:
            answer = json.loads(raw) if raw else {}
        except ValueError:
            answer = {}
        return response.status, answer if isinstance(answer, dict) else {}

    def start(self) -> Writer:
        for official_id in self.targets:
            status, answer = self._request("GET", f"/api/v1/officials/{official_id}")
            if status != 200 or "version" not in answer:
                raise BenchError(f"the writer cannot read official {official_id} (HTTP {status})")
            self.versions[official_id] = answer["version"]
        self._thread.start()
        return self

    def _loop(self) -> None:
        n = 0
        next_at = time.monotonic()
        while not self._stop.wait(max(0.0, next_at - time.monotonic())):
            official_id = self.targets[n % len(self.targets)]
            body = {"version": self.versions[official_id], "notes": f"bench/load.py write {n} at {time.time():.3f}"}
            try:
                status, answer = self._request("PATCH", f"/api/v1/officials/{official_id}", body)
            except OSError:
                status, answer = 0, {}
            self.statuses.append(status)
            if "version" in answer:
                self.versions[official_id] = answer["version"]
            n += 1
            next_at += self.interval

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=120)

    @property
    def failed(self) -> int:
        return sum(1 for status in self.statuses if status != 200)


def server_errors(log: Path, limit: int = 5) -> list[str]:
    """The distinct last lines of the tracebacks in gunicorn's log (why answers were 500), and
    how many 500s each kind of path answered (from the access log)."""
    lines = log.read_text(errors="replace").splitlines()
    failing: dict[str, int] = {}
    for line in lines:
        match = re.search(r'"[A-Z]+ (/[^ ]*) HTTP/[0-9.]+" 500 ', line)
        if match:
            shape = re.sub(r"/[0-9]+", "/<id>", match.group(1))
            failing[shape] = failing.get(shape, 0) + 1
    found: list[str] = [f"HTTP 500 from {shape}: {n}" for shape, n in sorted(failing.items())]
    for n, line in enumerate(lines):
        if line.startswith("Traceback"):
            end = next((k for k in range(n + 1, len(lines)) if not lines[k].startswith((" ", "Traceback"))), None)
            if end is not None and lines[end] not in found:
                found.append(lines[end])
    return found[: limit + len(failing)]


def tree_cpu(pid: int) -> float:
    """CPU seconds of gunicorn's master, its live workers, and the workers it has reaped
    (recycled after max_requests: their time moves to the master's cutime/cstime)."""
    tick = os.sysconf("SC_CLK_TCK")

    def stat(p: int) -> list[str]:
        return Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()

    fields = stat(pid)
    total = sum(int(x) for x in fields[11:15])
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    for child in children:
        with contextlib.suppress(OSError):  # a worker that just exited
            total += sum(int(x) for x in stat(int(child))[11:13])
    return total / tick


@dataclass
class Run:
    """One wrk run of one endpoint."""

    requests: int
    seconds: float
    non200: int
    statuses: str
    errors: dict[str, int]
    latency_us: dict[str, float]
    others_cpus: float  # other processes' CPU meanwhile, in CPUs
    server_cpu: float = 0.0  # gunicorn's CPU seconds (master and workers, user + system) meanwhile
    paths: int = 0  # distinct paths rotated through

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms(self) -> float:
        """gunicorn's CPU per request served, in ms."""
        return cpu_per_request_ms(self.server_cpu, self.requests)

    def ms(self, key: str) -> float:
        return self.latency_us[key] / 1000

    def p95_within(self, limit_ms: float) -> bool:
        return self.requests >= MIN_REQUESTS and self.ms("p95") <= limit_ms

    @property
    def failed(self) -> int:
        return self.non200 + sum(self.errors.values()) - self.errors.get("status", 0)


def cpu_per_request_ms(cpu_seconds: float, requests: int) -> float:
    return cpu_seconds * 1000 / requests if requests else 0.0


def wrk(
    server: Server,
    paths: list[str],
    headers: dict[str, str],
    seconds: int,
    args: argparse.Namespace,
    work: Path,
    spread: bool = False,
) -> Run:
    """One wrk run rotating through ``paths``; ``spread``: each thread takes its own share of
    them (for paths requested about once each), instead of starting 37 apart."""
    listing = work / "paths.txt"
    listing.write_text("\n".join(paths) + "\n")
    command = [
        args.wrk, "-t", str(args.threads), "-c", str(args.connections), "-d", f"{seconds}s",
        "--timeout", "30s", "-s", str(LUA),
    ]  # fmt: skip
    command.append(f"http://127.0.0.1:{server.port}")
    ours_before = tree_cpu(server.process.pid), resource.getrusage(resource.RUSAGE_CHILDREN), busy_seconds()
    start = time.perf_counter()
    done = subprocess.run(  # noqa: S603 (wrk from PATH, arguments from this script)
        command,
        env=os.environ
        | {
            "LOAD_PATHS": str(listing),
            "LOAD_HEADERS": "\n".join(f"{k}: {v}" for k, v in headers.items()),
            "LOAD_SPREAD": str(args.threads if spread else 0),
        },
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    client_cpu = after.ru_utime + after.ru_stime - ours_before[1].ru_utime - ours_before[1].ru_stime
    server_cpu = tree_cpu(server.process.pid) - ours_before[0]
    ours = server_cpu + client_cpu
    line = next((x for x in done.stdout.splitlines() if x.startswith("LOAD_JSON ")), None)
    if done.returncode != 0 or line is None:
        raise BenchError(f"wrk failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    figures = json.loads(line.removeprefix("LOAD_JSON "))
    return Run(
        requests=figures["requests"],
        seconds=figures["duration_us"] / 1e6,
        non200=figures["non200"],
        statuses=figures["statuses"].strip(),
        errors=figures["errors"],
        latency_us=figures["latency_us"],
        others_cpus=max(0.0, busy_seconds() - ours_before[2] - ours) / wall,
        server_cpu=server_cpu,
        paths=len(paths),
    )


# --- one engine at one scale -------------------------------------------------------------------


@dataclass
class Result:
    engine: str
    officials: int
    seed: int
    counts: dict[str, int]
    build_seconds: float
    built_how: str
    sampled: int
    search_names: int
    runs: dict[str, Run]
    queries: dict[str, Any]
    when: str
    loadavg: str
    workers: str
    errors: list[str]  # from gunicorn's log
    index_page: tuple[int, int] = (0, 0)  # the unfiltered index's first page: bytes, rows
    writes: tuple[int, int] = (0, 0)  # the writer's writes during dossier_writes: made, not 200
    compared_with: int = 0  # the scale whose query counts bound this one's (judge())
    passes: dict[str, bool | None] = field(default_factory=dict)  # filled by judge()

    def qmax(self, key: str) -> int:
        return max(self.queries[key]["counts"])

    def qmedian(self, key: str) -> float:
        return statistics.median(self.queries[key]["counts"])

    def alone_ms(self, key: str) -> float:
        """Median wall time of one request with nothing else running in the app (test client)."""
        return statistics.median(self.queries[key]["seconds"]) * 1000

    def share(self, key: str) -> float:
        ceiling = self.runs["ceiling"].rps
        return self.runs[key].rps / ceiling if ceiling else 0.0

    def random_paths(self) -> str:
        """How many random paths each run had, and how often each was requested."""
        return "; ".join(
            f"{key} {run.paths:,} paths, {run.requests:,} requests ({run.requests / run.paths:.2f} a path)"
            for key, run in self.runs.items()
            if key in FRESH_KEYS and run.paths
        )

    def kept_under_writes(self) -> float:
        """The warm dossiers' throughput with one write a second, as a share of it without."""
        quiet = self.runs["dossier"].rps
        return self.runs["dossier_writes"].rps / quiet if quiet else 0.0

    @property
    def answered_ok(self) -> bool:
        statuses_ok = all(s == 200 for q in self.queries.values() for s in q["statuses"])
        server_ok = not any(line.startswith("HTTP 500") for line in self.errors)  # warm-ups included
        writes_ok = self.writes[1] == 0
        return statuses_ok and server_ok and writes_ok and all(run.failed == 0 for run in self.runs.values())


def run_scale(engine: str, officials: int, args: argparse.Namespace, work: Path, cache: Path | None) -> Result:
    root = work / f"{engine}-{officials}"
    root.mkdir()
    instance = LoadInstance(root, url=args.postgresql if engine == "postgresql" else "")
    instance.evidence_dir.mkdir()
    print(f"== {engine}, {officials:,} officials: building", flush=True)
    if engine == "sqlite":
        build_seconds, how = build_sqlite(instance, officials, args.seed, cache)
    else:
        build_seconds, how = build_postgresql(instance, officials, args.seed, cache)
    print(f"  built in {build_seconds:.0f} s", flush=True)
    email = EMAIL.format(stamp=dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S%f"))
    token, enrolment_code = add_admin(instance, email)
    sample = instance.inside("sample", str(args.seed))
    print(f"  rows: {sample['counts']}", flush=True)
    listed = paths_for(sample, args.seed)
    paths, warm_paths = listed["timed"], listed["warm"]
    if not sample["ids"] or not sample["names"]:
        raise BenchError("the built database has no official with involvements to request")
    if not all(paths[key] for key in warm_paths) or not listed["write_ids"]:
        raise BenchError("too few officials, names or filters to draw issue 24's random paths from")
    paths_file = root / "paths.json"
    paths_file.write_text(json.dumps(listed))
    print("  counting queries in the test client", flush=True)
    queries = instance.inside(
        "queries", str(paths_file), email, stdin=f"{instance.password}\n{token}\n{enrolment_code}\n"
    )
    loadavg = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    server = start_server(instance)
    try:
        client = Client(server.port, Authenticator(**queries.pop("authenticator")))
        client.sign_in(email, instance.password)
        cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
        headers_for = {"session": {"Cookie": cookie}, "token": {"Authorization": f"Bearer {token}"}, "none": {}}
        runs = {}
        workers = str(worker_count(server))
        index_page = client.get("/dossiers")
        index_bytes = len(index_page.body.encode())
        index_rows = index_page.body.partition("<tbody>")[2].partition("</tbody>")[0].count("<tr")
        writes = (0, 0)
        server_uncached = False
        for endpoint in ENDPOINTS:
            if endpoint.key not in args.endpoint_list:
                continue
            warm = warm_paths.get(endpoint.key, paths[endpoint.key])
            if endpoint.uncached and not server_uncached:
                server_uncached = True
                server.stop()
                server = start_server(instance, PAGE_CACHE_BYTES="0")
                client.port = server.port
                for path in warm:  # every worker booted, templates compiled
                    client.get(path)
            elif endpoint.key in ("dossier", "index", "dossier_writes"):
                print("  filling each worker's page cache", flush=True)
                fill_page_caches(client, paths[endpoint.key], int(workers))
            headers = headers_for[endpoint.auth]
            writer = Writer(server.port, token, listed["write_ids"]).start() if endpoint.writes else None
            try:
                wrk(server, warm, headers, args.warm_up, args, root, spread=endpoint.fresh)
                runs[endpoint.key] = run = wrk(
                    server, paths[endpoint.key], headers, args.seconds, args, root, spread=endpoint.fresh
                )
            finally:
                if writer is not None:
                    writer.stop()
                    writes = (len(writer.statuses), writer.failed)
            print(
                f"  {endpoint.key:23} {run.rps:8.1f} req/s  p50 {run.ms('p50'):7.1f} ms  p95 {run.ms('p95'):7.1f} ms"
                f"  CPU {run.cpu_ms:6.1f} ms/request  {run.requests} requests over {run.paths} paths"
                f"  queries max {max(queries[endpoint.key]['counts'])}  not 200: {run.failed} {run.statuses}"
                + (f"  writes: {writes[0]} ({writes[1]} not 200)" if writer is not None else ""),
                flush=True,
            )
        errors = server_errors(server.log)
        for line in errors:
            print(f"  gunicorn's log: {line}", file=sys.stderr, flush=True)
        if errors:  # the scratch directory goes at the end: keep the log to read the tracebacks
            kept = Path(tempfile.gettempdir()) / f"tribunal-bench-load-{engine}-{officials}-gunicorn.log"
            shutil.copy(server.log, kept)
            print(f"  gunicorn's log kept as {kept}", file=sys.stderr, flush=True)
    finally:
        server.stop()
        instance.flask("users", "disable", email)  # the database may outlive the run (PostgreSQL)
    return Result(
        engine=engine,
        officials=officials,
        seed=args.seed,
        counts=sample["counts"],
        build_seconds=build_seconds,
        built_how=how,
        sampled=len(sample["ids"]),
        search_names=len(sample["names"]),
        runs=runs,
        queries=queries,
        when=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        loadavg=loadavg,
        workers=workers,
        errors=errors,
        index_page=(index_bytes, index_rows),
        writes=writes,
    )


def judge(results: list[Result]) -> None:
    """Issue 9's targets, at TARGET_SCALE only; queries bounded against the smallest scale of
    the same engine run this time."""
    for result in results:
        if result.officials != TARGET_SCALE:
            continue
        smallest = min((r for r in results if r.engine == result.engine), key=lambda r: r.officials)
        result.compared_with = smallest.officials
        bounded = all(
            result.qmax(key) <= min(QUERY_LIMIT, smallest.qmax(key) + QUERY_SLACK) for key in ISSUE9_ENDPOINTS
        )
        runs = result.runs
        result.passes = {
            "dossier_p95": runs["dossier"].p95_within(DOSSIER_P95_MS),
            "dossier_share": result.share("dossier") >= DOSSIER_SHARE,
            "search_p95": runs["search"].p95_within(LIST_P95_MS),
            "index_p95": runs["index"].p95_within(LIST_P95_MS),
            "queries": bounded,
        }
        result.passes |= {m.key: m.ok for m in issue24_measures(result)}


@dataclass(frozen=True)
class Measure:
    """One of issue 24's targets: what is measured (and on which endpoint's run), the figure, the
    target, met or not."""

    key: str
    endpoint: str
    what: str
    measured: str
    target: str
    ok: bool


def issue24_measures(result: Result) -> list[Measure]:
    runs, measures = result.runs, []
    for key, cache in (("dossier_random", "cache on"), ("dossier_random_uncached", "cache off")):
        run, share = runs[key], result.share(key)
        what = f"dossier of an official drawn at random, {cache}"
        cpu = f"{run.cpu_ms:.1f} ms" if run.requests else "no request served"
        measures += [
            Measure(
                f"{key}_cpu", key, f"{what}: server CPU per request (the run's mean)", cpu,
                f"CPU <= {FRESH_CPU_MS:.0f} ms/request", run.requests > 0 and run.cpu_ms <= FRESH_CPU_MS,
            ),
            Measure(
                f"{key}_share", key, f"{what}: throughput, share of the ceiling", f"{share:.1%}",
                f">= {FRESH_SHARE:.0%} of the ceiling", share >= FRESH_SHARE,
            ),
        ]  # fmt: skip
    kept, (writes, failed) = result.kept_under_writes(), result.writes
    measures.append(
        Measure(
            "writes_kept", "dossier_writes",
            "warm dossiers with one API write a second to other officials: throughput, share of the same without",
            f"{kept:.1%} ({runs['dossier_writes'].rps:.1f} / {runs['dossier'].rps:.1f} req/s;"
            f" {writes} writes, {failed} not 200)",
            f">= {WRITES_KEPT:.0%} of the dossier page's", kept >= WRITES_KEPT and writes > 0 and failed == 0,
        )
    )  # fmt: skip
    for key, what in (("index_random", "dossiers index, random filter combinations"),
                      ("search_random", "search for names drawn at random")):  # fmt: skip
        run = runs[key]
        figure = f"{run.ms('p95'):.1f} ms" if run.requests >= MIN_REQUESTS else f"{run.requests} requests: too few"
        measures.append(
            Measure(f"{key}_p95", key, f"{what}: p95", figure, f"p95 <= {RANDOM_P95_MS:.0f} ms",
                    run.p95_within(RANDOM_P95_MS))
        )  # fmt: skip
    size, rows = result.index_page
    measures.append(
        Measure(
            "index_bytes", "", f"dossiers index, first page unfiltered ({rows} rows): size", f"{size:,} bytes",
            f"<= {INDEX_BYTES:,} bytes", size <= INDEX_BYTES,
        )
    )  # fmt: skip
    return measures


# --- reporting --------------------------------------------------------------------------------

ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def _verdict(ok: bool | None) -> str:
    return "" if ok is None else "PASS" if ok else "FAIL"


def subsection(result: Result, args: argparse.Namespace) -> str:
    c, p = result.counts, result.passes
    command = "`" + shlex.join([".venv/bin/python", "bench/load.py", *args.argv]) + "`"
    targets: dict[str, tuple[str, tuple[str, ...]]] = {
        "dossier": (
            f"p95 <= {DOSSIER_P95_MS:.0f} ms; >= {DOSSIER_SHARE:.0%} of the ceiling",
            ("dossier_p95", "dossier_share"),
        ),
        "index": (f"p95 <= {LIST_P95_MS:.0f} ms", ("index_p95",)),
        "search": (f"p95 <= {LIST_P95_MS:.0f} ms", ("search_p95",)),
    }
    measures = issue24_measures(result)
    for key in {m.endpoint for m in measures if m.endpoint}:
        mine = [m for m in measures if m.endpoint == key]
        targets[key] = ("; ".join(m.target for m in mine), tuple(m.key for m in mine))
    judged = result.officials == TARGET_SCALE
    lines = [
        f"### {ENGINE_NAMES[result.engine]}, {result.officials:,} officials",
        "",
        f"Run on {result.when} with {command}; load average before the run {result.loadavg}.",
        "",
        f"- data: {c['official']:,} officials ({c['official_name']:,} other names), {c['decision']:,} decisions,"
        f" {c['involvement']:,} involvements, {c['evidence']:,} exhibits, {c['support']:,} supports,"
        f" {c['dossier']:,} dossier records; seed {result.seed}; built by {result.built_how} in"
        f" {result.build_seconds:.0f} s",
        f"- requests: {result.sampled} officials with involvements, evenly by id, rotated through; search for"
        f" {result.search_names} of their names (Latin, Cyrillic, Hangul); index: {', '.join(INDEX_PATHS)}",
        f"- server: gunicorn with gunicorn.conf.py ({result.workers} gthread workers), TRIBUNAL_ENV=production;"
        f" client: wrk, {args.threads} threads, {args.connections} connections, {args.warm_up} s warm-up then"
        f" {args.seconds} s per endpoint, signed in as an admin cleared for everything (the API with a token)",
        f"- issue 24's random paths, drawn with --seed: {result.random_paths()}; the warm-ups before them"
        " request other paths drawn the same way",
        "",
        "| endpoint | req/s | share of the ceiling | p50 ms | p95 ms | p99 ms | alone ms | server CPU ms/request"
        " | queries/request max (median) | not 200 | other CPU | target | result |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for endpoint in ENDPOINTS:
        run = result.runs[endpoint.key]
        target, keys = targets.get(endpoint.key, ("", ()))
        verdict = _verdict(all(p[k] for k in keys)) if keys and all(k in p for k in keys) else ""
        timed = (
            f"{run.ms('p50'):.1f} | {run.ms('p95'):.1f} | {run.ms('p99'):.1f}"
            if run.requests >= MIN_REQUESTS
            else f"{run.requests} requests: too few | | "
        )
        lines.append(
            f"| {endpoint.label} | {run.rps:.1f} | {result.share(endpoint.key):.1%} | {timed}"
            f" | {result.alone_ms(endpoint.key):.1f} | {run.cpu_ms:.1f}"
            f" | {result.qmax(endpoint.key)} ({result.qmedian(endpoint.key):g})"
            f" | {run.failed}{' (' + run.statuses + ')' if run.statuses else ''} | {run.others_cpus:.2f}"
            f" | {target if judged else ''} | {verdict} |"
        )
    lines += [
        "",
        f"Issue 24's targets{'' if judged else f' (judged at {TARGET_SCALE:,} officials)'}:",
        "",
        "| measure | measured | target | result |",
        "| --- | ---: | --- | --- |",
        *(f"| {m.what} | {m.measured} | {m.target} | {_verdict(m.ok) if judged else ''} |" for m in measures),
    ]
    if result.errors:
        lines += ["", "Errors in gunicorn's log (the last line of each distinct traceback):", ""]
        lines += [f"- `{line}`" for line in result.errors]
    if "queries" in p:
        lines += [
            "",
            f"Queries per request bounded (at most {QUERY_LIMIT}, and at most {QUERY_SLACK} more than at the"
            f" smallest scale of the same run, {result.compared_with:,} officials): {_verdict(p['queries'])}.",
        ]
    lines.append("")
    return "\n".join(lines)


def section(results: list[Result], args: argparse.Namespace) -> str:
    """The whole section: the introduction, then each engine and scale, those not run this
    time kept from RESULTS.md."""
    info = machine()
    info.pop("sha256sum", None)
    fresh = {f"### {ENGINE_NAMES[r.engine]}, {r.officials:,} officials": subsection(r, args) for r in results}
    kept = {**_earlier_subsections(), **fresh}

    def order(heading: str) -> tuple[int, int]:
        engine, _, scale = heading.removeprefix("### ").partition(", ")
        return (0 if engine == "SQLite" else 1, int(scale.split()[0].replace(",", "")))

    lines = [
        SECTION,
        "",
        "Issue 9: the app under load at three scales, on SQLite and on PostgreSQL. Targets, at 100,000"
        f" officials on each engine: dossier page p95 <= {DOSSIER_P95_MS:.0f} ms and throughput >="
        f" {DOSSIER_SHARE:.0%} of the ceiling's (`GET /health` on the same server: one trivial query);"
        f" search and index p95 <= {LIST_P95_MS:.0f} ms; queries per request bounded.",
        "",
        "Issue 24: what a team sees, at 100,000 officials on each engine. The dossier page of officials"
        " drawn uniformly at random from all of them (but the sample; seeded), each requested about once and"
        f" none warmed up, with the page cache on and off: server CPU <= {FRESH_CPU_MS:.0f} ms per request and"
        f" throughput >= {FRESH_SHARE:.0%} of the ceiling's. The sample's warm dossier pages while a writer"
        " changes an official outside it once a second through the API (`PATCH /api/v1/officials/<id>`, its"
        f" notes, as the bench admin): >= {WRITES_KEPT:.0%} of the same pages' throughput without writes (the"
        " dossier page row). The dossiers index with random filter combinations (State, institution by number"
        " or by name as the search-as-you-type field sends it, status, missing element, sort; each set half the"
        f" time) and search for names of officials drawn at random in Latin, Cyrillic and Hangul: p95 <="
        f" {RANDOM_P95_MS:.0f} ms. The index's first page (50 rows, no filter): <= {INDEX_BYTES:,} bytes.",
        "",
        f"Machine (latest run, {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}):",
        "",
        *(f"- {name}: {value}" for name, value in info.items()),
        f"- wrk: {_wrk_version(args.wrk)}",
        "",
        "Latency is wrk's, per request, from the request written to the response read (keep-alive"
        f" connections); with fewer than {MIN_REQUESTS} requests in a run the percentiles are not shown."
        ' "Alone" is the median wall time of one request with nothing else in flight (test client).'
        " Queries are every statement one request sends, counted in Flask's test client"
        f" with the same settings and database for the first {QUERY_PATHS} paths of each endpoint (the"
        " session lookup included). \"Other CPU\" is the machine's busy time during the run less gunicorn's"
        " and wrk's, in CPUs: what the rest of the machine took meanwhile (on PostgreSQL the database"
        " server's work for the requests counts there too). Not 200 counts answers other"
        " than 200 and socket errors. Under load most of the latency is waiting for a CPU: with"
        f" {args.connections} requests in flight on {os.cpu_count()} cores, a request that costs t ms alone"
        f" takes about {args.connections}t/{os.cpu_count()} ms (more while other processes hold a core), so a"
        " p95 target under load asks for a cost alone of a fraction of it."
        ' "Server CPU" is the user and system time of gunicorn\'s master and workers (/proc/PID/stat, workers'
        " recycled meanwhile included) during the timed run, over the requests it served: the whole cost of"
        " a request on the server whatever else the machine does (the database server's own work aside on"
        " PostgreSQL). It is the run's mean; the issue states its target at the median, which /proc's totals"
        " cannot give (for a cost skewed by a few slow pages the mean is the stricter figure).",
        "",
        "The dossier page and the index are served as production serves them: each worker keeps a"
        " rendered page (views/page_cache.py) until case data changes, so before their timed runs every"
        " sampled path is requested until each worker has rendered it, and the rows measure repeat"
        " visits (the sign-in, one counter read and the kept page; their queries are a repeat visit's)."
        ' The rows "rendered every time" are a second server with the cache off (`PAGE_CACHE_BYTES=0`):'
        " what a first visit, or the first visit after any change, costs; they are information, not"
        " targets.",
        "",
        *(kept[h] for h in sorted(kept, key=order)),
    ]
    return "\n".join(lines)


def _earlier_subsections() -> dict[str, str]:
    if not RESULTS.exists():
        return {}
    text = RESULTS.read_text()
    start = text.find(SECTION + "\n")
    if start < 0:
        return {}
    end = text.find("\n## ", start + len(SECTION))
    body = text[start : end if end >= 0 else len(text)]
    parts = body.split("\n### ")[1:]
    return {"### " + part.split("\n", 1)[0]: ("### " + part).rstrip("\n") + "\n" for part in parts}


def _wrk_version(wrk_path: str) -> str:
    done = subprocess.run([wrk_path, "--version"], capture_output=True, text=True, check=False)  # noqa: S603
    return (done.stdout + done.stderr).splitlines()[0].split(" Copyright")[0] if done.stdout + done.stderr else "?"


def record_section(text: str) -> None:
    from upload import record

    record(text, SECTION)


# --- main ---------------------------------------------------------------------------------------


def engines(args: argparse.Namespace) -> list[str]:
    url = os.environ.get("DATABASE_URL", "")
    args.postgresql = url if url.startswith(("postgresql:", "postgresql+")) else ""
    return ["sqlite", "postgresql"] if args.postgresql else ["sqlite"]


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--scales", default=os.environ.get("SCALES") or DEFAULT_SCALES, help="officials, comma-separated"
    )
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS") or 10), help="per endpoint")
    parser.add_argument("--warm-up", type=int, default=3, help="untimed seconds of load per endpoint first")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument(
        "--connections",
        type=int,
        default=int(os.environ.get("BENCH_CONNECTIONS") or os.cpu_count() or 2),
        help="wrk connections (default: one per core, so latency is a request's cost, not a queue's)",
    )
    parser.add_argument("--seed", type=int, default=9, help="the synthetic data's seed (default 9)")
    parser.add_argument("--engines", help="sqlite, postgresql or both (default: both when DATABASE_URL names one)")
    cache = Path.home() / ".cache" / "tribunal-bench-load"
    parser.add_argument(
        "--cache-dir",
        default=str(cache),
        help=f"where SQLite builds and PostgreSQL builds' evidence files are kept (default {cache})",
    )
    parser.add_argument("--build-only", action="store_true", help="build the scales (into the cache), no load")
    parser.add_argument("--no-cache", action="store_true", help="build every database afresh, keep none")
    parser.add_argument("--endpoints", help="only these, comma-separated (for trying things; implies --no-record)")
    parser.add_argument("--no-record", action="store_true", help="print the figures, leave RESULTS.md alone")
    parser.add_argument("--tmpdir", help="where to put the temporary instances (default: the system's)")
    parser.add_argument("--wrk", default=shutil.which("wrk") or "wrk", help="the wrk program")
    args = parser.parse_args(argv)
    args.argv = argv
    try:
        args.scale_list = [int(s.replace("_", "")) for s in args.scales.split(",") if s.strip()]
    except ValueError:
        parser.error("--scales takes officials as comma-separated numbers, e.g. 1000,10000")
    if not args.scale_list or any(n < 20 for n in args.scale_list):
        parser.error("each scale must be at least 20 officials")
    if args.seconds < 1 or args.warm_up < 1:
        parser.error("--seconds and --warm-up must be at least 1")
    keys = [e.key for e in ENDPOINTS]
    args.endpoint_list = keys if not args.endpoints else [e.strip() for e in args.endpoints.split(",")]
    if not set(args.endpoint_list) <= set(keys):
        parser.error(f"--endpoints takes some of {', '.join(keys)}")
    if args.endpoints:
        args.no_record = True
    available = engines(args)
    args.engine_list = available if not args.engines else [e.strip() for e in args.engines.split(",")]
    if "postgresql" in args.engine_list and not args.postgresql:
        parser.error("postgresql needs DATABASE_URL=postgresql://... naming a database the benchmark may drop")
    if not shutil.which(args.wrk):
        parser.error("wrk not found: scripts/system-packages installs it (Debian package wrk)")
    return args


def build_only(args: argparse.Namespace, cache: Path | None) -> int:
    """Fill the cache ahead of a run (a 100,000-official build takes many minutes)."""
    if cache is None:
        print("--build-only keeps builds in the cache: drop --no-cache", file=sys.stderr)
        return 2
    try:
        with scratch(args.tmpdir, prefix="tribunal-bench-load-") as work:
            for engine in args.engine_list:
                for officials in args.scale_list:
                    root = work / f"{engine}-{officials}"
                    root.mkdir()
                    instance = LoadInstance(root, url=args.postgresql if engine == "postgresql" else "")
                    instance.evidence_dir.mkdir()
                    if engine == "sqlite":
                        seconds, how = build_sqlite(instance, officials, args.seed, cache)
                    else:  # one database: only the last scale stays built
                        seconds, how = build_postgresql(instance, officials, args.seed, cache)
                    print(f"{engine}, {officials:,} officials: {how}, {seconds:.0f} s", flush=True)
    except (BenchError, OSError) as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 2
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--inside"]:
        return inside(argv[1], argv[2:])
    args = parse_args(argv)
    cache = None if args.no_cache else Path(args.cache_dir)
    if args.build_only:
        return build_only(args, cache)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up: gunicorn stopped, files removed
    results, failed = [], False
    try:
        with scratch(args.tmpdir, prefix="tribunal-bench-load-") as work:
            for engine in args.engine_list:
                for officials in args.scale_list:
                    results.append(run_scale(engine, officials, args, work, cache))
    except (BenchError, subprocess.SubprocessError, json.JSONDecodeError, KeyError, OSError) as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        failed = True  # what was measured before is still reported
    if failed and not results:
        return 2
    if args.endpoints:  # a partial run: the console lines above are its figures
        return 0 if all(r.answered_ok for r in results) else 1
    judge(results)
    text = section(results, args)
    print()
    print(text)
    if not args.no_record:
        record_section(text)
        print(f"written to {RESULTS.relative_to(ROOT)}")
    judged_ok = all(ok for r in results for ok in r.passes.values())
    if failed:
        return 2
    return 0 if judged_ok and all(r.answered_ok for r in results) else 1


if __name__ == "__main__":
    os.chdir(ROOT)  # flask --app app and the imports inside resolve from the project root
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
