"""Who may already be the official a form describes (services/facts/officials.likely_duplicates):
found whichever script or transliteration the form and the record use, for names of one
word, names of short words and Korean names of two syllables, and never for a person who
only shares a common first name."""

from __future__ import annotations

import pytest

from services.facts.officials import NameRow, OfficialInput, likely_duplicates


def _form(state_id: int, name: str, native: str | None = None, aliases: tuple[str, ...] = ()) -> OfficialInput:
    script = None
    if native:
        script = "Hang" if any("\uac00" <= c <= "\ud7a3" for c in native) else "Cyrl"
    return OfficialInput(
        name=name,
        native_name=native,
        native_script=script,
        state_id=state_id,
        birth=None,
        gender=None,
        notes=None,
        names=[NameRow(alias, "Latn", None, "alias") for alias in aliases],
        identifiers=[],
    )


# (recorded name, recorded native name, typed name, typed native name)
SAME_PERSON = [
    ("Sergey Kuzhugetovich SHOYGU", "Сергей Шойгу", "Sergei Shoigu", None),  # transliterations
    ("Sergei Shoigu", None, "Serhii Shoihu", "Сергей Кужугетович Шойгу"),  # Ukrainian spelling + Cyrillic
    ("Kim Jong Un", "김정은", "KIM Jong-un", None),  # Korean order and hyphen
    ("Kim Jong Un", "김정은", "Gim Jeong-eun", "김정은"),  # only the Hangul is shared
    ("Choe Son Hui", "최선희", "Ch'oe Son-hui", "최선희"),
    ("Ri Il", "리일", "Ri Il", "리일"),  # every word shorter than three letters
    ("Ri Il", None, "RI, Il", None),
    ("Alexander Lukashenko", "Александр Лукашенко", "Aliaksandr Lukashenka", "Аляксандр Лукашэнка"),
    ("Lukashenko", None, "Lukashenko", None),  # one word
]


@pytest.mark.parametrize(("recorded", "recorded_native", "typed", "typed_native"), SAME_PERSON)
def test_the_same_person_is_found_across_scripts_and_spellings(
    make, session, recorded, recorded_native, typed, typed_native
):
    state = make.state()
    existing = make.official(state=state, name=recorded, native_name=recorded_native)
    for n in range(3):
        make.official(state=state, name=f"Unrelated Person{n} Namesake{n}")
    found = likely_duplicates(_form(state.id, typed, typed_native))
    assert [d.official.id for d in found][:1] == [existing.id], [(d.official.name, d.decision) for d in found]


def test_a_shared_first_name_is_not_a_likely_duplicate(make, session):
    state = make.state()
    make.official(state=state, name="Sergei Lavrov", native_name="Сергей Лавров")
    make.official(state=state, name="Kim Yo Jong", native_name="김여정")
    assert likely_duplicates(_form(state.id, "Sergei Shoigu", "Сергей Шойгу")) == []
    assert [d.official.name for d in likely_duplicates(_form(state.id, "Kim Jong Un", "김정은"))] == []


def test_hostile_and_empty_names_find_nothing_and_raise_nothing(make, session):
    state = make.state()
    make.official(state=state, name="Sergei Shoigu")
    for typed in ['"', "' OR 1=1 --", "***", "(((", "\u200b", "-", "NEAR/3", "a b c"]:
        assert likely_duplicates(_form(state.id, typed)) == []
