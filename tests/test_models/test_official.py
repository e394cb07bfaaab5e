from __future__ import annotations

import datetime as dt

import pytest

from models import OfficialName, PartialDate
from models.official import name_search_key


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Шойгу Сергей Кужугетович", "shoygu sergey kuzhugetovich"),
        ("Sergei  SHOIGU", "sergei shoigu"),
        ("Kim Jong-un", "kim jong un"),
        ("Аляксандр Лукашэнка", "alyaksandr lukashenka"),
        ("Matviyenko, Valentina I.", "matviyenko valentina i"),
    ],
)
def test_search_key_folds_scripts_case_and_punctuation(name, key):
    assert name_search_key(name) == key


def test_search_key_follows_the_name(session, make):
    official = make.official()
    alias = OfficialName(name="Шойгу", script="Cyrl", lang="ru")
    official.names.append(alias)
    session.flush()
    assert alias.search_key == "shoygu"
    alias.name = "Шойгу С. К."
    session.flush()
    assert alias.search_key == "shoygu s k"


def test_partial_birth_date_round_trips(session, make):
    official = make.official()
    official.birth = PartialDate.parse("1952-10")
    session.flush()
    session.expire(official)
    assert official.birth_date == dt.date(1952, 10, 1)
    assert str(official.birth) == "1952-10"


def test_current_tenures_use_the_interval_of_partial_end_dates(make):
    tenure = make.tenure(start="2012-11-06", end="2024")
    assert tenure.is_current(dt.date(2024, 12, 31))  # ended some time in 2024: possibly still in office
    assert not tenure.is_current(dt.date(2025, 1, 1))
    assert not tenure.is_current(dt.date(2012, 11, 5))
    assert tenure.official.current_tenures(dt.date(2020, 1, 1)) == [tenure]
