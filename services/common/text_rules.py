"""What text the application accepts, stated once as regular expressions: the API's
validators match them, and its OpenAPI document publishes them as patterns, so a client can
check a value before sending it and the two cannot drift. The forms refuse what the API
refuses, through ``text_fault`` (forms/fields.py ``clean_text``).

The patterns are written with \\uXXXX escapes only, which Python's re, ECMA-262 (the
dialect OpenAPI names) and Rust's regex crate (some validators use it) all read alike.
"""

from __future__ import annotations

import re
import unicodedata

# Unicode's control characters (category Cc: U+0000-U+001F, U+007F-U+009F; the category is
# closed, no character will join it) except tab, line feed and carriage return
CONTROL_CHARACTERS = "".join(
    chr(code) for code in range(0xA0) if unicodedata.category(chr(code)) == "Cc" and chr(code) not in "\t\n\r"
)
# What "blank" means: text made only of these is what str.strip() leaves empty
SPACES = "".join(chr(code) for code in range(0x10000) if chr(code).isspace())


def char_class(characters: str) -> str:
    """The body of a character class matching ``characters`` (all in the BMP), runs of
    consecutive code points written as ranges."""
    codes = sorted({ord(ch) for ch in characters})
    runs: list[list[int]] = []
    for code in codes:
        if runs and code == runs[-1][1] + 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return "".join(
        f"\\u{first:04x}" if first == last else f"\\u{first:04x}{'-' if last > first + 1 else ''}\\u{last:04x}"
        for first, last in runs
    )


_CLEAN = f"[^{char_class(CONTROL_CHARACTERS)}]"
_SOLID = f"[^{char_class(CONTROL_CHARACTERS + SPACES)}]"  # neither a control character nor a space


def text_pattern(min_stripped: int = 0) -> str:
    """Text without control characters (but tab and newlines) that keeps at least
    ``min_stripped`` characters once the spaces at either end are stripped: between its
    first and its last character that is not a space, so many characters."""
    if min_stripped <= 0:
        # ^C*$ in a form fuzzers leave alone: schemathesis rewrites ^C*$ with a maxLength of
        # 100,000 into ^C{0,100000}$, which takes Rust's regex crate a second to compile
        return f"^(?:{_CLEAN}+)?$"
    if min_stripped == 1:
        return f"^{_CLEAN}*{_SOLID}{_CLEAN}*$"
    return f"^{_CLEAN}*{_SOLID}{_CLEAN}{{{min_stripped - 2},}}{_SOLID}{_CLEAN}*$"


TEXT_PATTERN = text_pattern(0)
NON_BLANK_TEXT_PATTERN = text_pattern(1)


def has_surrogates(text: str) -> bool:
    """Lone surrogates (a JSON escape can make one) cannot be stored or encoded; no pattern
    states them alike in every dialect, so they are checked beside the patterns."""
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def text_fault(text: str, min_stripped: int = 0) -> str | None:
    """Why ``text`` is not clean text keeping ``min_stripped`` characters once stripped:
    "surrogates", "control", "blank" or "short" (the first that applies); None when it is.
    The pattern decides; the API's validator and the forms each say why in their words."""
    if has_surrogates(text):
        return "surrogates"
    if re.fullmatch(text_pattern(min_stripped), text) is not None:
        return None
    if any(ch in CONTROL_CHARACTERS for ch in text):
        return "control"
    return "blank" if not text.strip() else "short"


# --- web addresses ---------------------------------------------------------------------------

# What no web address may hold: control characters, spaces of any kind, quotes, angle
# brackets and backslashes (a reader must be able to follow it as written)
URL_FORBIDDEN = "".join(chr(code) for code in range(0x21)) + "\x7f" + CONTROL_CHARACTERS + SPACES + "\"'<>\\"
_URL_CHAR = f"[^{char_class(URL_FORBIDDEN)}]"
_NETLOC_END = "/?#"
# An http(s) address with a host: optional user information ending in @, then a host that
# starts with a character that can begin one (no port, path or second @ first) or an IP
# literal in brackets, then an optional port, path, query and fragment
_USERINFO = f"(?:[^{char_class(URL_FORBIDDEN + _NETLOC_END + '@[]')}]*@)?"
_HOST = (
    f"(?:[^{char_class(URL_FORBIDDEN + _NETLOC_END + '@:[]')}][^{char_class(URL_FORBIDDEN + _NETLOC_END + '@[]')}]*"
    f"|\\[[0-9A-Fa-f:.]+\\](?::[0-9]*)?)"
)
WEB_ADDRESS_PATTERN = f"^(?:[Hh][Tt][Tt][Pp][Ss]?://{_USERINFO}{_HOST}(?:[{char_class(_NETLOC_END)}]{_URL_CHAR}*)?)?$"
