"""``flask jobs``: the worker that runs background jobs (text extraction ...)."""

from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import with_appcontext


@click.group("jobs", help="Background jobs: the worker that runs them.")
def jobs_cli() -> None:
    pass


@jobs_cli.command("worker")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True, help="Jobs run at once (threads).")
@with_appcontext
def worker_command(workers: int) -> None:
    """Run queued jobs until stopped (Ctrl-C finishes the jobs at hand first).

    As it starts, it hands every queued job to the queue again and fails the jobs a stopped
    worker left running (no progress for 30 minutes), so that an administrator can retry them.

    The queue is huey's SQLite file in instance/ (JOBS_DB) unless REDIS_URL names a Redis
    server; every web server and worker of one instance must name the same queue."""

    from extensions import db
    from services.audit import trail as audit
    from services.jobs import queue, records

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    job_queue = queue.queue_of(current_app._get_current_object())  # type: ignore[attr-defined]
    with audit.acting_as(None, "cli: jobs worker"):
        queued, failed = records.recover_interrupted(db.session())
        db.session.commit()  # the queued jobs go to the queue now
    click.echo(f"Job worker on {type(job_queue.huey).__name__} with {workers} thread(s).")
    if queued or failed:
        click.echo(f"Queued again: {len(queued)} job(s); failed, their worker having stopped: {failed}.")
    consumer = job_queue.huey.create_consumer(workers=workers, worker_type="thread", periodic=False)
    consumer.run()
