"""Synthetic extracted text for ``demo synth --text-pages N``: documents of 1 to 60 pages
(30 on average), each a file of a random exhibit with its text derivative and the pages
in ``text_page``, which the full-text index reads (bench/fulltext.py).

Each page is in one of the tribunal's languages (Russian 40%, Ukrainian 20%, English 20%,
Korean 15%, Belarusian 5%) and holds 150 to 350 words drawn from that language's synthetic
vocabulary (``VOCABULARY_SIZE`` words made of the script's syllables, with inflected endings
for the Cyrillic ones and particles written onto a third of the Korean words) with Zipf's
law, as in real text: a few words on nearly every page, most words on few. The same seed
gives the same words, pages and bytes.

The derivative is the same JSON document an extraction stores (services/evidence/text/
derive.py), written into the evidence store under its hash; the source file is a short text
naming the document. Their custody events are not synthesised (the exhibits' own files keep
theirs).
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from seeds.synth.frame import Sink, rng_for
from services.evidence.store import EvidenceStore

VOCABULARY_SIZE = 6000
PAGES_PER_DOCUMENT = (1, 60)  # uniform: 30 a document on average
WORDS_PER_PAGE = (150, 350)
LANGUAGE_WEIGHTS = (("ru", 40), ("uk", 20), ("en", 20), ("ko", 15), ("be", 5))
TOOL = "synthetic text 1"

_SYLLABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    # onsets, vowels, endings
    "en": (
        ("b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "st", "tr", "pr", "gr", "ch"),
        ("a", "e", "i", "o", "u", "ea", "ou", "ai"),
        ("", "", "s", "ed", "ing", "tion", "ment", "er", "al"),
    ),
    "ru": (
        ("б", "в", "г", "д", "ж", "з", "к", "л", "м", "н", "п", "р", "с", "т", "ф", "х", "ч", "ш", "пр", "ст", "тр"),
        ("а", "е", "и", "о", "у", "ы", "я", "ю", "ё"),
        ("", "а", "ы", "ов", "ами", "ой", "ый", "ого", "ение", "ения", "ать", "ует", "ом"),
    ),
    "uk": (
        ("б", "в", "г", "ґ", "д", "ж", "з", "к", "л", "м", "н", "п", "р", "с", "т", "х", "ч", "ш", "пр", "ст"),
        ("а", "е", "и", "і", "ї", "о", "у", "я", "є"),
        ("", "а", "и", "ів", "ами", "ого", "ння", "ість", "ати", "ує", "ою"),
    ),
    "be": (
        ("б", "в", "г", "д", "ж", "з", "к", "л", "м", "н", "п", "р", "с", "т", "ў", "х", "ч", "ш", "пр", "ст"),
        ("а", "е", "і", "о", "у", "ы", "я", "ю", "э"),
        ("", "а", "ы", "аў", "амі", "ага", "нне", "ння", "аць", "уе"),
    ),
}
_PARTICLES = ("이", "가", "은", "는", "을", "를", "의", "에서", "에게", "와")
_HANGUL_FIRST, _HANGUL_COUNT = 0xAC00, 11172


def _word(rng: random.Random, language: str) -> str:
    if language == "ko":
        return "".join(chr(_HANGUL_FIRST + rng.randrange(_HANGUL_COUNT)) for _ in range(rng.randint(2, 3)))
    onsets, vowels, endings = _SYLLABLES[language]
    stem = "".join(rng.choice(onsets) + rng.choice(vowels) for _ in range(rng.randint(2, 3)))
    return stem + rng.choice(onsets[:8]) + rng.choice(endings)


@cache
def vocabulary(language: str) -> tuple[str, ...]:
    """The language's words, most frequent first (the same for every seed: queries of a
    benchmark can be drawn from it without the data set)."""
    rng = random.Random(f"vocabulary:{language}")  # noqa: S311 (test data, not secrets)
    words: dict[str, None] = {}
    while len(words) < VOCABULARY_SIZE:
        words.setdefault(_word(rng, language))
    return tuple(words)


@cache
def _zipf(language: str) -> list[float]:
    """Cumulative weights of Zipf's law (exponent 1) over the vocabulary's ranks."""
    return list(itertools.accumulate(1.0 / rank for rank in range(1, VOCABULARY_SIZE + 1)))


def frequency_share(language: str, rank: int) -> float:
    """The share of a language's words that are the word of this rank (0-based)."""
    weights = _zipf(language)
    return (1.0 / (rank + 1)) / weights[-1]


