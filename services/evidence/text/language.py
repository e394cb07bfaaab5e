"""The language of a page of text, for the tribunal's languages: Russian, Ukrainian,
Belarusian, Korean and English.

Why a heuristic on letters and not a statistical library: the languages of the material are
told apart by their alphabets. Hangul is Korean. Among the Cyrillic alphabets, Ukrainian alone
has є, ї and ґ and lacks ы, э, ё and ъ; Belarusian alone has ў and lacks и, щ and ъ; Russian
lacks і, ї, є, ґ and ў. Counting the letters a text has outside each alphabet decides
deterministically, on a few words as on a page, with nothing to download or load: the
kept statistical detectors either fetch a model at run time (fastText), which the machines
here cannot, or bring large wheels and models for seventy languages to tell five apart.
OCR reads a page with the languages of its script only (services/evidence/text/ocr.py), so a
page it reads is already within these alphabets. Latin text is English when enough of its
words are common English words; other Latin-script languages are left undetermined (None)
rather than guessed.
"""

from __future__ import annotations

import re

RUSSIAN = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")
UKRAINIAN = frozenset("абвгґдеєжзиіїйклмнопрстуфхцчшщьюя")
BELARUSIAN = frozenset("абвгдеёжзійклмнопрстуўфхцчшыьэюя")
CYRILLIC_LANGUAGES = (("ru", RUSSIAN), ("uk", UKRAINIAN), ("be", BELARUSIAN))  # ties go to the first
ENGLISH_WORDS = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "a",
        "is",
        "was",
        "that",
        "for",
        "on",
        "with",
        "as",
        "by",
        "be",
        "it",
        "at",
        "this",
        "from",
        "are",
        "were",
        "or",
        "an",
        "not",
        "which",
        "have",
        "has",
        "had",
        "his",
        "her",
        "their",
        "they",
        "he",
        "she",
        "we",
        "our",
        "you",
        "been",
        "will",
        "would",
        "there",
        "all",
        "its",
        "who",
    ]
)
ENGLISH_SHARE = 0.15  # at least this share of the words are common English words
MIN_LETTERS = 3
_WORD = re.compile(r"[a-z]+")


def _script(ch: str) -> str | None:
    code = ord(ch)
    if 0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
        return "hangul"
    if 0x0400 <= code <= 0x04FF:
        return "cyrillic"
    if ch.isascii() and ch.isalpha():
        return "latin"
    return None


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the text's language, or None when it does not tell."""
    counts = {"hangul": 0, "cyrillic": 0, "latin": 0}
    cyrillic: list[str] = []
    for ch in text.lower():
        script = _script(ch)
        if script is not None:
            counts[script] += 1
            if script == "cyrillic":
                cyrillic.append(ch)
    script, letters = max(counts.items(), key=lambda item: item[1])
    if letters < MIN_LETTERS:
        return None
    if script == "hangul":
        return "ko"
    if script == "cyrillic":
        foreign = {code: sum(ch not in alphabet for ch in cyrillic) for code, alphabet in CYRILLIC_LANGUAGES}
        return min(foreign, key=lambda code: foreign[code])
    words = _WORD.findall(text.lower())
    if words and sum(word in ENGLISH_WORDS for word in words) / len(words) >= ENGLISH_SHARE:
        return "en"
    return None
