"""Bulk intake (`flask evidence ingest`): generated folders, zips and metadata CSVs, friendly
and hostile."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import stat
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models import AuditEvent, CustodyEvent, Evidence, EvidenceFile, Job

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def write_folder(root: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def write_zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def sidecar(rows: list[dict[str, str]], *, encoding: str = "utf-8", columns: list[str] | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns or list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


@pytest.fixture
def analyst(make_user):
    return make_user("analyst", "confidential")


@pytest.fixture
def ingest(runner, analyst):
    def run(path: Path, *args: str, user=None):
        return runner.invoke(args=["evidence", "ingest", str(path), "--as", (user or analyst).email, *args])

    return run


def lines(result) -> dict[str, str]:
    """The report's lines by file name: 'created E-…', 'skipped …', 'refused …'."""
    found = {}
    for line in result.stdout.splitlines():
        status, _sep, rest = line.partition(" ")
        name, _colon, detail = rest.strip().partition(": ")
        if status in ("created", "skipped", "refused"):
            found[name] = f"{status} {detail}"
    return found


def exhibits(session) -> list[Evidence]:
    return list(session.scalars(select(Evidence).order_by(Evidence.id)))


def test_a_folder_with_metadata_becomes_exhibits_with_files_custody_and_jobs(session, ingest, tmp_path, analyst):
    folder = write_folder(
        tmp_path / "batch",
        {
            "decree.pdf": PDF,
            "scans/протокол.txt": "Протокол засідання".encode(),
            "scans/김정은.txt": "조선중앙통신".encode(),
            "notes.txt": b"no metadata row",
            "metadata.csv": sidecar(
                [
                    {
                        "file": "decree.pdf",
                        "title": "Decree 71",
                        "kind": "document",
                        "source": "kremlin.ru",
                        "date": "2022-02-21",
                        "classification": "restricted",
                        "grade": "B2",
                    },
                    {
                        "file": "scans/протокол.txt",
                        "title": "Протокол",
                        "kind": "Official statement",
                        "source": "",
                        "date": "",
                        "classification": "Confidential",
                        "grade": "a-1",
                    },
                    {
                        "file": "scans/김정은.txt",
                        "title": "조선중앙통신 보도",
                        "kind": "press_report",
                        "source": "KCNA",
                        "date": "2024-10-01",
                        "classification": "public",
                        "grade": "",
                    },
                ]
            ),
        },
    )
    result = ingest(folder)
    assert result.exit_code == 0, result.output
    report = lines(result)
    assert set(report) == {"decree.pdf", "scans/протокол.txt", "scans/김정은.txt", "notes.txt"}
    assert all(line.startswith("created P-") for line in report.values()), report
    assert "4 created, 0 skipped, 0 refused." in result.stdout
    by_title = {e.title: e for e in exhibits(session)}
    hashes = {hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()}
    decree = by_title["Decree 71"]
    assert (decree.kind, decree.source, decree.classification) == ("document", "kremlin.ru", "restricted")
    assert (decree.reliability, decree.credibility, str(decree.collected_on)) == ("B", "2", "2022-02-21")
    protocol = by_title["Протокол"]
    assert (protocol.kind, protocol.classification, protocol.reliability, protocol.credibility) == (
        "official_statement",
        "confidential",
        "A",
        "1",
    )
    assert protocol.source == "Bulk intake of batch"
    assert by_title["조선중앙통신 보도"].source == "KCNA"
    notes = by_title["notes"]  # no row: the defaults, its name as title
    assert (notes.classification, notes.reliability, notes.credibility, notes.kind) == ("public", "F", "6", "document")
    for evidence in by_title.values():
        assert len(evidence.files) == 1
        file = evidence.files[0]
        assert file.sha256 in hashes
        events = session.scalars(select(CustodyEvent).where(CustodyEvent.evidence_id == evidence.id)).all()
        assert [e.event_type for e in events] == ["received"]
        assert events[0].actor_id == analyst.id
    texts = session.scalar(select(func.count()).select_from(Job).where(Job.kind == "extract_text"))
    assert texts == 4  # every file is of a type whose text is read
    audits = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "import", AuditEvent.entity_type == "evidence")
    )
    assert {a.entity_id for a in audits} == {e.id for e in by_title.values()}


def test_running_the_same_intake_again_creates_nothing(session, ingest, tmp_path):
    folder = write_folder(tmp_path / "again", {"a.txt": b"alpha", "b.txt": b"beta", "copy-of-a.txt": b"alpha"})
    first = ingest(folder)
    assert first.exit_code == 0, first.output
    made = {e.title: e.exhibit_no for e in exhibits(session)}
    assert set(made) == {"a", "b"}
    assert lines(first)["copy-of-a.txt"] == f"skipped already held as {made['a']}"
    second = ingest(folder)
    assert second.exit_code == 0
    assert lines(second) == {
        "a.txt": f"skipped already held as {made['a']}",
        "b.txt": f"skipped already held as {made['b']}",
        "copy-of-a.txt": f"skipped already held as {made['a']}",
    }
    assert len(exhibits(session)) == 2


