"""Benchmark of issue 6: a case-file bag holding 2 GiB of exhibits, exported from the command line.

    .venv/bin/python bench/export_bag.py [--size-mib 2048] [--files 8] [--runs 2] [--no-record]

In one run: a fresh instance in a temporary directory (SQLite, evidence store, signing key,
production settings) with two officials, each with a leadership tenure and one involvement:
the big one has --files exhibits of random bytes (2 GiB in all by default, received through
the evidence store as an upload is, ``services.evidence.files.attach_file``), the tiny one a
single 64 KiB exhibit; every exhibit is linked to its official's tenure. Then, each in a
process of its own under ``/usr/bin/time -v``:

* the baseline: ``flask export dossier <tiny> --format bag`` (same code, same PDF and
  signing work, next to no exhibit bytes), and ``flask keys public`` (the app loaded, nothing
  exported) for comparison;
* ``flask export dossier <big> --format bag --out case.zip --as <analyst>``, --runs times;
* the reference: ``zip -0 -q`` and ``python -m zipfile -c`` (stored, not compressed) of the
  same stored files, --runs times each;
* ``flask verify bag case.zip`` on the last bag.

The targets (issue 6): the exporting process's peak resident memory exceeds the tiny
export's by at most 100 MiB (largest of the runs); the export's time against ``zip -0`` is
reported, with no target. Exit status 0 when the memory target is met and the bag verifies,
1 otherwise, 2 when the benchmark could not run. Figures are printed and, unless --no-record,
written to bench/RESULTS.md. Everything created (2 GiB in the store, the bags and zips) is
removed at the end, also on failure. Linux only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from upload import MIB, ROOT, VENV_BIN, BenchError, Instance, machine, record, scratch

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
SECTION = "## Case-file bag export (issue 6)"
EMAIL = "bench-analyst@example.org"
RSS_TARGET_MIB = 100
TINY_FILE_BYTES = 64 * 1024
TIME_BIN = "/usr/bin/time"
ZIP = shutil.which("zip")


class BagInstance(Instance):
    """The upload benchmark's instance, with its own signing key: the export must not create
    one in the project's instance folder."""

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in super().env.items() if k not in ("EXPORT_KEY_PATH", "SOURCE_ORGANIZATION")}
        env["EXPORT_KEY_PATH"] = str(self.root / "export-signing-key.pem")
        return env

    def flask(self, *args: str) -> list[str]:
        return [str(VENV_BIN / "flask"), "--app", "app", *args]


# --- inside the app: the officials and their exhibits -------------------------------------
# Runs in a child process with the instance's environment (``--inside build``).


