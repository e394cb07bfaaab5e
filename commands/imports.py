"""``flask import``: import a sanctions list or FollowTheMoney file, manage the import rules
(``flask import rules list|export|load``) and the review queue (``flask import review
accept-certain|undo``)."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from commands.common import fail, user_or_fail
from extensions import db
from services.audit import trail as audit


class ImportGroup(click.Group):
    """``flask import FORMAT FILE`` imports a file; ``flask import rules ...`` and ``flask
    import review ...`` manage the import rules and the review queue."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] not in self.commands:
            return "run", self.commands["run"], args
        return super().resolve_command(ctx, args)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, "FORMAT FILE [OPTIONS] | rules ... | review ...")


@click.group("import", cls=ImportGroup, context_settings={"ignore_unknown_options": True})
def import_cli() -> None:
    """Import officials from a sanctions list or FollowTheMoney file (``flask import FORMAT
    FILE``, see ``flask import run --help``), and manage the import rules and the review queue."""


@import_cli.command("run")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(["ftm", "eu-csv", "ofac-csv"]))
@click.argument("path", metavar="FILE", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check and report; write nothing.")
@click.option("--lenient", is_flag=True, help="Skip malformed rows instead of refusing the whole file.")
@click.option("--strict", is_flag=True, help="Refuse the whole file if any person in it would not be imported.")
@click.option(
    "--accept-certain",
    is_flag=True,
    help="Merge certain matches (same name, full birth date and State) without review; each is recorded.",
)
@click.option("--as", "email", default=None, help="The user importing (recorded with the run).")
@with_appcontext
def import_command(
    fmt: str, path: str, dry_run: bool, lenient: bool, strict: bool, accept_certain: bool, email: str | None
) -> None:
    """Import officials from a sanctions list or FollowTheMoney file; exit 1 when refused."""
    import os
    import time

    from flask import current_app

    from services.imports.apply import Settings
    from services.imports.runs import OUTCOMES, Progress, reason_words, run_import

    user = user_or_fail(email) if email else None
    total = os.path.getsize(path)
    show = sys.stderr.isatty()

    def progress(state: Progress) -> None:
        if not show:
            return
        elapsed = max(time.monotonic() - state.started, 1e-6)
        rate = state.done / elapsed
        left = (elapsed / state.bytes_read * (total - state.bytes_read)) if state.bytes_read else 0
        click.echo(f"\r{state.done} rows, {rate:.0f}/s, about {left:.0f} s left   ", nl=False, err=True)

    with audit.acting_as(user, None if user else "cli: import"), open(path, "rb") as stream:
        report = run_import(
            db.session(),
            fmt,
            stream,
            user=user,
            file_name=os.path.basename(path),
            dry_run=dry_run,
            lenient=lenient,
            strict=strict,
            accept_certain=accept_certain,
            progress=progress,
            total_bytes=total,
            settings=Settings.from_config(current_app.config),
        )
        db.session.commit()
    if show:
        click.echo("", err=True)
    for row in report.rows:
        click.echo(f"line {row.line}: {row.outcome}{': ' + row.reason if row.reason else ''}")
    for outcome_name, title in (("skipped", "Skipped by design"), ("not_imported", "Persons not imported")):
        for reason, count in sorted(report.reasons.get(outcome_name, {}).items(), key=lambda item: -item[1]):
            click.echo(f"{title}: {count} {reason_words(reason)}")
    counts = ", ".join(f"{report.counts.get(k, 0)} {k.replace('_', ' ')}" for k in OUTCOMES)
    outcome = {"applied": "Imported", "dry_run": "Dry run, nothing written", "refused": "Refused, nothing written"}
    click.echo(f"{outcome[report.status]}: {counts}.")
    if not report.ok:
        click.echo(f"Refused: {report.message}", err=True)
        sys.exit(1)


@import_cli.group("rules")
def import_rules_cli() -> None:
    """The import rules as a YAML or JSON document: list, export, load."""


@import_rules_cli.command("list")
@with_appcontext
def rules_list_command() -> None:
    """Every rule, one a line: id, kind, active, pattern, what it links to."""
    from services.imports.rules import all_rules, rule_document

    for rule in all_rules(db.session()):
        data = rule_document(rule)
        target = data.get("decision") or data.get("position") or {}
        role = f" as {data['role']}" if data.get("role") else ""
        state = "active" if rule.active else "inactive"
        click.echo(f"{rule.id}\t{rule.kind}\t{state}\t{rule.pattern!r} -> {target.get('title', '?')}{role}")


@import_rules_cli.command("export")
@click.argument("path", metavar="FILE", type=click.Path(dir_okay=False, writable=True, allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default=None,
              help="yaml or json (default: by the file's extension, else yaml).")  # fmt: skip
@with_appcontext
def rules_export_command(path: str, fmt: str | None) -> None:
    """Write every rule to FILE ("-": standard output) as YAML or JSON."""
    from services.imports.rules import export_rules

    fmt = fmt or ("json" if path.lower().endswith(".json") else "yaml")
    text = export_rules(db.session(), fmt)
    if path == "-":
        click.echo(text, nl=False)
    else:
        with open(path, "w", encoding="utf-8") as out:
            out.write(text)
        click.echo(f"Exported the rules to {path}.", err=True)


@import_rules_cli.command("load")
@click.argument("path", metavar="FILE", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default=None,
              help="yaml or json (default: json for a .json file, else either, as it reads).")  # fmt: skip
@click.option("--replace", is_flag=True, help="Deactivate the rules on record that FILE does not name.")
@click.option("--as", "email", default=None, help="The user loading (recorded in the audit trail).")
@with_appcontext
def rules_load_command(path: str, fmt: str | None, replace: bool, email: str | None) -> None:
    """Create or update rules from FILE; nothing is written when any rule is wrong (exit 1)."""
    from services.imports.rules import RulesError, load_rules, parse_document

    user = user_or_fail(email) if email else None
    text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()  # noqa: SIM115
    fmt = fmt or ("json" if path.lower().endswith(".json") else None)
    with audit.acting_as(user, None if user else "cli: import rules load"):
        try:
            result = load_rules(db.session(), parse_document(text, fmt), replace=replace)
        except RulesError as exc:
            db.session.rollback()
            for error in exc.errors:
                click.echo(f"ERROR {error}", err=True)
            fail(f"Nothing was loaded: {len(exc.errors)} error(s) in {path}.")
        db.session.commit()
    click.echo(
        f"Loaded {path}: {len(result.created)} created, {len(result.updated)} updated, "
        f"{len(result.unchanged)} unchanged, {len(result.deactivated)} deactivated."
    )


@import_cli.group("review")
def import_review_cli() -> None:
    """The review queue: accept the certain matches, undo a confirmation."""


@import_review_cli.command("accept-certain")
@click.option("--as", "email", required=True, help="The user accepting (recorded with each acceptance).")
@with_appcontext
def review_accept_certain_command(email: str) -> None:
    """Confirm every certain pending match (same name, full birth date and State)."""
    from services.imports.review import accept_certain

    user = user_or_fail(email)
    with audit.acting_as(user):
        accepted = accept_certain(db.session(), user)
        db.session.commit()
    for review in accepted:
        click.echo(f"match #{review.id}: {review.person_name} -> official #{review.official_id}")
    click.echo(f"{len(accepted)} certain match(es) accepted.")


@import_review_cli.command("undo")
@click.argument("review_id", type=int)
@click.option("--as", "email", required=True, help="The user undoing (recorded with the review).")
@with_appcontext
def review_undo_command(review_id: int, email: str) -> None:
    """Take a confirmed match apart again: both records as they were."""
    from models import MatchReview
    from services.imports.review import CannotUndo, undo

    user = user_or_fail(email)
    review = db.session.get(MatchReview, review_id)
    if review is None:
        fail(f"No match #{review_id}.")
    with audit.acting_as(user):
        try:
            own = undo(db.session(), review, user)
        except CannotUndo as exc:
            db.session.rollback()
            fail(f"Cannot undo: {exc}.")
        db.session.commit()
    click.echo(f"Undone: {review.person_name} is official #{own.id}; official #{review.official_id} as it was.")