def test_a_file_held_above_the_users_clearance_is_not_revealed(session, ingest, tmp_path, make, make_user):
    """The answer never depends on an exhibit the user may not see: it is created for them."""
    folder = write_folder(tmp_path / "secret", {"leak.txt": b"the same bytes"})
    boss = make_user("analyst", "strictly_confidential")
    assert ingest(folder, "--classification", "strictly_confidential", user=boss).exit_code == 0
    low = make_user("analyst", "public")
    result = ingest(folder, user=low)
    assert result.exit_code == 0
    assert lines(result)["leak.txt"].startswith("created P-")


def test_the_uploader_cannot_create_above_their_clearance(session, ingest, tmp_path, make_user):
    low = make_user("analyst", "restricted")
    folder = write_folder(
        tmp_path / "c",
        {
            "ok.txt": b"1",
            "high.txt": b"2",
            "metadata.csv": sidecar([{"file": "high.txt", "classification": "confidential"}]),
        },
    )
    result = ingest(folder, user=low)
    assert result.exit_code == 1
    report = lines(result)
    assert report["high.txt"] == "refused classification confidential is above your clearance"
    assert report["ok.txt"].startswith("created")
    assert ingest(folder, "--classification", "strictly_confidential", user=low).exit_code == 1
    assert [e.title for e in exhibits(session)] == ["ok"]


def test_a_viewer_may_not_ingest(session, ingest, tmp_path, make_user):
    viewer = make_user("viewer", "public")
    result = ingest(write_folder(tmp_path / "v", {"a.txt": b"a"}), user=viewer)
    assert result.exit_code == 1
    assert "may not create exhibits" in result.output
    assert exhibits(session) == []


HOSTILE_ZIP_NAMES = ["../evil.txt", "/etc/passwd-copy", "a/../../evil.txt", "C:\\windows\\evil.txt", "..\\evil.txt"]


def test_a_zip_with_hostile_paths_links_and_nested_archives(session, ingest, tmp_path, evidence_dir):
    path = tmp_path / "hostile.zip"
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as nested:
        nested.writestr("inside.txt", b"inside")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("good.txt", b"good")
        for name in HOSTILE_ZIP_NAMES:
            info = zipfile.ZipInfo(name)
            archive.writestr(info, b"evil")
        link = zipfile.ZipInfo("link.txt")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
        fifo = zipfile.ZipInfo("pipe")
        fifo.external_attr = (stat.S_IFIFO | 0o644) << 16
        archive.writestr(fifo, b"")
        archive.writestr("nested.zip", inner.getvalue())
        archive.writestr("disguised.pdf", inner.getvalue())
        archive.writestr("empty.txt", b"")
        archive.writestr("__MACOSX/._good.txt", b"junk")
        archive.writestr("dir/", b"")
    result = ingest(path)
    assert result.exit_code == 1
    report = lines(result)
    assert report.pop("good.txt").startswith("created")
    assert report.pop("link.txt") == "refused a symbolic or hard link: not followed"
    assert report.pop("pipe") == "refused not a regular file: not read"
    for name in ("nested.zip", "disguised.pdf"):
        assert report.pop(name) == "refused an archive inside the intake is not opened: ingest it on its own"
    assert report.pop("empty.txt") == "skipped empty file: nothing to store"
    assert report.pop("__MACOSX/._good.txt").startswith("skipped a file the operating system made")
    # '..\\evil.txt' is reported as '../evil.txt', as the metadata would name it
    assert len(report) == len({name.replace("\\", "/") for name in HOSTILE_ZIP_NAMES})
    assert result.stdout.count("its path leaves the archive") == len(HOSTILE_ZIP_NAMES)
    assert all(line == "refused its path leaves the archive or is absolute: not read" for line in report.values())
    assert not (tmp_path / "evil.txt").exists()
    assert [e.title for e in exhibits(session)] == ["good"]
    assert list((evidence_dir / ".incoming").iterdir()) == []  # nothing refused left behind


def test_a_zip_listing_one_name_twice_reads_neither(session, ingest, tmp_path):
    path = tmp_path / "twice.zip"
    with zipfile.ZipFile(path, "w") as archive, pytest.warns(UserWarning):
        archive.writestr("same.txt", b"one")
        archive.writestr("same.txt", b"two")
    result = ingest(path)
    assert result.exit_code == 1
    assert lines(result) == {"same.txt": "refused the archive holds two members of this name: neither is read"}
    assert exhibits(session) == []


