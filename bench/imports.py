"""Benchmark of issue 7: importing the EU 269/2014 list, and matching OFAC's officials against it.

    .venv/bin/python bench/imports.py [--runs 2] [--no-record]

In one run: a fresh instance in a temporary directory (SQLite migrated with
``flask --app app db upgrade``, the demo data with ``flask --app app demo load``, which ships
the import rules; evidence store in the same directory; production settings). Then:

* ``flask --app app import eu-csv <EU 269/2014 file>``, --runs times, each in a process of its
  own on a fresh copy of the demo database: wall time (start-up included), the process's CPU
  time, the machine's other CPU use meanwhile. Target (issue 7): under 30 s, the best run;
* pure matching, in a process of its own on the database the EU import left
  (``--inside match``): the
  candidate index loaded (``services.matching.load_candidates``), the OFAC file parsed with
  the importer's parser (``parse_ofac_csv``, individuals of RU, BY and KP only) and
  ``CandidateIndex.best`` for each; target under 60 s. The same process scores the
  hand-checked pairs of tests/test_services/test_matching.py (``HAND_CHECKED``) as that test
  does (a pair counts as found when merged or sent to review) for precision and recall, and
  counts the best decision of every OFAC person (same, likely, possible, different);
* ``flask --app app import ofac-csv <OFAC SDN file>`` once, on the same database: the whole
  import of OFAC's Russian, Belarusian and DPRK individuals, matched against the EU officials
  and written. Target: under 60 s;
* a cProfile of the EU import in a process of its own (``--inside profile``): top 15 by own
  and by cumulative time.

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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from upload import ROOT, VENV_BIN, BenchError, Instance, busy_seconds, machine, record, scratch

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
SECTION = "## Imports and matching (issue 7)"
REAL_DATA = ROOT.parent / "shared" / "data" / "real"
EU_FILE = REAL_DATA / "eu_oj_32014R0269_russia_ukraine.csv"
OFAC_FILE = REAL_DATA / "us_ofac_sdn_2024-05-03.csv"
EU_TARGET_S = 30.0
MATCH_TARGET_S = 60.0
OUR_STATES = ("RU", "BY", "KP")
COUNTS_LINE = re.compile(r"^(Imported|Dry run, nothing written|Refused, nothing written): (.*)\.$", re.M)


# --- inside the app: pure matching, the profile ---------------------------------------------
# These run in a child process with the instance's environment (``--inside STEP``).


def _match(ofac_file: str) -> dict[str, Any]:
    """Load the index, parse OFAC, best match for each person; the hand-checked sample."""
    from collections import Counter

    from sqlalchemy import select

    from app import create_app
    from extensions import db
    from models import ExternalIdentifier
    from services.import_apply import state_code_for
    from services.importers.ofac_csv import parse_ofac_csv
    from services.importers.records import ImportedPerson
    from services.matching import analysed, load_candidates, score

    sys.path.insert(0, str(ROOT / "tests" / "test_services"))
    from test_matching import HAND_CHECKED  # the sample the test checks, not a copy of it

    timings: dict[str, float] = {}
    started = time.perf_counter()
    analysed("Sergei Shoigu")  # rigour loads its name data on the first analysis
    timings["rigour's name data loaded (first analysis)"] = time.perf_counter() - started
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
    """The EU import in this process under cProfile; its top functions."""
    import cProfile
    import pstats

    from app import create_app
    from extensions import db
    from services import audit
    from services.imports import run_import

    app = create_app()
    profiler = cProfile.Profile()
    with app.app_context(), audit.acting_as(None, "bench: import"), open(eu_file, "rb") as stream:
        started = time.perf_counter()
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
        seconds = time.perf_counter() - started
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


# --- outside: the instance, the timed commands ----------------------------------------------


@dataclass
class Timed:
    what: str
    seconds: float
    cpu_user: float
    cpu_system: float
    others_cpu: float  # the rest of the machine's CPU time meanwhile
    status: int
    summary: str  # the import's closing line

    @property
    def ok(self) -> bool:
        return self.status == 0 and self.summary.startswith("Imported")


def timed(instance: Instance, what: str, *args: str) -> Timed:
    """Run a command of the instance; wall time, its CPU time and everyone else's."""
    before, busy = resource.getrusage(resource.RUSAGE_CHILDREN), busy_seconds()
    started = time.perf_counter()
    # fixed programs from the venv, arguments from this script only
    done = subprocess.run(args, cwd=ROOT, env=instance.env, capture_output=True, text=True, check=False)  # noqa: S603
    seconds = time.perf_counter() - started
    after, busy = resource.getrusage(resource.RUSAGE_CHILDREN), busy_seconds() - busy
    user, system = after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime
    found = COUNTS_LINE.search(done.stdout)
    summary = found[0] if found else (done.stderr.strip().splitlines() or ["no output"])[-1]
    return Timed(what, seconds, user, system, max(busy - user - system, 0.0), done.returncode, summary)


