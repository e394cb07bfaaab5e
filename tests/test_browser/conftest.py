"""Real-browser fixtures: Debian's Chromium driven by Playwright against the app served by
gunicorn on a loopback port (tests/live_server.py).

Screenshots of every step go to ``$TRIBUNAL_ARTEFACTS/browser/<test>/`` (``test-artefacts/``
in the checkout when unset), numbered in the order the steps ran.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PASSWORD
from tests.live_server import ROOT, Instance, own_database, run_commands

CHROMIUM = Path("/usr/bin/chromium")
# Generous: two cores shared with gunicorn's workers and whatever else runs.
TIMEOUT_MS = 15_000
# A case file is rendered (WeasyPrint) and signed while the browser waits for the download: on a
# loaded machine that alone took more than TIMEOUT_MS.
RENDER_TIMEOUT_MS = 90_000

# The accounts the tests sign in with: role -> (e-mail, clearance).
ACCOUNTS = {
    "prosecutor": ("prosecutor@tribunal.test", "strictly_confidential"),
    "admin": ("admin@tribunal.test", "strictly_confidential"),
    "analyst": ("analyst@tribunal.test", "confidential"),
}


@dataclass
class LiveServer:
    base_url: str
    database_url: str
    evidence_dir: Path
    log: Path
    users: dict[str, str] = field(default_factory=dict)  # role -> e-mail


@pytest.fixture(scope="package")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The demo data set and one account per role in ACCOUNTS, served by gunicorn."""
    tmp = tmp_path_factory.mktemp("live")
    with own_database(tmp, "browser") as url:
        commands: list[tuple[list[str], str | None]] = [(["db", "upgrade"], None), (["demo", "load"], None)]
        for role, (email, clearance) in ACCOUNTS.items():
            commands.append(
                (
                    ["users", "create", email, "--role", role, "--clearance", clearance, "--password-stdin"],
                    PASSWORD + "\n",
                )
            )
        commands.append((["dossiers", "refresh"], None))
        outputs: list[str] = []
        run_commands(url, tmp, commands, outputs)
        for (email, _clearance), printed in zip(ACCOUNTS.values(), outputs[2 : 2 + len(ACCOUNTS)], strict=True):
            if "enrolment code" in printed:  # the last line: what an administrator hands a prosecutor or admin
                ENROLMENT_CODES[email] = printed.strip().splitlines()[-1]
        server = Instance(tmp, workers=1, threads=4, database_url=url)
        server.start()
        try:
            yield LiveServer(
                base_url=server.base,
                database_url=url,
                evidence_dir=server.evidence,
                log=server.log,
                users={role: email for role, (email, _clearance) in ACCOUNTS.items()},
            )
        finally:
            server.stop()


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/system-packages (make setup installs it)")
    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox"] if os.geteuid() == 0 else []  # Chromium's sandbox refuses to run as root
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=args)
        yield browser
        browser.close()


def artefacts_dir(test_name: str, *, clear: bool = True) -> Path:
    root = Path(os.environ.get("TRIBUNAL_ARTEFACTS") or ROOT / "test-artefacts")
    directory = root / "browser" / re.sub(r"[^\w.-]+", "_", test_name)
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("*.png") if clear else ():
        old.unlink()
    return directory


class Console:
    """What the page printed to its console, and the errors it threw."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def record(self, kind: str, text: str) -> None:
        self.messages.append(f"{kind}: {text}")

    def csp_violations(self) -> list[str]:
        return [m for m in self.messages if "Content Security Policy" in m or "Content-Security-Policy" in m]

    def uncaught(self) -> list[str]:
        return [m for m in self.messages if m.startswith("pageerror:")]


class Steps:
    """``steps.shot("signed in")`` saves ``01-signed-in.png`` (and so on) for this test."""

    def __init__(self, page: Any, directory: Path) -> None:
        self.page = page
        self.directory = directory
        self.count = 0

    def shot(self, name: str) -> Path:
        self.count += 1
        path = self.directory / f"{self.count:02d}-{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


CALL_FAILED = pytest.StashKey[bool]()  # set on each test item: did its call phase fail?


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[CALL_FAILED] = report.failed
    return report


@pytest.fixture
def console() -> Console:
    return Console()


@pytest.fixture
def page(browser: Any, live_server: LiveServer, console: Console, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh browser context (no cookies) on the live server; it fails the test when
    the page breaks its Content-Security-Policy or throws an error, and keeps a screenshot
    of the page a failed test ended on."""
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context = browser.new_context(base_url=live_server.base_url, locale="en-GB", accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.on("console", lambda message: console.record(message.type, message.text))
    page.on("pageerror", lambda error: console.record("pageerror", str(error)))
    try:
        yield page
        if request.node.stash.get(CALL_FAILED, False):
            page.screenshot(path=str(artefacts_dir(request.node.name, clear=False) / "failed.png"), full_page=True)
    finally:
        context.close()
    assert console.csp_violations() == []
    assert console.uncaught() == []


@pytest.fixture
def steps(page: Any, request: pytest.FixtureRequest) -> Steps:
    return Steps(page, artefacts_dir(request.node.name))


# Two-factor secrets the tests enrolled, by e-mail, and the last time step each one used.
TWO_FACTOR: dict[str, tuple[str, int]] = {}
# The one-time enrolment codes `users create` printed, by e-mail: asked for when the app is set up.
ENROLMENT_CODES: dict[str, str] = {}


def _next_code(email: str) -> str:
    """A code the server has not seen yet: the current step's, or the next step's (accepted as
    clock drift) when the current one was already used by an earlier sign-in."""
    import pyotp

    secret, last_step = TWO_FACTOR[email]
    totp = pyotp.TOTP(secret)
    step = max(int(time.time()) // totp.interval, last_step + 1)
    wait = (step - 1) * totp.interval - time.time()
    if wait > 0:  # two steps ahead of the clock: too far, wait until the next one is only one ahead
        time.sleep(wait + 0.5)
    TWO_FACTOR[email] = (secret, step)
    return totp.at(step * totp.interval)


def sign_in(page: Any, email: str, password: str = PASSWORD) -> None:
    """Sign in through the forms, as a person would, with the second step prosecutors and
    admins take (enrolling in two-factor sign-in the first time, with the enrolment code `users
    create` printed); ends on the first page after."""
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if "/login/enrol" in page.url:
        secret = page.locator("#two-factor-secret").inner_text().replace(" ", "")
        TWO_FACTOR[email] = (secret, 0)
        page.get_by_label("Enrolment code from your administrator").fill(ENROLMENT_CODES[email])
        page.get_by_label("Code from the authenticator app").fill(_next_code(email))
        page.get_by_role("button", name="Confirm and sign in").click()
        page.wait_for_load_state()
    elif "/login/code" in page.url:
        page.get_by_label("Code from the authenticator app").fill(_next_code(email))
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
    assert "/login" not in page.url, page.locator("main").inner_text()


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    assert "/login" in page.url
