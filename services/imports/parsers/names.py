"""Names out of the free text the EU lists put in their name and alias cells.

The Official Journal writes names as prose and OpenSanctions keeps that wording, so one cell
may hold several names and notes about them:

* ``Dmitry Nikolayevich KOZAK (Дмитрий Николаевич КОЗАК)``: a name in another script;
* ``Valentina Ivanova MATVIYENKO (born TYUTINA)``, ``..., née GOGOLEVA``: a birth name;
* ``Igor Nikolaevich (Mykolayovich) TURCHENYUK``: a variant of the word before it;
* ``Larisa AIRAPETYAN (a.k.a. Larysa AYRAPETYAN, Larisa AIRAPETYAN or Larysa AIRAPETYAN)``;
* ``Oleg TSARIOV, Oleh Anatoliyovych TSAROV`` and ``Aleksandr MALYKHIN Alexander MALYHIN``:
  several names in a row, told apart by commas or by a surname in capitals followed by a
  given name;
* labels such as ``Russian:`` or ``Text of image``;
* ``KIM Kwang Yon 김광연``: one name in two scripts side by side.

``split_names`` turns such a cell into separate names, each with its kind and script. What
it cannot take apart stays as written: a name is never invented, only cut out or varied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from services.imports.parsers.records import ImportedName
from services.imports.parsers.text import clean, detect_script, name_language

_LABEL = re.compile(r"\b(?:Russian|Ukrainian|Belarusian|Korean|Arabic)\s*:|\bText of image\b", re.IGNORECASE)
_BORN = re.compile(r"^(?:born|née|nee|formerly|f\.k\.a\.?)\s+", re.IGNORECASE)
_AKA = re.compile(r"^(?:a\.k\.a\.?|aka|also known as)\s*", re.IGNORECASE)
_AKA_SPLIT = re.compile(r"\s*,\s*|\s+or\s+")
_SEPARATORS = re.compile(r"\s*;\s*|\s+/\s+")
_DASH = re.compile(r"\s+[-–—]\s+|\s+[-–—]$")
_QUOTES = "'\"‘’“”«» ,.:-–"


@dataclass
class _Group:
    """A parenthesised part of a name and the index of the word it follows."""

    content: str
    after_word: int  # index in the outer words of the word just before the group, -1 if none


def _scan(text: str) -> tuple[list[str], list[_Group]]:
    """The words outside parentheses and the top-level groups. A stray ")" is dropped and an
    unclosed "(" runs to the end: OpenSanctions sometimes cuts a cell inside a parenthesis."""
    outside: list[str] = []
    groups: list[_Group] = []
    depth = 0
    buffer: list[str] = []
    inner: list[str] = []
    for char in text:
        if char == "(":
            if depth == 0:
                outside.append("".join(buffer))
                buffer = []
            else:
                inner.append(char)
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0:
                words = " ".join(outside).split()
                groups.append(_Group("".join(inner), len(words) - 1))
                inner = []
            else:
                inner.append(char)
        elif char != ")":
            (inner if depth else buffer).append(char)
    if depth and inner:
        groups.append(_Group("".join(inner), len(" ".join(outside).split()) - 1))
    outside.append("".join(buffer))
    return " ".join(outside).split(), groups


def _same_script(a: str, b: str) -> bool:
    return detect_script(a) == detect_script(b)


def _split_run(words: list[str]) -> list[list[str]]:
    """Cut a run of words where a surname in capitals is followed by a capitalised given name,
    when both sides keep at least two words ("A B SURNAME C D SURNAME2")."""
    runs: list[list[str]] = [[]]
    for index, word in enumerate(words):
        current = runs[-1]
        previous = words[index - 1] if index else ""
        rest = len(words) - index
        if (
            len(current) >= 2
            and rest >= 2
            and len(previous) > 1
            and previous.isupper()
            and word[:1].isupper()
            and any(c.islower() for c in word)
        ):
            runs.append([])
        runs[-1].append(word)
    return runs


def _pieces(text: str) -> list[str]:
    """Separate names in a run of text: dashes, commas when at least two sides look like full
    names (so "RI, Chang Ho" and "IGNATOV, TAMBOV" stay whole), capitals-then-given-name."""
    pieces: list[str] = []
    for part in _DASH.split(text):
        commas = [c for c in part.split(",")]
        if sum(len(c.split()) >= 2 for c in commas) < 2:
            commas = [part]
        for comma in commas:
            pieces.extend(" ".join(run) for run in _split_run(comma.split()))
    return [p for p in (p.strip(_QUOTES) for p in pieces) if p]


def _names(text: str, kind: str) -> list[tuple[str, str]]:
    """(name, kind) pairs in one part of a cell, the part's own name first."""
    text = clean(_LABEL.sub(" ", text))
    if _AKA.match(text):
        return [n for piece in _AKA_SPLIT.split(_AKA.sub("", text)) for n in _names(piece, "alias")]
    if _BORN.match(text):
        kind, text = "former_name", _BORN.sub("", text)
    words, groups = _scan(text)
    found: list[tuple[str, str]] = []
    extras: list[tuple[str, str]] = []
    for group in groups:
        content = clean(_LABEL.sub(" ", group.content))
        single = len(content.split()) == 1
        before = words[group.after_word] if group.after_word >= 0 else ""
        born = _BORN.match(content)
        if born:
            # "(born TYUTINA)": the same name with the birth surname
            for name, _kind in _names(content[born.end() :], "former_name"):
                whole = [*words[:-1], name] if len(name.split()) == 1 and words else [name]
                extras.append((" ".join(whole), "former_name"))
        elif single and before and _same_script(before, content):
            # "Nikolaevich (Mykolayovich)": the same name with this word spelled otherwise
            variant = [*words[: group.after_word], content, *words[group.after_word + 1 :]]
            extras.extend((piece, kind) for piece in _pieces(" ".join(variant)))
        else:
            extras.extend(_names(content, "alias" if kind != "weak_alias" else kind))
    for piece in _pieces(" ".join(words)):
        if (born := _BORN.match(piece)) and found and len(piece.split()) == 2:
            # "..., née GOGOLEVA" after a full name: that name with the birth surname
            surname = piece[born.end() :]
            found.append((" ".join([*found[-1][0].split()[:-1], surname]), "former_name"))
        elif born:
            found.append((piece[born.end() :], "former_name"))
        else:
            found.append((piece, kind))
    return found + extras


