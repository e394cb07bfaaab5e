"""Background jobs (issue 22, item 1): queued after their transaction commits, run once even
when handed out twice, retried by the queue after an unexpected error (not after a file that
cannot be read), and run by a real huey consumer from SQLite storage and from Redis."""

from __future__ import annotations

import os
import uuid

import pytest
from huey import MemoryHuey, RedisHuey, SqliteHuey
from sqlalchemy import select

from models import AuditEvent, Job
from services.evidence.files import attach_file
from services.evidence.store import store_for
from services.jobs import queue, records, runner
from tests import text_files as tf

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")  # a scratch database


@pytest.fixture
def store(app, evidence_dir):
    return store_for(app.config)


@pytest.fixture
def queued_job(session, store, make):
    """``queued_job(data)``: a committed file of a new exhibit and its committed extraction job,
    not handed to any queue yet."""

    def build(data: bytes = b"", name: str = "statement.pdf") -> Job:
        incoming = store.receive()
        incoming.write(data or tf.text_pdf("The order was given on 24 February"))
        incoming.flush()
        file = attach_file(session, store, make.evidence(), incoming, original_name=name, actor=None)
        job = records.schedule_extraction(session, file, None)
        assert job is not None
        records.take_pending(session)
        session.commit()
        return job

    return build


def status(session, job: Job) -> Job:
    session.expire_all()
    return session.get(Job, job.id)


def test_jobs_are_queued_only_when_their_transaction_commits(app, session, store, make):
    huey = queue.queue_of(app).huey
    assert isinstance(huey, MemoryHuey) and not huey.immediate
    before = huey.pending_count()
    incoming = store.receive()
    incoming.write(b"A plain text statement")
    incoming.flush()
    file = attach_file(session, store, make.evidence(), incoming, original_name="s.txt", actor=None)
    with app.app_context():
        job = records.schedule_extraction(session, file, None)
        assert records.pending(session) == [job.id] and huey.pending_count() == before
        session.commit()
    assert records.pending(session) == [] and huey.pending_count() == before + 1
    assert [task.args for task in huey.pending()[-1:]] == [(job.id,)]
    # asking again while it waits gives the same job
    assert records.schedule_extraction(session, file, None).id == job.id
    records.take_pending(session)


def test_a_rolled_back_transaction_queues_nothing(app, session, store, make):
    huey = queue.queue_of(app).huey
    before = huey.pending_count()
    incoming = store.receive()
    incoming.write(b"Another statement")
    incoming.flush()
    file = attach_file(session, store, make.evidence(), incoming, original_name="s.txt", actor=None)
    records.schedule_extraction(session, file, None)
    session.rollback()
    assert records.pending(session) == [] and huey.pending_count() == before


def test_immediate_mode_runs_the_job_at_commit(app, session, store, make, monkeypatch):
    huey = queue.queue_of(app).huey
    monkeypatch.setattr(huey, "immediate", True)
    incoming = store.receive()
    incoming.write("Показания свидетеля о приказе".encode())
    incoming.flush()
    file = attach_file(session, store, make.evidence(), incoming, original_name="s.txt", actor=None)
    with app.app_context():
        job = records.schedule_extraction(session, file, None)
        session.commit()
    job = status(session, job)
    assert (job.status, job.attempts, job.progress_done) == ("succeeded", 1, 0)
    assert job.result.startswith("1 page of text extracted")


def test_a_job_is_run_once_even_when_handed_out_twice(app, session, queued_job):
    job = queued_job()
    job_queue = queue.queue_of(app)
    assert job_queue.run(job.id) == "succeeded"
    assert job_queue.run(job.id) is None  # done: claimed by nobody
    assert status(session, job).attempts == 1
    assert job_queue.run(987654321) is None  # an id whose row is not there (rolled back) is passed over


def test_an_unexpected_error_is_retried_by_the_queue(app, session, queued_job, monkeypatch):
    job = queued_job()
    real = runner.HANDLERS["extract_text"]
    calls = []

    def flaky(*args):
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("the evidence store's disk went away")
        return real(*args)

    monkeypatch.setitem(runner.HANDLERS, "extract_text", flaky)
    huey = MemoryHuey("retry-test", immediate=True)
    job_queue = queue.JobQueue(app, huey, retries=2, retry_delay=0)
    huey.enqueue(job_queue.enqueue(job.id))
    job = status(session, job)
    assert len(calls) == 2 and (job.status, job.attempts, job.error) == ("succeeded", 2, None)


def test_an_unreadable_file_fails_once_with_its_reason(app, session, queued_job):
    job = queued_job(b"%PDF-1.4\nnot a document", "broken.pdf")
    huey = MemoryHuey("fail-test", immediate=True)
    job_queue = queue.JobQueue(app, huey, retries=2, retry_delay=0)
    huey.enqueue(job_queue.enqueue(job.id))
    job = status(session, job)
    assert (job.status, job.attempts) == ("failed", 1)  # no retry: reading it again changes nothing
    assert job.error.startswith("The PDF cannot be read")


