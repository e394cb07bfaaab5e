"""Command-line commands registered on the app: ``demo`` and ``users``."""

from __future__ import annotations

import datetime as dt
import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from extensions import db
from models import User
from models.enums import CLASSIFICATIONS, USER_ROLES
from services import audit, two_factor
from services import auth as auth_service


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
@with_appcontext
def synth_command(officials: int, decisions: int, evidence: int, supports: int | None, seed: int) -> None:
    """Build a deterministic synthetic data set into an empty database, in one transaction."""
    import time

    from flask import current_app

    from seeds.synth import SynthError, SynthSpec, build
    from services.store import store_for

    spec = SynthSpec(officials, decisions, evidence, seed, supports)
    started = time.monotonic()
    try:
        with audit.acting_as(None, "cli: demo synth"):
            counts = build(
                db.session, spec, store_for(current_app.config), echo=lambda s: click.echo(s, err=True), tune=True
            )
        click.echo("Committing...", err=True)
        db.session.commit()
    except SynthError as exc:
        db.session.rollback()
        _fail(str(exc))
    except BaseException:
        db.session.rollback()
        raise
    elapsed = time.monotonic() - started
    total = sum(counts.values())
    click.echo(f"Synthetic data set built in {elapsed:.0f} s: {total:,} rows ({total / elapsed:,.0f} rows/s).")
    click.echo(", ".join(f"{n:,} {table}" for table, n in sorted(counts.items())))


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
    from services import dossier_summaries

    if if_empty and db.session.scalar(select(exists().where(DossierSummary.official_id.is_not(None)))):
        click.echo("Dossier summaries already exist; nothing to do.")
        return
    started, count = time.perf_counter(), 0
    if stale_only:
        while done := dossier_summaries.refresh_stale(db.session, limit=dossier_summaries.CHUNK):
            count += done
            db.session.commit()
    else:
        count = dossier_summaries.refresh(db.session)
        db.session.commit()
    took = time.perf_counter() - started
    click.echo(f"Dossier summaries recomputed for {count} officials in {took:.1f} s ({count / max(took, 1e-9):.0f}/s).")


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


def _fail(message: str) -> None:
    raise click.ClickException(message)


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
            user = auth_service.create_user(db.session, email, role=role, clearance=clearance, password=password)
        except auth_service.AccountError as exc:
            _fail(str(exc))
        user.name = name
        enrolment_code = two_factor.issue_enrolment_code(db.session, user) if two_factor.required_for(user) else None
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
                    db.session, email, role="admin", clearance=CLASSIFICATIONS[-1], password=password
                )
            except auth_service.AccountError as exc:
                db.session.rollback()
                click.echo(f"{exc} Try again (Ctrl-C to stop; `users create` does it later).")
                continue
            code = two_factor.issue_enrolment_code(db.session, user)
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
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input (always, off a terminal).",
)
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


@users_cli.command("reset-2fa")
@click.argument("email")
@with_appcontext
def reset_two_factor_command(email: str) -> None:
    """Forget a user's two-factor secret (a lost phone) and end their sessions, or replace a lost
    or expired enrolment code; prints the one-time code they set up the app with at their next
    sign-in."""
    with audit.acting_as(None, "cli: users reset-2fa"):
        user = _user_or_fail(email)
        if not two_factor.required_for(user):
            _fail(f"{user.email} is a {user.role}: only prosecutors and admins sign in with two factors.")
        enrolled = two_factor.is_enrolled(user)
        code = two_factor.reset(db.session, user)
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
        user = _user_or_fail(email)
        failures = user.totp_failures
        if not two_factor.unlock(db.session, user):
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
    from services import tokens

    with audit.acting_as(None, "cli: users token"):
        user = _user_or_fail(email)
        try:
            issued = tokens.issue_token(db.session, user, expires_days=expires_days, label=label)
        except tokens.TokenError as exc:
            _fail(str(exc))
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
    from services import tokens

    user = _user_or_fail(email)
    now = utcnow()
    records = tokens.tokens_of(db.session, user)
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
    from services import tokens

    if (token_or_number is None) == (all_of is None):
        _fail("Give a token (or its number), or --all EMAIL.")
    with audit.acting_as(None, "cli: users revoke-token"):
        if all_of is not None:
            user = _user_or_fail(all_of)
            count = tokens.revoke_all(db.session, user)
            db.session.commit()
            click.echo(f"Revoked {count} token(s) of {user.email}.")
            return
        record = tokens.find_token(db.session, token_or_number or "")
        if record is None:
            _fail("No such token.")
        if not tokens.revoke(db.session, record):
            _fail(f"Token {record.id} was already revoked.")
        db.session.commit()
    click.echo(f"Revoked token {record.id} of {record.user.email}.")


@click.group("evidence", help="The evidence store: fixity checks and recovery.")
def evidence_cli() -> None:
    pass


