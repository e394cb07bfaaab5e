"""Names for the synthetic data set: Russian and Belarusian names written in Cyrillic with
their Latin transliterations, Korean names in Hangul with their romanisations.

Each name comes with the variants a sanctions list or a news report would write, so the
synthetic set exercises matching and search across scripts the way real data does
(Иванов / Ivanov / Iwanow; 김정은 / Kim Jong Un / Kim Jong-un / Gim Jeong-eun).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# (script, lang, kind) of each alias; kinds are NAME_KINDS
Alias = tuple[str, str, str, str]  # name, script, lang, kind


@dataclass(frozen=True)
class SynthName:
    name: str  # primary Latin-script name
    native_name: str
    native_script: str  # ISO 15924
    gender: str
    aliases: tuple[Alias, ...]


# --- Cyrillic ------------------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


MALE_FIRST = _words(
    "Александр Алексей Анатолий Андрей Антон Борис Вадим Валерий Василий Виктор Виталий Владимир "
    "Владислав Вячеслав Геннадий Георгий Григорий Денис Дмитрий Евгений Егор Иван Игорь Кирилл "
    "Константин Леонид Максим Михаил Никита Николай Олег Павел Пётр Роман Руслан Сергей Станислав "
    "Степан Тимур Фёдор Юрий Ярослав"
)
FEMALE_FIRST = _words(
    "Александра Алла Анастасия Анна Валентина Вера Галина Дарья Екатерина Елена Ирина Людмила "
    "Марина Мария Наталья Нина Ольга Светлана Татьяна Юлия"
)
SURNAMES = _words(
    "Абрамов Агапов Алексеев Андреев Антонов Баранов Белов Белоусов Богданов Борисов Быков Васильев "
    "Виноградов Волков Воробьёв Гаврилов Герасимов Голованов Горбунов Григорьев Гусев Давыдов "
    "Дмитриев Егоров Ермаков Жуков Зайцев Захаров Зуев Иванов Ильин Калинин Карпов Киселёв Климов "
    "Козлов Колесников Комаров Кондратьев Королёв Кудрявцев Кузнецов Куликов Лебедев Макаров "
    "Медведев Мельников Миронов Морозов Назаров Никитин Николаев Новиков Орлов Осипов Павлов "
    "Петров Поляков Попов Романов Рыбаков Савельев Семёнов Сергеев Сидоров Смирнов Соболев Соколов "
    "Соловьёв Степанов Субботин Тарасов Тимофеев Титов Тихонов Фёдоров Фомин Фролов Харитонов "
    "Цветков Чернов Шестаков Шубин Щербаков Юдин Яковлев"
)
# Belarusian surnames keep their own endings (-енко, -ич, -ский)
BY_SURNAMES = _words(
    "Лукашенко Ковалевич Мартинкевич Шевченко Карпенко Бондаренко Радькович Гурин Жданович "
    "Хренин Вольфович Тиханович Мисник Рыженков Макей Головченко Караник Сивак Шейман Петкевич "
    "Алейник Снопков Назаренко Тертель Вакульчик Шуневич Климович Кореневский Богданович"
)
# Russian first names and their Belarusian forms
BELARUSIAN_FIRST = {
    "Александр": "Аляксандр",
    "Алексей": "Аляксей",
    "Андрей": "Андрэй",
    "Виктор": "Віктар",
    "Владимир": "Уладзімір",
    "Дмитрий": "Дзмітрый",
    "Иван": "Іван",
    "Игорь": "Ігар",
    "Николай": "Мікалай",
    "Олег": "Алег",
    "Пётр": "Пятро",
    "Сергей": "Сяргей",
    "Юрий": "Юрый",
    "Анна": "Ганна",
    "Елена": "Алена",
    "Наталья": "Наталля",
    "Ольга": "Вольга",
}

_COMMON = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "з": "z", "и": "i", "к": "k", "л": "l",
    "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
    "ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ы": "y", "э": "e",
    "ь": "", "ъ": "", "е": "e", "ё": "e", "і": "i", "ў": "w",
}  # fmt: skip
# BGN/PCGN (the usual English spelling), ICAO 9303 (passports) and German (Duden) systems
_SYSTEMS = {
    "bgn": {**_COMMON, "й": "y", "ю": "yu", "я": "ya", "ё": "yo"},
    "icao": {**_COMMON, "й": "i", "ю": "iu", "я": "ia", "ъ": "ie"},
    "german": {
        **_COMMON,
        "в": "w", "ж": "sh", "з": "s", "й": "j", "х": "ch", "ц": "z", "ч": "tsch", "ш": "sch",
        "щ": "schtsch", "ю": "ju", "я": "ja", "ё": "jo", "с": "s", "е": "e",
    },
}  # fmt: skip


def transliterate(text: str, system: str) -> str:
    """Latin spelling of Cyrillic ``text`` in one system; capitals stay capitals."""
    table = _SYSTEMS[system]
    out = []
    for char in text:
        lower = char.lower()
        latin = table.get(lower)
        if latin is None:
            out.append(char)
        elif char != lower:
            out.append(latin[:1].upper() + latin[1:])
        else:
            out.append(latin)
    return "".join(out)


def _feminine(surname: str) -> str:
    if surname.endswith(("ов", "ев", "ёв", "ин")):
        return surname + "а"
    if surname.endswith("ский"):
        return surname[:-2] + "ая"
    return surname


def _patronymic(father: str, female: bool) -> str:
    stem = father.rstrip("йь")
    if father.endswith(("й", "ь")):
        return stem + ("евна" if female else "евич")
    if father.endswith("а"):
        return father[:-1] + ("ична" if female else "ич")
    return father + ("овна" if female else "ович")


def _dedupe(primary: str, aliases: list[Alias]) -> tuple[Alias, ...]:
    seen = {primary}
    kept = []
    for alias in aliases:
        if alias[0] not in seen:
            seen.add(alias[0])
            kept.append(alias)
    return tuple(kept)


def cyrillic_name(rng: random.Random, state: str) -> SynthName:
    """A Russian (RU) or Belarusian (BY) official's name and its variants."""
    female = rng.random() < 0.15
    first = rng.choice(FEMALE_FIRST if female else MALE_FIRST)
    father = rng.choice(MALE_FIRST)
    surname_pool = BY_SURNAMES if state == "BY" and rng.random() < 0.6 else SURNAMES
    surname = rng.choice(surname_pool)
    if female:
        surname = _feminine(surname)
    middle = _patronymic(father, female)
    native = f"{first} {middle} {surname}"
    primary = transliterate(f"{first} {middle} {surname}", "bgn")
    aliases: list[Alias] = [
        (f"{surname} {first} {middle}", "Cyrl", "ru", "alias"),
        (transliterate(f"{first} {surname}", "icao"), "Latn", "ru", "transliteration"),
    ]
    if rng.random() < 0.25:
        aliases.append((transliterate(f"{first} {surname}", "german"), "Latn", "de", "transliteration"))
    if state == "BY" and first in BELARUSIAN_FIRST:
        aliases.append((f"{BELARUSIAN_FIRST[first]} {surname}", "Cyrl", "be", "alias"))
    return SynthName(primary, native, "Cyrl", "female" if female else "male", _dedupe(primary, aliases))


