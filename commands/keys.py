"""``flask keys public``: the public key that verifies this instance's case files."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext


@click.group("keys", help="The instance's export signing key.")
def keys_cli() -> None:
    pass


@keys_cli.command("public")
@with_appcontext
def public_key_command() -> None:
    """Print the public key that verifies this instance's case files (creating the key pair
    on first use)."""

    from services.exports import signing

    click.echo(signing.public_text(signing.load_or_create(current_app.config["EXPORT_KEY_PATH"])))