@evidence_cli.command("fixity")
@click.option("--quiet", is_flag=True, help="Print only the problems and the summary.")
@with_appcontext
def fixity_command(quiet: bool) -> None:
    """Re-hash every stored file, verify every custody chain and the audit trail; exit 1 on any problem."""
    from flask import current_app

    from services.fixity import problem_lines, run_fixity
    from services.store import store_for

    run = run_fixity(db.session, store_for(current_app.config), run_by="cli: evidence fixity")
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
    import datetime as dt

    from flask import current_app
    from sqlalchemy import select

    from models import EvidenceFile
    from services.store import store_for

    referenced = set(db.session.scalars(select(EvidenceFile.sha256).distinct()))
    store = store_for(current_app.config)
    moved, removed = store.recover(referenced, dt.timedelta(minutes=older_than_minutes))
    click.echo(f"Recovered {moved} committed upload(s); removed {removed} abandoned upload file(s).")


# --- backup and restore (services/backup.py) -------------------------------------------------


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def backup_command(path: str) -> None:
    """Back up the database and the evidence store into the archive PATH (safe while the app runs)."""
    from pathlib import Path

    from flask import current_app

    from models.base import utcnow
    from services import signing
    from services.backup import BackupError, create_backup
    from services.store import store_for

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
        _fail(str(exc))
    files = len(manifest.members) - 1
    with audit.acting_as(None, "cli: backup"):
        audit.record(db.session, "export", "backup", None, path=path, revision=manifest.revision, files=files)
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
    from flask import current_app

    from services import signing
    from services.backup import BackupError, restore_backup
    from services.fixity import problem_lines, run_fixity
    from services.store import store_for

    try:
        key = (
            signing.parse_public(public_key) if public_key else signing.public_of(current_app.config["EXPORT_KEY_PATH"])
        )
    except signing.KeyError_ as exc:
        _fail(
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
        _fail(str(exc))
    db.engine.dispose()
    manifest = restored.manifest
    with audit.acting_as(None, "cli: restore"):
        audit.record(
            db.session, "restore", "backup", None, path=path, taken_at=manifest.created_at, files=restored.files
        )
        run = run_fixity(db.session, store, run_by="cli: restore")
        db.session.commit()
    click.echo(
        f"Restored {sum(restored.counts.values())} rows and {restored.files} files from the backup of "
        f"{manifest.created_at} (revision {manifest.revision})."
    )
    for line in problem_lines(run):
        click.echo(f"PROBLEM {line}")
    click.echo(
        f"Fixity: {run.files_checked} files, {run.chains_checked} custody chains, {run.problem_count} problem(s)."
    )
    sys.exit(1 if run.problem_count else 0)


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

    from flask import current_app

    from services.export_data import ExportError
    from services.exports import export_case_file

    user = _user_or_fail(email)
    if not user.active:
        _fail(f"{user.email} is disabled.")
    target = Path(out_path)
    fd, partial = tempfile.mkstemp(dir=target.parent if str(target.parent) else ".", prefix=".export-", suffix=".part")
    try:
        with audit.acting_as(user), os.fdopen(fd, "wb") as handle:
            record = export_case_file(db.session, list(official_ids), fmt, user, handle, config=current_app.config)
        os.replace(partial, target)
        db.session.commit()
    except ExportError as exc:
        db.session.rollback()
        _fail(str(exc))
    finally:
        Path(partial).unlink(missing_ok=True)
    click.echo(f"Exported {fmt} to {target}: {record.size} bytes, SHA-256 {record.sha256}.")
    if record.withheld_count:
        click.echo(f"{record.withheld_count} exhibit(s) withheld at {user.email}'s clearance.")


@click.group("keys", help="The instance's export signing key.")
def keys_cli() -> None:
    pass


@keys_cli.command("public")
@with_appcontext
def public_key_command() -> None:
    """Print the public key that verifies this instance's case files (creating the key pair
    on first use)."""
    from flask import current_app

    from services import signing

    click.echo(signing.public_text(signing.load_or_create(current_app.config["EXPORT_KEY_PATH"])))


@click.group("verify", help="Verify case files.")
def verify_cli() -> None:
    pass


@verify_cli.command("bag")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--public-key", default=None, help="ed25519:<base64>; by default this instance's key.")
@with_appcontext
def verify_bag_command(path: str, public_key: str | None) -> None:
    """Check a zipped case-file bag: its structure (no unlisted, duplicate, linked, oversize or
    inflating member), every payload and tag file hash, the signature. Exit 1 on any problem."""
    from flask import current_app

    from services import signing
    from services.bag_verify import verify_bag

    try:
        own = signing.load_or_create(current_app.config["EXPORT_KEY_PATH"]).public_key()
        key = signing.parse_public(public_key) if public_key else own
    except signing.KeyError_ as exc:
        _fail(str(exc))
    verdict = verify_bag(path, key)
    if verdict.intact and verdict.heads and signing.public_text(key) == signing.public_text(own):
        # a bag this instance made: its chains must still hold the heads the bag recorded
        verdict.problems += _head_problems(verdict.heads)
    for problem in verdict.problems:
        click.echo(f"PROBLEM {problem}")
    if verdict.intact:
        click.echo(f"Intact: {verdict.payload_files} payload files ({verdict.payload_bytes} bytes), signature valid.")
        if verdict.heads:
            click.echo(f"Custody heads of {len(verdict.heads)} exhibit(s) signed; this instance's chains hold them.")
    sys.exit(0 if verdict.intact else 1)


def _head_problems(heads) -> list[str]:  # type: ignore[no-untyped-def]
    from services import custody

    found = (custody.exported_head_problem(db.session, h.exhibit_no, h.events, h.head_hash) for h in heads)
    return [problem for problem in found if problem]
