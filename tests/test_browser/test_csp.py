"""The browser enforces the Content-Security-Policy, and the page fixture notices when it
does: an inline script is refused and reported."""

from __future__ import annotations

import pytest


def test_an_inline_script_is_refused_and_reported(page, console):
    page.goto("/login")
    with pytest.raises(Exception, match="Content Security Policy|Refused"):
        page.add_script_tag(content="document.title = 'injected'")
    assert page.title() != "injected"
    assert console.csp_violations() != []
    console.messages.clear()  # seen: the fixture would otherwise fail this test