def test_a_zip_bomb_is_refused_before_anything_is_unpacked(session, ingest, tmp_path, evidence_dir):
    bomb = write_zip(tmp_path / "bomb.zip", {f"zeros-{i}.bin": bytes(2_000_000) for i in range(3)})
    assert bomb.stat().st_size < 50_000
    result = ingest(bomb, "--max-bytes", "5000000")
    assert result.exit_code == 1
    assert "more than the limit of 5000000" in result.output
    many = write_zip(tmp_path / "many.zip", {f"f{i}.txt": str(i).encode() for i in range(12)})
    result = ingest(many, "--max-files", "10")
    assert result.exit_code == 1
    assert "12 files, more than the limit of 10" in result.output
    assert exhibits(session) == []
    assert not (evidence_dir / ".incoming").exists() or list((evidence_dir / ".incoming").iterdir()) == []


def test_a_member_that_unpacks_to_more_than_it_declares_is_refused(session, ingest, tmp_path, evidence_dir):
    path = write_zip(tmp_path / "liar.zip", {"liar.txt": b"A" * 5000, "honest.txt": b"fine"})
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("liar.txt")
    # rewrite the declared uncompressed size (local header and central directory) to 10 bytes
    for offset in (
        info.header_offset + 22,
        data.rfind(b"PK\x01\x02", 0, data.find(b"honest.txt", info.header_offset + 30)) + 24,
    ):
        data[offset : offset + 4] = (10).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    result = ingest(path)
    assert result.exit_code == 1
    report = lines(result)
    assert report["liar.txt"].startswith("refused"), report
    assert report["honest.txt"].startswith("created")
    assert [e.title for e in exhibits(session)] == ["honest"]
    assert list((evidence_dir / ".incoming").iterdir()) == []


def test_symlinks_and_hard_links_in_a_folder_are_not_followed(session, ingest, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"secret outside the intake")
    folder = write_folder(tmp_path / "links", {"real.txt": b"real"})
    os.symlink(outside, folder / "link.txt")
    os.symlink(tmp_path, folder / "linked-dir")
    os.link(outside, folder / "hard.txt")
    result = ingest(folder)
    assert result.exit_code == 1
    report = lines(result)
    assert (
        report["link.txt"]
        == report["linked-dir"]
        == report["hard.txt"]
        == ("refused a symbolic or hard link: not followed")
    )
    assert [e.title for e in exhibits(session)] == ["real"]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ({"kind": "weapon"}, "row 2, column kind: “weapon” is not a kind of exhibit"),
        ({"classification": "top secret"}, "row 2, column classification: “top secret” is not a classification"),
        ({"grade": "Z9"}, "row 2, column grade: “Z9” is not a grade"),
        ({"date": "2022-02"}, "row 2, column date: “2022-02” is a partial date"),
        ({"date": "2022"}, "row 2, column date: “2022” is a partial date"),
        ({"date": "24/02/2022"}, "row 2, column date: “24/02/2022” is not a date"),
        ({"date": "2999-01-01"}, "row 2, column date: “2999-01-01” is after today"),
        ({"title": "x" * 301}, "row 2, column title: control characters, or too long (at most 300 characters)"),
        ({"title": "bell\x07"}, "row 2, column title: control characters"),
        ({"source": "=cmd|' /C calc'!A0\x1b[31m"}, "row 2, column source: control characters"),
    ],
)
def test_a_bad_value_refuses_its_file_with_the_row_and_column(session, ingest, tmp_path, row, expected):
    folder = write_folder(
        tmp_path / "bad",
        {"target.txt": b"target", "other.txt": b"other", "metadata.csv": sidecar([{"file": "target.txt", **row}])},
    )
    result = ingest(folder)
    assert result.exit_code == 1
    report = lines(result)
    assert report["target.txt"].startswith(f"refused {expected}"), report["target.txt"]
    assert report["other.txt"].startswith("created")
    assert [e.title for e in exhibits(session)] == ["other"]


def test_duplicate_rows_and_rows_for_missing_files(session, ingest, tmp_path):
    folder = write_folder(
        tmp_path / "dup",
        {
            "twice.txt": b"twice",
            "metadata.csv": sidecar(
                [
                    {"file": "twice.txt", "title": "One"},
                    {"file": "ghost.pdf", "title": "Ghost"},
                    {"file": "twice.txt", "title": "Two"},
                ]
            ),
        },
    )
    result = ingest(folder)
    assert result.exit_code == 1
    report = lines(result)
    assert report["twice.txt"] == "refused the metadata lists it more than once (rows 2, 4)"
    assert report["ghost.pdf"] == "refused listed in the metadata (row 3) but not in the intake"
    assert exhibits(session) == []