def inside(instance: Instance, step: str, data_file: Path) -> dict[str, Any]:
    output = instance.run(str(VENV_BIN / "python"), str(Path(__file__).resolve()), "--inside", step, str(data_file))
    return json.loads(output.strip().splitlines()[-1])


@dataclass
class Figures:
    eu_runs: list[Timed]
    ofac: Timed
    match: dict[str, Any]
    profile: dict[str, Any]

    @property
    def eu_best(self) -> Timed:
        return min(self.eu_runs, key=lambda t: t.seconds)

    @property
    def eu_ok(self) -> bool:
        return all(t.ok for t in self.eu_runs) and self.eu_best.seconds < EU_TARGET_S

    @property
    def ofac_ok(self) -> bool:
        return self.ofac.ok and self.ofac.seconds < MATCH_TARGET_S

    @property
    def match_ok(self) -> bool:
        return self.match["total"] < MATCH_TARGET_S

    def quality(self) -> dict[str, float]:
        pairs = [p for p in self.match["pairs"] if p["decision"] != "missing"]
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


def run(args: argparse.Namespace, work: Path) -> Figures:
    for path in (args.eu, args.ofac):
        if not Path(path).is_file():
            raise BenchError(f"{path} is missing (shared/data/real beside this checkout)")
    instance = Instance(work)
    instance.evidence_dir.mkdir()
    flask = str(VENV_BIN / "flask")
    print("migrating and loading the demo data", flush=True)
    instance.run(flask, "--app", "app", "db", "upgrade")
    instance.run(flask, "--app", "app", "demo", "load")
    demo = work / "demo.db"
    shutil.copyfile(instance.database, demo)
    eu_runs = []
    for n in range(1, args.runs + 1):
        shutil.copyfile(demo, instance.database)
        shutil.rmtree(instance.evidence_dir)
        instance.evidence_dir.mkdir()
        print(f"EU import {n} of {args.runs}", flush=True)
        eu_runs.append(timed(instance, "eu-csv", flask, "--app", "app", "import", "eu-csv", str(args.eu)))
        print(f"  {eu_runs[-1].seconds:.1f} s: {eu_runs[-1].summary}", flush=True)
        if not eu_runs[-1].ok:
            raise BenchError(f"the EU import failed: {eu_runs[-1].summary}")
    after_eu = work / "after-eu.db"
    shutil.copyfile(instance.database, after_eu)
    print("pure matching of OFAC's individuals against the EU officials", flush=True)
    match = inside(instance, "match", args.ofac)
    print(f"  {match['total']:.1f} s", flush=True)
    print("OFAC import after the EU import", flush=True)
    ofac = timed(instance, "ofac-csv", flask, "--app", "app", "import", "ofac-csv", str(args.ofac))
    print(f"  {ofac.seconds:.1f} s: {ofac.summary}", flush=True)
    print("EU import under cProfile", flush=True)
    shutil.copyfile(demo, instance.database)
    profile = inside(instance, "profile", args.eu)
    print(f"  {profile['seconds']:.1f} s", flush=True)
    return Figures(eu_runs, ofac, match, profile)


# --- reporting ----------------------------------------------------------------------------


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def _cpu(t: Timed) -> str:
    return f"{t.cpu_user:.1f} + {t.cpu_system:.1f} s"


def _score(total: float | None) -> str:
    return "" if total is None else f"{total:.3f}"


def _profile_table(rows: list[list[Any]]) -> list[str]:
    lines = ["| calls | own s | cumulative s | function |", "| ---: | ---: | ---: | --- |"]
    lines += [f"| {calls} | {own:.2f} | {cumulative:.2f} | `{name}` |" for calls, own, cumulative, name in rows]
    return lines


