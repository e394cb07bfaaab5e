"""The app as production runs it, for the tests that need a real server (concurrency, crashes,
the browser): an instance (a database of its own, an evidence store, keys) in a temporary
folder, its `flask` commands, and gunicorn with gunicorn.conf.py on a loopback port, in a
process group of its own so that a test can kill the whole server at once. The usual fixtures
run inside a rolled-back transaction, which a separate server process cannot see."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask

from app import create_app
from extensions import db
from services.common import chain_keys as chains
from tests.conftest import PASSWORD, POSTGRES_URL, drop_postgres_database, make_settings, sibling_postgres_database

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
# gunicorn's start-up (recovery, then workers importing the app) on a busy machine: generous
START_SECONDS = 180


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def own_database(tmp: Path, suffix: str) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a sibling of the PostgreSQL test database."""
    if not POSTGRES_URL:
        yield f"sqlite:///{tmp / 'live.db'}"
        return
    url = sibling_postgres_database(POSTGRES_URL, suffix)
    try:
        yield url
    finally:
        drop_postgres_database(url)


def run_commands(
    database_url: str,
    home: Path,
    commands: Sequence[tuple[Sequence[str], str | None]],
    outputs: list[str] | None = None,
) -> Flask:
    """Run ``flask`` commands (arguments, standard input) in this process against an
    instance's database and store: the same commands an operator types, without a process each.
    What each printed is appended to ``outputs`` when given."""
    app = create_app(make_settings(database_url, home))
    runner = app.test_cli_runner()
    for args, stdin in commands:
        result = runner.invoke(args=list(args), input=stdin)
        assert result.exit_code == 0, f"flask {' '.join(args)}: {result.output}{result.exception!r}"
        if outputs is not None:
            outputs.append(result.output)
    with app.app_context():
        db.engine.dispose()
    return app


@dataclass
class Instance:
    home: Path
    workers: int = 4
    threads: int = 2
    database_url: str = ""  # a SQLite file in ``home`` unless given
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def database(self) -> Path:
        return self.home / "concurrent.db"

    @property
    def evidence(self) -> Path:
        return self.home / "evidence"

    @property
    def chain_key(self) -> Path:
        """The run's key, as make_settings names it: commands run in this process
        (run_commands) and the server chain with the same key."""
        return self.home.parent / "chain-key"

    @property
    def log(self) -> Path:
        return self.home / "gunicorn.log"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "TRIBUNAL_ENV": "production",
            "SECRET_KEY": self._secret,
            "DATABASE_URL": self.database_url or f"sqlite:///{self.database}",
            "EVIDENCE_DIR": str(self.evidence),
            "EXPORT_KEY_PATH": str(self.home / "export-signing-key.pem"),
            "TOTP_KEY_PATH": str(self.home / "totp-key"),
            "CHAIN_KEY_PATH": str(self.chain_key),
            "BIND": f"127.0.0.1:{self.port}",
            "WEB_WORKERS": str(self.workers),
            "WEB_THREADS": str(self.threads),
        }

    def __post_init__(self) -> None:
        self._secret = secrets.token_hex(32)
        chains.load_or_create_key(self.chain_key)  # production refuses to start without it

    def flask(self, *args: str, stdin: str | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(  # noqa: S603  (our own flask, fixed arguments)
            [str(BIN / "flask"), "--app", "app", *args],
            env=self.env,
            cwd=ROOT,
            input=stdin,
            capture_output=True,
            text=True,
        )
        if check:
            assert done.returncode == 0, done.stderr + done.stdout
        return done

    def prepare(self, users: int = 1, role: str = "analyst", clearance: str = "public") -> list[str]:
        """Migrate, load the demo data and create users; their API tokens. The commands run in
        this process (``run_commands``): a process each cost seconds of start-up apiece."""
        commands: list[tuple[Sequence[str], str | None]] = [(["db", "upgrade"], None), (["demo", "load"], None)]
        for n in range(users):
            email = f"writer{n}@tribunal.test"
            create = ["users", "create", email, "--role", role, "--clearance", clearance, "--password-stdin"]
            commands += [(create, PASSWORD + "\n"), (["users", "token", email], None)]
        outputs: list[str] = []
        run_commands(self.database_url or f"sqlite:///{self.database}", self.home, commands, outputs)
        return [output.strip().splitlines()[-1] for output in outputs[3::2]]

    def start(self) -> None:
        """Start gunicorn and wait until it answers."""
        self.process = subprocess.Popen(  # noqa: S603  (our own gunicorn)
            [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "app:create_app()"],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=self.log.open("a"),
            start_new_session=True,  # a process group of its own, for kill()
        )
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.base}/health", timeout=5)  # noqa: S310  (loopback)
                return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"gunicorn exited: {self.log.read_text()[-2000:]}") from None
                time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not answer within {START_SECONDS} s")

    def kill(self) -> None:
        """SIGKILL the master and every worker at once: a crash, nothing gets to clean up."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=45)  # gunicorn's graceful_timeout is 30 s
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)
            self.process = None
