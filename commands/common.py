"""What the command groups share: failing with a message (exit status 1), finding a user by e-mail."""

from __future__ import annotations

from typing import NoReturn

import click

from extensions import db
from models import User
from services.auth import accounts as auth_service


def fail(message: str) -> NoReturn:
    raise click.ClickException(message)


def user_or_fail(email: str) -> User:
    user = auth_service.find_user(db.session(), email)
    if user is None:
        fail(f"No user {email}.")
    return user