def page_text(rng: random.Random, language: str) -> str:
    words = rng.choices(vocabulary(language), cum_weights=_zipf(language), k=rng.randint(*WORDS_PER_PAGE))
    if language == "ko":
        words = [w + rng.choice(_PARTICLES) if rng.random() < 0.33 else w for w in words]
    sentences, at = [], 0
    while at < len(words):
        length = rng.randint(8, 16)
        sentence = " ".join(words[at : at + length])
        sentences.append(sentence[:1].upper() + sentence[1:] + ".")
        at += length
    return " ".join(sentences)


def pick_language(rng: random.Random) -> str:
    return rng.choices([name for name, _ in LANGUAGE_WEIGHTS], weights=[w for _, w in LANGUAGE_WEIGHTS])[0]


@dataclass
class _Source:
    sha256: str


@dataclass(frozen=True)
class TextIds:
    """Where the text's ids start (after the rows the rest of the build wrote)."""

    first_file_id: int
    evidence_count: int


FILE_COLUMNS = ("id", "evidence_id", "sha256", "size", "media_type", "original_name")
DERIVATIVE_COLUMNS = (*FILE_COLUMNS, "parent_id", "derivation", "derivation_note")


def write_text(
    sink: Sink,
    store: EvidenceStore,
    seed: int,
    pages: int,
    ids: TextIds,
    place: Any,
    created: list[Path],
) -> int:
    """Documents of synthetic text totalling ``pages`` pages; returns the documents written.
    ``place(store, data)`` stores bytes (seeds/synth ``place_file``)."""
    from services.evidence.text.derive import text_document

    rng = rng_for(seed, "text")
    file_id, extraction_id, page_id, document = ids.first_file_id, 0, 0, 0
    files: list[tuple[Any, ...]] = []
    derivatives: list[tuple[Any, ...]] = []
    extractions: list[tuple[Any, ...]] = []
    rows: list[tuple[Any, ...]] = []
    while page_id < pages:
        document += 1
        count = min(rng.randint(*PAGES_PER_DOCUMENT), pages - page_id)
        evidence_id = rng.randint(1, ids.evidence_count)
        language = pick_language(rng)
        texts = [page_text(rng, language) for _ in range(count)]
        source = f"Synthetic document {document} (seed {seed}), {count} pages in {language}\n".encode()
        source_sha, path = place(store, source)
        if path is not None:
            created.append(path)
        listing: list[dict[str, object]] = [
            {"page": n, "text": t, "method": "text_layer", "language": language} for n, t in enumerate(texts, 1)
        ]
        document_bytes = text_document(_Source(source_sha), TOOL, listing)  # type: ignore[arg-type]
        text_sha, path = place(store, document_bytes)
        if path is not None:
            created.append(path)
        name = f"document-{document:07d}.txt"
        ts = sink.ts(document)
        files.append((file_id, evidence_id, source_sha, len(source), "text/plain", name, ts))
        derivatives.append(
            (file_id + 1, evidence_id, text_sha, len(document_bytes), "application/json", f"{name}.text.json")
            + (file_id, "conversion", f"Text extracted by {TOOL}", ts)
        )
        extraction_id += 1
        extractions.append((extraction_id, file_id, file_id + 1, TOOL, count, ts))
        for n, text in enumerate(texts, 1):
            page_id += 1
            rows.append((page_id, extraction_id, n, text, "text_layer", language))
        file_id += 2
        if len(rows) >= 5000:
            _flush(sink, files, derivatives, extractions, rows)
    _flush(sink, files, derivatives, extractions, rows)
    return document


def _flush(sink: Sink, *batches: list[tuple[Any, ...]]) -> None:
    files, derivatives, extractions, rows = batches
    sink.rows("evidence_file", (*FILE_COLUMNS, "created_at"), files)
    sink.rows("evidence_file", (*DERIVATIVE_COLUMNS, "created_at"), derivatives)
    sink.rows(
        "text_extraction", ("id", "source_file_id", "text_file_id", "tool", "page_count", "created_at"), extractions
    )
    sink.rows("text_page", ("id", "extraction_id", "page_no", "text", "method", "language"), rows)
    for batch in batches:
        batch.clear()
