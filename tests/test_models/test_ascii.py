"""models/ascii.py's ``to_ascii`` is anyascii, only faster."""

from __future__ import annotations

import random

from anyascii import anyascii

from models.ascii import to_ascii
from tests.conftest import EU_EXCERPT, FTM_EXCERPT, OFAC_EXCERPT, real_data_file


def test_every_character_of_the_basic_plane_and_beyond():
    for codepoint in [*range(0x10000), *range(0x1D400, 0x1D800), *range(0x1F100, 0x1F300), *range(0x20000, 0x20100)]:
        if 0xD800 <= codepoint <= 0xDFFF:
            continue  # lone surrogates are no text
        assert to_ascii(chr(codepoint)) == anyascii(chr(codepoint)), hex(codepoint)


def test_mixed_strings():
    rng = random.Random(19)  # noqa: S311  (test data, not secrets)
    alphabet = "aZ 09'-ё Шойгу Лукашэнка 김정은 金正恩 Ğüç ß æ œ ﬁ ① ½ Ⅻ ̈ \u200b\t\n"
    alphabet += "".join(map(chr, range(0x370, 0x400)))
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert to_ascii(text) == anyascii(text), text


def test_the_excerpts_of_the_real_files_line_by_line():
    for path in (EU_EXCERPT, OFAC_EXCERPT, FTM_EXCERPT):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            assert to_ascii(line) == anyascii(line), line


def test_the_whole_eu_file():
    text = real_data_file("eu_oj_32014R0269_russia_ukraine.csv").read_text(encoding="utf-8", errors="replace")
    assert to_ascii(text) == anyascii(text)
