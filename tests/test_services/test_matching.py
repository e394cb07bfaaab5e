"""Matching across sources and scripts: names, dates and identifiers; the candidate index;
precision and recall on a hand-checked sample of real EU / OFAC pairs."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import time
from functools import lru_cache

import pytest

from models import ExternalIdentifier, OfficialName, PartialDate
from services.imports.matching import (
    CandidateIndex,
    CandidateName,
    CandidateOfficial,
    compare_births,
    compare_names,
    load_candidates,
    score,
)
from services.imports.parsers.records import ImportedName, ImportedPerson
from services.imports.parsers.text import detect_script
from tests.conftest import real_data_file


def day(text: str) -> PartialDate:
    return PartialDate.parse(text)


def incoming(name: str, *aliases: str, birth: str | None = None, **kw) -> ImportedPerson:
    names = tuple(ImportedName(a, detect_script(a), "alias") for a in aliases)
    defaults = {"line": 1, "scheme": "ofac_sdn", "source_id": "1", "state_code": "RU"}
    return ImportedPerson(name=name, names=names, birth=day(birth) if birth else None, **{**defaults, **kw})


def official(name: str, *aliases: str, birth: str | None = None, **kw) -> CandidateOfficial:
    names = (CandidateName(name, detect_script(name)), *(CandidateName(a, detect_script(a)) for a in aliases))
    defaults = {"id": 1, "identifiers": frozenset(), "state_code": "RU"}
    return CandidateOfficial(name=name, names=names, birth=day(birth) if birth else None, **{**defaults, **kw})


# --- names across scripts and transliterations --------------------------------------------


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("AKSENOV, Sergei Valeryevich", "Sergey Valeryevich AKSYONOV"),  # EU vs OFAC spellings
        ("Shoigu", "Шойгу"),
        ("SHOIGU, Sergei Kuzhugetovich", "Шойгу Сергей Кужугетович"),
        ("Kim Jong Un", "Kim Jong-un"),
        ("KIM, Jong Un", "김정은"),
        ("Choe Ryong Hae", "최룡해"),
        ("LUKASHENKA, Alyaksandr Ryhorovich", "Аляксандр Рыгоравіч Лукашэнка"),
        ("LUKASHENKA, Alyaksandr Ryhorovich", "Aliaksandr Ryhoravich LUKASHENKA"),
        ("SHAUTSOU, Dzmitry Yauhenievich", "Дзмiтрый Яўгенавiч ШАЎЦОЎ"),
    ],
)
def test_one_person_across_scripts_and_romanisations(left, right):
    agreement = compare_names(left, right)
    assert agreement.similarity >= 0.88, agreement
    assert all(p.how != "unmatched" for p in agreement.parts)


@pytest.mark.parametrize(
    ("left", "right", "below"),
    [
        ("Kim Jong Un", "Kim Yo Jong", 0.75),  # siblings: two of three syllables shared
        ("Ivan Ivanovich IVANOV", "IVANOV, Petr Sergeevich", 0.5),  # a common surname
        ("BELOVA, Yuliya Aleksandrovna", "Юлия Александровна БЕЛЕХОВА", 0.75),
        ("Igor AKSYONOV", "Sergey Valeryevich AKSYONOV", 0.5),
        ("Ivanov", "Shoigu", 0.01),
    ],
)
def test_different_people_score_low(left, right, below):
    assert compare_names(left, right).similarity < below


def test_the_explanation_names_each_part_and_how_it_agreed():
    agreement = compare_names("AKSENOV, Sergei Valeryevich", "Sergey Valeryevich AKSYONOV")
    how = {(p.incoming, p.existing): p.how for p in agreement.parts}
    assert how == {
        ("aksenov", "aksyonov"): "same name",
        ("sergei", "sergey"): "same name",
        ("valeryevich", "valeryevich"): "identical",
    }
    shein = compare_names("SHEIN, Andrey", "Andrey Borisovich SHEIN")
    assert ("", "borisovich") in {(p.incoming, p.existing) for p in shein.parts if p.how == "unmatched"}


# --- dates, identifiers, decisions --------------------------------------------------------


@pytest.mark.parametrize(
    ("left", "right", "verdict"),
    [
        ("1972-11-26", "1972-11-26", "match"),
        ("1972", "1972-11-26", "compatible"),
        ("1972-11", "1972-11-26", "compatible"),
        ("1973-07-01", "1973-07-10", "typo"),  # the day only
        ("1982-09-06", "1982-06-09", "typo"),  # day and month swapped
        ("1966-03-03", "1966-05-03", "typo"),  # the month only
        ("1966-03-03", "1966-05-09", "conflict"),
        ("1972", "1973-05-01", "near"),  # a year-only date within a year
        ("1970-04-05", "1976-04-05", "veto"),
        ("1972", "1975", "veto"),
        (None, "1972", "absent"),
    ],
)
def test_birth_dates_support_or_veto(left, right, verdict):
    assert compare_births(day(left) if left else None, day(right)).verdict == verdict


def test_an_identical_external_identifier_is_the_same_person_whatever_the_names():
    person = incoming("Somebody Else", source_id="20157")
    candidate = official("Kim Jong Un", identifiers=frozenset({("ofac_sdn", "20157")}))
    result = score(person, candidate)
    assert result.decision == "same" and result.total == 1.0
    assert result.identifiers_shared == (("ofac_sdn", "20157"),)


def test_likely_possible_and_different():
    candidate = official("Sergey Valeryevich AKSYONOV", "Сергей Валерьевич АКСЁНОВ", birth="1972-11-26")
    likely = score(incoming("AKSENOV, Sergei Valeryevich", birth="1972-11-26"), candidate)
    assert likely.decision == "likely" and likely.total >= 0.9 and likely.date.verdict == "match"
    no_patronymic = score(incoming("AKSYONOV, Sergey"), candidate)
    assert no_patronymic.decision == "possible" and 0.75 <= no_patronymic.total < 0.9
    # same surname, a different birth year: vetoed
    vetoed = score(incoming("AKSYONOV, Sergey Valeryevich", birth="1980-01-01"), candidate)
    assert vetoed.decision == "different" and vetoed.vetoed and vetoed.date.verdict == "veto"
    assert score(incoming("AKSYONOV, Igor", birth="1970-01-01"), candidate).decision == "different"
    assert score(incoming("AKSYONOV, Igor"), candidate).decision == "different"
    # ... but born the same day it goes to review: one list may have the first name wrong
    # (OFAC's "Eduard" Kuznetsov is the EU's "Andrei", below)
    assert score(incoming("AKSYONOV, Igor", birth="1972-11-26"), candidate).decision == "possible"


def test_conflicting_ids_and_genders_veto_but_eu_entry_numbers_do_not():
    candidate = official(
        "Kim Jong Un", identifiers=frozenset({("ofac_sdn", "20157"), ("eu_269_2014", "7")}), gender="male"
    )
    assert score(incoming("KIM, Jong Un", source_id="21444"), candidate).decision == "different"
    eu = incoming("Kim Jong Un", scheme="eu_269_2014", source_id="99", birth=None)
    assert score(eu, candidate).decision == "likely"
    sister = score(incoming("Kim Jong Un", source_id="x", scheme="opensanctions", gender="female"), candidate)
    assert sister.decision == "different" and sister.gender == "different"


def test_a_weak_alias_counts_less_and_the_explanation_is_json():
    candidate = CandidateOfficial(
        id=3,
        name="Leonid Eduardovich SLUTSKI",
        names=(CandidateName("Leonid Eduardovich SLUTSKI", "Latn"), CandidateName("Leonid SLUTSKY", "Latn", weak=True)),
        birth=day("1968-01-04"),
        identifiers=frozenset(),
        state_code="RU",
    )
    result = score(incoming("SLUTSKY, Leonid Eduardovich", birth="1968-01-04"), candidate)
    assert result.decision == "likely"
    data = json.loads(json.dumps(result.explanation(), ensure_ascii=False))
    assert data["birth"] == {"verdict": "match", "incoming": "1968-01-04", "existing": "1968-01-04"}
    assert data["names"][0]["incoming"] == "SLUTSKY, Leonid Eduardovich"
    assert all(len(part) == 4 for name in data["names"] for part in name["parts"])
    weak = score(incoming("SLUTSKY, Leonid"), CandidateOfficial(**{**candidate.__dict__, "names": candidate.names[1:]}))
    strong = score(incoming("SLUTSKY, Leonid"), official("Leonid SLUTSKY"))
    assert weak.total < strong.total


# --- the candidate index over the database --------------------------------------------------


def test_load_candidates_reads_every_live_official_in_three_queries(session, make, count_queries):
    korea = make.state(code="KP")
    kim = make.official(state=korea, name="Kim Jong Un", native_name="김정은", native_script="Hang", gender="male")
    kim.birth = day("1984-01-08")
    session.add(OfficialName(official=kim, name="Ким Чен Ын", script="Cyrl", kind="transliteration"))
    session.add(ExternalIdentifier(official=kim, scheme="wikidata", value="Q56226"))
    gone = make.official(name="Deleted Person", deleted_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    session.flush()
    with count_queries() as few:
        index = load_candidates(session)
    for n in range(30):
        make.official(name=f"Extra Official {n}")
    with count_queries() as many:
        bigger = load_candidates(session)
    assert few.count == many.count == 3
    assert len(bigger.candidates) == len(index.candidates) + 30
    assert gone.id not in index.candidates
    candidate = index.candidates[kim.id]
    assert [(n.name, n.script) for n in candidate.names] == [
        ("Kim Jong Un", "Latn"),
        ("김정은", "Hang"),
        ("Ким Чен Ын", "Cyrl"),
    ]
    assert candidate.birth == day("1984-01-08") and candidate.state_code == "KP" and candidate.gender == "male"
    assert candidate.identifiers == {("wikidata", "Q56226")}


def test_best_finds_an_official_by_romanisation_script_or_identifier(session, demo):
    index = load_candidates(session)
    by_id = index.best(incoming("KIM, Jong Un", source_id="20157", state_code="KP"))
    assert by_id[0][0].name == "Kim Jong Un" and by_id[0][1].decision == "same"
    by_name = index.best(incoming("KIM, Jong-un", scheme="uk", source_id="x", state_code="KP", birth="1984-01-08"))
    assert by_name[0][0].name == "Kim Jong Un" and by_name[0][1].decision == "likely"
    # another OFAC uid than the official's: two SDN entries are two people
    other_uid = index.best(incoming("KIM, Jong-un", source_id="99999", state_code="KP", birth="1984-01-08"))
    assert all(s.decision == "different" for c, s in other_uid if c.name == "Kim Jong Un")
    hangul = index.best(incoming("김정은", source_id="x", scheme="opensanctions", state_code="KP"))
    assert hangul[0][0].name == "Kim Jong Un" and hangul[0][1].decision in ("likely", "possible")
    sister = index.best(incoming("KIM, Yo Jong", source_id="21444", state_code="KP", birth="1989-09-26"))
    assert all(s.decision == "different" for _, s in sister if _.name == "Kim Jong Un")
    nobody = index.best(incoming("Zzyzx Qwerty", source_id="y"))
    assert all(s.decision == "different" for _, s in nobody)


def test_an_official_added_during_an_import_is_found_next():
    index = CandidateIndex()
    person = incoming("Шойгу Сергей Кужугетович", source_id="a", scheme="opensanctions", birth="1955-05-21")
    assert index.best(person) == []
    index.add(official("Sergei Shoigu", "Sergey Kuzhugetovich SHOIGU", id=7, birth="1955-05-21"))
    ((candidate, result),) = index.best(person)
    assert candidate.id == 7 and result.decision == "likely"


# --- the real files: a hand-checked sample, and the whole OFAC list against the EU list -------


def _eu_birth(text: str) -> PartialDate | None:
    if m := re.match(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text):
        return PartialDate(dt.date(int(m[3]), int(m[2]), int(m[1])), "day")
    return PartialDate(dt.date(int(m[1]), 1, 1), "year") if (m := re.fullmatch(r"(\d{4})", text)) else None


def _eu_names(cells: list[str]) -> list[str]:
    """Every name of an EU row: ';'-separated, with native forms in brackets as names too."""
    names = []
    for item in (part.strip() for cell in cells for part in cell.split(";")):
        names.append(re.sub(r"\([^)]*\)?", "", item).strip())
        names += [inner.strip() for inner in re.findall(r"\(([^)]*)\)", item) if " " in inner.strip()]
    return [n for n in dict.fromkeys(names) if n]


@lru_cache(maxsize=1)
def eu_officials() -> dict[str, CandidateOfficial]:
    """The EU 269/2014 persons as officials (a minimal reading for these tests, not the importer)."""
    path = real_data_file("eu_oj_32014R0269_russia_ukraine.csv")
    found = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["schema"] == "Person":
                names = _eu_names([row["name"], row["alias"], row["weakAlias"]])
                found[row["recordId"]] = CandidateOfficial(
                    id=int(row["recordId"]),
                    name=names[0],
                    names=tuple(CandidateName(n, detect_script(n)) for n in names),
                    birth=_eu_birth(row["birthDate"]),
                    identifiers=frozenset({("eu_269_2014", row["recordId"])}),
                    state_code="BY" if "Belarus" in row["nationality"] else "RU",
                    gender=row["gender"].lower() or None,
                )
    return found


MONTHS = {m: i for i, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun"), 1)}
MONTHS.update({m: i for i, m in enumerate(("Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 7)})


def _ofac_birth(remarks: str) -> PartialDate | None:
    text = m[1] if (m := re.search(r"DOB (?:circa )?([^;]*)", remarks)) else ""
    if d := re.match(r"(\d{2}) (\w{3}) (\d{4})", text):
        return PartialDate(dt.date(int(d[3]), MONTHS[d[2]], int(d[1])), "day")
    if d := re.match(r"(\w{3}) (\d{4})", text):
        return PartialDate(dt.date(int(d[2]), MONTHS[d[1]], 1), "month")
    return PartialDate(dt.date(int(d[1]), 1, 1), "year") if (d := re.match(r"(\d{4})", text)) else None


def _ofac_state(program: str, remarks: str) -> str | None:
    if re.search(r"RUSSIA|UKRAINE-EO|CAATSA", program) or re.search(r"(nationality|citizen) Russia", remarks):
        return "RU"
    if "BELARUS" in program or re.search(r"(nationality|citizen) Belarus", remarks):
        return "BY"
    if "DPRK" in program or re.search(r"(nationality|citizen) Korea, North", remarks):
        return "KP"
    return None


@lru_cache(maxsize=1)
def ofac_persons() -> dict[str, ImportedPerson]:
    """OFAC's Russian, Belarusian and DPRK individuals (a minimal reading, not the importer)."""
    path = real_data_file("us_ofac_sdn_2024-05-03.csv")
    text = path.read_bytes().decode("latin-1").replace("\x1a", "")
    found = {}
    for line, row in enumerate(csv.reader(text.splitlines()), 1):
        state = _ofac_state(row[3], row[11]) if len(row) == 12 and row[2] == "individual" else None
        if state:
            gender = re.search(r"Gender (Male|Female)", row[11])
            akas = re.findall(r"a\.k\.a\. '([^']+)'", row[11])
            found[row[0]] = ImportedPerson(
                line=line,
                scheme="ofac_sdn",
                source_id=row[0],
                name=row[1],
                names=tuple(ImportedName(a, detect_script(a), "alias") for a in akas),
                birth=_ofac_birth(row[11]),
                state_code=state,
                gender=gender[1].lower() if gender else None,
            )
    return found