@pytest.mark.parametrize(
    ("encoding", "options"),
    [("utf-8-sig", []), ("utf-16", []), ("cp1251", ["--encoding", "cp1251"])],
)
def test_the_sidecar_in_other_encodings(session, ingest, tmp_path, encoding, options):
    folder = write_folder(
        tmp_path / "enc",
        {
            "указ.txt": b"text",
            "metadata.csv": sidecar([{"file": "указ.txt", "title": "Указ Президента"}], encoding=encoding),
        },
    )
    result = ingest(folder, *options)
    assert result.exit_code == 0, result.output
    assert [e.title for e in exhibits(session)] == ["Указ Президента"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (sidecar([{"file": "a.txt", "title": "Указ"}], encoding="cp1251"), "is not UTF-8 text"),
        (sidecar([{"file": "a.txt", "clasification": "public"}]), "columns it cannot use: 'clasification'"),
        (sidecar([{"title": "no file column"}]), "no column 'file'"),
        (b"file,title,title\na.txt,x,y\n", "names a column twice"),
        (b"", "is empty"),
        (b'file,title\na.txt,"unterminated\x00\n', "NUL"),
    ],
)
def test_an_unusable_sidecar_refuses_the_whole_intake(session, ingest, tmp_path, content, message):
    folder = write_folder(tmp_path / "side", {"a.txt": b"a", "metadata.csv": content})
    result = ingest(folder)
    assert result.exit_code == 1
    assert "Nothing was ingested" in result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert exhibits(session) == []


def test_a_zip_with_a_sidecar_and_names_in_several_scripts(session, ingest, tmp_path):
    names = ["Указ_71.txt", "Пастанова.txt", "김정은_명령.txt", "قرار.txt", "file\u202egpj.exe.txt"]
    files = {f"docs/{name}": name.encode() for name in names}
    files["metadata.csv"] = sidecar([{"file": f"docs/{name}", "title": f"T {name[:3]}"} for name in names[:3]])
    path = write_zip(tmp_path / "scripts.zip", files)
    result = ingest(path)
    assert result.exit_code == 0, result.output
    titles = {e.title for e in exhibits(session)}
    assert {"T Ука", "T Пас", "T 김정은"} <= titles
    assert "قرار" in titles
    stored = {f.original_name for f in session.scalars(select(EvidenceFile))}
    assert "file\u202e" not in "".join(stored)  # the direction override is not kept in a name


def test_an_external_sidecar_is_used_and_a_missing_path_fails(session, ingest, tmp_path):
    folder = write_folder(tmp_path / "ext", {"a.txt": b"a"})
    csv_path = tmp_path / "meta.csv"
    csv_path.write_bytes(sidecar([{"file": "a.txt", "title": "External"}]))
    assert ingest(folder, "--metadata", str(csv_path)).exit_code == 0
    assert [e.title for e in exhibits(session)] == ["External"]
    assert ingest(tmp_path / "nope").exit_code != 0
    not_zip = tmp_path / "plain.txt"
    not_zip.write_bytes(b"plain")
    result = ingest(not_zip)
    assert result.exit_code == 1
    assert "neither a folder nor a zip archive" in result.output


def test_a_file_over_the_upload_limit_is_refused(session, ingest, tmp_path, upload_limit):
    upload_limit(100)
    folder = write_folder(tmp_path / "big", {"big.bin": b"x" * 101, "small.txt": b"small"})
    result = ingest(folder)
    assert result.exit_code == 1
    assert lines(result)["big.bin"] == "refused larger than the limit of 100 bytes for one file"
    assert [e.title for e in exhibits(session)] == ["small"]


def test_a_failure_while_creating_leaves_no_half_exhibit(session, ingest, tmp_path, monkeypatch, evidence_dir):
    from services.evidence import files as files_service

    calls = {"n": 0}
    original = files_service.attach_file

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk on fire")
        return original(*args, **kwargs)

    monkeypatch.setattr("services.evidence.intake.ingest.attach_file", flaky)
    folder = write_folder(tmp_path / "flaky", {"a.txt": b"a", "b.txt": b"b", "c.txt": b"c"})
    result = ingest(folder)
    assert result.exit_code == 1
    assert lines(result)["b.txt"] == "refused unexpected error: RuntimeError"
    assert "Traceback" not in result.output
    assert [e.title for e in exhibits(session)] == ["a", "c"]
    stored = [p for p in evidence_dir.rglob("*") if p.is_file()]
    assert len(stored) == 2  # b's bytes went nowhere
    assert ingest(folder).exit_code == 0  # and the retry makes b
    assert [e.title for e in exhibits(session)] == ["a", "c", "b"]


def test_progress_goes_to_stderr_and_the_report_to_stdout(session, ingest, tmp_path):
    result = ingest(write_folder(tmp_path / "p", {"a.txt": b"a"}))
    assert "Ingesting" in result.stderr
    assert "Ingesting" not in result.stdout
