"""gunicorn settings for production: `make serve` (or gunicorn -c gunicorn.conf.py "app:create_app()").

Each setting can be overridden from the environment: BIND, WEB_WORKERS, WEB_THREADS, WEB_TIMEOUT.
"""

import multiprocessing
import os
from typing import Any

bind = os.environ.get("BIND", "127.0.0.1:8000")
# Workers are processes (one database connection pool each); threads serve requests that
# wait on the database or the disk while another computes.
workers = int(os.environ.get("WEB_WORKERS", str(multiprocessing.cpu_count() * 2)))
threads = int(os.environ.get("WEB_THREADS", "2"))
worker_class = "gthread"
# Exports of large case files and imports stream for minutes; a stuck worker is restarted.
timeout = int(os.environ.get("WEB_TIMEOUT", "300"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow without bound -- spread out, so
# that the workers never restart together and leave no one to answer.
max_requests = 20000
max_requests_jitter = 10000
# Build the app in each worker, after the fork: no database connection crosses a fork.
preload_app = False
# The access log names the path without its query string (which can hold searched names).
accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
# Behind a reverse proxy on the same host only.
forwarded_allow_ips = "127.0.0.1"
# No control socket (gunicornc): nothing here uses it, and its default path is one per user
# ($XDG_RUNTIME_DIR/gunicorn.ctl, else ~/.gunicorn/gunicorn.ctl), so that a second server on
# the host -- another instance, a test's -- would take it over from the first.
control_socket_disable = True


def _without_server_header() -> None:
    """gunicorn names itself in a Server header on every response, which no setting turns
    off: leave it out, so that nothing we send says which software (or version) to look up."""
    from gunicorn.http import wsgi

    default_headers = wsgi.Response.default_headers
    if getattr(default_headers, "quiet", False):
        return

    def quiet(self: Any) -> list[str]:
        return [line for line in default_headers(self) if not line.lower().startswith("server:")]

    setattr(quiet, "quiet", True)  # noqa: B010 -- marks the replacement, for the check above
    wsgi.Response.default_headers = quiet


_without_server_header()  # in the master, before the workers fork: they inherit it


# Crash recovery of the evidence store, in the master before any worker starts: uploads a
# crash cut short are removed, and uploads committed just before it are moved into place
# (`flask evidence recover`). Another live server sharing the store may be receiving uploads
# right now, and removing its incoming files would break them: every server holds a shared
# lock on <EVIDENCE_DIR>.lock for its lifetime (the workers inherit it). Only a server that
# gets the lock exclusively -- no other server alive -- recovers every incoming file at
# once; otherwise only those older than six hours, which no live upload can own. The lock
# file sits beside the store, not in it, so that fixity never takes it for a stray file.
_store_lock = None


def on_starting(server: Any) -> None:
    import fcntl
    import subprocess
    import sys
    from pathlib import Path

    from config import config_from_env

    global _store_lock
    lock_path = Path(f"{Path(config_from_env().EVIDENCE_DIR).resolve()}.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    _store_lock = lock_path.open("a")  # noqa: SIM115  (held open for the master's lifetime)
    try:
        fcntl.flock(_store_lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        alone = True
    except BlockingIOError:
        alone = False
    minutes = "0" if alone else "360"
    flask = Path(sys.executable).with_name("flask")
    done = subprocess.run(  # noqa: S603  (our own flask, fixed arguments)
        [str(flask), "--app", "app", "evidence", "recover", "--older-than-minutes", minutes],
        cwd=Path(__file__).resolve().parent,
        capture_output=True,
        text=True,
        check=False,
    )
    server.log.info("evidence recover: %s", (done.stdout or done.stderr).strip())
    if done.returncode:
        raise RuntimeError(f"flask evidence recover failed: {done.stderr.strip()}")
    fcntl.flock(_store_lock, fcntl.LOCK_SH)  # downgrade: other servers may start beside this one