# (EU record, OFAC uid, same person?, why) -- each checked by hand against both records:
# birth date, place of birth, the post both lists name.
HAND_CHECKED = [
    ("1", "16642", True, "Aksyonov, head of Crimea; EU alias AKSENOV"),
    ("669", "35096", True, "Putin"),
    ("645", "35282", True, "Mishustin, prime minister; EU 3 May, OFAC 3 March 1966"),
    ("23", "16656", True, "Glazyev; OFAC without patronymic"),
    ("118", "16685", True, "Chemezov, Rostec; OFAC without patronymic"),
    ("34", "16709", True, "Kozak; OFAC without patronymic"),
    ("18", "16662", True, "Slutsky / Slutski, Duma"),
    ("49", "16714", True, "Volodin, Duma chairman"),
    ("16", "16670", True, "Mironov, Duma"),
    ("444", "35591", True, "Gekkiev, Duma deputy who voted for 58243-8"),
    ("462", "35609", True, "Dogayev, Duma deputy who voted for 58243-8"),
    ("10", "16665", True, "Dzhabarov, Federation Council"),
    ("33", "16661", True, "Mizulina, Federation Council"),
    ("1595", "34780", True, "Rossolay / Rassalai, Belarus military-industrial committee"),
    ("659", "34976", True, "Volfovich, Belarus Security Council"),
    ("1744", "46473", True, "Shautsou / Shevtsov, Belarus Red Cross"),
    ("1741", "47810", True, "Talay / Talai"),
    ("1757", "43288", True, "Morgun / Morhun"),
    ("1166", "39214", True, "Kuzmich / Kuz'mych"),
    ("933", "22413", True, "Dikiy / Dykiy, Ukrainian spelling of Aleksei"),
    ("1253", "35170", True, "Timur Ivanov, deputy defence minister; OFAC 12 Aug, EU 15 Aug 1975"),
    ("776", "36799", True, "S. Ivanov, senator born 19 Apr 1952; OFAC says Borisovich, EU Pavlovich"),
    ("312", "37334", True, "Kuznetsov, Duma deputy born 29 May 1972; OFAC says Eduard, EU Andrei"),
    ("1251", "35169", True, "Pankov, deputy defence minister; OFAC without patronymic"),
    ("1397", "40991", True, "Babushkin, Astrakhan governor; OFAC gives 1976 for 1970 (a miss by design)"),
    ("1950", "45947", True, "Nikita Zakharov"),
    ("1775", "16642", False, "Igor Aksyonov (Volga-Dnepr) is not Sergey Aksyonov"),
    ("1773", "44225", False, "Solin, military judge, is not Smolin (Vega Strategic Services)"),
    ("1950", "46004", False, "Nikita and Lavrentii Zakharov, brothers"),
    ("669", "35224", False, "Putin is not Vladimir Vladimirovich Yakushev"),
    ("1486", "38637", False, "Belekhova is not Belova"),
    ("1517", "45913", False, "Desyatova and Solozhentseva share a birthday, nothing else"),
    ("1200", "35307", False, "Stanislav and Alexander Chemezov, brothers"),
    ("118", "35306", False, "Sergey Chemezov and his son Stanislav"),
    ("920", "35314", False, "Boris Rotenberg and his son Boris Borisovich"),
    ("546", "35169", False, "two Nikolay Pankovs, born 1965 and 1954"),
    ("97", "35651", False, "two Vladimir Kononovs, born 1974 and 1958"),
    ("42", "34697", False, "Gerasimov is not Lukyanenko"),
    ("1901", "16084", False, "Shin Geum Cheol is not Kim Chol Sam"),
]


