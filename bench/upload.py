"""Benchmark of issue 4: one large evidence upload through the app under gunicorn.

    .venv/bin/python bench/upload.py [--size-mib 1024] [--runs 3] [--no-record]

In one run: a fresh instance in a temporary directory (SQLite, evidence store, production
settings), an analyst and one exhibit per timed upload; a random file of the given size,
hashed twice by ``sha256sum`` as the baseline; then, after sign-in and a 1 MiB warm-up, the
file is uploaded --runs times through gunicorn (one sync worker) as multipart/form-data sent
straight from disk, while the worker's resident memory is read from /proc. The targets
(issue 4), best upload against best ``sha256sum``, largest memory growth of all uploads:

* the worker's peak resident memory grows by at most 64 MiB during an upload;
* the upload runs at least half as fast as ``sha256sum`` on the same file.

The uploads are then checked: redirects, the file in the store under its hash, the same hash
as ``sha256sum`` printed, one database row per exhibit, nothing left in .incoming. Figures
are printed and, unless --no-record, written to bench/RESULTS.md. Everything created is
removed at the end, also on failure. Exit status 0 when every target is met, 1 when one is
missed, 2 when the benchmark could not run. Linux only (reads /proc).
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import http.client
import os
import platform
import re
import secrets
import shlex
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
SECTION = "## Evidence upload (issue 4)"
MIB = 1024 * 1024
RSS_TARGET_MIB = 64
RATIO_TARGET = 0.5
EMAIL = "bench-analyst@example.org"
UPLOAD_PATH = "/evidence/{evidence_id}/files"  # views/evidence_files.py upload_files
FILE_FIELD = "files"
# gunicorn answering /health after its start: seconds on a quiet machine, more on a busy one
START_SECONDS = 120
DEFAULT_WSGI = "app:create_app()"
SHA256SUM = shutil.which("sha256sum") or "/usr/bin/sha256sum"
CREATE_EVIDENCE = """
import sys
from app import create_app
from extensions import db
from services.audit import trail as audit
from services.evidence.exhibits import EvidenceInput, create_evidence

app = create_app()
with app.app_context(), audit.acting_as(None, "bench"):
    for n in range(int(sys.argv[1])):
        evidence = create_evidence(db.session, EvidenceInput(
            title=f"Upload benchmark {n + 1}", kind="document", summary=None, source="bench/upload.py",
            provenance=None, url=None, collected_by=None, collected_on=None, collection_method=None,
            language=None, classification="public", reliability="F", credibility="6"))
        db.session.commit()
        print(evidence.id)
"""


class BenchError(RuntimeError):
    """The benchmark could not run or the upload did not do what it should."""


# --- the instance -------------------------------------------------------------------------


@dataclass
class Instance:
    """A throwaway deployment: database, evidence store and settings in one directory."""

    root: Path
    password: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    secret_key: str = field(default_factory=lambda: secrets.token_hex(32))

    @property
    def evidence_dir(self) -> Path:
        return self.root / "evidence"

    @property
    def database(self) -> Path:
        return self.root / "bench.db"

    @property
    def chain_key(self) -> Path:
        """The instance's chain key (production refuses to start without one): made once."""
        path = self.root / "chain-key"
        if not path.exists():
            self.root.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(secrets.token_bytes(32))
        return path

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "TRIBUNAL_", "MAX_UPLOAD"))}
        env.update(
            DATABASE_URL=f"sqlite:///{self.database}",
            EVIDENCE_DIR=str(self.evidence_dir),
            TRIBUNAL_ENV="production",
            SECRET_KEY=self.secret_key,
            SESSION_COOKIE_SECURE="0",  # plain HTTP on loopback
            CHAIN_KEY_PATH=str(self.chain_key),
        )
        return env

    def run(self, *args: str, stdin: str | None = None) -> str:
        # fixed programs from the venv, arguments from this script only
        done = subprocess.run(args, cwd=ROOT, env=self.env, input=stdin, capture_output=True, text=True, check=False)  # noqa: S603
        if done.returncode != 0:
            raise BenchError(f"{' '.join(args[:4])} failed:\n{done.stdout}{done.stderr}")
        return done.stdout

    def set_up(self, exhibits: int) -> list[int]:
        """Migrate, create the analyst and the exhibits (one per timed upload: the same bytes
        cannot be attached twice to one exhibit); the exhibits' ids."""
        flask = str(VENV_BIN / "flask")
        self.run(flask, "--app", "app", "db", "upgrade")
        self.run(
            flask, "--app", "app", "users", "create", EMAIL, "--role", "analyst",
            "--clearance", "strictly_confidential", "--password-stdin", stdin=self.password + "\n",
        )  # fmt: skip
        return [int(n) for n in self.run(str(VENV_BIN / "python"), "-c", CREATE_EVIDENCE, str(exhibits)).split()]


