"""Text helpers shared by the sanctions-list parsers: the script of a name, birth dates in the
wordings lists use, and the State a nationality or country name stands for."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

import icu

from models.partial_date import PartialDate, after_today
from services.imports.parsers.territories import lookup_state

AGGRESSOR_STATES = ("RU", "BY", "KP")  # the States whose officials the tribunal's scope reaches
EARLIEST_BIRTH_YEAR = 1850

# Spellings rigour's territory names do not carry (checked against rigour 2.6)
_EXTRA_STATES = {"북한": "KP", "조선": "KP", "북조선": "KP"}

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
_MONTHS |= {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS["sept"] = 9
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?"


def _year(name: str) -> str:
    return rf"(?P<{name}>\d{{4}})(?!\d)"


# One date token in any wording the EU and OFAC lists use; alternatives are tried left to right
# at the leftmost match, so a month range is seen before the single month it ends with.
_DATE_TOKEN = re.compile(
    rf"(?<!\d)(?P<dmy>(?P<d1>\d{{1,2}})\s?\.\s?(?P<m1>\d{{1,2}})\s?\.\s?{_year('y1')})"
    rf"|(?<!\d)(?P<iso>{_year('y2')}-(?P<m2>\d{{2}})-(?P<d2>\d{{2}}))"
    rf"|(?<!\d)(?P<dmony>(?P<d3>\d{{1,2}})\s+(?P<m3>{_MONTH})\s+{_year('y3')})"
    rf"|\b(?P<monrange>{_MONTH}\s*[/-]\s*{_MONTH}\s+{_year('y4')})"
    rf"|\b(?P<mony>(?P<m5>{_MONTH})\s+{_year('y5')})"
    rf"|(?<![\d.])(?P<year>{_year('y6')})",
    re.IGNORECASE,
)
_RANGE = re.compile(r"\s+(?:to|-|–)\s+", re.IGNORECASE)


class ImpossibleDate(ValueError):
    """Text shaped like a date that no calendar has (31.2.1960) or that cannot be a birth."""


# --- scripts -----------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _letter_script(char: str) -> str | None:
    if not unicodedata.category(char).startswith("L"):
        return None
    return str(icu.Script.getScript(ord(char)).getShortName())


def detect_script(text: str) -> str | None:
    """The ISO 15924 code of the script most letters of ``text`` are in (ICU's Unicode Script
    property), or None when it has no letters. A stray Latin "i" in a Ukrainian Cyrillic name
    does not make it Latin; Hangul mixed with Hanja is "Kore"."""
    counts = Counter(script for script in map(_letter_script, text) if script)
    if not counts:
        return None
    if counts.keys() >= {"Hang", "Hani"}:
        return "Kore"
    return counts.most_common(1)[0][0]


# Letters only one of the Cyrillic alphabets has (the Latin "i" some lists type for "і" too)
_BELARUSIAN = set("ўЎ")
_UKRAINIAN = set("їЇєЄґҐ")
_DOTTED_I = set("іІiI")  # Belarusian and Ukrainian, not Russian
_RUSSIAN_OR_UKRAINIAN = set("иИщЩ")  # not Belarusian
_RUSSIAN_OR_BELARUSIAN = set("ыЫэЭёЁ")  # not Ukrainian
_RUSSIAN = set("ъЪ")


def name_language(text: str, script: str | None = None) -> str | None:
    """The language a name is written in, when its letters tell (BCP 47): Hangul is Korean;
    Cyrillic is Russian, Belarusian or Ukrainian by the letters only one alphabet has (ў
    Belarusian; ї, є, ґ Ukrainian; і with ы or э Belarusian, with и or щ Ukrainian, alone
    Belarusian, whose patronymics have no и; и, щ or ъ without і Russian). None when the
    letters do not tell (Latin transliterations, "Иван")."""
    script = script or detect_script(text)
    if script in ("Hang", "Kore"):
        return "ko"
    if script != "Cyrl":
        return None
    letters = set(text)
    if letters & _BELARUSIAN:
        return "be"
    if letters & _UKRAINIAN:
        return "uk"
    # a Latin "i" counts as "і" only inside a Cyrillic name (checked above)
    dotted = bool(letters & _DOTTED_I)
    if dotted and letters & _RUSSIAN_OR_BELARUSIAN:
        return "be"
    if dotted and letters & _RUSSIAN_OR_UKRAINIAN:
        return "uk"
    if dotted:
        return "be"
    if not dotted and letters & (_RUSSIAN_OR_UKRAINIAN | _RUSSIAN):
        return "ru"
    return None


# --- dates -------------------------------------------------------------------------------


def _checked(year: int, month: int, day: int, text: str, today: dt.date) -> dt.date:
    try:
        value = dt.date(year, month, day)
    except ValueError as exc:
        raise ImpossibleDate(f"{text!r} is not a date ({exc})") from exc
    if year < EARLIEST_BIRTH_YEAR or value > today:
        raise ImpossibleDate(f"{text!r} cannot be a birth date")
    return value


def _token_date(match: re.Match[str], today: dt.date) -> PartialDate:
    """The partial date one ``_DATE_TOKEN`` match names."""
    text, kind = match.group(0), match.lastgroup

    def number(name: str) -> int:
        return int(match.group(name))

    if kind == "dmy":
        return PartialDate(_checked(number("y1"), number("m1"), number("d1"), text, today), "day")
    if kind == "iso":
        return PartialDate(_checked(number("y2"), number("m2"), number("d2"), text, today), "day")
    if kind == "dmony":
        return PartialDate(_checked(number("y3"), _month(match.group("m3")), number("d3"), text, today), "day")
    if kind == "monrange":  # "March/April 1960": only the year is certain
        return PartialDate(_checked(number("y4"), 1, 1, text, today), "year")
    if kind == "mony":
        return PartialDate(_checked(number("y5"), _month(match.group("m5")), 1, text, today), "month")
    return PartialDate(_checked(number("y6"), 1, 1, text, today), "year")


def _month(word: str) -> int:
    return _MONTHS.get(word.lower().rstrip("."), 0) or _MONTHS[word.lower()[:3]]


def _common(first: PartialDate, last: PartialDate) -> PartialDate:
    """What a range "first to last" certainly says: the month or year both ends share; for a
    range over several years, the first year (a PartialDate cannot span years)."""
    a, b = first.value, last.end
    if (a.year, a.month) == (b.year, b.month) and first.precision != "year":
        return first if a == b else PartialDate(a.replace(day=1), "month")
    return PartialDate(dt.date(a.year, 1, 1), "year")


def parse_birth_date(text: str, today: dt.date | None = None) -> PartialDate | None:
    """The first birth date in ``text`` with its precision.

    Understands "26.11.1972", "1972-11-26", "03 Jun 1974", "Jun 1974", "1974", "circa 1974"
    (year), "March/April 1974" (year) and ranges "1960 to 1962" / "01 Jan 1960 to 31 Dec 1960"
    (see ``_common``). Alternatives ("12.3.1960 or 1961") give the first. Text without a year
    ("28 September (year unknown)", "N/D") gives None. Raises ``ImpossibleDate`` when a
    date-shaped part is not a real date or not a possible birth (before 1850, in the future).
    """
    today = today or dt.date.today()
    tokens = list(_DATE_TOKEN.finditer(text))
    if not tokens:
        return None
    dates = [_token_date(token, today) for token in tokens]  # checks every part, not just the first
    first = dates[0]
    if len(tokens) > 1 and _RANGE.fullmatch(text[tokens[0].end() : tokens[1].start()]):
        return _common(first, dates[1])
    return first


_DMY = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")


def parse_dmy(text: str) -> dt.date | None:
    """A ``d.m.yyyy`` date (the EU lists' listing dates); None for an empty cell."""
    if not text.strip():
        return None
    match = _DMY.match(text)
    if not match:
        raise ImpossibleDate(f"{text!r} is not a d.m.yyyy date")
    day, month, year = (int(part) for part in match.groups())
    try:
        value = dt.date(year, month, day)
    except ValueError as exc:
        raise ImpossibleDate(f"{text!r} is not a date ({exc})") from exc
    if after_today(value):
        raise ImpossibleDate(f"{text!r} is after today: no listing can be dated in the future")
    return value


def parse_listing_date(text: str) -> dt.date | None:
    """A listing date in the wordings the lists use (``d.m.yyyy`` mostly, also "2011-02-28"
    and "2 December 1985"); None for an empty cell or one that names no day. Raises
    ``ImpossibleDate`` for a date no calendar has."""
    if not text.strip():
        return None
    if _DMY.match(text):
        return parse_dmy(text)
    tokens = list(_DATE_TOKEN.finditer(text))
    if not tokens:
        return None
    found = _token_date(tokens[0], dt.date.max)
    return found.value if found.precision == "day" else None


# --- states ------------------------------------------------------------------------------

_COUNTRY_SPLIT = re.compile(r"\s*(?:[,;/]|\band\b|\bor\b)\s*", re.IGNORECASE)
_PARENTHESES = re.compile(r"\([^()]*\)")


def country_code(text: str, fuzzy: bool = True) -> str | None:
    """The ISO 3166 alpha-2 code (upper case) of a country name, demonym or code in any spelling
    rigour knows ("Russian Federation", "Belarussian", "DPRK", "Korea, North", "Россия", "RUS"),
    or None. Sub-national territories give their country (Crimea -> UA)."""
    text = text.strip().strip(".").strip()
    if not text:
        return None
    if text in _EXTRA_STATES:
        return _EXTRA_STATES[text]
    # rigour's lookup_territory, without its start-up (territories.py)
    found, code = lookup_state(text)
    if not found and fuzzy and len(text) >= 6:  # misspellings such as "Belarussian"
        found, code = lookup_state(text, fuzzy=True)
    return code


def country_codes(text: str) -> list[str]:
    """Every country named in a cell such as "Ukrainian, Russian (the Union does not recognise
    passports issued ...)" or "Russian and Ukrainian", in order, without repeats. A name with a
    comma of its own ("Korea, North") is tried whole first."""
    whole = country_code(text, fuzzy=False)
    if whole is not None:
        return [whole]
    codes: list[str] = []
    for part in _COUNTRY_SPLIT.split(_PARENTHESES.sub(" ", text)):
        code = country_code(part)
        if code is not None and code not in codes:
            codes.append(code)
    return codes


def aggressor_state(codes: Iterable[str]) -> str | None:
    """The first of RU, BY, KP among country codes: a dual national counts for that State."""
    return next((code for code in codes if code in AGGRESSOR_STATES), None)


def clean(text: str) -> str:
    """One line of text: whitespace runs folded to one space, ends trimmed."""
    return " ".join(text.split())