def _proposed(result) -> bool:
    """Sent to a user: merged (same), or queued for review (likely, possible)."""
    return result.decision != "different"


def test_precision_and_recall_on_the_hand_checked_sample(capsys):
    eu, ofac = eu_officials(), ofac_persons()
    outcomes = [(same, score(ofac[uid], eu[record])) for record, uid, same, _ in HAND_CHECKED]
    true_positive = sum(1 for same, r in outcomes if same and _proposed(r))
    false_positive = sum(1 for same, r in outcomes if not same and _proposed(r))
    positives = sum(1 for same, _ in outcomes if same)
    precision, recall = true_positive / (true_positive + false_positive), true_positive / positives
    likely = [(same, r) for same, r in outcomes if r.decision == "likely"]
    likely_precision = sum(1 for same, _ in likely if same) / len(likely)
    with capsys.disabled():
        print(
            f"\nmatching, {len(outcomes)} hand-checked pairs ({positives} same):"
            f" precision {precision:.2f}, recall {recall:.2f};"
            f" 'likely' alone: {len(likely)} pairs, precision {likely_precision:.2f}"
        )
    assert len(HAND_CHECKED) >= 30
    assert precision >= 0.9 and recall >= 0.9 and likely_precision == 1.0
    decisions = {(record, uid): r.decision for (record, uid, _, _), (_, r) in zip(HAND_CHECKED, outcomes, strict=True)}
    assert decisions[("1", "16642")] == "likely" and decisions[("1744", "46473")] != "different"
    assert decisions[("1397", "40991")] == "different"  # the year typo vetoes: a known miss


@pytest.mark.slow
def test_the_whole_ofac_list_against_the_eu_list_in_under_a_minute(capsys):
    eu, ofac = eu_officials(), ofac_persons()
    started = time.process_time()  # this process's CPU time: a busy machine does not stretch it
    index = CandidateIndex()
    for candidate in eu.values():
        index.add(candidate)
    best = {uid: index.best(person, limit=1) for uid, person in ofac.items()}
    elapsed = time.process_time() - started
    decisions = [found[0][1].decision if found else "different" for found in best.values()]
    with capsys.disabled():
        counts = {d: decisions.count(d) for d in ("likely", "possible", "different")}
        print(f"\n{len(ofac)} OFAC individuals against {len(eu)} EU persons: {elapsed:.1f} s, {counts}")
    assert len(ofac) > 2000 and elapsed < 60
    assert decisions.count("likely") > 800
    for record, uid, same, _ in HAND_CHECKED:
        if same and uid in ("16642", "16662", "35591", "34976"):
            assert best[uid][0][0].id == int(record)