# --- files and the baseline ---------------------------------------------------------------


def write_random_file(path: Path, size: int) -> None:
    with path.open("wb") as handle:
        left = size
        while left:
            chunk = os.urandom(min(MIB, left))
            handle.write(chunk)
            left -= len(chunk)


def sha256sum(path: Path) -> tuple[float, str]:
    """Seconds taken by ``sha256sum`` on the file, and the hash it printed."""
    start = time.perf_counter()
    done = subprocess.run([SHA256SUM, str(path)], capture_output=True, text=True, check=True)  # noqa: S603
    return time.perf_counter() - start, done.stdout.split()[0]


# --- the server ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def proc_status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak resident) of a process, in KiB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    return values


def reset_peak(pid: int) -> bool:
    """Reset the process's VmHWM to its current VmRSS (Linux >= 4.0), so that VmHWM read
    later is the peak of what happened in between, not of sign-in (Argon2 hashing alone
    takes tens of MiB). False when the kernel refuses."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


@dataclass(frozen=True)
class Cpu:
    """CPU seconds: user and system."""

    user: float
    system: float

    def __sub__(self, other: Cpu) -> Cpu:
        return Cpu(self.user - other.user, self.system - other.system)

    @property
    def total(self) -> float:
        return self.user + self.system


def cpu_of(pid: int) -> Cpu:
    """The CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return Cpu(int(fields[11]) / tick, int(fields[12]) / tick)


def busy_seconds() -> float:
    """CPU seconds every process on the machine has used so far (all but idle and iowait)."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, Path("/proc/stat").read_text().split()[1:9])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def own_cpu() -> float:
    """CPU seconds of this process (the client)."""
    times = os.times()
    return times.user + times.system


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @classmethod
    def start(cls, instance: Instance, wsgi: str, timeout: int) -> Server:
        port = free_port()
        log = instance.root / "gunicorn.log"
        args = [
            str(VENV_BIN / "gunicorn"), "-w", "1", "-k", "sync", "-b", f"127.0.0.1:{port}",
            "--timeout", str(timeout), "--no-control-socket", wsgi,
        ]  # fmt: skip
        return cls.launch(args, port, log, instance.env)

    @classmethod
    def launch(cls, args: list[str], port: int, log: Path, env: dict[str, str], *, append: bool = False) -> Server:
        """Run ``args`` (a gunicorn command) with its output in ``log``; ready when it answers."""
        with log.open("ab" if append else "wb") as out:
            process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
        server = cls(process, port, log)
        try:
            server.wait_ready()
        except BaseException:
            server.stop()
            raise
        return server

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn exited:\n{self.log.read_text()}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/health")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise BenchError(f"gunicorn did not answer within {START_SECONDS} s:\n{self.log.read_text()}")

    @property
    def worker(self) -> int:
        """The pid of the single worker: the master's child."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        if len(children) != 1:
            raise BenchError(f"expected one gunicorn worker, found {children}")
        return int(children[0])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # quick shutdown: no request is worth finishing
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# --- the client ---------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    location: str
    body: str


