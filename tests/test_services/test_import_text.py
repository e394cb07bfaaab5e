"""The text helpers behind the sanctions-list parsers: birth dates, scripts, countries, names."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from importlib.metadata import version

import pytest
from rigour.territories import lookup_territory

from models.partial_date import utc_today
from services.imports.parsers import territories
from services.imports.parsers.eu_csv import identifier_scheme, instrument
from services.imports.parsers.names import split_names
from services.imports.parsers.ofac_csv import display_name
from services.imports.parsers.text import ImpossibleDate, country_codes, detect_script, parse_birth_date, parse_dmy


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("26.11.1972", "1972-11-26"),
        ("9.9. 1960", "1960-09-09"),
        ("03 Jun 1974", "1974-06-03"),
        ("Jun 1974", "1974-06"),
        ("March 1978", "1978-03"),
        ("1974", "1974"),
        ("circa 1960", "1960"),
        ("March/April 1965", "1965"),
        ("1960 to 1962", "1960"),
        ("01 Mar 1960 to 31 Mar 1960", "1960-03"),
        ("12.3.1960 or 1961", "1960-03-12"),
        ("1964 (possibly: 21 April)", "1964"),
        ("30.6.1980 POB: Leningrad", "1980-06-30"),
        ("28 September (year unknown)", None),
        ("N/D", None),
        ("", None),
    ],
)
def test_parse_birth_date(text, expected):
    parsed = parse_birth_date(text, today=dt.date(2026, 1, 1))
    assert (str(parsed) if parsed else None) == expected


@pytest.mark.parametrize("text", ["31.2.1960", "29.2.1961", "31 Apr 1970", "12.13.1970", "1700", "1.1.2030"])
def test_impossible_birth_dates(text):
    with pytest.raises(ImpossibleDate):
        parse_birth_date(text, today=dt.date(2026, 1, 1))


def test_a_listing_date_after_today_is_refused():
    tomorrow = utc_today() + dt.timedelta(days=1)
    assert parse_dmy(f"{utc_today().day}.{utc_today().month}.{utc_today().year}") == utc_today()
    with pytest.raises(ImpossibleDate, match="after today"):
        parse_dmy(f"{tomorrow.day}.{tomorrow.month}.{tomorrow.year}")


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("Sergei AKSENOV", "Latn"),
        ("Сергiй АКСЬОНОВ", "Cyrl"),
        ("김정은", "Hang"),
        ("金正恩", "Hani"),
        ("김正恩", "Kore"),
        ("-", None),
    ],
)
def test_detect_script(text, script):
    assert detect_script(text) == script


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Russian Federation", ["RU"]),
        ("Belarussian", ["BY"]),
        ("Democratic People’s Republic of Korea", ["KP"]),
        ("DPRK", ["KP"]),
        ("North Korean", ["KP"]),
        ("Korea, North", ["KP"]),
        ("Российская Федерация", ["RU"]),
        ("Рэспубліка Беларусь", ["BY"]),
        ("조선민주주의인민공화국", ["KP"]),
        ("BLR", ["BY"]),
        ("Ukrainian, Russian (the Union does not recognise passports issued in Crimea)", ["UA", "RU"]),
        ("USSR", []),
        ("", []),
    ],
)
def test_country_codes(text, codes):
    assert country_codes(text) == codes


def test_the_shipped_territory_table_is_rigours():
    """services/imports/parsers/territories.py answers from a copy of rigour's table: the copy must be
    the table of the rigour installed (after an upgrade: python -m services.imports.parsers.territories)."""
    shipped = json.loads(gzip.decompress(territories.TABLE.read_bytes()))
    assert shipped["rigour"] == version("rigour")
    assert [tuple(pair) for pair in shipped["names"]] == territories.build()


@pytest.mark.parametrize(
    ("text", "fuzzy"),
    [
        ("Russia", False),
        ("RUS", False),
        ("Belarusian", False),
        ("Korea, North", False),
        ("USSR", False),
        ("Россия", False),
        ("Crimea", False),
        ("Serbian", False),
        ("Ukrainian, Russian", False),
        ("Belarussian", True),
        ("Rusian Federaton", True),
        ("Kazakhztan", True),
        ("Qwertyuiop", True),
    ],
)
def test_a_state_is_rigours_answer(text, fuzzy):
    found, code = territories.lookup_state(text, fuzzy)
    territory = lookup_territory(text, fuzzy)
    assert found == (territory is not None)
    assert code == (territories.state_code(territory) if territory else None)


def test_split_names_takes_apart_journal_prose():
    names = split_names("Oleg TSARIOV, Oleh Anatoliyovych TSAROV (Олег ЦАРЬОВ) (a.k.a. Oleg TSARYOV)", "alias")
    assert [(n.name, n.script) for n in names] == [
        ("Oleg TSARIOV", "Latn"),
        ("Oleh Anatoliyovych TSAROV", "Latn"),
        ("Олег ЦАРЬОВ", "Cyrl"),
        ("Oleg TSARYOV", "Latn"),
    ]
    variants = split_names("Igor Nikolaevich (Mykolayovich) TURCHENYUK", "alias")
    assert [n.name for n in variants] == ["Igor Nikolaevich TURCHENYUK", "Igor Mykolayovich TURCHENYUK"]
    assert [n.name for n in split_names("Korean:; Text of image; 리창호; RI, Chang Ho", "alias")] == [
        "리창호",
        "RI, Chang Ho",
    ]


def test_instrument_and_scheme_from_celex():
    assert instrument("32014R0269") == "Council Regulation (EU) No 269/2014"
    assert instrument("32014D0145") == "Council Decision 2014/145/CFSP"
    assert instrument("nonsense") is None
    assert identifier_scheme("32014R0269") == "eu_269_2014"


def test_display_name():
    assert display_name("AKSENOV, Sergei Valeryevich") == "Sergei Valeryevich AKSENOV"
    assert display_name("KIM, Jong Un", korean=True) == "KIM Jong Un"
    assert display_name("BANCO NACIONAL") == "BANCO NACIONAL"
