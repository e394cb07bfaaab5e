"""Exhibits with text pages for the full-text search tests, written as an extraction stores
them (``text_extraction`` and ``text_page`` rows; the database's triggers index them), without
reading files: the extraction itself has its own tests (test_text_extraction.py)."""

from __future__ import annotations

import hashlib
import itertools
from typing import Any

from models import Evidence, EvidenceFile, TextExtraction, TextPage

_serial = itertools.count(1)


def _file(session: Any, evidence: Evidence, name: str | None, parent: EvidenceFile | None = None) -> EvidenceFile:
    digest = hashlib.sha256(f"{name}-{next(_serial)}".encode()).hexdigest()
    file = EvidenceFile(
        evidence=evidence,
        sha256=digest,
        size=10,
        media_type="application/json" if parent else "application/pdf",
        original_name=name,
        parent=parent,
        derivation="conversion" if parent else None,
    )
    session.add(file)
    return file


def _extraction(session: Any, source: EvidenceFile, texts: tuple[str, ...], tool: str) -> list[TextPage]:
    text_file = _file(session, source.evidence, f"{source.original_name}.{tool}.text.json", parent=source)
    extraction = TextExtraction(source_file=source, text_file=text_file, tool=tool, page_count=len(texts))
    pages = [TextPage(extraction=extraction, page_no=n, text=t, method="text_layer") for n, t in enumerate(texts, 1)]
    session.add(extraction)
    session.add_all(pages)
    session.flush()
    return pages


def with_pages(
    session: Any, evidence: Evidence, *texts: str, name: str = "scan.pdf", tool: str = "test-extractor 1"
) -> list[TextPage]:
    """Give ``evidence`` a file whose extracted text is ``texts``, one page each."""
    return _extraction(session, _file(session, evidence, name), texts, tool)


def reextract(session: Any, page: TextPage, *texts: str, tool: str) -> list[TextPage]:
    """A newer tool reads the same file again: a second extraction of it."""
    return _extraction(session, page.extraction.source_file, texts, tool)
