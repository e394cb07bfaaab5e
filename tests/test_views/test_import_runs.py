"""Imports from the browser: upload, streamed preview, apply once, the run pages."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models import AuditEvent, ImportRun, Official

EU_HEADER = "celex,recordId,programKey,annex,startDate,reason,schema,name,alias,nationality,birthDate,position,gender"


def _eu_row(record_id: str, name: str, birth: str = "1.2.1960", alias: str = "") -> str:
    values = {
        "celex": "32014R0269",
        "recordId": record_id,
        "programKey": "EU-UKR",
        "annex": "I.PERSONS",
        "startDate": "23.2.2022",
        "reason": '"Voted for resolution No. 58243-8, ""recognising"" the DPR."',
        "schema": "Person",
        "name": name,
        "alias": alias,
        "nationality": "Russian",
        "birthDate": birth,
        "position": "Member of the State Duma",
        "gender": "male",
    }
    return ",".join(values[column] for column in EU_HEADER.split(","))


def eu_csv(*rows: str) -> bytes:
    return "\r\n".join([EU_HEADER, *rows, ""]).encode("utf-8")


GOOD = eu_csv(_eu_row("9101", "Pyotr Petrovich ZAGLUSHKIN"), _eu_row("9102", "Semyon Semyonovich OBRAZTSOV"))


def officials(session) -> int:
    return session.scalar(select(func.count(Official.id)))


def upload(client, data: bytes, fmt: str = "eu-csv", name: str = "eu.csv", **extra):
    form = {"fmt": fmt, "file": (io.BytesIO(data), name), **extra}
    return client.post("/imports/new", data=form, content_type="multipart/form-data")


def token_of(page: str) -> str:
    match = re.search(r'name="token" value="([0-9a-f]{32})"', page)
    assert match, page
    return match.group(1)


def stored(evidence_dir: Path) -> list[Path]:
    directory = evidence_dir / ".imports"
    return sorted(directory.iterdir()) if directory.is_dir() else []


def test_preview_writes_only_its_run_then_apply_imports_once(client, login, session, evidence_dir):
    user = login("analyst")
    before = officials(session)
    response = upload(client, GOOD)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "Import preview" in page and "<li>2 rows," in page and "Dry run, nothing written" in page
    assert "Apply this import" in page and "Traceback" not in page
    token = token_of(page)
    assert officials(session) == before
    run = session.scalars(select(ImportRun).order_by(ImportRun.id.desc())).first()
    assert run.dry_run and run.status == "dry_run" and run.counts == {"new": 2} and run.user_id == user.id
    assert [p.name for p in stored(evidence_dir)] == [token]
    assert not list((evidence_dir / ".incoming").iterdir())

    applied = client.post("/imports/apply", data={"token": token})
    page = applied.get_data(as_text=True)
    assert applied.status_code == 200 and "Applied" in page and "Apply this import" not in page
    assert officials(session) == before + 2
    run = session.scalars(select(ImportRun).order_by(ImportRun.id.desc())).first()
    assert not run.dry_run and run.status == "applied" and run.counts == {"new": 2}
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.entity_type == "import_run", AuditEvent.entity_id == run.id)
    ).one()
    assert event.actor_id == user.id
    assert stored(evidence_dir) == []

    again = client.post("/imports/apply", data={"token": token})
    assert again.status_code == 400 and "not waiting for you" in again.get_data(as_text=True)
    assert officials(session) == before + 2


def test_a_replayed_session_cannot_apply_twice(client, login, session, evidence_dir):
    login("analyst")
    token = token_of(upload(client, GOOD).get_data(as_text=True))
    with client.session_transaction() as cookie:
        saved = dict(cookie)
    assert client.post("/imports/apply", data={"token": token}).status_code == 200
    with client.session_transaction() as cookie:  # the old cookie, token and all, sent again
        cookie.update(saved)
    replay = client.post("/imports/apply", data={"token": token})
    assert replay.status_code == 400 and "applied already" in replay.get_data(as_text=True)


def test_another_users_token_is_refused(client, login, session, evidence_dir, make_user):
    login("analyst")
    token = token_of(upload(client, GOOD).get_data(as_text=True))
    other = make_user("analyst")
    with client.session_transaction() as cookie:
        cookie["pending_imports"][token]["user"] = other.id
    before = officials(session)
    response = client.post("/imports/apply", data={"token": token})
    assert response.status_code == 400 and "not waiting for you" in response.get_data(as_text=True)
    assert officials(session) == before

    login("analyst")  # a new sign-in: a new session without the token
    response = client.post("/imports/apply", data={"token": token})
    assert response.status_code == 400


def test_a_stale_token_is_refused_and_its_file_removed(client, login, session, evidence_dir):
    login("analyst")
    token = token_of(upload(client, GOOD).get_data(as_text=True))
    with client.session_transaction() as cookie:
        pending = cookie["pending_imports"]
        pending[token]["created"] = (dt.datetime.now(dt.UTC) - dt.timedelta(days=2)).isoformat()
        cookie["pending_imports"] = pending
    response = client.post("/imports/apply", data={"token": token})
    assert response.status_code == 400 and "more than a day old" in response.get_data(as_text=True)
    assert stored(evidence_dir) == []


def test_files_older_than_a_day_are_cleaned_up(client, login, evidence_dir):
    import os
    import time

    login("analyst")
    directory = evidence_dir / ".imports"
    directory.mkdir(parents=True)
    old, fresh = directory / ("a" * 32), directory / ("b" * 32)
    old.write_bytes(b"x")
    fresh.write_bytes(b"x")
    os.utime(old, (time.time() - 2 * 86400,) * 2)
    client.post("/imports/apply", data={"token": "c" * 32})
    assert stored(evidence_dir) == [fresh]


def test_a_malformed_row_refuses_the_preview_naming_the_line(client, login, session, evidence_dir):
    login("analyst")
    bad = eu_csv(_eu_row("9101", "Pyotr Petrovich ZAGLUSHKIN"), _eu_row("9102", "Ivan IVANOV").rsplit(",", 3)[0])
    before = officials(session)
    page = upload(client, bad).get_data(as_text=True)
    assert "Refused, nothing written" in page and "line 3" in page and "Apply this import" not in page
    assert officials(session) == before
    run = session.scalars(select(ImportRun).order_by(ImportRun.id.desc())).first()
    assert run.status == "refused" and run.dry_run
    assert stored(evidence_dir) == []


def test_a_file_in_another_format_is_refused_with_the_parsers_message(client, login, session, evidence_dir):
    login("analyst")
    page = upload(client, GOOD, fmt="ofac-csv").get_data(as_text=True)
    assert "Refused, nothing written" in page and "Apply this import" not in page
    assert re.search(r'<p class="error" role="alert">[^<]+</p>', page)


@pytest.mark.parametrize(
    ("data", "kwargs", "message"),
    [
        (None, {}, "Choose the file to import."),
        (b"", {}, "The file is empty."),
        (GOOD, {"fmt": "csv"}, "Not a valid choice"),
    ],
)
def test_bad_uploads_are_400_and_write_nothing(client, login, session, evidence_dir, data, kwargs, message):
    login("analyst")
    form = {"fmt": "eu-csv", **kwargs}
    if data is not None:
        form["file"] = (io.BytesIO(data), "eu.csv")
    runs = session.scalar(select(func.count(ImportRun.id)))
    response = client.post("/imports/new", data=form, content_type="multipart/form-data")
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert session.scalar(select(func.count(ImportRun.id))) == runs
    assert stored(evidence_dir) == []


def test_a_request_that_is_not_a_multipart_upload_is_400(client, login):
    login("analyst")
    response = client.post("/imports/new", data="fmt=eu-csv", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400 and "multipart/form-data" in response.get_data(as_text=True)


def test_viewers_cannot_import(client, login):
    login("viewer")
    assert client.get("/imports").status_code == 403
    assert client.get("/imports/new").status_code == 403
    assert upload(client, GOOD).status_code == 403
    assert client.post("/imports/apply", data={"token": "a" * 32}).status_code == 403


def test_the_runs_list_and_a_run_report_render(client, login, session, evidence_dir, count_queries):
    user = login("analyst")
    upload(client, eu_csv(_eu_row("9101", "Pyotr Petrovich ZAGLUSHKIN"))).get_data()
    upload(client, GOOD, fmt="ofac-csv", name="wrong.csv").get_data()
    with count_queries() as counter:
        page = client.get("/imports").get_data(as_text=True)
    few = counter.count
    upload(client, GOOD).get_data()
    with count_queries() as counter:
        assert client.get("/imports").status_code == 200
    assert counter.count == few  # one more run, no more queries
    assert "wrong.csv" in page and "eu.csv" in page and user.email in page and "1 new" in page
    refused = session.scalars(select(ImportRun).where(ImportRun.file_name == "wrong.csv")).one()
    assert f"/imports/runs/{refused.id}" in page
    report = client.get(f"/imports/runs/{refused.id}")
    assert report.status_code == 200 and refused.sha256 in report.get_data(as_text=True)
    assert "Refused, nothing written" in report.get_data(as_text=True)
    assert client.get("/imports/runs/999999").status_code == 404


def test_the_report_links_the_officials_it_names(client, login, session, evidence_dir):
    login("analyst")
    token = token_of(upload(client, GOOD).get_data(as_text=True))
    client.post("/imports/apply", data={"token": token}).get_data()
    # the same persons again with a new alias: found by their identifier and updated
    changed = eu_csv(_eu_row("9101", "Pyotr Petrovich ZAGLUSHKIN", alias="Пётр Петрович ЗАГЛУШКИН"))
    token = token_of(upload(client, changed).get_data(as_text=True))
    page = client.post("/imports/apply", data={"token": token}).get_data(as_text=True)
    official = session.scalars(select(Official).order_by(Official.id.desc()).limit(2)).all()
    run = session.scalars(select(ImportRun).order_by(ImportRun.id.desc())).first()
    assert run.counts == {"updated": 1}
    [row] = run.report
    assert row["outcome"] == "updated" and row["official_id"] in {o.id for o in official}
    assert f'href="/officials/{row["official_id"]}"' in page
    shown = client.get(f"/imports/runs/{run.id}").get_data(as_text=True)
    assert f'href="/officials/{row["official_id"]}"' in shown


def test_progress_lines_stream_while_the_rows_go_by(client, login, session, evidence_dir):
    login("analyst")
    rows = [_eu_row(str(9000 + n), f"Person Number{n} TESTOV", birth=f"{n % 28 + 1}.3.1961") for n in range(120)]
    response = client.post(
        "/imports/new",
        data={"fmt": "eu-csv", "file": (io.BytesIO(eu_csv(*rows)), "many.csv")},
        content_type="multipart/form-data",
        buffered=False,
    )
    chunks = [chunk.decode() for chunk in response.response]
    progress = [chunk for chunk in chunks if chunk.startswith("<li>")]
    assert [line.split(" ", 1)[0] for line in progress] == ["<li>50", "<li>100", "<li>120"]
    assert "s left" in progress[0] and "KB read" in progress[0]
    assert chunks.index(progress[0]) < next(i for i, c in enumerate(chunks) if "Apply this import" in c)


def test_a_client_gone_mid_apply_leaves_nothing_behind(client, login, session, evidence_dir):
    login("analyst")
    before = officials(session)
    rows = [_eu_row(str(9000 + n), f"Person Number{n} TESTOV", birth=f"{n % 28 + 1}.3.1961") for n in range(120)]
    token = token_of(upload(client, eu_csv(*rows)).get_data(as_text=True))
    response = client.post("/imports/apply", data={"token": token}, buffered=False)
    chunks = iter(response.response)
    while not next(chunks).startswith(b"<li>50 "):  # 50 rows imported, then the client hangs up
        pass
    response.close()
    assert stored(evidence_dir) == []
    assert officials(session) == before
    assert session.scalar(select(func.count(ImportRun.id)).where(ImportRun.dry_run.is_(False))) == 0


def test_the_preview_counts_persons_not_imported_apart_from_rows_skipped_by_design(
    client, login, session, evidence_dir
):
    """Issue 19: no silent skips. The preview shows persons not imported by reason, apart
    from the rows that are not persons; a strict import refuses the file for them."""
    login("analyst")
    serbian = _eu_row("9103", "Milorad PETROVIC").replace(",Russian,", ",Serbian,")
    entity = "32014R0269,9104,EU-UKR,I.ENTITIES,23.2.2022,,LegalEntity,Uralvagonzavod,,,,,"
    data = eu_csv(_eu_row("9101", "Pyotr Petrovich ZAGLUSHKIN"), serbian, entity)
    page = upload(client, data).get_data(as_text=True)
    assert "Persons not imported, by reason" in page and "Skipped by design (not persons), by reason" in page
    not_imported = re.search(r'class="facts counts reasons-not_imported">(.*?)</dl>', page, re.S).group(1)
    assert "<dt>nationals of another State</dt><dd>1</dd>" in not_imported
    assert "a national of Serbia, listed under a regime targeting Russia" in page
    assert "Apply this import" in page

    strict = upload(client, data, strict="y").get_data(as_text=True)
    assert "Refused, nothing written" in strict and "1 person(s) would not be imported" in strict
    assert "Apply this import" not in strict
