"""The Ukrainian catalog covers every interface string, with nothing left fuzzy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]


def test_the_ukrainian_catalog_is_complete_and_current(tmp_path):
    pot = tmp_path / "messages.pot"
    pybabel = str(Path(sys.executable).with_name("pybabel"))
    subprocess.run(  # noqa: S603  (a fixed command: the project's own pybabel)
        [pybabel, "-q", "extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "-k", "lazy_pgettext:1c,2"]
        + ["--ignore-dirs=.venv"]
        + ["--no-location", "-o", str(pot), "."],
        cwd=ROOT,
        check=True,
    )
    with pot.open("rb") as handle:
        template = read_po(handle)
    with (ROOT / "translations/uk/LC_MESSAGES/messages.po").open("rb") as handle:
        catalog = read_po(handle)

    def finished(message) -> bool:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        return not message.fuzzy and all(strings)

    missing = [m.id for m in template if m.id and catalog.get(m.id, context=m.context) is None]
    unfinished = [m.id for m in catalog if m.id and not finished(m)]
    assert not missing, f"run make translations, then translate: {missing}"
    assert not unfinished, f"translate: {unfinished}"