def script_runs(name: str) -> list[str]:
    """A name written in two scripts side by side ("KIM Kwang Yon 김광연") as one name per
    script; any other name as it is. Words are told apart by the script most of their letters
    are in, so a Latin "i" typed inside a Cyrillic word stays in it."""
    runs: list[tuple[str | None, list[str]]] = []
    for word in name.split():
        script = detect_script(word)
        if runs and (script is None or script == runs[-1][0] or runs[-1][0] is None):
            runs[-1] = (runs[-1][0] or script, [*runs[-1][1], word])
        else:
            runs.append((script, [word]))
    if len(runs) < 2:
        return [name]
    return [" ".join(words).strip(_QUOTES) for _script, words in runs]


def split_names(cell: str, kind: str) -> list[ImportedName]:
    """Every name in an EU name or alias cell, in order, without repeats, with its script and,
    where the letters tell, its language. ``kind`` is the kind of the cell's own names
    (alias, weak_alias, former_name)."""
    result: list[ImportedName] = []
    seen: set[str] = set()
    for part in _SEPARATORS.split(cell):
        for whole, name_kind in _names(part, kind):
            for name in script_runs(whole.strip(_QUOTES)):
                key, script = name.casefold(), detect_script(name)
                if key in seen or script is None:
                    continue
                seen.add(key)
                result.append(ImportedName(name=name, script=script, kind=name_kind, lang=name_language(name, script)))
    return result