def _build(total: int, files: int) -> dict[str, Any]:
    """Both officials, the big one's exhibits holding ``total`` random bytes in ``files``
    files; their ids and the stored files' paths."""
    from app import create_app
    from extensions import db
    from services.audit import trail as audit
    from services.evidence.store import store_for

    app = create_app()
    store = store_for(app.config)
    with app.app_context(), audit.acting_as(None, "bench/export_bag.py"):
        big, big_tenure = _official(db.session, "Bag Official", "Minister of Defence")
        tiny, tiny_tenure = _official(db.session, "Tiny Official", "Chief of Staff")
        db.session.commit()
        sizes = [total // files + (1 if n < total % files else 0) for n in range(files)]
        stored = [_exhibit(db.session, store, big_tenure, f"X-{n + 1:04d}", size) for n, size in enumerate(sizes)]
        _exhibit(db.session, store, tiny_tenure, "T-0001", TINY_FILE_BYTES)
        return {"big": big.id, "tiny": tiny.id, "files": [str(path) for path in stored]}


def _official(session: Any, name: str, post: str) -> tuple[Any, Any]:
    """An official with a leadership tenure and one involvement in a decision linked to an act."""
    from models import AggressionAct, Decision, Institution, Involvement, Official, PartialDate, Position, State, Tenure

    state = session.query(State).filter_by(code="RU").one_or_none() or State(
        code="RU", name="Russian Federation", role="aggressor"
    )
    institution = Institution(state=state, name=f"Ministry of {name}", kind="ministry")
    official = Official(state=state, name=name)
    tenure = Tenure(official=official, position=Position(institution=institution, title=post, tier="leadership"))
    tenure.start = PartialDate.parse("2012-11-06")
    act = AggressionAct(title=f"Act of aggression ({name})")
    act.start = PartialDate.parse("2022-02-24")
    act.categories = ["a", "b"]
    act.states = [state]
    decision = Decision(title=f"Order of {name}", kind="military", institution=institution, stage="initiation")
    decision.when = PartialDate.parse("2022-02-24")
    decision.acts = [act]
    session.add_all(
        [official, tenure, act, decision, Involvement(official=official, decision=decision, role="ordered")]
    )
    session.flush()
    return official, tenure


def _exhibit(session: Any, store: Any, tenure: Any, number: str, size: int) -> Path:
    """An exhibit supporting ``tenure`` with one file of ``size`` random bytes, received by the
    store in 1 MiB chunks as an upload is, and committed (the file moves into place)."""
    from models import Evidence, Support
    from services.evidence.files import attach_file

    evidence = Evidence(
        exhibit_no=number,
        title=f"Exhibit {number}",
        kind="audio_video",
        source="bench/export_bag.py",
        classification="restricted",
        reliability="B",
        credibility="2",
    )
    session.add_all([evidence, Support(evidence=evidence, tenure=tenure, stance="supports", pinpoint="00:01:00")])
    session.flush()
    incoming = store.receive()
    left = size
    while left:
        chunk = os.urandom(min(MIB, left))
        incoming.write(chunk)
        left -= len(chunk)
    record = attach_file(session, store, evidence, incoming, original_name=f"{number}.bin", actor=None)
    session.commit()
    path: Path = store.path_for(record.sha256)
    return path


def inside(step: str, argv: list[str]) -> int:
    if step != "build":
        raise SystemExit(f"unknown step {step}")
    print(json.dumps(_build(int(argv[0]), int(argv[1]))))
    return 0


# --- measuring a process ------------------------------------------------------------------


@dataclass
class Measured:
    """One command run to its end: wall time, CPU and peak resident memory."""

    command: str
    seconds: float
    peak_kib: int
    user_seconds: float
    system_seconds: float
    returncode: int
    stdout: str
    stderr: str

    @property
    def peak_mib(self) -> float:
        return self.peak_kib / 1024


def measure(args: list[str], instance: BagInstance, cwd: Path = ROOT) -> Measured:
    """Run ``args`` under ``/usr/bin/time -v`` (or, without it, reading the peak from /proc
    while it runs); its wall time from here."""
    label = shlex.join([Path(args[0]).name, *args[1:]])
    if Path(TIME_BIN).is_file():
        start = time.perf_counter()
        done = subprocess.run(  # noqa: S603  (fixed programs, arguments from this script)
            [TIME_BIN, "-v", *args], cwd=cwd, env=instance.env, capture_output=True, text=True, check=False
        )
        seconds = time.perf_counter() - start
        stats, stderr = _time_report(done.stderr)
        return Measured(
            label, seconds, int(stats["Maximum resident set size (kbytes)"]), float(stats["User time (seconds)"]),
            float(stats["System time (seconds)"]), done.returncode, done.stdout, stderr,
        )  # fmt: skip
    return _measure_from_proc(label, args, instance, cwd)


def _time_report(stderr: str) -> tuple[dict[str, str], str]:
    """GNU time's -v report (at the end of stderr) as a dict, and the command's own stderr."""
    head, sep, report = stderr.rpartition("\tCommand being timed:")
    if not sep:
        raise BenchError(f"no report from {TIME_BIN} -v:\n{stderr[-2000:]}")
    stats = {}
    for line in report.splitlines():
        key, _sep, value = line.strip().rpartition(": ")
        stats[key] = value
    return stats, head


def _measure_from_proc(label: str, args: list[str], instance: BagInstance, cwd: Path) -> Measured:
    """The peak (VmHWM) read every 20 ms until the process ends: it may miss a last burst."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(args, cwd=cwd, env=instance.env, stdout=out, stderr=err)  # noqa: S603
        peak = 0
        ticks = os.sysconf("SC_CLK_TCK")
        user = system = 0.0
        while process.poll() is None:
            try:
                status = Path(f"/proc/{process.pid}/status").read_text()
                stat = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                break
            peak = max(peak, int(re.search(r"VmHWM:\s+(\d+)", status).group(1)))  # type: ignore[union-attr]
            user, system = int(stat[11]) / ticks, int(stat[12]) / ticks
            time.sleep(0.02)
        process.wait()
        seconds = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        return Measured(
            label, seconds, peak, user, system, process.returncode, out.read().decode(), err.read().decode()
        )


def checked(result: Measured, what: str) -> Measured:
    if result.returncode != 0:
        raise BenchError(f"{what} failed (exit {result.returncode}):\n{result.stdout}{result.stderr[-3000:]}")
    return result


# --- one run ------------------------------------------------------------------------------


@dataclass
class Figures:
    size: int
    files: int
    baseline_export: Measured  # the tiny official's bag
    baseline_keys: Measured  # flask keys public
    exports: list[Measured]
    references: dict[str, list[Measured]]  # REFERENCES' names -> runs (none when the tool is missing)
    verify: Measured
    bag_bytes: int
    payload: tuple[int, int] | None  # files and bytes the verifier counted
    build_seconds: float

    @staticmethod
    def best(runs: list[Measured]) -> Measured:
        return min(runs, key=lambda r: r.seconds)

    @property
    def worst_export(self) -> Measured:
        return max(self.exports, key=lambda r: r.peak_kib)

    @property
    def growth_mib(self) -> float:
        return (self.worst_export.peak_kib - self.baseline_export.peak_kib) / 1024

    @property
    def growth_over_keys_mib(self) -> float:
        return (self.worst_export.peak_kib - self.baseline_keys.peak_kib) / 1024

    @property
    def rss_ok(self) -> bool:
        return self.growth_mib <= RSS_TARGET_MIB

    @property
    def verified(self) -> bool:
        """The verifier passed the bag, and counted every exhibit plus dossier.pdf and dossier.json."""
        if self.verify.returncode != 0 or self.payload is None:
            return False
        files, size = self.payload
        return files == self.files + 2 and size > self.size

    def ratio(self, reference: list[Measured]) -> float:
        return self.best(self.exports).seconds / self.best(reference).seconds

    @property
    def copy_seconds(self) -> float:
        """The best export less the tiny one: about what copying the exhibits took."""
        return self.best(self.exports).seconds - self.baseline_export.seconds


def run(args: argparse.Namespace, work: Path) -> Figures:
    instance = BagInstance(work)
    instance.evidence_dir.mkdir()
    size = args.size_mib * MIB
    print("setting up a fresh instance in", work, flush=True)
    instance.run(*instance.flask("db", "upgrade"))
    instance.run(
        *instance.flask("users", "create", EMAIL, "--role", "analyst", "--clearance", "strictly_confidential"),
        "--password-stdin", stdin=instance.password + "\n",
    )  # fmt: skip
    print(f"receiving {args.files} exhibits of {args.size_mib} MiB in all into the evidence store", flush=True)
    start = time.perf_counter()
    script = str(Path(__file__).resolve())
    built = json.loads(
        instance.run(str(VENV_BIN / "python"), script, "--inside", "build", str(size), str(args.files)).splitlines()[-1]
    )
    build_seconds = time.perf_counter() - start
    print(f"  {build_seconds:.1f} s", flush=True)
    stored = [Path(p) for p in built["files"]]

    baseline_keys = checked(measure(instance.flask("keys", "public"), instance), "flask keys public")
    tiny_bag = work / "tiny.zip"
    baseline_export = checked(measure(_export(instance, built["tiny"], tiny_bag), instance), "the tiny export")
    tiny_bag.unlink()
    print(f"baseline: tiny export {baseline_export.peak_mib:.1f} MiB peak, {baseline_export.seconds:.2f} s", flush=True)

    bag = work / "case.zip"
    exports: list[Measured] = []
    references: dict[str, list[Measured]] = {name: [] for name in REFERENCES}
    for n in range(args.runs):
        bag.unlink(missing_ok=True)
        print(f"export {n + 1} of {args.runs}: {args.size_mib} MiB bag", flush=True)
        exports.append(checked(measure(_export(instance, built["big"], bag), instance), "the export"))
        print(f"  {exports[-1].seconds:.2f} s, peak {exports[-1].peak_mib:.1f} MiB", flush=True)
        for name, runs in references.items():
            runs += _reference(instance, work, stored, name)
    bag_bytes = bag.stat().st_size
    print("verifying the bag", flush=True)
    verify = measure(instance.flask("verify", "bag", str(bag)), instance)
    bag.unlink()
    match = re.search(r"Intact: (\d+) payload files \((\d+) bytes\)", verify.stdout)
    payload = (int(match.group(1)), int(match.group(2))) if match else None
    return Figures(
        size, args.files, baseline_export, baseline_keys, exports, references, verify, bag_bytes, payload,
        build_seconds,
    )  # fmt: skip


def _export(instance: BagInstance, official_id: int, out: Path) -> list[str]:
    return instance.flask("export", "dossier", str(official_id), "--format", "bag", "--out", str(out), "--as", EMAIL)


# The same stored files zipped by other tools, for the time: name -> the command before its
# arguments (the zip to write, then the files). ``python -m zipfile -c`` always deflates
# (zipfile.main's addToZip passes ZIP_DEFLATED); the stored variant is what the export does
# without its hashing.
ZIPFILE_STORED = (
    "import sys, zipfile\n"
    "with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_STORED, allowZip64=True) as z:\n"
    "    for name in sys.argv[2:]:\n"
    "        z.write(name)\n"
)
REFERENCES = {
    "`zip -0 -q`": [ZIP, "-0", "-q"] if ZIP else None,
    "Python's zipfile, stored (`ZipFile.write`, ZIP_STORED)": [str(VENV_BIN / "python"), "-c", ZIPFILE_STORED],
    "`python -m zipfile -c` (deflates)": [str(VENV_BIN / "python"), "-m", "zipfile", "-c"],
}


def _reference(instance: BagInstance, work: Path, stored: list[Path], name: str) -> list[Measured]:
    """One run of the reference tool ``name`` on the stored files; none when it is missing."""
    head = REFERENCES[name]
    if head is None:
        return []
    out = work / "reference.zip"
    command = [*head, str(out), *(str(p.relative_to(instance.evidence_dir)) for p in stored)]
    result = checked(measure(command, instance, cwd=instance.evidence_dir), name)
    out.unlink()
    print(f"  {name}: {result.seconds:.2f} s", flush=True)
    return [result]


# --- reporting ----------------------------------------------------------------------------


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def _times(runs: list[Measured]) -> str:
    return ", ".join(f"{r.seconds:.2f}" for r in runs)


def _rate(figures: Figures, runs: list[Measured]) -> str:
    return f"{figures.size / MIB / Figures.best(runs).seconds:.0f} MiB/s"


def report(figures: Figures, args: argparse.Namespace) -> str:
    f = figures
    best = f.best(f.exports)
    worst = f.worst_export
    info = machine()
    info.pop("sha256sum", None)
    zip_version = "not installed (Debian package `zip`)"
    if ZIP:
        zip_version = subprocess.run([ZIP, "-v"], capture_output=True, text=True).stdout.splitlines()[1].strip()  # noqa: S603
    info["zip"] = zip_version
    command = "`" + shlex.join([".venv/bin/python", "bench/export_bag.py", *args.argv]) + "`"
    payload = f"{f.payload[0]} files, {f.payload[1]} bytes" if f.payload else "not reported"
    lines = [
        SECTION,
        "",
        f"Run on {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')} with {command}.",
        "",
        *(f"- {name}: {value}" for name, value in info.items()),
        "- instance: TRIBUNAL_ENV=production, SQLite, evidence store and signing key in a temporary directory",
        f"- exhibits: {f.files} files of random bytes, {f.size / MIB:.0f} MiB ({f.size} bytes) in all, received"
        f" through the evidence store in {f.build_seconds:.0f} s and so in the page cache for every tool; one"
        " exhibit each, supporting the official's tenure",
        "- each command a process of its own, measured by `/usr/bin/time -v`"
        if Path(TIME_BIN).is_file()
        else "- each command a process of its own, peak read from /proc/PID/status every 20 ms",
        "",
        "| figure | value | target | result |",
        "| --- | --- | --- | --- |",
        f"| baseline: `flask export dossier` of the tiny official (one 64 KiB exhibit), peak RSS"
        f" | {f.baseline_export.peak_mib:.1f} MiB ({f.baseline_export.seconds:.2f} s) | | |",
        f"| for comparison: `flask keys public`, peak RSS | {f.baseline_keys.peak_mib:.1f} MiB | | |",
        f"| export of the {f.size / MIB:.0f} MiB bag, peak RSS, largest of {len(f.exports)} "
        f"| {worst.peak_mib:.1f} MiB | | |",
        f"| peak RSS growth over the tiny export | {f.growth_mib:.1f} MiB | <= {RSS_TARGET_MIB} MiB "
        f"| {_verdict(f.rss_ok)} |",
        f"| peak RSS growth over `flask keys public` (not the target) | {f.growth_over_keys_mib:.1f} MiB | | |",
        f"| export, best of {len(f.exports)} ({_times(f.exports)} s) | {best.seconds:.2f} s, {_rate(f, f.exports)}"
        f" (CPU {best.user_seconds:.2f} user + {best.system_seconds:.2f} system s) | | |",
        f"| export less the tiny export's time: the exhibits' copy | {f.copy_seconds:.2f} s,"
        f" {f.size / MIB / f.copy_seconds:.0f} MiB/s | | |",
    ]
    for name, runs in f.references.items():
        if not runs:
            lines.append(f"| {name} | not installed (Debian package `zip`) | | |")
            continue
        r = f.best(runs)
        lines.append(
            f"| {name} of the same files, best of {len(runs)} ({_times(runs)} s) | {r.seconds:.2f} s,"
            f" {_rate(f, runs)} (CPU {r.user_seconds:.2f} + {r.system_seconds:.2f} s) | | |"
        )
    lines += [
        f"| export / {name} (no target) | {f.ratio(runs):.2f} | | |" for name, runs in f.references.items() if runs
    ]
    lines += [
        f"| bag: {f.bag_bytes} bytes; `flask verify bag` ({f.verify.seconds:.2f} s, peak {f.verify.peak_mib:.1f} MiB)"
        f" | exit {f.verify.returncode}, {payload} | exit 0, {f.files + 2} files | {_verdict(f.verified)} |",
        "",
        "Peak RSS is the process's largest resident set (`Maximum resident set size`), from start to exit:"
        " loading the app, gathering the dossier, rendering its PDF (WeasyPrint), signing, and copying the"
        " exhibits into the zip. The tiny export does everything but the copying of large files, so the growth"
        " over it is what the exhibits' bytes cost. Times are wall times of the whole process (start-up"
        " included, about the tiny export's time); the export also re-hashes every exhibit (SHA-256) against"
        " its recorded hash and hashes the whole bag as it is written, which `zip` does not (it computes only"
        " CRC-32). The payload counts the exhibits, `dossier.pdf` and `dossier.json`.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--inside"]:
        return inside(argv[1], argv[2:])
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mib", type=int, default=2048, help="exhibit bytes in the bag (default 2048)")
    parser.add_argument("--files", type=int, default=8, help="exhibit files they are split into (default 8)")
    parser.add_argument("--runs", type=int, default=2, help="timed exports and reference zips (default 2)")
    parser.add_argument("--no-record", action="store_true", help="print the figures, leave RESULTS.md alone")
    parser.add_argument("--tmpdir", help="where to put the temporary instance (default: the system's)")
    args = parser.parse_args(argv)
    args.argv = argv
    if args.size_mib < 1 or args.files < 1 or args.runs < 1:
        parser.error("--size-mib, --files and --runs must be at least 1")
    if args.files * MIB > args.size_mib * MIB:
        parser.error("each file must hold at least 1 MiB")
    if ZIP is None:
        print("zip is not installed (Debian package `zip`): only Python's zipfile is timed", file=sys.stderr)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        # room for the store, one bag, one reference zip and a margin
        needed = 3 * args.size_mib * MIB + 512 * MIB
        with scratch(args.tmpdir, needed, prefix="tribunal-bench-bag-") as work:
            figures = run(args, work)
    except (BenchError, subprocess.SubprocessError, json.JSONDecodeError, KeyError, ValueError) as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 2
    section = report(figures, args)
    print()
    print(section)
    if not args.no_record:
        record(section, SECTION)
        print(f"written to {RESULTS.relative_to(ROOT)}")
    return 0 if figures.rss_ok and figures.verified else 1


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
