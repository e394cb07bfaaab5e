"""The README's first screen works as printed: every shell command in it, copied as it stands,
on a fresh instance. (The command `make run` printed for the first account, copied as printed,
died with a 30-line traceback because TRIBUNAL_ENV=development stood on another line.)"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import PASSWORD, POSTGRES_URL
from tests.live_server import START_SECONDS, free_port

ROOT = Path(__file__).resolve().parents[1]
BASH = shutil.which("bash") or "/bin/bash"
pytestmark = pytest.mark.slow


def first_screen() -> str:
    """The README down to the roles: what a newcomer reads before their first sign-in."""
    text = (ROOT / "README.md").read_text()
    return text[: text.index("Roles, each including")]


def shell_commands(text: str) -> list[str]:
    """The lines of the ```sh blocks, without their comments."""
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.DOTALL):
        for line in block.splitlines():
            command = re.sub(r"\s+#.*$", "", line).strip()
            if command:
                commands.append(command)
    return commands


def test_the_first_screen_has_the_two_commands_and_the_first_account():
    commands = shell_commands(first_screen())
    assert commands[:2] == ["make run", "make test"]
    assert any(" users create " in command for command in commands)


def fresh_instance(tmp: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("MAKE", "MFLAGS", "TRIBUNAL_"))}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp / 'tribunal.db'}",
        EVIDENCE_DIR=str(tmp / "evidence"),
        EXPORT_KEY_PATH=str(tmp / "export-signing-key.pem"),
        TOTP_KEY_PATH=str(tmp / "totp-key"),
        CHAIN_KEY_PATH=str(tmp / "chain-key"),
        JOBS_DB=str(tmp / "jobs.sqlite3"),  # the job queue of this instance, not the checkout's
        PORT=str(free_port()),
    )
    return env


def wait_for(base: str, server: subprocess.Popen[str], log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS + 300  # `make run` migrates and loads the demo data first
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/health", timeout=5)  # noqa: S310  (loopback)
            return
        except OSError:
            if server.poll() is not None:
                raise AssertionError(f"make run exited {server.returncode}: {log.read_text()[-3000:]}") from None
            time.sleep(0.2)
    raise AssertionError(f"make run did not answer within the deadline: {log.read_text()[-3000:]}")


@pytest.mark.skipif(bool(POSTGRES_URL), reason="`make run` serves SQLite whatever the engine: the SQLite pass runs it")
def test_every_command_of_the_first_screen_works_as_printed(tmp_path):
    env = fresh_instance(tmp_path)
    log = tmp_path / "make-run.log"
    commands = shell_commands(first_screen())
    server = subprocess.Popen(  # noqa: S603  (the README's own command)
        [BASH, "-c", commands[0]],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # no terminal: `make run` prints the first account's command
    )
    try:
        wait_for(f"http://127.0.0.1:{env['PORT']}", server, log)
        printed = [line.strip() for line in log.read_text().splitlines() if " users create " in line]
        assert printed, log.read_text()[-3000:]
        # `make test` is this suite; every other command, and the one `make run` printed
        others = [command for command in commands[1:] if command != "make test"] + printed[:1]
        for n, command in enumerate(others):
            command = command.replace("you@example.org", f"first{n}@example.org")
            done = subprocess.run(  # noqa: S603
                [BASH, "-c", command],
                cwd=ROOT,
                env=env,
                input=PASSWORD + "\n",
                capture_output=True,
                text=True,
                start_new_session=True,
            )
            assert done.returncode == 0, f"{command}\n{done.stdout}{done.stderr}"
            assert "Traceback" not in done.stderr
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)


def test_production_mode_without_settings_says_what_to_set_in_one_line(tmp_path):
    env = fresh_instance(tmp_path)
    env.pop("SECRET_KEY", None)
    done = subprocess.run(  # noqa: S603
        [str(Path(sys.executable).parent / "flask"), "--app", "app", "users", "list"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1 and "SECRET_KEY" in lines[0] and "TRIBUNAL_ENV=development" in lines[0]