class Authenticator:
    """What an authenticator app does for a prosecutor or admin: it learns the secret from the
    setup page at their first sign-in, then gives a code at each sign-in. A code works once,
    so a second sign-in within the same 30-second step waits for the next one."""

    SECRET = re.compile(r'id="two-factor-secret">([A-Z2-7 ]+)<')

    def __init__(self, secret: str | None = None, last_step: int = -1, enrolment_code: str | None = None) -> None:
        self.secret = secret
        self.last_step = last_step
        self.enrolment_code = enrolment_code  # what `users create` printed last: setting up the app needs it

    def learn(self, setup_page: str) -> None:
        match = self.SECRET.search(setup_page)
        if not match:
            raise BenchError("no two-factor secret on the setup page")
        self.secret = match.group(1).replace(" ", "")

    def code(self) -> str:
        import pyotp

        if self.secret is None:
            raise BenchError("a two-factor code was asked for, but the account's secret is unknown")
        while (step := int(time.time()) // 30) <= self.last_step:
            time.sleep(30 - time.time() % 30 + 0.1)
        self.last_step = step
        return str(pyotp.TOTP(self.secret).at(step * 30))


class Client:
    """Just enough of a browser: one cookie jar, CSRF tokens read from the pages."""

    def __init__(self, port: int, authenticator: Authenticator | None = None) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.authenticator = authenticator or Authenticator()

    def _connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)

    def _headers(self) -> dict[str, str]:
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return {"Cookie": cookie} if cookie else {}

    def _finish(self, conn: http.client.HTTPConnection) -> Response:
        response = conn.getresponse()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        body = response.read().decode("utf-8", "replace")
        conn.close()
        return Response(response.status, response.getheader("Location", ""), body)

    def get(self, path: str) -> Response:
        conn = self._connection()
        conn.request("GET", path, headers=self._headers())
        return self._finish(conn)

    def csrf_token(self, path: str) -> str:
        page = self.get(path)
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.body)
        if page.status != 200 or not match:
            raise BenchError(f"no CSRF token on {path} (HTTP {page.status})")
        return html.unescape(match.group(1))

    def post_form(self, path: str, fields: dict[str, str]) -> Response:
        body = urllib.parse.urlencode(fields)
        conn = self._connection()
        headers = self._headers() | {"Content-Type": "application/x-www-form-urlencoded"}
        conn.request("POST", path, body=body, headers=headers)
        return self._finish(conn)

    def sign_in(self, email: str, password: str) -> None:
        """Sign in through the forms; prosecutors and admins then give a code (set up first if need be)."""
        token = self.csrf_token("/login")
        response = self.post_form("/login", {"csrf_token": token, "email": email, "password": password})
        step = urllib.parse.urlsplit(response.location).path
        if response.status in (302, 303) and step in ("/login/code", "/login/enrol"):
            page = self.get(step)
            if step == "/login/enrol":
                self.authenticator.learn(page.body)
            match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.body)
            if page.status != 200 or not match:
                raise BenchError(f"no CSRF token on {step} (HTTP {page.status})")
            fields = {"csrf_token": html.unescape(match.group(1)), "code": self.authenticator.code()}
            if step == "/login/enrol":
                fields["enrolment_code"] = self.authenticator.enrolment_code or ""
            response = self.post_form(step, fields)
        if response.status not in (302, 303) or urllib.parse.urlsplit(response.location).path.startswith("/login"):
            raise BenchError(f"sign-in refused (HTTP {response.status})")

    def upload(self, path: str, fields: dict[str, str], file_field: str, file: Path) -> Response:
        """POST ``file`` as multipart/form-data, sent straight from disk (sendfile): the
        client never holds it in memory, and the body has an exact Content-Length."""
        boundary = f"bench-{secrets.token_hex(16)}"
        head = b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, value in fields.items()
        )
        head += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{file.name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        tail = f"\r\n--{boundary}--\r\n".encode()
        size = file.stat().st_size
        conn = self._connection()
        conn.putrequest("POST", path)
        headers = self._headers() | {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Content-Length": str(len(head) + size + len(tail)),
        }
        try:
            for name, value in headers.items():
                conn.putheader(name, value)
            conn.endheaders()
            if conn.sock is None:
                raise BenchError("the connection closed before the body was sent")
            conn.sock.sendall(head)
            with file.open("rb") as handle:
                sent = conn.sock.sendfile(handle, 0, size)
            if sent != size:
                raise BenchError(f"sent {sent} of {size} bytes")
            conn.sock.sendall(tail)
            return self._finish(conn)
        finally:
            conn.close()  # an interrupted upload must not leave the worker waiting for the rest


# --- one run ------------------------------------------------------------------------------


@dataclass
class Attempt:
    """One timed upload of the file."""

    evidence_id: int
    seconds: float
    worker_cpu: Cpu
    others_cpu_seconds: float  # everything but the worker, the master and this client
    worker_before: dict[str, int]  # VmRSS, VmHWM in KiB
    worker_after: dict[str, int]
    master_before: dict[str, int]
    master_after: dict[str, int]
    status: int

    def growth_mib(self, peak_reset: bool) -> float:
        return _growth(self.worker_before, self.worker_after, peak_reset)


def _growth(before: dict[str, int], after: dict[str, int], peak_reset: bool) -> float:
    """MiB by which the peak during the upload exceeds what was resident before it. Without
    a reset peak, only what rose above the earlier peak shows (an underestimate)."""
    start = before["VmRSS"] if peak_reset else before["VmHWM"]
    return (after["VmHWM"] - start) / 1024


@dataclass
class Figures:
    size: int
    sha256: str
    sha256sum_seconds: list[float]
    attempts: list[Attempt]
    peak_reset: bool
    signed_in_peak: int  # KiB, the worker's VmHWM before the first reset

    @property
    def best(self) -> Attempt:
        return min(self.attempts, key=lambda a: a.seconds)

    @property
    def baseline_mib_s(self) -> float:
        return self.size / MIB / min(self.sha256sum_seconds)

    @property
    def upload_mib_s(self) -> float:
        return self.size / MIB / self.best.seconds

    @property
    def ratio(self) -> float:
        return self.upload_mib_s / self.baseline_mib_s

    @property
    def slowest_ratio(self) -> float:
        slowest = max(a.seconds for a in self.attempts)
        return self.size / MIB / slowest / self.baseline_mib_s

    @property
    def worst(self) -> Attempt:
        """The upload whose worker memory grew most: the figure held against the target."""
        return max(self.attempts, key=lambda a: a.growth_mib(self.peak_reset))

    @property
    def growth_mib(self) -> float:
        return self.worst.growth_mib(self.peak_reset)

    @property
    def ratio_ok(self) -> bool:
        return self.ratio >= RATIO_TARGET

    @property
    def rss_ok(self) -> bool:
        return self.growth_mib <= RSS_TARGET_MIB


def verify(instance: Instance, figures: Figures) -> list[str]:
    """What is wrong with the stored upload; empty when it is all there."""
    problems = [
        f"upload {n} answered HTTP {a.status}, not a redirect"
        for n, a in enumerate(figures.attempts, 1)
        if a.status not in (302, 303)
    ]
    stored = instance.evidence_dir / figures.sha256[:2] / figures.sha256[2:4] / figures.sha256
    if not stored.is_file():
        problems.append(f"nothing stored at {stored.relative_to(instance.root)}")
    else:
        if stored.stat().st_size != figures.size:
            problems.append(f"stored size {stored.stat().st_size}, sent {figures.size}")
        _seconds, digest = sha256sum(stored)
        if digest != figures.sha256:
            problems.append(f"stored bytes hash to {digest}, sent {figures.sha256}")
    with sqlite3.connect(instance.database) as db:
        rows = db.execute(
            "SELECT evidence_id, size FROM evidence_file WHERE sha256 = ? ORDER BY evidence_id", (figures.sha256,)
        ).fetchall()
    expected = [(a.evidence_id, figures.size) for a in sorted(figures.attempts, key=lambda a: a.evidence_id)]
    if rows != expected:
        problems.append(f"database rows for the upload: {rows}, expected {expected}")
    leftovers = list((instance.evidence_dir / ".incoming").glob("*"))
    if leftovers:
        problems.append(f"left in .incoming: {[p.name for p in leftovers]}")
    return problems


def timed_upload(server: Server, client: Client, evidence_id: int, file: Path) -> Attempt:
    """Upload ``file`` to the exhibit, timing the request and reading the worker's memory."""
    path = UPLOAD_PATH.format(evidence_id=evidence_id)
    token = client.csrf_token(path)  # from the upload form, as a browser would
    worker, master = server.worker, server.process.pid
    before = proc_status(worker), proc_status(master)
    cpu_before = cpu_of(worker), cpu_of(master).total, own_cpu(), busy_seconds()
    start = time.perf_counter()
    response = client.upload(path, {"csrf_token": token}, FILE_FIELD, file)
    seconds = time.perf_counter() - start
    worker_cpu = cpu_of(worker) - cpu_before[0]
    ours = worker_cpu.total + cpu_of(master).total - cpu_before[1] + own_cpu() - cpu_before[2]
    if server.worker != worker:
        raise BenchError("the gunicorn worker was replaced during the upload (timeout?)")
    return Attempt(
        evidence_id=evidence_id,
        seconds=seconds,
        worker_cpu=worker_cpu,
        others_cpu_seconds=max(0.0, busy_seconds() - cpu_before[3] - ours),
        worker_before=before[0],
        worker_after=proc_status(worker),
        master_before=before[1],
        master_after=proc_status(master),
        status=response.status,
    )


def warm_up(client: Client, evidence_id: int, file: Path) -> None:
    """One small upload first, so the timed one finds every module imported."""
    path = UPLOAD_PATH.format(evidence_id=evidence_id)
    response = client.upload(path, {"csrf_token": client.csrf_token(path)}, FILE_FIELD, file)
    if response.status not in (302, 303):
        raise BenchError(f"warm-up upload answered HTTP {response.status}:\n{response.body[:2000]}")


def run(args: argparse.Namespace, work: Path) -> tuple[Figures, list[str]]:
    instance = Instance(work)
    instance.evidence_dir.mkdir()
    print("setting up a fresh instance in", work, flush=True)
    evidence_ids = instance.set_up(args.runs)
    size = args.size_mib * MIB
    data, warm = work / "upload.bin", work / "warm-up.bin"
    print(f"writing {args.size_mib} MiB of random bytes", flush=True)
    write_random_file(data, size)
    write_random_file(warm, MIB)
    timings = []
    for _ in range(2):
        seconds, digest = sha256sum(data)
        timings.append(seconds)
    print(f"sha256sum: {', '.join(f'{s:.3f} s' for s in timings)}", flush=True)

    server = Server.start(instance, args.wsgi, args.timeout)
    try:
        client = Client(server.port)
        client.sign_in(EMAIL, instance.password)
        warm_up(client, evidence_ids[0], warm)
        signed_in_peak = proc_status(server.worker)["VmHWM"]
        attempts = []
        peak_reset = True
        for n, evidence_id in enumerate(evidence_ids, 1):
            peak_reset = reset_peak(server.worker) and reset_peak(server.process.pid) and peak_reset
            print(f"upload {n} of {len(evidence_ids)}: {args.size_mib} MiB through gunicorn", flush=True)
            attempts.append(timed_upload(server, client, evidence_id, data))
            print(f"  {attempts[-1].seconds:.3f} s", flush=True)
    finally:
        server.stop()
    data.unlink()  # the check reads the stored copy; no need to hold two on disk
    figures = Figures(size, digest, timings, attempts, peak_reset, signed_in_peak)
    return figures, verify(instance, figures)


# --- reporting ----------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor() or "unknown",
    )  # fmt: skip
    ram_kib = int(Path("/proc/meminfo").read_text().split()[1])
    os_name = platform.platform()
    try:
        pretty = dict(line.split("=", 1) for line in Path("/etc/os-release").read_text().splitlines() if "=" in line)[
            "PRETTY_NAME"
        ].strip('"')
        os_name = f"{pretty}, Linux {platform.release()}"
    except (OSError, KeyError):
        pass
    gunicorn = subprocess.run([str(VENV_BIN / "gunicorn"), "--version"], capture_output=True, text=True).stdout  # noqa: S603
    coreutils = subprocess.run([SHA256SUM, "--version"], capture_output=True, text=True).stdout.splitlines()[0]  # noqa: S603
    return {
        "CPU": cpu,
        "nproc": str(os.cpu_count()),
        "RAM": f"{ram_kib / 1024 / 1024:.1f} GiB",
        "OS": os_name,
        "Python": platform.python_version(),
        "gunicorn": gunicorn.strip().removeprefix("gunicorn (version ").rstrip(")"),
        "sha256sum": coreutils,
    }


