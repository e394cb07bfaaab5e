"""``flask verify bag``: check a zipped case-file bag and its signature."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from commands.common import fail
from extensions import db


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

    from services.exports import signing
    from services.exports.verify import verify_bag

    try:
        own = signing.load_or_create(current_app.config["EXPORT_KEY_PATH"]).public_key()
        key = signing.parse_public(public_key) if public_key else own
    except signing.KeyError_ as exc:
        fail(str(exc))
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
    from services.evidence import custody

    found = (custody.exported_head_problem(db.session(), h.exhibit_no, h.events, h.head_hash) for h in heads)
    return [problem for problem in found if problem]
