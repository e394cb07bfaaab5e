"""``flask users``: create, list, disable and unlock accounts, passwords, two-factor enrolment
and API tokens."""

from __future__ import annotations

import datetime as dt
import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from commands.common import fail, user_or_fail
from extensions import db
from models import User
from models.enums import CLASSIFICATIONS, USER_ROLES
from services.audit import trail as audit
from services.auth import accounts as auth_service
from services.auth import two_factor


@click.group("users", help="User accounts.")
def users_cli() -> None:
    pass


def _on_terminal() -> bool:
    """Whether someone types the answers (standard input is a terminal)."""
    return sys.stdin.isatty()


def _read_password(from_stdin: bool) -> str:
    """The password: asked for twice on a terminal, else the first line of standard input."""
    if from_stdin or not _on_terminal():
        return sys.stdin.readline().rstrip("\r\n")
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(USER_ROLES), required=True)
@click.option("--clearance", type=click.Choice(CLASSIFICATIONS), required=True)
@click.option("--name", default=None, help="Display name.")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input (always, off a terminal).",
)
@with_appcontext
def create_user_command(email: str, role: str, clearance: str, name: str | None, password_stdin: bool) -> None:
    """Create a user with a role and a clearance."""
    password = _read_password(password_stdin)
    with audit.acting_as(None, "cli: users create"):
        try:
            user = auth_service.create_user(db.session(), email, role=role, clearance=clearance, password=password)
        except auth_service.AccountError as exc:
            fail(str(exc))
        user.name = name
        enrolment_code = two_factor.issue_enrolment_code(db.session(), user) if two_factor.required_for(user) else None
        db.session.commit()
    click.echo(f"Created {user.email} ({user.role}, cleared for {user.clearance}).")
    if enrolment_code:
        _echo_enrolment_code(user.email, enrolment_code)


def _echo_enrolment_code(email: str, code: str) -> None:
    """The enrolment code, as the last line (scripts read it there), after what it is for."""
    click.echo(
        f"{email} sets up two-factor sign-in at their first sign-in with this one-time enrolment code, "
        "valid 24 hours; give it to them by another channel than the password. It is shown only now:"
    )
    click.echo(code)


@users_cli.command("list")
@with_appcontext
def list_users_command() -> None:
    """List every user with role, clearance, state and whether two-factor sign-in is set up."""
    from sqlalchemy import select

    from models.base import utcnow

    now = utcnow()
    users = db.session.scalars(select(User).order_by(User.email)).all()
    for user in users:
        state = "active" if user.active else "disabled"
        if user.sign_in_locked_at is not None:
            state += ", locked (users unlock)"
        click.echo(f"{user.email}\t{user.role}\t{user.clearance}\t{state}\t{_two_factor_state(user, now)}")
    if not users:
        click.echo(f"No users yet. Create the first administrator (one command):\n  {_create_admin_command()}")


def _create_admin_command() -> str:
    """The command that creates an administrator of this instance, on one line as it must be typed."""
    mode = current_app.config["ENV_NAME"]
    environment = f"TRIBUNAL_ENV={mode} " if mode != "production" else ""
    return (
        f"{environment}.venv/bin/flask --app app users create you@example.org "
        "--role admin --clearance strictly_confidential"
    )


@users_cli.command("first-admin")
@with_appcontext
def first_admin_command() -> None:
    """When the instance has no user yet: ask for the first administrator's e-mail address and
    password (on a terminal) and create them, cleared for everything; elsewhere, print the
    command that does it. Does nothing once a user exists (`make run` calls it at each start)."""
    from sqlalchemy import func, select

    if db.session.scalar(select(func.count()).select_from(User)):
        return
    if not _on_terminal():
        click.echo(f"No users yet. Create the first administrator (one command):\n  {_create_admin_command()}")
        return
    click.echo("No users yet: create the first administrator (cleared for every classification).")
    while True:
        email = str(click.prompt("E-mail address")).strip()
        password = _read_password(False)
        with audit.acting_as(None, "cli: users first-admin"):
            try:
                user = auth_service.create_user(
                    db.session(), email, role="admin", clearance=CLASSIFICATIONS[-1], password=password
                )
            except auth_service.AccountError as exc:
                db.session.rollback()
                click.echo(f"{exc} Try again (Ctrl-C to stop; `users create` does it later).")
                continue
            code = two_factor.issue_enrolment_code(db.session(), user)
            db.session.commit()
        break
    click.echo(
        f"Created {user.email} (admin). Sign in with this address and password; the first sign-in then "
        "shows a QR code for an authenticator app (any app for time-based codes) and asks for this "
        "one-time enrolment code, valid 24 hours, shown only now:"
    )
    click.echo(code)


def _two_factor_state(user: User, now: dt.datetime) -> str:
    if user.totp_secret:
        return "two-factor set up"
    if not two_factor.required_for(user):
        return "no two-factor"
    expires = user.enrolment_code_expires_at
    if expires is not None and expires > now:
        return f"two-factor not set up, enrolment code valid until {expires:%Y-%m-%d %H:%M} UTC"
    return "two-factor not set up, no valid enrolment code (users reset-2fa)"


@users_cli.command("disable")
@click.argument("email")
@with_appcontext
def disable_user_command(email: str) -> None:
    """Disable a user and end all their sessions."""
    with audit.acting_as(None, "cli: users disable"):
        user = user_or_fail(email)
        auth_service.disable_user(db.session(), user)
        db.session.commit()
    click.echo(f"Disabled {user.email}; their sessions have ended.")