# --- Hangul --------------------------------------------------------------------------------

# syllable: (DPRK / McCune-Reischauer without diacritics, Revised Romanisation)
FAMILY = {
    "김": ("Kim", "Gim"), "리": ("Ri", "I"), "박": ("Pak", "Bak"), "최": ("Choe", "Choe"),
    "정": ("Jong", "Jeong"), "강": ("Kang", "Gang"), "조": ("Jo", "Jo"), "윤": ("Yun", "Yun"),
    "장": ("Jang", "Jang"), "림": ("Rim", "Im"), "한": ("Han", "Han"), "오": ("O", "O"),
    "현": ("Hyon", "Hyeon"), "노": ("No", "No"), "황": ("Hwang", "Hwang"), "주": ("Ju", "Ju"),
    "명": ("Myong", "Myeong"), "태": ("Thae", "Tae"), "로": ("Ro", "No"), "안": ("An", "An"),
}  # fmt: skip
GIVEN = {
    "정": ("Jong", "jeong"), "은": ("Un", "eun"), "일": ("Il", "il"), "성": ("Song", "seong"),
    "철": ("Chol", "cheol"), "수": ("Su", "su"), "영": ("Yong", "yeong"), "호": ("Ho", "ho"),
    "남": ("Nam", "nam"), "혁": ("Hyok", "hyeok"), "광": ("Kwang", "gwang"), "룡": ("Ryong", "ryong"),
    "학": ("Hak", "hak"), "명": ("Myong", "myeong"), "석": ("Sok", "seok"), "준": ("Jun", "jun"),
    "희": ("Hui", "hui"), "국": ("Kuk", "guk"), "춘": ("Chun", "chun"), "택": ("Thaek", "taek"),
    "도": ("To", "do"), "민": ("Min", "min"), "훈": ("Hun", "hun"), "복": ("Pok", "bok"),
    "진": ("Jin", "jin"), "금": ("Kum", "geum"), "순": ("Sun", "sun"), "옥": ("Ok", "ok"),
    "경": ("Kyong", "gyeong"), "원": ("Won", "won"), "창": ("Chang", "chang"), "용": ("Yong", "yong"),
}  # fmt: skip
_FAMILY_KEYS = tuple(FAMILY)
_GIVEN_KEYS = tuple(GIVEN)


def hangul_name(rng: random.Random) -> SynthName:
    """A DPRK official's name in Hangul with the romanisations in use."""
    family = rng.choice(_FAMILY_KEYS)
    given = rng.choice(_GIVEN_KEYS) + rng.choice(_GIVEN_KEYS)
    mr = [GIVEN[s][0] for s in given]
    rr = [GIVEN[s][1] for s in given]
    primary = f"{FAMILY[family][0]} {mr[0]} {mr[1]}"
    aliases: list[Alias] = [
        (f"{FAMILY[family][0]} {mr[0]}-{mr[1].lower()}", "Latn", "ko", "transliteration"),
        (f"{FAMILY[family][1]} {rr[0].capitalize()}-{rr[1]}", "Latn", "ko", "transliteration"),
    ]
    gender = "female" if rng.random() < 0.1 else "male"
    return SynthName(primary, family + given, "Hang", gender, _dedupe(primary, aliases))


def official_name(rng: random.Random, state: str) -> SynthName:
    return hangul_name(rng) if state == "KP" else cyrillic_name(rng, state)
