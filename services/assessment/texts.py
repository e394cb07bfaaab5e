"""The assessment's sentences (reasons, gaps, score lines), translated -- or not, when only
its figures are wanted.

Refreshing the stored dossier summaries assesses every official at every clearance and keeps
no sentence; translating some 40 sentences per assessment was then most of the work. Inside
``untranslated()`` the sentences are formatted in English without a lookup.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask_babel import gettext

_plain: contextvars.ContextVar[bool] = contextvars.ContextVar("assessment_untranslated", default=False)


def _(text: str, **variables: Any) -> str:
    if _plain.get():
        return text % variables if variables else text
    return str(gettext(text, **variables))


@contextmanager
def untranslated() -> Iterator[None]:
    token = _plain.set(True)
    try:
        yield
    finally:
        _plain.reset(token)
