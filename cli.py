"""Command-line commands registered on the app: ``flask --app app demo load``."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from extensions import db


@click.group("demo", help="Demo data built from public facts.")
def demo_cli() -> None:
    pass


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Load only when the database holds no officials yet.")
@with_appcontext
def load_command(if_empty: bool) -> None:
    """Load the demo data set; loading it again changes nothing."""
    from services.demo import database_is_empty, load_demo

    if if_empty and not database_is_empty():
        click.echo("Database already holds officials; demo data not loaded.")
        return
    counts = load_demo()
    db.session.commit()
    created = ", ".join(f"{n} {name}" for name, n in counts.items() if n) or "nothing (already loaded)"
    click.echo(f"Demo data loaded: created {created}.")
