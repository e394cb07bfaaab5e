"""Pinpoints anchored to the document (issue 22 item 5).

A support may name where in its exhibit the fact is borne out: a passage of one page of a file,
as a W3C Web Annotation TextQuoteSelector (``exact``, the quoted text, with a little of the
text before it, ``prefix``, and after it, ``suffix``), or a time range of an audio or video
file (seconds from its start). A passage is checked against the page's stored text
(models/text.py ``TextPage``, the latest extraction): the exact text must occur on that page,
and the prefix and suffix, when given, must stand right before and after one occurrence. The
free-text pinpoint beside it stays as it was.
"""

from __future__ import annotations

import math
import wave
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from models import Evidence, EvidenceFile, Support
from services.evidence import viewer
from services.evidence.store import EvidenceStore

MAX_EXACT = 2_000  # characters of a quoted passage
MAX_CONTEXT = 200  # characters of its prefix or suffix (the column's size)
MAX_SECONDS = 7 * 24 * 3600.0  # no recording is longer; a larger number is a mistake
MAX_ID = 2**31 - 1  # PostgreSQL's integer: a larger id is no file (and must not reach a query)


class AnchorRefused(ValueError):
    """A passage or time range that cannot be stored; the message says why, for people."""


@dataclass(frozen=True)
class Anchor:
    """What a support's anchor says: a passage (``page``, ``exact``, ``prefix``, ``suffix``) or
    a time range (``start``, ``end``) of the file ``file_id``."""

    file_id: int
    page: int | None = None
    exact: str | None = None
    prefix: str | None = None
    suffix: str | None = None
    start: float | None = None
    end: float | None = None

    @property
    def is_quote(self) -> bool:
        return self.page is not None


