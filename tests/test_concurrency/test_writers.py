"""Concurrent writers against SQLite through the production server: gunicorn with four
worker processes on a loopback port, twelve clients reading and writing through the API at
once. No request may fail with "database is locked", and no write may be lost."""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CLIENTS = 12
REQUESTS = 40  # each; one in four creates an official


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path):
    if os.environ.get("TRIBUNAL_TEST_DB"):
        pytest.skip("exercises SQLite's locking; runs in the SQLite pass")
    port = _free_port()
    env = {
        **os.environ,
        "TRIBUNAL_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'concurrent.db'}",
        "EVIDENCE_DIR": str(tmp_path / "evidence"),
        "BIND": f"127.0.0.1:{port}",
        "WEB_WORKERS": "4",
    }

    def flask(*args: str, stdin: str | None = None) -> str:
        done = subprocess.run(  # noqa: S603  (our own flask, fixed arguments)
            [str(BIN / "flask"), "--app", "app", *args], env=env, cwd=ROOT, input=stdin, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    flask("db", "upgrade")
    flask("demo", "load")
    tokens = []
    for n in range(4):
        flask(
            "users",
            "create",
            f"writer{n}@tribunal.test",
            "--role",
            "analyst",
            "--clearance",
            "public",
            "--password-stdin",
            stdin=PASSWORD + "\n",
        )
        tokens.append(flask("users", "token", f"writer{n}@tribunal.test").strip().splitlines()[-1])
    log = tmp_path / "gunicorn.log"
    process = subprocess.Popen(  # noqa: S603  (our own gunicorn)
        [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "app:create_app()"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{base}/health", timeout=2)  # noqa: S310  (loopback)
                break
            except OSError:
                time.sleep(0.1)
        yield base, tokens, tmp_path / "concurrent.db", log
    finally:
        process.terminate()
        process.wait(timeout=30)


def _call(request: urllib.request.Request) -> int:
    try:
        return int(urllib.request.urlopen(request, timeout=60).status)  # noqa: S310  (loopback)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_concurrent_writers_lose_nothing_and_see_no_lock_errors(server):
    import sqlite3

    base, tokens, database, log = server
    codes: dict[int, int] = {}
    lock = threading.Lock()

    def client(n: int) -> None:
        headers = {"Authorization": f"Bearer {tokens[n % len(tokens)]}"}
        for j in range(REQUESTS):
            if j % 4 == 0:
                body = json.dumps({"name": f"Concurrent {n}-{j}", "state": "RU"}).encode()
                request = urllib.request.Request(  # noqa: S310  (loopback http)
                    f"{base}/api/v1/officials",
                    data=body,
                    method="POST",
                    headers={**headers, "Content-Type": "application/json"},
                )
            else:
                request = urllib.request.Request(f"{base}/api/v1/officials?limit=5", headers=headers)  # noqa: S310
            code = _call(request)
            with lock:
                codes[code] = codes.get(code, 0) + 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    writes = CLIENTS * REQUESTS // 4
    assert codes == {201: writes, 200: CLIENTS * REQUESTS - writes}
    with sqlite3.connect(database) as conn:
        stored = conn.execute("SELECT count(*) FROM official WHERE name LIKE 'Concurrent %'").fetchone()[0]
    assert stored == writes
    assert "database is locked" not in log.read_text()
