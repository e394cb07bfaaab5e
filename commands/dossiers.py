"""``flask dossiers refresh``: recompute the stored dossier summaries behind the dossiers index."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from extensions import db


@click.group("dossiers", help="Stored dossier summaries behind the dossiers index.")
def dossiers_cli() -> None:
    pass


@dossiers_cli.command("refresh")
@click.option("--stale", "stale_only", is_flag=True, help="Only officials a wide change marked stale.")
@click.option("--if-empty", is_flag=True, help="Only when no summary exists yet (after the upgrade that adds them).")
@with_appcontext
def refresh_dossiers_command(stale_only: bool, if_empty: bool) -> None:
    """Recompute dossier summaries: after the migration, writes that bypass the ORM, or a new TEMPORAL_SCOPE_START."""
    import time

    from sqlalchemy import exists, select

    from models import DossierSummary
    from services.dossiers import summaries as dossier_summaries

    if if_empty and db.session.scalar(select(exists().where(DossierSummary.official_id.is_not(None)))):
        click.echo("Dossier summaries already exist; nothing to do.")
        return
    started, count = time.perf_counter(), 0
    if stale_only:
        while done := dossier_summaries.refresh_stale(db.session(), limit=dossier_summaries.CHUNK):
            count += done
            db.session.commit()
    else:
        count = dossier_summaries.refresh(db.session())
        db.session.commit()
    took = time.perf_counter() - started
    click.echo(f"Dossier summaries recomputed for {count} officials in {took:.1f} s ({count / max(took, 1e-9):.0f}/s).")
