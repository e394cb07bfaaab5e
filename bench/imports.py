"""Benchmark of issue 19 item 10 (and of issue 7's matching): the real imports, each against a
baseline measured in the same run.

    .venv/bin/python bench/imports.py [--runs 2] [--engines sqlite,postgresql] [--no-record]

For each engine (SQLite always; PostgreSQL when DATABASE_URL names a postgresql database, whose
schema bench/load.py's reset drops and rebuilds, refusing one that holds officials it did not
put there), a fresh instance: migrated with ``flask --app app db upgrade``, ``flask --app app
demo load`` (it ships the import rules), evidence store beside it, production settings. Then,
each command a process of its own, start-up included:

* ``flask --app app import run eu-csv <EU 269/2014 file>`` on a fresh copy of the demo data,
  --runs times, the best counts. Target (issue 19 item 10): at most 10 s on SQLite;
* the same with a 400-row regime list in the EU format (bench/import_results.py
  ``regime_file``: the Belarus regime, entry numbers restarting in a second annex, empty and
  dual nationalities, Cyrillic forms, entities); at most 3 s on SQLite;
* ``flask --app app import run ofac-csv <OFAC SDN file>`` once, on the database the last EU
  import left, so OFAC's persons are matched against its 1,900 officials; at most 30 s on
  SQLite.

Before each timed import, its baseline on the same file in the same conditions: a process that
reads the file with the csv module alone (``BASELINE``, Python's start-up included), the floor
of any import of it. Each import is shown in wall and CPU seconds (the command's own, from
``getrusage``: PostgreSQL's server processes are not in it), with its ratio to the baseline, the
rest of the machine's CPU use meanwhile, and the import's own time (its run record, start-up
aside). A fixed reference workload (``REFERENCE``: pure Python arithmetic) at the start and
at the end says how fast the machine was during the run.

On SQLite also: pure matching of OFAC's officials against the EU ones, with the hand-checked
sample's precision and recall (issue 7, ``--inside match``), and a cProfile of the EU import
by CPU time (``--inside profile``).

Exit status 0 when every target is met and every import succeeded, 1 when one is missed, 2
when the benchmark could not run. Figures are printed and, unless --no-record, written to
bench/RESULTS.md. Everything created is removed at the end, also on failure. Linux only
(reads /proc).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import resource
import shlex
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from import_results import regime_file
from load import LoadInstance
from upload import ROOT, VENV_BIN, BenchError, busy_seconds, machine, record, scratch

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
SECTION = "## Imports and matching (issues 7 and 19)"
REAL_DATA = ROOT.parent / "shared" / "data" / "real"
EU_FILE = REAL_DATA / "eu_oj_32014R0269_russia_ukraine.csv"
OFAC_FILE = REAL_DATA / "us_ofac_sdn_2024-05-03.csv"
# Targets on SQLite, best wall time of the command (issue 19 item 10)
TARGETS = {"eu": 10.0, "regime": 3.0, "ofac": 30.0}
MATCH_TARGET_S = 60.0  # issue 7: pure matching of OFAC's officials
LABELS = {
    "eu": "EU 269/2014 file",
    "regime": "400-row regime file (EU format)",
    "ofac": "OFAC SDN file, after the EU file",
}
FORMATS = {"eu": "eu-csv", "regime": "eu-csv", "ofac": "ofac-csv"}
OUR_STATES = ("RU", "BY", "KP")
COUNTS_LINE = re.compile(r"^(Imported|Dry run, nothing written|Refused, nothing written): (.*)\.$", re.M)
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# The baseline: the same file read with the csv module alone, in a process of its own
BASELINE = (
    "import csv, io, sys\n"
    "with open(sys.argv[1], 'rb') as raw:\n"
    "    text = io.TextIOWrapper(raw, encoding='utf-8', errors='replace', newline='')\n"
    "    print(sum(1 for _ in csv.reader(text)))\n"
)
# The reference workload: the same pure-Python arithmetic on every machine
REFERENCE = "print(sum(i * i % 7 for i in range(10_000_000)))"


# --- inside the app: pure matching, the profile, the run record ------------------------------
# These run in a child process with the instance's environment (``--inside STEP``).


def _match(ofac_file: str) -> dict[str, Any]:
    """Load the index, parse OFAC, best match for each person; the hand-checked sample."""
    from collections import Counter

    from sqlalchemy import select

    from app import create_app
    from extensions import db
    from models import ExternalIdentifier
    from services.imports.apply import state_code_for
    from services.imports.matching import analysed, load_candidates, score
    from services.imports.parsers.ofac_csv import parse_ofac_csv
    from services.imports.parsers.records import ImportedPerson

    sys.path.insert(0, str(ROOT / "tests" / "test_services"))
    from test_matching import HAND_CHECKED  # the sample the test checks, not a copy of it

    timings: dict[str, float] = {}
    started = time.perf_counter()
    analysed("Sergei Shoigu")  # rigour builds its name tagger on the first analysis with symbols
    timings["rigour's name tagger built (first analysis)"] = time.perf_counter() - started
    app = create_app()
    with app.app_context():
        mark = time.perf_counter()
        index = load_candidates(db.session)  # type: ignore[arg-type]
        timings["candidate index loaded"] = time.perf_counter() - mark
        eu_officials = {
            value: official_id
            for value, official_id in db.session.execute(
                select(ExternalIdentifier.value, ExternalIdentifier.official_id).where(
                    ExternalIdentifier.scheme == "eu_269_2014"
                )
            )
        }
    mark = time.perf_counter()
    with open(ofac_file, "rb") as stream:
        persons = [
            row
            for row in parse_ofac_csv(stream)
            if isinstance(row, ImportedPerson) and state_code_for(row) in OUR_STATES
        ]
    timings["OFAC file parsed"] = time.perf_counter() - mark
    mark = time.perf_counter()
    best = {person.source_id: index.best(person, limit=1) for person in persons}
    timings["best match of every OFAC person"] = time.perf_counter() - mark
    total = time.perf_counter() - started
    decisions = Counter(found[0][1].decision if found else "different" for found in best.values())
    by_uid = {person.source_id: person for person in persons}
    pairs = []
    for eu_record, uid, same, why in HAND_CHECKED:
        official_id = eu_officials.get(eu_record)
        candidate = index.candidates.get(official_id) if official_id is not None else None
        person = by_uid.get(uid)
        result = score(person, candidate) if person is not None and candidate is not None else None
        pairs.append(
            {
                "record": eu_record,
                "uid": uid,
                "same": same,
                "why": why,
                "decision": result.decision if result else "missing",
                "total": result.total if result else None,
            }
        )
    return {
        "timings": timings,
        "total": total,
        "persons": len(persons),
        "officials": len(index.candidates),
        "states": dict(Counter(state_code_for(p) for p in persons)),
        "decisions": {d: decisions.get(d, 0) for d in ("same", "likely", "possible", "different")},
        "pairs": pairs,
    }


def _profile(eu_file: str) -> dict[str, Any]:
    """The EU import in this process under cProfile, timed by CPU; its top functions."""
    import cProfile
    import pstats

    from app import create_app
    from extensions import db
    from services.audit import trail as audit
    from services.imports.runs import run_import

    app = create_app()
    profiler = cProfile.Profile(time.process_time)  # CPU: other processes' load does not count
    with app.app_context(), audit.acting_as(None, "bench: import"), open(eu_file, "rb") as stream:
        started = time.process_time()
        profiler.enable()
        report = run_import(
            db.session,  # type: ignore[arg-type]  # the scoped session proxies one
            "eu-csv",
            stream,
            user=None,
            file_name=Path(eu_file).name,
        )
        db.session.commit()
        profiler.disable()
        seconds = time.process_time() - started
    stats = pstats.Stats(profiler)
    rows = []
    for (filename, line, function), (_calls, ncalls, own, cumulative, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append((ncalls, own, cumulative, f"{Path(filename).name}:{line}({function})"))
    return {
        "seconds": seconds,
        "status": report.status,
        "counts": dict(report.counts),
        "by_own": sorted(rows, key=lambda r: -r[1])[:15],
        "by_cumulative": sorted(rows, key=lambda r: -r[2])[:15],
    }


def _last_run(_unused: str) -> dict[str, Any]:
    """How long the last import took by its own record (start-up aside)."""
    from sqlalchemy import select

    from app import create_app
    from extensions import db
    from models import ImportRun

    with create_app().app_context():
        run = db.session.scalars(select(ImportRun).order_by(ImportRun.id.desc()).limit(1)).one()
        finished = run.finished_at or run.started_at
        return {"seconds": (finished - run.started_at).total_seconds(), "status": run.status}


INSIDE = {"match": _match, "profile": _profile, "last-run": _last_run}


# --- outside: the instance, the timed commands ----------------------------------------------


@dataclass
class Timed:
    seconds: float
    cpu_user: float
    cpu_system: float
    others_cpu: float  # the rest of the machine's CPU time meanwhile
    status: int = 0
    summary: str = ""  # an import's closing line

    @property
    def cpu(self) -> float:
        return self.cpu_user + self.cpu_system

    @property
    def imported(self) -> bool:
        return self.status == 0 and self.summary.startswith("Imported")


def timed(instance: LoadInstance, *args: str) -> Timed:
    """Run a command in the instance's environment: wall time, its CPU time and everyone else's."""
    before, busy = resource.getrusage(resource.RUSAGE_CHILDREN), busy_seconds()
    started = time.perf_counter()
    # fixed programs from the venv, arguments from this script only
    done = subprocess.run(args, cwd=ROOT, env=instance.env, capture_output=True, text=True, check=False)  # noqa: S603
    seconds = time.perf_counter() - started
    after, busy = resource.getrusage(resource.RUSAGE_CHILDREN), busy_seconds() - busy
    user, system = after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime
    found = COUNTS_LINE.search(done.stdout)
    summary = found[0] if found else (done.stderr.strip().splitlines() or ["no output"])[-1]
    return Timed(seconds, user, system, max(busy - user - system, 0.0), done.returncode, summary)


@dataclass
class Measured:
    """One import and its baseline, measured one after the other."""

    what: str
    run: Timed
    baseline: Timed
    own_seconds: float  # the import's run record: from its start to its end, start-up aside


@dataclass
class EngineFigures:
    engine: str
    imports: dict[str, list[Measured]] = field(default_factory=dict)
    match: dict[str, Any] | None = None
    profile: dict[str, Any] | None = None

    def best(self, what: str) -> Measured:
        return min(self.imports[what], key=lambda m: m.run.seconds)

    def ok(self, what: str) -> bool:
        return self.engine != "sqlite" or self.best(what).run.seconds <= TARGETS[what]


@dataclass
class Figures:
    engines: list[EngineFigures]
    reference: list[Timed]  # the reference workload, at the start and at the end

    @property
    def ok(self) -> bool:
        sqlite = [e for e in self.engines if e.engine == "sqlite"]
        imports = all(e.ok(what) for e in sqlite for what in e.imports)
        match = all(e.match is None or e.match["total"] < MATCH_TARGET_S for e in sqlite)
        return imports and match


def python(instance: LoadInstance, code: str, *args: str) -> Timed:
    return timed(instance, str(VENV_BIN / "python"), "-c", code, *args)


def fresh_demo(instance: LoadInstance, demo: Path | None) -> None:
    """The instance's database with the demo data only: a copy of ``demo`` (SQLite), or
    rebuilt (PostgreSQL: reset, migrated, loaded)."""
    shutil.rmtree(instance.evidence_dir, ignore_errors=True)
    instance.evidence_dir.mkdir()
    if demo is not None:
        for suffix in ("-wal", "-shm"):
            Path(f"{instance.database}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(demo, instance.database)
        return
    if instance.url:
        instance.inside("reset-postgresql")  # refuses a schema with officials it did not put there
    instance.flask("db", "upgrade")
    instance.flask("demo", "load")


def measure(instance: LoadInstance, what: str, data: Path) -> Measured:
    """The baseline on ``data``, then the import of it."""
    baseline = python(instance, BASELINE, str(data))
    flask = str(VENV_BIN / "flask")
    run = timed(instance, flask, "--app", "app", "import", "run", FORMATS[what], str(data))
    if not run.imported:
        raise BenchError(f"the {LABELS[what]} import failed: {run.summary}")
    own = inside(instance, "last-run", str(data))["seconds"]
    print(f"  {what}: {run.seconds:.1f} s wall, {run.cpu:.1f} s CPU (baseline {baseline.seconds:.2f} s)", flush=True)
    return Measured(what, run, baseline, own)


def inside(instance: LoadInstance, step: str, data_file: str) -> dict[str, Any]:
    output = instance.run(str(VENV_BIN / "python"), str(Path(__file__).resolve()), "--inside", step, data_file)
    return json.loads(output.strip().splitlines()[-1])


def run_engine(engine: str, args: argparse.Namespace, work: Path, files: dict[str, Path]) -> EngineFigures:
    root = work / engine
    root.mkdir()
    instance = LoadInstance(root, url=args.postgresql if engine == "postgresql" else "")
    figures = EngineFigures(engine)
    demo = None  # PostgreSQL: the demo data rebuilt before each import
    if engine == "sqlite":  # built once, copied before each import
        print("SQLite: migrating and loading the demo data", flush=True)
        fresh_demo(instance, None)
        demo = work / "demo.db"
        shutil.copyfile(instance.database, demo)
    for what in ("regime", "eu"):
        figures.imports[what] = []
        for n in range(1, args.runs + 1):
            print(f"{ENGINE_NAMES[engine]}: {LABELS[what]}, run {n} of {args.runs}", flush=True)
            fresh_demo(instance, demo)
            figures.imports[what].append(measure(instance, what, files[what]))
    if engine == "sqlite":  # pure matching reads the database the EU import left
        print("pure matching of OFAC's individuals against the EU officials", flush=True)
        figures.match = inside(instance, "match", str(files["ofac"]))
    print(f"{LABELS['ofac']}", flush=True)
    figures.imports["ofac"] = [measure(instance, "ofac", files["ofac"])]
    if engine == "sqlite" and not args.no_profile:
        print("the EU import under cProfile", flush=True)
        fresh_demo(instance, demo)
        figures.profile = inside(instance, "profile", str(files["eu"]))
    return figures


def run(args: argparse.Namespace, work: Path) -> Figures:
    for path in (args.eu, args.ofac):
        if not Path(path).is_file():
            raise BenchError(f"{path} is missing (shared/data/real beside this checkout)")
    files = {"eu": Path(args.eu), "ofac": Path(args.ofac), "regime": work / "regime-400.csv"}
    files["regime"].write_bytes(regime_file())
    reference = LoadInstance(work)
    figures = Figures([], [python(reference, REFERENCE)])
    for engine in args.engine_list:
        figures.engines.append(run_engine(engine, args, work, files))
    figures.reference.append(python(reference, REFERENCE))
    return figures


# --- reporting ----------------------------------------------------------------------------


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def _score(total: float | None) -> str:
    return "" if total is None else f"{total:.3f}"


def _profile_table(rows: list[list[Any]]) -> list[str]:
    lines = ["| calls | own CPU s | cumulative CPU s | function |", "| ---: | ---: | ---: | --- |"]
    lines += [f"| {calls} | {own:.2f} | {cumulative:.2f} | `{name}` |" for calls, own, cumulative, name in rows]
    return lines


def quality(match: dict[str, Any]) -> dict[str, float]:
    pairs = [p for p in match["pairs"] if p["decision"] != "missing"]
    proposed = [p for p in pairs if p["decision"] != "different"]
    positives = sum(1 for p in pairs if p["same"])
    true_positive = sum(1 for p in proposed if p["same"])
    likely = [p for p in pairs if p["decision"] == "likely"]
    return {
        "pairs": len(pairs),
        "positives": positives,
        "precision": true_positive / len(proposed) if proposed else 0.0,
        "recall": true_positive / positives if positives else 0.0,
        "likely": len(likely),
        "likely_precision": sum(1 for p in likely if p["same"]) / len(likely) if likely else 0.0,
    }


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.0f}" if b > 0 else "-"


def engine_lines(figures: EngineFigures) -> list[str]:
    lines = [
        f"### {ENGINE_NAMES[figures.engine]}",
        "",
        "| import | wall, best (all runs) | CPU of the best | its own time | baseline wall / CPU | ratio wall / CPU"
        " | others' CPU | target | result |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for what, runs in figures.imports.items():
        best = figures.best(what)
        every = ", ".join(f"{m.run.seconds:.1f}" for m in runs)
        target = f"<= {TARGETS[what]:.0f} s" if figures.engine == "sqlite" else "(SQLite's)"
        result = _verdict(figures.ok(what)) if figures.engine == "sqlite" else ""
        lines.append(
            f"| {LABELS[what]} | {best.run.seconds:.1f} s ({every}) | {best.run.cpu:.1f} s | {best.own_seconds:.1f} s"
            f" | {best.baseline.seconds:.2f} / {best.baseline.cpu:.2f} s"
            f" | {_ratio(best.run.seconds, best.baseline.seconds)} / {_ratio(best.run.cpu, best.baseline.cpu)}"
            f" | {best.run.others_cpu:.1f} s | {target} | {result} |"
        )
    lines += ["", "| import | outcome |", "| --- | --- |"]
    lines += [f"| {LABELS[what]} | {figures.best(what).run.summary} |" for what in figures.imports]
    lines.append("")
    return lines


def match_lines(match: dict[str, Any]) -> list[str]:
    found = quality(match)
    lines = [
        "### Matching quality (SQLite)",
        "",
        "| figure | value | target | result |",
        "| --- | --- | --- | --- |",
        f"| pure matching: {match['persons']} OFAC individuals against {match['officials']} officials "
        f"| {match['total']:.1f} s | < {MATCH_TARGET_S:.0f} s | {_verdict(match['total'] < MATCH_TARGET_S)} |",
        f"| hand-checked sample: {found['pairs']} pairs ({found['positives']} the same person), precision "
        f"| {found['precision']:.2f} | | |",
        f"| recall | {found['recall']:.2f} | | |",
        f"| 'likely' alone: {found['likely']} pairs, precision | {found['likely_precision']:.2f} | | |",
        "| best decision of every OFAC individual (same / likely / possible / different) "
        f"| {' / '.join(str(v) for v in match['decisions'].values())} | | |",
        "",
        f"Pure matching, in one process ({', '.join(f'{s}: {v:.1f} s' for s, v in match['timings'].items())}):"
        f" OFAC's individuals of RU, BY and KP ({', '.join(f'{k} {v}' for k, v in match['states'].items())}),"
        " each against the index by `CandidateIndex.best`. The hand-checked pairs are"
        " `HAND_CHECKED` of tests/test_services/test_matching.py, the EU record found by its `eu_269_2014`"
        " identifier after the real import and the OFAC person as `parse_ofac_csv` reads it, scored with"
        " `services.imports.matching.score`; a pair counts as found when merged or sent to review (any decision but"
        " different).",
        "",
        "| EU record | OFAC uid | same person | decision | score | why |",
        "| --- | --- | --- | --- | ---: | --- |",
    ]
    lines += [
        f"| {p['record']} | {p['uid']} | {'yes' if p['same'] else 'no'} | {p['decision']} "
        f"| {_score(p['total'])} | {p['why']} |"
        for p in match["pairs"]
    ]
    return [*lines, ""]


def report(figures: Figures, args: argparse.Namespace) -> str:
    command = "`" + shlex.join([".venv/bin/python", "bench/imports.py", *args.argv]) + "`"
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    info = machine()
    info.pop("gunicorn", None)
    info.pop("sha256sum", None)
    start, end = figures.reference
    lines = [
        SECTION,
        "",
        f"Run on {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')} with {command}.",
        "",
        *(f"- {name}: {value}" for name, value in info.items()),
        f"- load average at the end (1 / 5 / 15 min): {load}",
        f"- reference workload (`{REFERENCE}`, a process of its own): {start.seconds:.2f} s wall /"
        f" {start.cpu:.2f} s CPU at the start, {end.seconds:.2f} s / {end.cpu:.2f} s at the end",
        "- instance: migrated with `flask --app app db upgrade`, `flask --app app demo load` (the import"
        " rules), evidence store in a temporary directory, TRIBUNAL_ENV=production",
        f"- files: `{Path(args.eu).name}`, `{Path(args.ofac).name}`, the 400-row regime file of"
        " bench/import_results.py",
        "",
        "Each import is `flask --app app import run FORMAT FILE` in a process of its own (start-up included)"
        " on a fresh copy of the demo data, the OFAC file on the database the last EU import left. Its"
        " baseline, measured just before it: the same file read with the csv module alone, in a process of"
        " its own. CPU is the command's own (user + system; PostgreSQL's server is not in it); its own time"
        " is the import's run record, start-up aside; others' CPU is the machine's busy time meanwhile"
        f" less the command's, out of {os.cpu_count()} CPUs × the wall time.",
        "",
    ]
    for engine in figures.engines:
        lines += engine_lines(engine)
    sqlite = next((e for e in figures.engines if e.engine == "sqlite"), None)
    if sqlite and sqlite.match:
        lines += match_lines(sqlite.match)
    if sqlite and sqlite.profile:
        profile = sqlite.profile
        lines += [
            f"cProfile of the EU import in one process ({profile['seconds']:.1f} s of CPU under the profiler,"
            " which slows Python code down), timed by CPU, top 15 by own time:",
            "",
            *_profile_table(profile["by_own"]),
            "",
            "Top 15 by cumulative time:",
            "",
            *_profile_table(profile["by_cumulative"]),
            "",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=2, help="timed EU and regime imports, the best counts (default 2)")
    parser.add_argument("--engines", help="sqlite, postgresql or both (default: both when DATABASE_URL names one)")
    parser.add_argument("--eu", default=str(EU_FILE), help="the EU 269/2014 file (default: shared/data/real)")
    parser.add_argument("--ofac", default=str(OFAC_FILE), help="the OFAC SDN file (default: shared/data/real)")
    parser.add_argument("--no-profile", action="store_true", help="skip the cProfile of the EU import")
    parser.add_argument("--no-record", action="store_true", help="print the figures, leave RESULTS.md alone")
    parser.add_argument("--tmpdir", help="where to put the temporary instance (default: the system's)")
    parser.add_argument("--inside", choices=sorted(INSIDE), help=argparse.SUPPRESS)
    parser.add_argument("data_file", nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.argv = sys.argv[1:] if argv is None else argv
    if args.inside:
        sys.path.insert(0, str(ROOT))
        print(json.dumps(INSIDE[args.inside](args.data_file)))
        return 0
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    url = os.environ.get("DATABASE_URL", "")
    args.postgresql = url if url.startswith(("postgresql:", "postgresql+", "postgres:")) else ""
    args.engine_list = (args.engines or ("sqlite,postgresql" if args.postgresql else "sqlite")).split(",")
    if set(args.engine_list) - set(ENGINE_NAMES):
        parser.error("--engines takes sqlite, postgresql or both")
    if "postgresql" in args.engine_list and not args.postgresql:
        parser.error("postgresql needs DATABASE_URL=postgresql://... naming a database the benchmark may empty")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so the clean-up runs
    try:
        with scratch(args.tmpdir) as work:
            figures = run(args, work)
    except BenchError as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 2
    section = report(figures, args)
    print()
    print(section)
    if not args.no_record:
        record(section, SECTION)
        print(f"written to {RESULTS.relative_to(ROOT)}")
    return 0 if figures.ok else 1


if __name__ == "__main__":
    sys.exit(main())