def report(figures: Figures, problems: list[str], args: argparse.Namespace) -> str:
    def verdict(ok: bool) -> str:
        return "PASS" if ok else "FAIL"

    def mib(kib: int) -> str:
        return f"{kib / 1024:.1f}"

    best, worst, reset = figures.best, figures.worst, figures.peak_reset
    command = "`" + shlex.join([".venv/bin/python", "bench/upload.py", *args.argv]) + "`"
    wsgi = "" if args.wsgi == DEFAULT_WSGI else f", app `{args.wsgi}`"
    lines = [
        SECTION,
        "",
        f"Run on {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')} with {command}.",
        "",
        *(f"- {name}: {value}" for name, value in machine().items()),
        f"- server: gunicorn, 1 sync worker, --timeout {args.timeout}, TRIBUNAL_ENV=production, SQLite{wsgi}",
        f"- file: {args.size_mib} MiB ({figures.size} bytes) of random bytes, in the page cache for both tools;"
        " sent with sendfile() as one multipart/form-data request with a Content-Length",
        "",
        "| figure | value | target | result |",
        "| --- | --- | --- | --- |",
        f"| sha256sum, best of {len(figures.sha256sum_seconds)} "
        f"({', '.join(f'{s:.2f}' for s in figures.sha256sum_seconds)} s) | {figures.baseline_mib_s:.0f} MiB/s | | |",
        f"| upload, best of {len(figures.attempts)} ({', '.join(f'{a.seconds:.2f}' for a in figures.attempts)} s) "
        f"| {figures.upload_mib_s:.0f} MiB/s | | |",
        f"| upload / sha256sum | {figures.ratio:.2f} | >= {RATIO_TARGET} | {verdict(figures.ratio_ok)} |",
        f"| slowest upload / sha256sum (for the spread; not the target) | {figures.slowest_ratio:.2f} | | |",
        f"| worker peak RSS growth, largest of {len(figures.attempts)} | {figures.growth_mib:.1f} MiB "
        f"| <= {RSS_TARGET_MIB} MiB | {verdict(figures.rss_ok)} |",
        f"| responses | {', '.join(f'HTTP {a.status}' for a in figures.attempts)} | 302/303 "
        f"| {verdict(all(a.status in (302, 303) for a in figures.attempts))} |",
        f"| stored file, its SHA-256, database rows, .incoming empty | {'; '.join(problems) or 'as sent'} "
        f"| as sent | {verdict(not problems)} |",
        "",
        "| upload | wall time | MiB/s | worker CPU user + sys | other processes' CPU | worker RSS before "
        "| worker peak during | growth | master RSS before | master peak during |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        *(
            f"| {n} | {a.seconds:.3f} s | {figures.size / MIB / a.seconds:.0f} "
            f"| {a.worker_cpu.user:.2f} + {a.worker_cpu.system:.2f} s | {a.others_cpu_seconds:.2f} s "
            f"| {mib(a.worker_before['VmRSS'])} MiB | {mib(a.worker_after['VmHWM'])} MiB "
            f"| {a.growth_mib(reset):.1f} MiB | {mib(a.master_before['VmRSS'])} MiB "
            f"| {mib(a.master_after['VmHWM'])} MiB |"
            for n, a in enumerate(figures.attempts, 1)
        ),
        "",
        "Other processes' CPU is the machine's busy time during the upload less the worker's, the master's and"
        f" the client's, out of {os.cpu_count()} CPUs × the wall time: how busy the machine was with anything"
        " else (kernel threads writing the upload back to disk count there too).",
        "",
        "Memory is the resident size of the gunicorn worker (and master) from /proc/PID/status: VmRSS just"
        " before each upload, after sign-in and a 1 MiB warm-up upload, against the peak (VmHWM) during it."
        + (
            " The peak was reset before each upload (`echo 5 > /proc/PID/clear_refs`); before the first"
            f" reset it stood at {mib(figures.signed_in_peak)} MiB, from sign-in (Argon2 hashes with 64 MiB)."
            if reset
            else " The kernel refused to reset the peak, so the growth counts only what rose above the"
            f" sign-in peak of {mib(figures.signed_in_peak)} MiB: an underestimate."
        ),
        "",
        f"Upload throughput is the file size over the request's wall time (headers sent to response"
        f" received: parsing, hashing, writing, fsync, database); best {best.seconds:.3f} s,"
        f" largest growth in upload {figures.attempts.index(worst) + 1}.",
        "",
    ]
    return "\n".join(lines)