def test_retrying_a_failed_job_is_audited_and_queues_it(app, session, queued_job, make_user):
    job = queued_job(b"%PDF-1.4\nnot a document", "broken.pdf")
    queue.queue_of(app).run(job.id)
    job = status(session, job)
    with pytest.raises(records.RetryRefused):
        records.retry(session, Job(status="succeeded"))
    from services.audit import trail as audit

    admin = make_user("admin", "public")
    with audit.acting_as(admin):
        records.retry(session, job)
    assert records.pending(session) == [job.id] and job.status == "queued"
    events = [row for row in audit.pending(session) if row["entity_type"] == "job"]
    assert events[-1]["action"] == "update" and events[-1]["after"] == {"status": "queued", "finished_at": None}
    assert events[-1]["actor_id"] == admin.id and events[-1]["parent_id"] == job.evidence_id
    records.take_pending(session)
    session.commit()
    assert session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "job")).first() is not None


def run_with_consumer(app, session, huey, job: Job) -> str | None:
    """Queue the job on ``huey`` and let a real consumer thread run it; wait for its result
    (the test's connection is idle meanwhile: the worker thread uses it alone)."""
    job_queue = queue.JobQueue(app, huey, retries=0)
    consumer = huey.create_consumer(workers=1, worker_type="thread", periodic=False, check_worker_health=False)
    consumer.start()
    try:
        result = huey.enqueue(job_queue.enqueue(job.id))
        return result.get(blocking=True, timeout=120)
    finally:
        consumer.stop(graceful=True)


def test_a_real_worker_runs_jobs_from_sqlite_storage(app, session, queued_job, tmp_path):
    job = queued_job()
    huey = SqliteHuey("tribunal-test", filename=str(tmp_path / "jobs.sqlite3"))
    assert run_with_consumer(app, session, huey, job) == "succeeded"
    job = status(session, job)
    assert job.status == "succeeded" and job.result.startswith("1 page of text extracted")


def test_a_real_worker_runs_jobs_from_redis(app, session, queued_job):
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {REDIS_URL}, and CI is set: the Redis queue must be tested")
        pytest.skip(f"Redis is not reachable at {REDIS_URL} (start redis-server to run this test)")
    name = f"tribunal-test-{uuid.uuid4().hex}"  # keys of its own: parallel runs never meet
    huey = RedisHuey(name, url=REDIS_URL)
    try:
        job = queued_job()
        assert run_with_consumer(app, session, huey, job) == "succeeded"
        assert status(session, job).status == "succeeded"
    finally:
        huey.flush()
        assert not client.keys(f"huey*{name}*")
        client.close()


def test_a_starting_worker_fails_jobs_a_stopped_worker_left_running_and_queues_the_rest(app, session, queued_job):
    import datetime as dt

    from models.base import utcnow

    waiting, lost, live = queued_job(), queued_job(), queued_job()
    lost.status, lost.heartbeat_at = "running", utcnow() - dt.timedelta(hours=1)
    live.status, live.heartbeat_at = "running", utcnow() - dt.timedelta(minutes=2)  # still reporting
    session.commit()
    huey = queue.queue_of(app).huey
    before = huey.pending_count()
    with app.app_context():
        queued, failed = records.recover_interrupted(session)
        session.commit()
    assert (queued, failed) == ([waiting.id], 1)
    assert huey.pending_count() == before + 1
    assert (status(session, lost).status, status(session, live).status) == ("failed", "running")
    assert status(session, lost).error == "The worker running this job stopped before it ended; retry it."
    assert queue.queue_of(app).run(lost.id) == "succeeded"  # retried, it runs


def test_the_worker_command_recovers_then_consumes(app, runner, session, queued_job, monkeypatch):
    job = queued_job()
    huey = queue.queue_of(app).huey
    consumed = []
    monkeypatch.setattr(
        type(huey), "create_consumer", lambda self, **kw: type("C", (), {"run": lambda s: consumed.append(kw)})()
    )
    result = runner.invoke(args=["jobs", "worker", "--workers", "3"])
    assert result.exit_code == 0, result.output
    assert "Queued again: 1 job(s); failed, their worker having stopped: 0." in result.output
    assert consumed == [{"workers": 3, "worker_type": "thread", "periodic": False}]
    assert [task.args for task in huey.pending()[-1:]] == [(job.id,)]


def test_no_transaction_stays_open_while_a_file_is_read(app, session, store, queued_job, monkeypatch):
    """OCR takes seconds a page: on SQLite a transaction open meanwhile would hold the write
    lock and keep every request from writing."""
    from services.evidence.text import readers

    job = queued_job()
    real = readers.extract
    open_while_reading = []

    def watched(data, media_type, progress):
        open_while_reading.append(session.in_transaction())
        return real(
            data,
            media_type,
            lambda done, total: (progress(done, total), open_while_reading.append(session.in_transaction())),
        )

    monkeypatch.setattr(readers, "extract", watched)
    with app.app_context():
        assert runner.run(session, store, job.id) == "succeeded"
    assert open_while_reading == [False, False]  # as reading began, and after its page's progress