def report(figures: Figures, args: argparse.Namespace) -> str:
    best, match, quality = figures.eu_best, figures.match, figures.quality()
    command = "`" + shlex.join([".venv/bin/python", "bench/imports.py", *args.argv]) + "`"
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    info = machine()
    info.pop("gunicorn", None)
    info.pop("sha256sum", None)
    lines = [
        SECTION,
        "",
        f"Run on {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')} with {command}.",
        "",
        *(f"- {name}: {value}" for name, value in info.items()),
        f"- load average at the end (1 / 5 / 15 min): {load}",
        "- instance: SQLite migrated with `flask --app app db upgrade`, `flask --app app demo load` (the import"
        " rules), evidence store in a temporary directory, TRIBUNAL_ENV=production",
        f"- files: `{Path(args.eu).name}`, `{Path(args.ofac).name}`",
        "",
        "| figure | value | target | result |",
        "| --- | --- | --- | --- |",
        f"| `flask import eu-csv`, best of {len(figures.eu_runs)} "
        f"({', '.join(f'{t.seconds:.1f}' for t in figures.eu_runs)} s) | {best.seconds:.1f} s "
        f"| < {EU_TARGET_S:.0f} s | {_verdict(figures.eu_ok)} |",
        f"| its outcome | {best.summary} | | |",
        f"| `flask import ofac-csv` after it | {figures.ofac.seconds:.1f} s | < {MATCH_TARGET_S:.0f} s "
        f"| {_verdict(figures.ofac_ok)} |",
        f"| its outcome | {figures.ofac.summary} | | |",
        f"| pure matching: {match['persons']} OFAC individuals against {match['officials']} officials "
        f"| {match['total']:.1f} s | < {MATCH_TARGET_S:.0f} s | {_verdict(figures.match_ok)} |",
        f"| hand-checked sample: {quality['pairs']} pairs ({quality['positives']} the same person), precision "
        f"| {quality['precision']:.2f} | | |",
        f"| recall | {quality['recall']:.2f} | | |",
        f"| 'likely' alone: {quality['likely']} pairs, precision | {quality['likely_precision']:.2f} | | |",
        "| best decision of every OFAC individual (same / likely / possible / different) "
        f"| {' / '.join(str(v) for v in match['decisions'].values())} | | |",
        "",
        "| command | wall time | CPU user + sys | other processes' CPU |",
        "| --- | ---: | ---: | ---: |",
        *(
            f"| {t.what} | {t.seconds:.1f} s | {_cpu(t)} | {t.others_cpu:.1f} s |"
            for t in [*figures.eu_runs, figures.ofac]
        ),
        "",
        f"Wall times are whole processes, start-up included. Other processes' CPU is the machine's busy time"
        f" during the command less the command's own, out of {os.cpu_count()} CPUs × the wall time: anything"
        " near the wall time means another process had a CPU to itself and the figure is pessimistic.",
        "",
        f"Pure matching, in one process ({', '.join(f'{s}: {v:.1f} s' for s, v in match['timings'].items())}):"
        f" OFAC's individuals of RU, BY and KP ({', '.join(f'{k} {v}' for k, v in match['states'].items())}),"
        " each against the index by `CandidateIndex.best`. The hand-checked pairs are"
        " `HAND_CHECKED` of tests/test_services/test_matching.py, the EU record found by its `eu_269_2014`"
        " identifier after the real import and the OFAC person as `parse_ofac_csv` reads it, scored with"
        " `services.matching.score`; a pair counts as found when merged or sent to review (any decision but"
        " different).",
        "",
        "| EU record | OFAC uid | same person | decision | score | why |",
        "| --- | --- | --- | --- | ---: | --- |",
        *(
            f"| {p['record']} | {p['uid']} | {'yes' if p['same'] else 'no'} | {p['decision']} "
            f"| {_score(p['total'])} | {p['why']} |"
            for p in match["pairs"]
        ),
        "",
        f"cProfile of the EU import in one process ({figures.profile['seconds']:.1f} s under the profiler,"
        " which slows Python code down), top 15 by own time:",
        "",
        *_profile_table(figures.profile["by_own"]),
        "",
        "Top 15 by cumulative time:",
        "",
        *_profile_table(figures.profile["by_cumulative"]),
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=2, help="timed EU imports, the best counts (default 2)")
    parser.add_argument("--eu", default=str(EU_FILE), help="the EU 269/2014 file (default: shared/data/real)")
    parser.add_argument("--ofac", default=str(OFAC_FILE), help="the OFAC SDN file (default: shared/data/real)")
    parser.add_argument("--no-record", action="store_true", help="print the figures, leave RESULTS.md alone")
    parser.add_argument("--tmpdir", help="where to put the temporary instance (default: the system's)")
    parser.add_argument("--inside", choices=["match", "profile"], help=argparse.SUPPRESS)
    parser.add_argument("data_file", nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.argv = sys.argv[1:] if argv is None else argv
    if args.inside:
        sys.path.insert(0, str(ROOT))
        step = _match if args.inside == "match" else _profile
        print(json.dumps(step(args.data_file)))
        return 0
    if args.runs < 1:
        parser.error("--runs must be at least 1")
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
    return 0 if figures.eu_ok and figures.ofac_ok and figures.match_ok else 1


if __name__ == "__main__":
    sys.exit(main())