def record(section: str, heading: str = SECTION) -> None:
    """Put ``section`` into RESULTS.md in place of an earlier run's section under the same
    ``heading``; the other benchmarks' sections are kept."""
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n\n"
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _m: section + "\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text.rstrip("\n") + "\n")


@contextmanager
def scratch(parent: str | None, needed: int = 0, prefix: str = "tribunal-bench-") -> Iterator[Path]:
    """A temporary directory (with ``needed`` bytes free at least), removed afterwards."""
    base = Path(parent or tempfile.gettempdir())
    free = shutil.disk_usage(base).free
    if free < needed:
        raise BenchError(f"{base} has {free // MIB} MiB free; the run needs {needed // MIB} MiB")
    work = Path(tempfile.mkdtemp(prefix=prefix, dir=base))
    try:
        yield work
    finally:
        # stored evidence files are read-only but their folders are not: rmtree removes them
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mib", type=int, default=1024, help="size of the uploaded file (default 1024)")
    parser.add_argument("--no-record", action="store_true", help="print the figures, leave RESULTS.md alone")
    parser.add_argument("--tmpdir", help="where to put the temporary instance (default: the system's)")
    parser.add_argument("--timeout", type=int, default=120, help="gunicorn worker timeout in seconds")
    parser.add_argument("--runs", type=int, default=3, help="timed uploads, the best counts (default 3)")
    parser.add_argument("--wsgi", default=DEFAULT_WSGI, help=f"the app gunicorn serves (default {DEFAULT_WSGI})")
    args = parser.parse_args(argv)
    args.argv = sys.argv[1:] if argv is None else argv
    if not 1 <= args.size_mib <= 1024:
        parser.error("--size-mib must be between 1 and 1024 (the default upload limit is 1 GiB)")
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    # a plain kill would skip the clean-up: gunicorn left running, a 1 GiB file left behind
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        # room for the file, its stored copy and a margin
        with scratch(args.tmpdir, 2 * args.size_mib * MIB + 512 * MIB) as work:
            figures, problems = run(args, work)
    except BenchError as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 2
    section = report(figures, problems, args)
    print()
    print(section)
    if not args.no_record:
        record(section)
        print(f"written to {RESULTS.relative_to(ROOT)}")
    return 0 if figures.ratio_ok and figures.rss_ok and not problems else 1


if __name__ == "__main__":
    sys.exit(main())
