"""The case file as PDF: the dossiers of an export bundle, print-styled, rendered by WeasyPrint.

The PDF shows what the dossier page shows (identity, elements, score, timeline, involvements,
exculpatory evidence, gaps) plus a cover, a table of contents and the exhibit list with the
SHA-256 of every file, so a registry can check the exhibits it receives against it.

Three rules keep it safe and verifiable:
- WeasyPrint fetches nothing: the only URLs it may open are ``data:`` URIs (DataOnlyFetcher);
  a name or a URL in the data is text, escaped by the template, never a resource.
- All CSS is passed in code; there is no base URL to resolve a relative path against.
- The same bundle gives the same bytes: every date in the PDF (its metadata included) is the
  bundle's ``last_change``, and the file identifier is a hash of the content.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import weasyprint
from flask import render_template
from flask_babel import gettext as _
from weasyprint.urls import URLFetcher

from models import ActAssessment, AggressionAct, Decision, Involvement, Support, Tenure
from services.disclosure.dossiers import Disclosed
from services.dossiers.graphics import Timeline, TimelineBar, TimelineMark, draw_timeline
from services.evidence.exhibits import human_size
from services.exports.data import ExportBundle, OfficialCase

# A fact of a dossier, as support targets name it: ("tenure" | "involvement" | "decision" | "act", id)
Target = tuple[str, int]
Fact = Tenure | Involvement | Decision | AggressionAct | ActAssessment


class FetchRefused(ValueError):
    """A URL the PDF asked for that is not embedded in it; WeasyPrint logs it and goes on."""


class DataOnlyFetcher(URLFetcher):
    """Opens ``data:`` URIs and nothing else: no file, no network address, no redirect.

    WeasyPrint turns any exception a fetcher raises into a failed fetch (a warning and a
    missing image), so a hostile URL in the data costs a blank space, never a request.
    """

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data",), allow_redirects=False, fail_on_errors=False)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
        if not url[:5].lower() == "data:":
            raise FetchRefused(f"The case file embeds everything it shows; not fetching {url[:200]!r}")
        return super().fetch(url, headers)


# --- what each dossier of the case file shows ------------------------------------------------


@dataclass(frozen=True)
class NameLine:
    text: str
    script: str | None  # ISO 15924
    kind: str  # "primary", "native", or an alias kind (alias, transliteration, ...)
    lang: str | None = None


@dataclass(frozen=True)
class TenureLine:
    tenure: Tenure
    current: bool  # may include the case file's date
    supports: list[Support]


@dataclass(frozen=True)
class InvolvementLine:
    involvement: Involvement
    acts: list[AggressionAct]
    on_involvement: list[Support]
    on_decision: list[Support]

    @property
    def decision(self) -> Decision:
        return self.involvement.decision


@dataclass(frozen=True)
class ExculpatoryLine:
    support: Support
    kind: str
    fact: Fact
    disclosures: tuple[Disclosed, ...] = ()  # to the official's defence (services/disclosure/)


@dataclass(frozen=True)
class CaseSheet:
    anchor: str  # id of the dossier's first heading, for the table of contents
    case: OfficialCase
    names: list[NameLine]
    tenures: list[TenureLine]
    involvements: list[InvolvementLine]
    exculpatory: list[ExculpatoryLine]
    timeline: Timeline


def _by_exhibit(supports: Iterable[Support]) -> list[Support]:
    """Supporting exhibits first, then contradicting ones, each by exhibit number."""
    return sorted(supports, key=lambda s: (s.stance != "supports", s.evidence.exhibit_no, s.id))


def _names(case: OfficialCase) -> list[NameLine]:
    official = case.official
    lines = [NameLine(official.name, "Latn", "primary")]
    if official.native_name:
        lines.append(NameLine(official.native_name, official.native_script, "native"))
    lines += [NameLine(n.name, n.script, n.kind, n.lang) for n in official.names]
    return lines


def _facts(case: OfficialCase, acts: dict[int, list[AggressionAct]]) -> dict[Target, Fact]:
    facts: dict[Target, Fact] = {("tenure", t.id): t for t in case.tenures}
    for involvement in case.involvements:
        facts[("involvement", involvement.id)] = involvement
        facts[("decision", involvement.decision_id)] = involvement.decision
        for act in acts.get(involvement.decision_id, []):
            facts[("act", act.id)] = act
            for assessment in act.assessments:
                facts[("act_assessment", assessment.id)] = assessment
    return facts


def _sheet(
    index: int,
    case: OfficialCase,
    bundle: ExportBundle,
    on: dict[Target, list[Support]],
    acts: dict[int, list[AggressionAct]],
) -> CaseSheet:
    as_of = bundle.as_of
    facts = _facts(case, acts)
    exculpatory = [
        ExculpatoryLine(
            s, target[0], facts[target], tuple(bundle.disclosures.get((case.official.id, s.evidence_id), ()))
        )
        for target in facts
        for s in on.get(target, [])
        if s.stance == "contradicts"
    ]
    bars = [TimelineBar(t.position.full_title, t.position.tier, t.start, t.end) for t in case.tenures]
    decisions = {i.decision_id: i.decision for i in case.involvements}
    marks = [TimelineMark(d.title, d.when) for d in decisions.values()]
    return CaseSheet(
        anchor=f"dossier-{index}",
        case=case,
        names=_names(case),
        tenures=[
            TenureLine(t, t.is_current(as_of), _by_exhibit(on.get(("tenure", t.id), [])))
            for t in sorted(case.tenures, key=lambda t: (t.start_date, t.id), reverse=True)
        ],
        involvements=[
            InvolvementLine(
                i,
                acts.get(i.decision_id, []),
                _by_exhibit(on.get(("involvement", i.id), [])),
                _by_exhibit(on.get(("decision", i.decision_id), [])),
            )
            for i in case.involvements
        ],
        exculpatory=sorted(exculpatory, key=lambda line: (line.support.evidence.exhibit_no, line.support.id)),
        timeline=draw_timeline(bars, marks, scope_start=bundle.scope_start, today=as_of),
    )


def case_sheets(bundle: ExportBundle) -> list[CaseSheet]:
    """One sheet per dossier, in the bundle's order."""
    on: dict[Target, list[Support]] = {}
    for support in bundle.supports:
        on.setdefault((support.target_type, support.target_id), []).append(support)
    included = {a.id for a in bundle.acts}
    acts = {d.id: [a for a in d.acts if a.id in included] for d in bundle.decisions}
    return [_sheet(n, case, bundle, on, acts) for n, case in enumerate(bundle.cases, start=1)]


