"""Comparing pages and payloads that embed per-request values.

Two renderings of the same page differ where they embed a CSRF token (signed with the time
in seconds: two requests that straddle a second get different tokens), a nonce, or the time
of the request. A test that compares pages byte for byte -- a hidden record must look like a
missing one, a kept page like a fresh render -- compares them through ``mask_volatile``, which
replaces each such value with a fixed placeholder and leaves everything else as it is.

The ``ticking_clock`` fixture (tests/conftest.py) moves the signing clock on at every token, so
a test that compares unmasked pages fails every time rather than once in a while.
"""

from __future__ import annotations

import re

# What precedes a CSRF token's value: the hidden field (WTForms' or the templates' own), a
# meta tag, a JSON member.
CSRF_TOKEN = re.compile(
    r'(?P<before>name="csrf_token"(?: type="hidden")? value="|<meta name="csrf-token" content="|"csrf_token":\s*")'
    r'[^"]+'
)
NONCE = re.compile(r"""(?P<before>\bnonce=["']|'nonce-)[A-Za-z0-9+/=_-]+""")
# An instant: 2026-12-07T10:31:05 (or with a space), with or without seconds, fractions and a
# zone; or a time of day with seconds alone. Dates alone stay: they change at midnight only.
INSTANT = re.compile(
    r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}|\b)"
    r"|\b\d{2}:\d{2}:\d{2}(?:\.\d+)?\b"
)


def csrf_tokens(html: str) -> list[str]:
    """Every CSRF token ``html`` embeds, in order."""
    return [match.group(0)[len(match.group("before")) :] for match in CSRF_TOKEN.finditer(html)]


def mask_volatile(text: str) -> str:
    """``text`` with every CSRF token, nonce and instant replaced by a fixed placeholder."""
    text = CSRF_TOKEN.sub(r"\g<before>CSRF", text)
    text = NONCE.sub(r"\g<before>NONCE", text)
    return INSTANT.sub("TIME", text)
