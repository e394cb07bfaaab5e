"""``flask evidence``: the evidence store's fixity check and recovery after a crash."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from extensions import db
from models.enums import CLASSIFICATIONS, EVIDENCE_KINDS


@click.group("evidence", help="The evidence store: fixity checks, recovery, text extraction, bulk intake.")
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


@evidence_cli.command("ingest")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--as", "email", required=True, help="The user the exhibits are created as (at most their clearance).")
@click.option(
    "--metadata",
    "metadata_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The metadata CSV (default: metadata.csv at the top of PATH, if there is one).",
)
@click.option("--encoding", help="The metadata CSV's encoding when it is not UTF-8 or UTF-16 (e.g. cp1251).")
@click.option("--classification", type=click.Choice(CLASSIFICATIONS), default="public", show_default=True)
@click.option("--kind", type=click.Choice(EVIDENCE_KINDS), default="document", show_default=True)
@click.option("--source", help="The source of files the metadata gives none for (default: 'Bulk intake of <PATH>').")
@click.option("--max-files", type=click.IntRange(min=1), help="At most this many files (default: INTAKE_MAX_FILES).")
@click.option("--max-bytes", type=click.IntRange(min=1), help="At most this many bytes unpacked (INTAKE_MAX_BYTES).")
@with_appcontext
def ingest_command(
    path: Path,
    email: str,
    metadata_path: Path | None,
    encoding: str | None,
    classification: str,
    kind: str,
    source: str | None,
    max_files: int | None,
    max_bytes: int | None,
) -> None:
    """Create an exhibit from each file of PATH, a folder or a zip archive, and report on each.

    Exit status 1 when any file was refused (or the intake as a whole); running it again creates
    nothing for files already held."""
    from commands.common import fail, user_or_fail
    from services.audit import trail as audit
    from services.evidence.intake import ingest as intake
    from services.evidence.intake.sources import IntakeRefused, Limits
    from services.evidence.store import store_for

    user = user_or_fail(email)
    if not user.active or not user.has_role("analyst"):
        fail(f"{user.email} may not create exhibits.")
    config = current_app.config
    limits = Limits(
        max_files=max_files or config["INTAKE_MAX_FILES"],
        max_total_bytes=max_bytes or config["INTAKE_MAX_BYTES"],
        max_file_bytes=config["MAX_UPLOAD_BYTES"],
    )
    defaults = intake.Defaults(kind=kind, source=source, classification=classification)
    try:
        listing = intake.read_listing(path, limits, sidecar_path=metadata_path)
        with (
            audit.acting_as(user),
            click.progressbar(length=len(listing.members), label="Ingesting", file=sys.stderr) as bar,
        ):

            def progress(done: int, total: int) -> None:
                bar.update(1)

            report = intake.ingest(
                db.session(),
                store_for(config),
                listing,
                user,
                limits=limits,
                defaults=defaults,
                commit=db.session.commit,
                encoding=encoding,
                progress=progress,
            )
    except IntakeRefused as refusal:
        db.session.rollback()
        fail(f"Nothing was ingested: {refusal}")
    for outcome in report.outcomes:
        detail = outcome.exhibit_no if outcome.status == "created" else outcome.explanation
        click.echo(f"{outcome.status:<8} {outcome.name}: {detail}")
    click.echo(
        f"{report.count('created')} created, {report.count('skipped')} skipped, {report.count('refused')} refused."
    )
    sys.exit(1 if report.refused else 0)
