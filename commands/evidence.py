"""``flask evidence``: the evidence store's fixity check and recovery after a crash."""

from __future__ import annotations

import datetime as dt
import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from extensions import db


@click.group("evidence", help="The evidence store: fixity checks and recovery.")
def evidence_cli() -> None:
    pass


@evidence_cli.command("fixity")
@click.option("--quiet", is_flag=True, help="Print only the problems and the summary.")
@with_appcontext
def fixity_command(quiet: bool) -> None:
    """Re-hash every stored file, verify every custody chain and the audit trail; exit 1 on any problem."""

    from services.evidence.fixity import problem_lines, run_fixity
    from services.evidence.store import store_for

    run = run_fixity(db.session(), store_for(current_app.config), run_by="cli: evidence fixity")
    db.session.commit()
    for line in problem_lines(run):
        click.echo(f"PROBLEM {line}")
    summary = (
        f"Checked {run.files_checked} files ({run.bytes_checked} bytes), {run.chains_checked} custody chains "
        f"({run.events_checked} events) and the audit trail ({run.audit_events_checked} events): "
        f"{run.problem_count} problem(s)."
    )
    if run.problem_count or not quiet:
        click.echo(summary)
    sys.exit(1 if run.problem_count else 0)


@evidence_cli.command("recover")
@click.option(
    "--older-than-minutes",
    type=click.IntRange(min=0),
    default=360,
    show_default=True,
    help="Leave younger incoming files alone: they may belong to uploads still in progress.",
)
@with_appcontext
def recover_command(older_than_minutes: int) -> None:
    """After a crash: move committed uploads into the store and remove abandoned ones."""

    from sqlalchemy import select

    from models import EvidenceFile
    from services.evidence.store import store_for

    referenced = set(db.session.scalars(select(EvidenceFile.sha256).distinct()))
    store = store_for(current_app.config)
    moved, removed = store.recover(referenced, dt.timedelta(minutes=older_than_minutes))
    click.echo(f"Recovered {moved} committed upload(s); removed {removed} abandoned upload file(s).")


@evidence_cli.command("extract")
@click.option(
    "--all",
    "every",
    is_flag=True,
    help="Also files whose text an older version of the extractor read (default: only files without any text).",
)
@click.option("--now", is_flag=True, help="Run the jobs in this process instead of leaving them to the worker.")
@with_appcontext
def extract_command(every: bool, now: bool) -> None:
    """Queue text extraction for the existing files of every exhibit (page by page, OCR where needed)."""

    from services.audit import trail as audit
    from services.jobs import queue, records

    with audit.acting_as(None, "cli: evidence extract"):
        jobs = records.schedule_missing_extractions(db.session(), only_without_text=not every)
        job_ids = [job.id for job in jobs]
        if now:
            records.take_pending(db.session())  # run here, not by the worker
        db.session.commit()
    click.echo(f"Queued {len(job_ids)} text extraction job(s).")
    if not now:
        return
    job_queue = queue.queue_of(current_app._get_current_object())  # type: ignore[attr-defined]
    outcomes = [job_queue.run(job_id) for job_id in job_ids]
    failed = outcomes.count("failed")
    click.echo(f"Ran them: {outcomes.count('succeeded')} succeeded, {failed} failed (the jobs page says why).")
    sys.exit(1 if failed else 0)
