"""The real data the tests read: excerpts in tests/data, whole files beside the checkout."""

from __future__ import annotations

import hashlib
import re

import pytest

from tests.conftest import EU_EXCERPT, EXCERPTS, FTM_EXCERPT, OFAC_EXCERPT, real_data_file

WHOLE = {
    EU_EXCERPT: "eu_oj_32014R0269_russia_ukraine.csv",
    OFAC_EXCERPT: "us_ofac_sdn_2024-05-03.csv",
    FTM_EXCERPT: "opensanctions_zala_cluster.ftm.jsonl",
}


def test_a_missing_whole_file_is_skipped_but_fails_when_ci_is_set(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no-such-file.csv"):
        real_data_file("no-such-file.csv")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        real_data_file("no-such-file.csv")


def test_each_excerpt_is_the_file_its_sources_note_describes():
    sources = (EXCERPTS / "SOURCES.md").read_text(encoding="utf-8")
    for excerpt in WHOLE:
        section = sources.split(f"## `{excerpt.name}`")[1].split("\n## ")[0]
        noted = re.search(r"SHA-256:\*\* `([0-9a-f]{64})`", section).group(1)
        assert hashlib.sha256(excerpt.read_bytes()).hexdigest() == noted, f"{excerpt.name}: update SOURCES.md"


@pytest.mark.parametrize("excerpt", list(WHOLE), ids=lambda path: path.name)
def test_each_excerpt_is_whole_lines_of_its_file_in_order(excerpt):
    whole = real_data_file(WHOLE[excerpt]).read_bytes().splitlines(keepends=True)
    lines = excerpt.read_bytes().splitlines(keepends=True)
    assert 20 <= len(lines) <= 60
    position = iter(whole)
    assert all(line in position for line in lines), "a line not in the file, or out of order"
