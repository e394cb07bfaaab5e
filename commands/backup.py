"""``flask backup PATH`` and ``flask restore PATH`` (services/backup/backups.py)."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from commands.common import fail
from extensions import db
from services.audit import trail as audit


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def backup_command(path: str) -> None:
    """Back up the database and the evidence store into the archive PATH (safe while the app runs)."""
    from pathlib import Path

    from models.base import utcnow
    from services.backup.backups import BackupError, create_backup
    from services.evidence.store import store_for
    from services.exports import signing

    key = signing.load_or_create(current_app.config["EXPORT_KEY_PATH"])  # signs the manifest
    try:
        manifest = create_backup(
            current_app.config["SQLALCHEMY_DATABASE_URI"],
            store_for(current_app.config),
            Path(path),
            now=utcnow(),
            key=key,
        )
    except BackupError as exc:
        fail(str(exc))
    files = len(manifest.members) - 1
    with audit.acting_as(None, "cli: backup"):
        audit.record(db.session(), "export", "backup", None, path=path, revision=manifest.revision, files=files)
        db.session.commit()
    rows = sum(manifest.counts.values())
    click.echo(f"Backed up {rows} rows ({manifest.engine}, revision {manifest.revision}) and {files} files to {path}.")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--force", is_flag=True, help="Restore over a database or evidence store that holds data.")
@click.option(
    "--public-key", default=None, help="ed25519:<base64> that signed the backup; by default this instance's export key."
)
@with_appcontext
def restore_command(path: str, force: bool, public_key: str | None) -> None:
    """Rebuild this instance's database and evidence store from the backup PATH, then check fixity.
    Stop the server first: the database is replaced under it. The backup's manifest must be
    signed by this instance's export key (or --public-key), which is checked before anything else."""
    from pathlib import Path

    from alembic.script import ScriptDirectory

    from services.backup.backups import BackupError, restore_backup
    from services.evidence.fixity import problem_lines, run_fixity
    from services.evidence.store import store_for
    from services.exports import signing

    try:
        key = (
            signing.parse_public(public_key) if public_key else signing.public_of(current_app.config["EXPORT_KEY_PATH"])
        )
    except signing.KeyError_ as exc:
        fail(
            f"{exc}. Restore checks the backup's signature with the key that made it: "
            "put it back, or give --public-key."
        )
    head = ScriptDirectory(current_app.extensions["migrate"].directory).get_current_head()
    store = store_for(current_app.config)
    db.session.remove()
    db.engine.dispose()  # no pooled connection to the database being replaced
    try:
        restored = restore_backup(
            current_app.config["SQLALCHEMY_DATABASE_URI"],
            store,
            Path(path),
            head=str(head),
            force=force,
            public_key=key,
        )
    except BackupError as exc:
        fail(str(exc))
    db.engine.dispose()
    manifest = restored.manifest
    with audit.acting_as(None, "cli: restore"):
        audit.record(
            db.session(), "restore", "backup", None, path=path, taken_at=manifest.created_at, files=restored.files
        )
        run = run_fixity(db.session(), store, run_by="cli: restore")
        db.session.commit()
    click.echo(
        f"Restored {sum(restored.counts.values())} rows and {restored.files} files from the backup of "
        f"{manifest.created_at} (revision {manifest.revision})."
    )
    _forget_shared_pages()
    for line in problem_lines(run):
        click.echo(f"PROBLEM {line}")
    click.echo(
        f"Fixity: {run.files_checked} files, {run.chains_checked} custody chains, {run.problem_count} problem(s)."
    )
    sys.exit(1 if run.problem_count else 0)


def _forget_shared_pages() -> None:
    """The restored database counts its generations again from the backup's: pages other servers
    kept in Redis under the later numbers must go (views/page_cache.py)."""
    from redis.exceptions import RedisError

    from views.page_cache import forget_shared

    try:
        removed = forget_shared(current_app)
    except (RedisError, OSError) as exc:
        click.echo(
            f"WARNING the shared page cache could not be emptied ({exc}): servers may show pages of the data "
            f"before the restore for up to {current_app.config['PAGE_CACHE_TTL']} s; empty it, or start them "
            "with PAGE_CACHE_SHARED=0 until then.",
            err=True,
        )
        return
    if removed:
        click.echo(f"Shared page cache emptied: {removed} kept page(s) removed.")
