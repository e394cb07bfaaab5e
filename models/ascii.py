"""anyascii's transliteration to ASCII, a character at a time through ``str.translate``.

anyascii reads each character of a string in Python (its tables are per character: the result
is the concatenation of each character's); ``to_ascii`` gives the same string, each character's
transliteration asked of anyascii once per process and kept, the string translated in C.
"""

from __future__ import annotations

from anyascii import anyascii


class _Transliterations(dict[int, str]):
    def __missing__(self, codepoint: int) -> str:
        self[codepoint] = found = anyascii(chr(codepoint))
        return found


_TABLE = _Transliterations()


def to_ascii(text: str) -> str:
    """``anyascii(text)``, faster on long texts outside ASCII."""
    return text if text.isascii() else text.translate(_TABLE)