@users_cli.command("set-password")
@click.argument("email")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input (always, off a terminal).",
)
@with_appcontext
def set_password_command(email: str, password_stdin: bool) -> None:
    """Set a user's password and end their other sessions."""
    with audit.acting_as(None, "cli: users set-password"):
        user = user_or_fail(email)
        try:
            auth_service.set_password(db.session(), user, _read_password(password_stdin))
        except auth_service.AccountError as exc:
            fail(str(exc))
        db.session.commit()
    click.echo(f"Password changed for {user.email}; their sessions have ended.")


@users_cli.command("reset-2fa")
@click.argument("email")
@with_appcontext
def reset_two_factor_command(email: str) -> None:
    """Forget a user's two-factor secret (a lost phone) and end their sessions, or replace a lost
    or expired enrolment code; prints the one-time code they set up the app with at their next
    sign-in."""
    with audit.acting_as(None, "cli: users reset-2fa"):
        user = user_or_fail(email)
        if not two_factor.required_for(user):
            fail(f"{user.email} is a {user.role}: only prosecutors and admins sign in with two factors.")
        enrolled = two_factor.is_enrolled(user)
        code = two_factor.reset(db.session(), user)
        db.session.commit()
    if enrolled:
        click.echo(f"Two-factor sign-in reset for {user.email}; their sessions have ended.")
    else:
        click.echo(f"{user.email} had not set up two-factor sign-in; any earlier enrolment code no longer works.")
    _echo_enrolment_code(user.email, code)


@users_cli.command("unlock")
@click.argument("email")
@with_appcontext
def unlock_user_command(email: str) -> None:
    """Let a user sign in again after too many wrong two-factor codes locked the account (and
    forget the failed sign-ins counted against it). Someone typed their password: have them change it."""
    with audit.acting_as(None, "cli: users unlock"):
        user = user_or_fail(email)
        failures = user.totp_failures
        if not two_factor.unlock(db.session(), user):
            db.session.commit()  # the throttle's count is forgotten all the same
            click.echo(f"{user.email} was not locked; failed sign-ins counted against it are forgotten.")
            return
        db.session.commit()
    click.echo(
        f"Unlocked {user.email} (locked after {failures} wrong two-factor codes). "
        "Someone knew their password: have them change it."
    )


@users_cli.command("token")
@click.argument("email")
@click.option(
    "--expires-days",
    type=click.IntRange(1, 366),
    default=90,
    show_default=True,
    help="Days until the token stops working.",
)
@click.option("--label", default=None, help="What the token is for (shown by `users tokens`).")
@with_appcontext
def token_command(email: str, expires_days: int, label: str | None) -> None:
    """Issue an API token for a user; the token is printed once, as the last line."""
    from services.auth import tokens

    with audit.acting_as(None, "cli: users token"):
        user = user_or_fail(email)
        try:
            issued = tokens.issue_token(db.session(), user, expires_days=expires_days, label=label)
        except tokens.TokenError as exc:
            fail(str(exc))
        db.session.commit()
    expires = issued.record.expires_at.strftime("%Y-%m-%d %H:%M UTC")
    click.echo(
        f"Token {issued.record.id} for {user.email} ({user.role}, cleared for {user.clearance}), expires {expires}."
    )
    click.echo("Send it as 'Authorization: Bearer TOKEN'. It is shown only now:")
    click.echo(issued.secret)


@users_cli.command("tokens")
@click.argument("email")
@with_appcontext
def list_tokens_command(email: str) -> None:
    """List a user's API tokens (number, label, expiry, state); never the tokens themselves."""
    from models.base import utcnow
    from services.auth import tokens

    user = user_or_fail(email)
    now = utcnow()
    records = tokens.tokens_of(db.session(), user)
    for record in records:
        state = tokens.state(record, now)
        if record.revoked_at is not None:
            state += " " + record.revoked_at.strftime("%Y-%m-%d")
        used = record.last_used_at.strftime("%Y-%m-%d %H:%M") if record.last_used_at else "never used"
        expires = record.expires_at.strftime("%Y-%m-%d")
        click.echo(f"{record.id}\t{record.label or '-'}\texpires {expires}\t{state}\t{used}")
    if not records:
        click.echo(f"{user.email} has no API tokens.")


@users_cli.command("revoke-token")
@click.argument("token_or_number", required=False)
@click.option("--all", "all_of", metavar="EMAIL", default=None, help="Revoke every token of this user.")
@with_appcontext
def revoke_token_command(token_or_number: str | None, all_of: str | None) -> None:
    """Revoke an API token, given by its number (see `users tokens`) or the token itself."""
    from services.auth import tokens

    if (token_or_number is None) == (all_of is None):
        fail("Give a token (or its number), or --all EMAIL.")
    with audit.acting_as(None, "cli: users revoke-token"):
        if all_of is not None:
            user = user_or_fail(all_of)
            count = tokens.revoke_all(db.session(), user)
            db.session.commit()
            click.echo(f"Revoked {count} token(s) of {user.email}.")
            return
        record = tokens.find_token(db.session(), token_or_number or "")
        if record is None:
            fail("No such token.")
        if not tokens.revoke(db.session(), record):
            fail(f"Token {record.id} was already revoked.")
        db.session.commit()
    click.echo(f"Revoked token {record.id} of {record.user.email}.")
