"""Case files built as jobs (issue 22 item 8): the same bytes as the direct export, kept by hash
under the store, downloadable again by those cleared as far, each download recorded as an export."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re

import pytest
from sqlalchemy import func, select

from models import AuditEvent, CustodyEvent, Export, Job, KeptCaseFile
from services.evidence.store import store_for
from services.exports import kept as kept_service
from services.exports.case_files import export_case_file
from services.jobs import queue


def fixed_clock(monkeypatch):
    """Exports name their day (a bag's Bagging-Date): the job and the direct export run on one."""
    from services.exports import case_files

    moment = dt.datetime(2026, 12, 8, 1, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(case_files, "utcnow", lambda: moment)


def run_job(app, session, official_ids, fmt, user) -> Job:
    job = kept_service.schedule(session, official_ids, fmt, user)
    session.commit()
    assert queue.queue_of(app).run(job.id) == "succeeded", session.get(Job, job.id).error
    session.expire_all()
    return session.get(Job, job.id)


def counts(session):
    return (
        session.scalar(select(func.count()).select_from(Export)),
        session.scalar(select(func.count()).select_from(CustodyEvent).where(CustodyEvent.event_type == "exported")),
        session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "export")),
    )


@pytest.mark.parametrize("fmt", ["pdf", "bag"])
def test_the_job_writes_the_direct_exports_bytes_and_records_nothing_until_downloaded(
    app, session, export_case, make_user, monkeypatch, fmt, evidence_dir
):
    fixed_clock(monkeypatch)
    official, public, secret = export_case
    user = make_user("analyst", "confidential")
    job = run_job(app, session, [official.id], fmt, user)
    assert counts(session) == (0, 0, 0)  # built, not handed out
    kept = session.get(KeptCaseFile, job.report["kept_case_file_id"])
    stored = kept_service.path_of(store_for(app.config), kept.sha256)
    assert stored.is_relative_to(evidence_dir / ".case-files")
    kept_bytes = stored.read_bytes()
    assert hashlib.sha256(kept_bytes).hexdigest() == kept.sha256 and len(kept_bytes) == kept.size
    assert (kept.clearance, kept.highest_classification, kept.exhibit_count, kept.withheld_count) == (
        "confidential",
        "confidential",
        2,
        0,
    )
    direct = io.BytesIO()
    with app.app_context():  # as the export runs: in a request or a command
        record = export_case_file(session, [official.id], fmt, user, direct, config=app.config)
    assert direct.getvalue() == kept_bytes  # byte for byte what the direct export makes
    assert record.sha256 == kept.sha256
    assert job.progress_done == job.progress_total == 2


def test_a_download_is_recorded_as_the_direct_export_is(app, session, export_case, make_user, monkeypatch):
    fixed_clock(monkeypatch)
    official, public, secret = export_case
    user = make_user("analyst", "confidential")
    job = run_job(app, session, [official.id], "bag", user)
    kept = session.get(KeptCaseFile, job.report["kept_case_file_id"])
    with app.app_context():
        export_case_file(session, [official.id], "bag", user, io.BytesIO(), config=app.config)
    session.commit()  # audit events are written as the transaction commits
    direct = counts(session)
    assert direct[0] == 1 and direct[1] > 0 and direct[2] == 1
    reader = make_user("analyst", "strictly_confidential")
    kept_service.download(session, store_for(app.config), kept, reader)
    session.commit()
    after = counts(session)
    assert after == tuple(2 * n for n in direct)  # as many exports, custody and audit events as the direct one
    record = session.scalars(select(Export).order_by(Export.id.desc())).first()
    assert (record.user_id, record.sha256, record.clearance, record.format) == (
        reader.id,
        kept.sha256,
        "confidential",
        "bag",
    )
    assert [o.id for o in record.officials] == [official.id]
    audit = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "export").order_by(AuditEvent.id.desc())
    ).first()
    assert audit.after["kept_case_file_id"] == kept.id and audit.entity_id == official.id


def test_a_kept_case_file_is_only_for_those_cleared_as_far(app, session, export_case, make_user):
    official, public, secret = export_case
    builder = make_user("analyst", "confidential")
    job = run_job(app, session, [official.id], "pdf", builder)
    kept_id = job.report["kept_case_file_id"]
    low = ("public", "restricted")
    assert kept_service.get_visible(session, kept_id, low) is None
    assert kept_service.of_official(session, official.id, low) == []
    cleared = ("public", "restricted", "confidential")
    assert kept_service.get_visible(session, kept_id, cleared).id == kept_id
    assert [k.id for k in kept_service.of_official(session, official.id, cleared)] == [kept_id]
    public.classification = "strictly_confidential"  # reclassified since it was built
    session.commit()
    assert kept_service.get_visible(session, kept_id, cleared) is None


def test_a_low_clearance_build_holds_less_and_is_listed_to_more(app, session, export_case, make_user):
    official, public, secret = export_case
    job = run_job(app, session, [official.id], "pdf", make_user("analyst", "public"))
    kept = session.get(KeptCaseFile, job.report["kept_case_file_id"])
    assert (kept.clearance, kept.exhibit_count, kept.withheld_count, kept.highest_classification) == (
        "public",
        1,
        1,
        "public",
    )
    assert [k.id for k in kept_service.of_official(session, official.id, ("public",))] == [kept.id]


def test_tampered_or_missing_kept_bytes_are_not_handed_out(app, session, export_case, make_user):
    official, _public, _secret = export_case
    user = make_user("analyst", "confidential")
    kept = session.get(KeptCaseFile, run_job(app, session, [official.id], "pdf", user).report["kept_case_file_id"])
    path = kept_service.path_of(store_for(app.config), kept.sha256)
    path.chmod(0o600)
    path.write_bytes(b"%PDF-1.7 forged")
    with pytest.raises(kept_service.ExportError, match="no longer matches"):
        kept_service.download(session, store_for(app.config), kept, user)
    path.unlink()
    with pytest.raises(kept_service.ExportError, match="missing"):
        kept_service.download(session, store_for(app.config), kept, user)
    assert counts(session) == (0, 0, 0)


def test_an_unknown_official_fails_the_job_with_its_reason_and_keeps_nothing(app, session, make_user, evidence_dir):
    user = make_user("analyst", "public")
    job = kept_service.schedule(session, [987654], "pdf", user)
    session.commit()
    assert queue.queue_of(app).run(job.id) == "failed"
    session.expire_all()
    failed = session.get(Job, job.id)
    assert failed.error and re.search(r"987654", failed.error)
    assert session.scalars(select(KeptCaseFile)).all() == []
    folder = evidence_dir / ".case-files"
    assert not folder.exists() or [p for p in folder.rglob("*") if p.is_file()] == []


def test_only_pdf_and_bag_are_built_in_the_background(session, make_user):
    with pytest.raises(kept_service.ExportError):
        kept_service.schedule(session, [1], "csv", make_user("analyst"))
