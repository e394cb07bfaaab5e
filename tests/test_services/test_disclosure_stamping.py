"""Evidence registration numbers on disclosed PDF pages (services/disclosure/stamping.py): the
stamp is text read back from the output, page by page; the original never changes; numbers run
on across items and batches and are never issued twice; other files are disclosed as they are;
a PDF that cannot be read stops the disclosure whole."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import itertools

import pypdfium2 as pdfium
import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from models import CustodyEvent, DisclosureItem, EvidenceFile
from services.disclosure import stamping
from services.disclosure import workflow as disclosure
from services.evidence.files import attach_file
from services.evidence.store import store_for

TODAY = dt.datetime.now(dt.UTC).date()
ALL = ("public", "restricted", "confidential", "strictly_confidential")
_serial = itertools.count(1)


def blank_pdf(pages: int) -> bytes:
    document = pdfium.PdfDocument.new()
    for _ in range(pages):
        document.new_page(595, 842)
    out = io.BytesIO()
    document.save(out)
    document.close()
    # a unique trailer comment keeps each test file's hash apart
    return out.getvalue() + f"\n% test file {next(_serial)}\n".encode()


def page_texts(data: bytes) -> list[str]:
    document = pdfium.PdfDocument(data)
    try:
        return [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()


@pytest.fixture(autouse=True)
def _app_context(app):
    with app.app_context():
        yield


@pytest.fixture
def store(app):
    return store_for(app.config)


@pytest.fixture
def setting(session, make, make_user, store):
    official = make.official()
    recipient = disclosure.save_recipient(
        session, None, disclosure.RecipientInput("defence", "Defence ERN", None, [official.id])
    )
    analyst = make_user("analyst", "strictly_confidential")
    prosecutor = make_user("prosecutor", "strictly_confidential")

    def file(data: bytes, name: str = "exhibit.pdf") -> EvidenceFile:
        evidence = make.evidence()
        incoming = store.receive()
        incoming.write(data)
        attached = attach_file(session, store, evidence, incoming, original_name=name, actor=None)
        session.commit()
        return attached

    def disclose(files):
        batch = disclosure.create_batch(session, disclosure.BatchInput(recipient.id, TODAY, "Rule 77", None), analyst)
        items = [
            disclosure.add_item(session, batch, f, category="rule_77", conditions=None, actor=analyst) for f in files
        ]
        disclosure.approve(session, batch, prosecutor, ALL)
        disclosure.disclose(session, batch, prosecutor, ALL, store, ern_prefix="STCA-OTP")
        session.commit()
        return items

    return file, disclose


def test_every_page_of_a_disclosed_pdf_carries_its_number_and_the_original_stays(session, setting, store):
    file, disclose = setting
    original = file(blank_pdf(3))
    before = store.path_for(original.sha256).read_bytes()
    (item,) = disclose([original])
    assert (item.ern_first, item.ern_last) == (item.ern_first, item.ern_first + 2)
    copy = item.stamped_file
    assert copy.parent_id == original.id and copy.evidence_id == original.evidence_id
    stamped = store.path_for(copy.sha256).read_bytes()
    assert hashlib.sha256(stamped).hexdigest() == copy.sha256
    expected = [stamping.ern("STCA-OTP", item.ern_first + n) for n in range(3)]
    assert [text.strip() for text in page_texts(stamped)] == expected
    assert store.path_for(original.sha256).read_bytes() == before  # never changed
    assert [text.strip() for text in page_texts(before)] == ["", "", ""]
    event = session.scalars(
        select(CustodyEvent).where(CustodyEvent.evidence_id == original.evidence_id).order_by(CustodyEvent.id.desc())
    ).first()
    assert (event.event_type, event.evidence_file_id, event.verified_sha256) == ("disclosed", copy.id, copy.sha256)


def test_numbers_run_on_across_items_and_batches_and_other_files_are_not_stamped(session, setting):
    file, disclose = setting
    first, text_file, second = file(blank_pdf(2)), file(b"plain text exhibit", "note.txt"), file(blank_pdf(4))
    a, plain, b = disclose([first, text_file, second])
    (c,) = disclose([file(blank_pdf(1))])
    assert plain.ern_first is None and plain.stamped_file_id is None
    ranges = [(a.ern_first, a.ern_last), (b.ern_first, b.ern_last), (c.ern_first, c.ern_last)]
    assert ranges[1][0] == ranges[0][1] + 1 and ranges[2][0] == ranges[1][1] + 1
    assert ranges[1][1] - ranges[1][0] == 3


def test_the_label_groups_the_running_number():
    assert stamping.ern("STCA-OTP", 42) == "STCA-OTP-0000-0042"
    assert stamping.ern("STCA-OTP", 10042) == "STCA-OTP-0001-0042"


def test_the_database_refuses_a_reused_or_backward_range(session, setting):
    file, disclose = setting
    a, b = disclose([file(blank_pdf(1)), file(blank_pdf(1))])
    for values in (
        {"ern_first": a.ern_first, "ern_last": a.ern_last, "stamped_file_id": a.stamped_file_id},  # a's number
        {"ern_first": b.ern_first + 5, "ern_last": b.ern_first + 4},
        {"ern_first": None},
    ):
        with pytest.raises(IntegrityError), session.begin_nested():
            session.execute(update(DisclosureItem).where(DisclosureItem.id == b.id).values(**values))


def test_an_unreadable_pdf_stops_the_disclosure_whole(session, setting):
    file, disclose = setting
    good, broken = file(blank_pdf(1)), file(b"%PDF-1.4\n%broken beyond repair\n")
    assert broken.media_type == "application/pdf"
    with pytest.raises(disclosure.Refused, match="cannot be stamped"):
        disclose([good, broken])
