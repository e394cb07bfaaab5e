"""A full evidence store (no space left on its file system, or its quota spent): 507 naming
the store and the size of the upload, nothing left behind, and a log line for the operator
(views/outages.py, services/evidence/store.py)."""

from __future__ import annotations

import errno
import io
import os
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from models import EvidenceFile
from services.auth import tokens
from services.evidence import store
from services.evidence.exhibits import human_size

CONTENT = b"%PDF-1.4\n" + b"x" * 300_000


class FillingFile:
    """The file an upload is written to, on a file system with ``room`` bytes left."""

    def __init__(self, inner: Any, room: int, code: int) -> None:
        self.inner, self.room, self.code = inner, room, code

    def write(self, data: bytes) -> int:
        if len(data) > self.room:
            raise OSError(self.code, os.strerror(self.code))
        self.room -= len(data)
        return int(self.inner.write(data))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@pytest.fixture(params=[errno.ENOSPC, errno.EDQUOT], ids=["disk-full", "quota-spent"])
def full_store(request, monkeypatch):
    """Uploads run out of room after their first 64 KiB."""
    original = store.IncomingFile.__init__

    def init(self, directory: Path) -> None:
        original(self, directory)
        self._file = FillingFile(self._file, 64 * 1024, request.param)

    monkeypatch.setattr(store.IncomingFile, "__init__", init)


def nothing_left(session, evidence_dir: Path) -> bool:
    files = [p for p in evidence_dir.rglob("*") if p.is_file()] if evidence_dir.exists() else []
    return files == [] and not session.scalar(select(func.count()).select_from(EvidenceFile))


def expected_size(response) -> str:
    amount, unit = human_size(response.request.content_length)
    return f"{amount} {unit}"


def test_an_upload_to_a_full_store_is_507_naming_it_and_leaves_nothing(
    client, login, make, session, evidence_dir, full_store, caplog
):
    evidence = make.evidence()
    login("analyst")
    response = client.post(
        f"/evidence/{evidence.id}/files",
        data={"files": [(io.BytesIO(CONTENT), "order.pdf")]},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 507, page
    assert "The evidence store has no room for this upload" in page and expected_size(response) in page
    assert nothing_left(session, evidence_dir)
    logged = [r for r in caplog.records if r.getMessage().startswith("evidence store full")]
    assert logged and str(evidence_dir) in logged[0].getMessage()  # where, for the operator
    assert f"upload of {response.request.content_length} bytes" in logged[0].getMessage()


def test_an_api_upload_to_a_full_store_is_507_problem_details(
    client, make_user, make, session, evidence_dir, full_store
):
    evidence = make.evidence()
    token = tokens.issue_token(session, make_user("analyst")).secret
    response = client.post(
        f"/api/v1/evidence/{evidence.id}/files",
        data={"file": (io.BytesIO(CONTENT), "order.pdf")},
        content_type="multipart/form-data",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 507, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["type"].endswith("#problem-insufficient-storage")
    assert "evidence store" in body["detail"] and expected_size(response) in body["detail"]
    assert nothing_left(session, evidence_dir)
