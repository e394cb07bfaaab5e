"""``flask demo``: load the demo data set (``demo load``, seeds/demo.py) or build a synthetic
one of any size (``demo synth``, seeds/synth)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from commands.common import fail
from extensions import db
from services.audit import trail as audit


@click.group("demo", help="Demo data built from public facts.")
def demo_cli() -> None:
    pass


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Load only when the database holds no officials yet.")
@with_appcontext
def load_command(if_empty: bool) -> None:
    """Load the demo data set; loading it again changes nothing."""
    from seeds.demo import database_is_empty, load_demo

    if if_empty and not database_is_empty():
        click.echo("Database already holds officials; demo data not loaded.")
        return
    with audit.acting_as(None, "cli: demo load"):
        counts = load_demo()
    db.session.commit()
    created = ", ".join(f"{n} {name}" for name, n in counts.items() if n) or "nothing (already loaded)"
    click.echo(f"Demo data loaded: created {created}.")


@demo_cli.command("synth")
@click.option("--officials", type=click.IntRange(min=0), required=True, help="Officials to create.")
@click.option("--decisions", type=click.IntRange(min=0), required=True, help="Decisions to create.")
@click.option("--evidence", type=click.IntRange(min=0), required=True, help="Evidence items to create.")
@click.option("--supports", type=click.IntRange(min=0), default=None, help="Supports (default: three per item).")
@click.option("--seed", type=click.IntRange(0, 2**63 - 1), default=0, show_default=True, help="Same seed, same data.")
@click.option("--text-pages", type=click.IntRange(min=0), default=0, help="Pages of exhibits' extracted text.")
@with_appcontext
def synth_command(
    officials: int, decisions: int, evidence: int, supports: int | None, seed: int, text_pages: int
) -> None:
    """Build a deterministic synthetic data set into an empty database, in one transaction."""
    import time

    from seeds.synth import SynthError, SynthSpec, build
    from services.evidence.store import store_for

    spec = SynthSpec(officials, decisions, evidence, seed, supports, text_pages)
    started = time.monotonic()
    try:
        with audit.acting_as(None, "cli: demo synth"):
            counts = build(
                db.session(), spec, store_for(current_app.config), echo=lambda s: click.echo(s, err=True), tune=True
            )
        click.echo("Committing...", err=True)
        db.session.commit()
    except SynthError as exc:
        db.session.rollback()
        fail(str(exc))
    except BaseException:
        db.session.rollback()
        raise
    elapsed = time.monotonic() - started
    total = sum(counts.values())
    click.echo(f"Synthetic data set built in {elapsed:.0f} s: {total:,} rows ({total / elapsed:,.0f} rows/s).")
    click.echo(", ".join(f"{n:,} {table}" for table, n in sorted(counts.items())))
