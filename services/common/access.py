"""Who may see and do what: roles are cumulative, clearances ordered."""

from __future__ import annotations

from models import User
from models.enums import CLASSIFICATIONS


def visible_classifications(user: User | None) -> tuple[str, ...]:
    """Classifications a viewer may see; without a signed-in user, public material only."""
    if user is None or not getattr(user, "active", False):
        return CLASSIFICATIONS[:1]
    return tuple(c for c in CLASSIFICATIONS if user.may_see(c))


def role_at_least(user: User | None, role: str) -> bool:
    return bool(user is not None and getattr(user, "active", False) and user.has_role(role))


def settable_classifications(user: User) -> tuple[str, ...]:
    """A user may classify material at most at their own clearance."""
    return visible_classifications(user)
