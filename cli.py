"""Command-line commands registered on the app: ``demo`` and ``users``."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from extensions import db
from models.enums import CLASSIFICATIONS, USER_ROLES
from services import audit
from services import auth as auth_service


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
    with audit.acting_as(None, "cli: demo load"):
        counts = load_demo()
    db.session.commit()
    created = ", ".join(f"{n} {name}" for name, n in counts.items() if n) or "nothing (already loaded)"
    click.echo(f"Demo data loaded: created {created}.")


@click.group("users", help="User accounts.")
def users_cli() -> None:
    pass


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


def _fail(message: str) -> None:
    raise click.ClickException(message)


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(USER_ROLES), required=True)
@click.option("--clearance", type=click.Choice(CLASSIFICATIONS), required=True)
@click.option("--name", default=None, help="Display name.")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
@with_appcontext
def create_user_command(email: str, role: str, clearance: str, name: str | None, password_stdin: bool) -> None:
    """Create a user with a role and a clearance."""
    password = _read_password(password_stdin)
    with audit.acting_as(None, "cli: users create"):
        try:
            user = auth_service.create_user(db.session, email, role=role, clearance=clearance, password=password)
        except auth_service.AccountError as exc:
            _fail(str(exc))
        user.name = name
        db.session.commit()
    click.echo(f"Created {user.email} ({user.role}, cleared for {user.clearance}).")


@users_cli.command("list")
@with_appcontext
def list_users_command() -> None:
    """List every user with role, clearance and state."""
    from sqlalchemy import select

    from models import User

    users = db.session.scalars(select(User).order_by(User.email)).all()
    for user in users:
        state = "active" if user.active else "disabled"
        click.echo(f"{user.email}\t{user.role}\t{user.clearance}\t{state}")
    if not users:
        click.echo(
            "No users yet. Create one, e.g.:\n"
            "  .venv/bin/flask --app app users create you@example.org --role admin --clearance strictly_confidential\n"
            "(with TRIBUNAL_ENV=development for the local database)"
        )


def _user_or_fail(email: str):  # type: ignore[no-untyped-def]
    user = auth_service.find_user(db.session, email)
    if user is None:
        _fail(f"No user {email}.")
    return user


@users_cli.command("disable")
@click.argument("email")
@with_appcontext
def disable_user_command(email: str) -> None:
    """Disable a user and end all their sessions."""
    with audit.acting_as(None, "cli: users disable"):
        user = _user_or_fail(email)
        auth_service.disable_user(db.session, user)
        db.session.commit()
    click.echo(f"Disabled {user.email}; their sessions have ended.")


@users_cli.command("set-password")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
@with_appcontext
def set_password_command(email: str, password_stdin: bool) -> None:
    """Set a user's password and end their other sessions."""
    with audit.acting_as(None, "cli: users set-password"):
        user = _user_or_fail(email)
        try:
            auth_service.set_password(db.session, user, _read_password(password_stdin))
        except auth_service.AccountError as exc:
            _fail(str(exc))
        db.session.commit()
    click.echo(f"Password changed for {user.email}; their sessions have ended.")


@click.group("evidence", help="The evidence store: fixity checks and recovery.")
def evidence_cli() -> None:
    pass


@evidence_cli.command("fixity")
@click.option("--quiet", is_flag=True, help="Print only the problems and the summary.")
@with_appcontext
def fixity_command(quiet: bool) -> None:
    """Re-hash every stored file and verify every custody chain; exit 1 on any problem."""
    from flask import current_app

    from services.fixity import problem_lines, run_fixity
    from services.store import store_for

    run = run_fixity(db.session, store_for(current_app.config), run_by="cli: evidence fixity")
    db.session.commit()
    for line in problem_lines(run):
        click.echo(f"PROBLEM {line}")
    summary = (
        f"Checked {run.files_checked} files ({run.bytes_checked} bytes) and {run.chains_checked} custody chains "
        f"({run.events_checked} events): {run.problem_count} problem(s)."
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
    import datetime as dt

    from flask import current_app
    from sqlalchemy import select

    from models import EvidenceFile
    from services.store import store_for

    referenced = set(db.session.scalars(select(EvidenceFile.sha256).distinct()))
    store = store_for(current_app.config)
    moved, removed = store.recover(referenced, dt.timedelta(minutes=older_than_minutes))
    click.echo(f"Recovered {moved} committed upload(s); removed {removed} abandoned upload file(s).")
