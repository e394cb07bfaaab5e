"""Case files built as background jobs (issue 22, item 8) and kept, by hash, under the store
(``EVIDENCE_DIR/.case-files/ab/cd/<sha256>``), to be downloaded again.

The job writes exactly the bytes the direct export writes (services/exports/case_files.py
``build_case_file``, the same code), records what the file holds and the clearance it was built
at, and hands nothing out: each download is what an export is -- an ``Export`` row, a custody
event "exported" for each exhibit (each file of a bag) naming the case file's hash, an audit
event per dossier -- after the stored bytes are hashed again. A kept case file is listed and
downloadable only for those cleared as far as the clearance it was built at, and cleared for
every exhibit it holds as they are classified now.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from models import Evidence, EvidenceFile, Job, KeptCaseFile, User, kept_case_file_official
from services.evidence.store import CASE_FILES, EvidenceStore, StoreError, sha256_of
from services.exports.case_files import EXTENSIONS, BuiltCaseFile, build_case_file, record_handout
from services.exports.data import ExportError
from services.jobs import records

BACKGROUND_FORMATS = ("pdf", "bag")


def path_of(store: EvidenceStore, sha256: str) -> Path:
    """Where the kept case file with this hash lives (a hash only: anything else is refused)."""
    inside = store.path_for(sha256).relative_to(store.root)
    return store.root / CASE_FILES / inside


def schedule(session: Session, official_ids: Sequence[int], fmt: str, user: User) -> Job:
    """A job building the case file of ``official_ids`` in ``fmt`` as ``user`` would export it."""
    if fmt not in BACKGROUND_FORMATS:
        raise ExportError(_("Choose a format: PDF or bag."))
    job = Job(
        kind="export_case_file",
        status="queued",
        requested_by=user,
        clearance=user.clearance,
        params={"official_ids": list(official_ids), "format": fmt},
    )
    session.add(job)
    session.flush()
    records.queue_after_commit(session, job)
    return job


def _place(store: EvidenceStore, partial: Path, sha256: str) -> None:
    target = path_of(store, sha256)
    if target.exists():  # the same bytes were kept before: keep that copy, never replace it
        partial.unlink(missing_ok=True)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(partial, target)
    os.chmod(target, stat.S_IRUSR | stat.S_IRGRP)


def run(
    session: Session,
    store: EvidenceStore,
    job: Job,
    progress: Callable[[int, int], None],
    config: Mapping[str, Any],
) -> str:
    """Build the case file the job asks for and keep it; its summary. ExportError when it cannot be built."""
    params: dict[str, Any] = job.params or {}
    user = job.requested_by
    if user is None or not user.active or not user.has_role("analyst"):
        raise ExportError(_("The person who asked for the case file may no longer export."))
    folder = store.root / CASE_FILES
    folder.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=folder, prefix=".building-", suffix=".part")
    partial = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            built = build_case_file(
                session,
                [int(i) for i in params.get("official_ids", [])],
                str(params.get("format", "")),
                user,
                out,
                config=config,
                progress=progress,
            )
            out.flush()
            os.fsync(out.fileno())
        _place(store, partial, built.sha256)
    finally:
        partial.unlink(missing_ok=True)
    kept = KeptCaseFile(
        job_id=job.id,
        requested_by=user,
        format=built.fmt,
        sha256=built.sha256,
        size=built.size,
        highest_classification=built.highest_classification,
        exhibit_count=len(built.contents),
        withheld_count=built.withheld,
        clearance=built.clearance,
        contents=[[evidence.id, [f.id if f else None for f in files]] for evidence, files in built.contents],
        officials=built.officials,
    )
    session.add(kept)
    session.flush()
    job.report = {"kept_case_file_id": kept.id}
    return _("Case file built and kept: %(size)d bytes, SHA-256 %(sha)s.", size=built.size, sha=built.sha256)


# --- listing and downloading -----------------------------------------------------------------


def of_official(session: Session, official_id: int, visible: Sequence[str], limit: int = 20) -> list[KeptCaseFile]:
    """The kept case files holding the official's dossier that a viewer cleared for ``visible``
    may know of (built at a clearance theirs covers), newest first."""
    return list(
        session.scalars(
            select(KeptCaseFile)
            .join(kept_case_file_official, kept_case_file_official.c.kept_case_file_id == KeptCaseFile.id)
            .where(kept_case_file_official.c.official_id == official_id, KeptCaseFile.clearance.in_(visible))
            .options(joinedload(KeptCaseFile.requested_by))
            .order_by(KeptCaseFile.created_at.desc(), KeptCaseFile.id.desc())
            .limit(limit)
        )
    )


def get_visible(session: Session, kept_id: int, visible: Sequence[str]) -> KeptCaseFile | None:
    """The kept case file, or None when it is missing, built at a clearance the viewer's does
    not cover, or holds an exhibit since classified above it."""
    kept = session.get(KeptCaseFile, kept_id)
    if kept is None or kept.clearance not in visible or kept.highest_classification not in visible:
        return None
    ids = [int(item[0]) for item in kept.contents]
    if ids:
        above = select(Evidence.id).where(Evidence.id.in_(ids), Evidence.classification.not_in(visible)).limit(1)
        if session.scalar(above) is not None:
            return None
    return kept


def download(session: Session, store: EvidenceStore, kept: KeptCaseFile, user: User) -> Path:
    """Hash the kept bytes again and record the download as an export; where the bytes are.
    ExportError when they are missing or changed (nothing is recorded then)."""
    try:
        path = path_of(store, kept.sha256)
    except StoreError as error:  # pragma: no cover - the column holds hashes only
        raise ExportError(_("The kept case file cannot be found.")) from error
    if not path.is_file() or sha256_of(path)[0] != kept.sha256:
        raise ExportError(_("The kept case file is missing or no longer matches its hash: build it again."))
    evidence = {
        e.id: e for e in session.scalars(select(Evidence).where(Evidence.id.in_([i[0] for i in kept.contents])))
    }
    file_ids = [f for item in kept.contents for f in item[1] if f is not None]
    files = {f.id: f for f in session.scalars(select(EvidenceFile).where(EvidenceFile.id.in_(file_ids)))}
    built = BuiltCaseFile(
        fmt=kept.format,
        sha256=kept.sha256,
        size=kept.size,
        highest_classification=kept.highest_classification,
        withheld=kept.withheld_count,
        clearance=kept.clearance,
        officials=list(kept.officials),
        contents=[(evidence[e], [files[f] if f is not None else None for f in fs]) for e, fs in kept.contents],
    )
    record_handout(session, built, user, kept_case_file_id=kept.id)
    return path


def download_name(kept: KeptCaseFile) -> str:
    ids = "-".join(str(o.id) for o in kept.officials)
    return f"case-file-{ids}-kept-{kept.id}.{EXTENSIONS[kept.format]}"