# --- rendering -------------------------------------------------------------------------------


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string; anything but letters, digits and spaces hex-escaped."""
    return '"' + "".join(ch if ch.isalnum() or ch == " " else f"\\{ord(ch):x} " for ch in text) + '"'


def page_numbers_content() -> str:
    """The CSS ``content`` of "Page X of Y", in the reader's language and word order."""
    page, pages = "\x00page\x00", "\x00pages\x00"
    text = _("Page %(page)s of %(pages)s", page=page, pages=pages)
    counters = {page: "counter(page)", pages: "counter(pages)"}
    parts = re.split(f"({re.escape(page)}|{re.escape(pages)})", text)
    return " ".join(counters.get(part) or css_string(part) for part in parts if part)


def w3c_datetime(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def case_file_html(bundle: ExportBundle) -> str:
    """The case file as one HTML document (autoescaped: data is always text)."""
    return render_template(
        "exports/dossier_pdf.html",
        bundle=bundle,
        sheets=case_sheets(bundle),
        created=w3c_datetime(bundle.last_change),
        human_size=human_size,
    )


def case_file_css(bundle: ExportBundle) -> str:
    return render_template(
        "exports/print.css",
        bundle=bundle,
        css_string=css_string,
        page_numbers=page_numbers_content(),
    )


def render_pdf(bundle: ExportBundle, *, url_fetcher: URLFetcher | None = None) -> bytes:
    """The case file of ``bundle`` as PDF bytes; needs an app context (templates, translations).

    ``url_fetcher`` replaces the DataOnlyFetcher only for tests that watch what is fetched.
    """
    fetcher = url_fetcher or DataOnlyFetcher()
    document = weasyprint.HTML(string=case_file_html(bundle), base_url=None, url_fetcher=fetcher)
    stylesheet = weasyprint.CSS(string=case_file_css(bundle), base_url=None, url_fetcher=fetcher)
    # pdf_identifier=True: the file identifier is the MD5 of the content, so it never varies
    pdf: bytes = document.write_pdf(stylesheets=[stylesheet], pdf_identifier=True)
    return pdf
