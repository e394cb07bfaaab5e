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
    """Run queued jobs until stopped (Ctrl-C or SIGTERM finish the jobs at hand first).

    The queue is huey's SQLite file in instance/ (JOBS_DB) unless REDIS_URL names a Redis
    server; every web server and worker of one instance must name the same queue."""

    from services.jobs import queue

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    job_queue = queue.queue_of(current_app._get_current_object())  # type: ignore[attr-defined]
    click.echo(f"Job worker on {type(job_queue.huey).__name__} with {workers} thread(s).")
    consumer = job_queue.huey.create_consumer(workers=workers, worker_type="thread", periodic=False)
    consumer.run()
