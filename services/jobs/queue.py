"""The queue: huey, with its SQLite storage in instance/ by default (`make run` needs no other
service) and Redis when ``REDIS_URL`` is set (several servers share one queue).

The queue carries job ids only (services/jobs/records.py keeps the state in the database).
``init_app`` builds the app's huey and its one task, which runs a job inside an app context;
``flask jobs worker`` runs huey's consumer. Jobs are queued after the transaction that created
them commits (``after_commit``, wired in services/common/hooks.py). A task the runner raised
from is retried by huey (``RETRIES`` times, ``RETRY_DELAY`` seconds apart); retrying a job that
succeeded meanwhile does nothing.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask, current_app, has_app_context
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey
from huey.api import Task, TaskWrapper
from sqlalchemy.orm import Session, SessionTransaction

from services.evidence.store import store_for
from services.jobs import records, runner

QUEUE_NAME = "tribunal-scope"
RETRIES = 2
RETRY_DELAY = 10  # seconds
EXTENSION = "jobs"
log = logging.getLogger(__name__)


def build_huey(config: Any) -> Huey:
    """The queue the settings name: memory (tests), Redis (REDIS_URL) or SQLite (JOBS_DB)."""
    if config.get("JOBS_MEMORY"):
        return MemoryHuey(QUEUE_NAME, immediate=False)
    if config.get("REDIS_URL"):
        return RedisHuey(QUEUE_NAME, url=config["REDIS_URL"])
    path = Path(config["JOBS_DB"])
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(QUEUE_NAME, filename=str(path))


class JobQueue:
    """An app's huey and the task that runs a job."""

    def __init__(self, app: Flask, huey: Huey, *, retries: int = RETRIES, retry_delay: int = RETRY_DELAY) -> None:
        self.app = app
        self.huey = huey

        @huey.task(retries=retries, retry_delay=retry_delay, name="run_job")
        def run_job(job_id: int) -> str | None:
            return self.run(job_id)

        self.task: TaskWrapper = run_job

    def run(self, job_id: int) -> str | None:
        from extensions import db

        with self.app.app_context():
            try:
                return runner.run(db.session(), store_for(self.app.config), job_id)
            finally:
                db.session.remove()

    def enqueue(self, job_id: int) -> Task:
        return self.task.s(job_id)

    def submit(self, job_id: int) -> None:
        self.huey.enqueue(self.enqueue(job_id))


def init_app(app: Flask, huey: Huey | None = None) -> JobQueue:
    queue = JobQueue(app, huey or build_huey(app.config))
    app.extensions[EXTENSION] = queue
    return queue


def queue_of(app: Flask) -> JobQueue:
    queue: JobQueue = app.extensions[EXTENSION]
    return queue


def after_commit(session: Session) -> None:
    """Hand the jobs this transaction created or retried to the queue."""
    job_ids = records.take_pending(session)
    if not job_ids:
        return
    if not has_app_context():  # pragma: no cover - every session of the app runs in one
        log.warning("jobs %s committed outside the app: not queued", job_ids)
        return
    queue = queue_of(current_app._get_current_object())  # type: ignore[attr-defined]
    for job_id in job_ids:
        queue.submit(job_id)


def after_soft_rollback(session: Session, previous_transaction: SessionTransaction) -> None:
    """A rolled-back transaction queues nothing (a savepoint rolled back within one keeps the
    list: the worker passes over an id whose row is not there)."""
    if previous_transaction.parent is None:
        records.forget_pending(session)