def normalise(text: str) -> str:
    """Line ends as a browser reads them back from a page (HTML turns CR LF and CR into LF)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def of_support(support: Support) -> Anchor | None:
    if support.anchor_file_id is None:
        return None
    return Anchor(
        support.anchor_file_id,
        support.quote_page,
        support.quote_exact,
        support.quote_prefix,
        support.quote_suffix,
        support.time_start,
        support.time_end,
    )


def apply(support: Support, anchor: Anchor | None) -> None:
    """Set (or, with None, clear) the anchor of ``support``; check it first with ``checked``."""
    support.anchor_file_id = anchor.file_id if anchor else None
    support.quote_page = anchor.page if anchor else None
    support.quote_exact = anchor.exact if anchor else None
    support.quote_prefix = anchor.prefix if anchor else None
    support.quote_suffix = anchor.suffix if anchor else None
    support.time_start = anchor.start if anchor else None
    support.time_end = anchor.end if anchor else None


def checked(session: Session, store: EvidenceStore, evidence: Evidence, anchor: Anchor) -> Anchor:
    """The anchor as it will be stored, or AnchorRefused: the file is one of the exhibit's, a
    passage occurs on the stored text of its page, a time range lies within the recording."""
    file = session.get(EvidenceFile, anchor.file_id) if 0 < anchor.file_id <= MAX_ID else None
    if file is None or file.evidence_id != evidence.id:
        raise AnchorRefused(_("The anchored file is not a file of exhibit %(number)s.", number=evidence.exhibit_no))
    has_quote = anchor.page is not None or bool(anchor.exact)
    has_time = anchor.start is not None or anchor.end is not None
    if has_quote and has_time:
        raise AnchorRefused(_("An anchor is either a passage of a page or a time range, not both."))
    if has_quote:
        return _checked_quote(session, file, anchor)
    if has_time:
        return _checked_time(store, file, anchor)
    raise AnchorRefused(_("Give the passage (page and quoted text) or the time range the anchor points to."))


def _checked_quote(session: Session, file: EvidenceFile, anchor: Anchor) -> Anchor:
    page, exact = anchor.page, normalise(anchor.exact or "")
    if page is None or page < 1:
        raise AnchorRefused(_("A passage needs the number of its page, from 1."))
    if not exact.strip():
        raise AnchorRefused(_("A passage needs the quoted text."))
    if len(exact) > MAX_EXACT:
        raise AnchorRefused(_("A quoted passage is at most %(num)d characters.", num=MAX_EXACT))
    prefix, suffix = normalise(anchor.prefix or ""), normalise(anchor.suffix or "")
    if len(prefix) > MAX_CONTEXT or len(suffix) > MAX_CONTEXT:
        raise AnchorRefused(_("The text before and after a passage is at most %(num)d characters.", num=MAX_CONTEXT))
    text = viewer.text_layer(session, file).text_of(page)
    if text is None:
        raise AnchorRefused(_("Page %(page)d of this file has no stored text to quote.", page=page))
    text = normalise(text)
    if exact not in text:
        raise AnchorRefused(_("The quoted text does not occur on page %(page)d of the file.", page=page))
    if locate(text, exact, prefix, suffix) is None:
        raise AnchorRefused(
            _("The text around the quoted passage does not match page %(page)d of the file.", page=page)
        )
    return Anchor(file.id, page, exact, prefix or None, suffix or None)


def locate(text: str, exact: str, prefix: str | None, suffix: str | None) -> int | None:
    """Where ``exact`` starts in ``text`` with ``prefix`` right before it and ``suffix`` right
    after (the first such place), or None."""
    prefix, suffix = prefix or "", suffix or ""
    at = text.find(exact)
    while at >= 0:
        if text[:at].endswith(prefix) and text[at + len(exact) :].startswith(suffix):
            return at
        at = text.find(exact, at + 1)
    return None


def _checked_time(store: EvidenceStore, file: EvidenceFile, anchor: Anchor) -> Anchor:
    if viewer.kind_of(file) not in ("audio", "video"):
        raise AnchorRefused(_("A time range points into an audio or video file."))
    start, end = anchor.start, anchor.end
    if start is None or end is None or not (math.isfinite(start) and math.isfinite(end)):
        raise AnchorRefused(_("A time range needs its start and its end, in seconds."))
    if start < 0 or end <= start or end > MAX_SECONDS:
        raise AnchorRefused(_("A time range runs forward from 0 seconds: its end after its start."))
    duration = duration_of(store, file)
    if duration is not None and end > duration + 0.001:
        raise AnchorRefused(_("The recording lasts %(seconds).1f seconds: the range ends after it.", seconds=duration))
    return Anchor(file.id, start=round(start, 3), end=round(end, 3))


def duration_of(store: EvidenceStore, file: EvidenceFile) -> float | None:
    """The recording's length in seconds where it can be told without a media library (WAV);
    None otherwise."""
    if file.media_type not in ("audio/x-wav", "audio/wav", "audio/vnd.wave"):
        return None
    try:
        with wave.open(str(store.path_for(file.sha256)), "rb") as audio:
            rate = audio.getframerate()
            return audio.getnframes() / rate if rate else None
    except (OSError, EOFError, wave.Error):
        return None


# --- showing an anchor ------------------------------------------------------------------------


@dataclass(frozen=True)
class Highlight:
    """A passage found again on its page: the text before it, the passage, the text after."""

    page: int
    before: str | None
    exact: str
    after: str | None


def highlight(session: Session, file: EvidenceFile, support: Support) -> Highlight | None:
    """The support's passage on its page of ``file``, split to mark it; None when the support
    anchors no passage of this file. When the page's text has changed since (a newer
    extraction), the passage is named without being marked (``before`` is None)."""
    anchor = of_support(support)
    if anchor is None or anchor.file_id != file.id or anchor.page is None or anchor.exact is None:
        return None
    text = viewer.text_layer(session, file).text_of(anchor.page)
    if text is not None:
        text = normalise(text)
        at = locate(text, anchor.exact, anchor.prefix, anchor.suffix)
        if at is None:
            at = text.find(anchor.exact)
        if at >= 0:
            return Highlight(anchor.page, text[:at], anchor.exact, text[at + len(anchor.exact) :])
    return Highlight(anchor.page, None, anchor.exact, None)
