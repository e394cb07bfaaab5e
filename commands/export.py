"""``flask export dossier``: a case file (PDF, BagIt, FollowTheMoney or CSV) of one or more officials."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from commands.common import fail, user_or_fail
from extensions import db
from services.audit import trail as audit


@click.group("export", help="Case-file exports.")
def export_cli() -> None:
    pass


@export_cli.command("dossier")
@click.argument("official_ids", nargs=-1, required=True, type=int)
@click.option("--format", "fmt", type=click.Choice(["pdf", "bag", "ftm", "csv"]), required=True)
@click.option("--out", "out_path", type=click.Path(dir_okay=False, writable=True), required=True)
@click.option("--as", "email", required=True, help="The user exporting: the file holds only what they may see.")
@with_appcontext
def export_dossier_command(official_ids: tuple[int, ...], fmt: str, out_path: str, email: str) -> None:
    """Export the case file of one or more officials to OUT (written whole or not at all)."""
    import os
    import tempfile
    from pathlib import Path

    from services.exports.case_files import export_case_file
    from services.exports.data import ExportError

    user = user_or_fail(email)
    if not user.active:
        fail(f"{user.email} is disabled.")
    target = Path(out_path)
    fd, partial = tempfile.mkstemp(dir=target.parent if str(target.parent) else ".", prefix=".export-", suffix=".part")
    try:
        with audit.acting_as(user), os.fdopen(fd, "wb") as handle:
            record = export_case_file(db.session(), list(official_ids), fmt, user, handle, config=current_app.config)
        os.replace(partial, target)
        db.session.commit()
    except ExportError as exc:
        db.session.rollback()
        fail(str(exc))
    finally:
        Path(partial).unlink(missing_ok=True)
    click.echo(f"Exported {fmt} to {target}: {record.size} bytes, SHA-256 {record.sha256}.")
    if record.withheld_count:
        click.echo(f"{record.withheld_count} exhibit(s) withheld at {user.email}'s clearance.")
