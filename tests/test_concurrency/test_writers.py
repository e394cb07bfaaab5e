"""Concurrent writers against SQLite through the production server: gunicorn with four
worker processes on a loopback port, twelve clients reading and writing through the API at
once. No request may fail with "database is locked", and no write may be lost."""

from __future__ import annotations

import json
import os
import threading
import urllib.error
import urllib.request

import pytest

from tests.live_server import Instance

CLIENTS = 12
REQUESTS = 40  # each; one in four creates an official


@pytest.fixture
def server(tmp_path):
    if os.environ.get("TRIBUNAL_TEST_DB"):
        pytest.skip("exercises SQLite's locking; runs in the SQLite pass")
    instance = Instance(tmp_path)
    tokens = instance.prepare(users=4)
    instance.start()
    try:
        yield instance.base, tokens, instance.database, instance.log
    finally:
        instance.stop()


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
