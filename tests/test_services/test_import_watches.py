"""An import run tells the watchers of the officials it linked evidence to (issue 25 item 3):
one notification per watcher per run, however many links, counting only the officials whose
new links the watcher may see; a dry run and a re-import that adds nothing tell nobody."""

from __future__ import annotations

from sqlalchemy import func, select

from models import ImportRun, Notification, Official, SavedSearch
from services.evidence import exhibits as evidence_service
from services.imports.runs import run_import
from services.workspace import notifications as notification_service
from services.workspace import watches
from tests.conftest import EU_EXCERPT


def _told(session, user):
    return [
        (n.kind, n.record_kind, n.record_id, n.detail, n.clearance)
        for n in session.scalars(select(Notification).where(Notification.user_id == user.id).order_by(Notification.id))
    ]


def _import(session, **kw):
    with EU_EXCERPT.open("rb") as stream:
        report = run_import(session, "eu-csv", stream, user=None, file_name="eu_excerpt.csv", **kw)
    session.commit()
    return report


def test_an_import_run_is_one_notification_per_watcher(session, demo, make_user):
    zyuganov = session.scalars(select(Official).where(Official.name == "Gennady Zyuganov")).one()
    direct, by_search, elsewhere = make_user("viewer"), make_user("analyst"), make_user("viewer")
    watches.watch(session, direct, "official", zyuganov.id)
    russians = SavedSearch(user_id=by_search.id, page="dossiers", name="Russians", query="state=RU")
    session.add(russians)
    session.flush()
    watches.watch(session, by_search, "saved_search", russians.id)
    unaffected = session.scalars(select(Official).where(Official.name == "Sergei Lavrov")).one()
    watches.watch(session, elsewhere, "dossier", unaffected.id)
    session.commit()

    dry = _import(session, dry_run=True)
    assert dry.status == "dry_run"
    assert session.scalar(select(func.count(Notification.id))) == 0

    report = _import(session)
    assert report.status == "applied" and report.counts["new"] + report.counts["updated"] > 20
    run_id = report.run_id
    assert _told(session, direct) == [("import_linked", "import_run", run_id, "1", "public")]
    # Zyuganov and the four new Russian officials the excerpt lists (its Belarusian and North
    # Korean officials are not in the search)
    assert _told(session, by_search) == [("import_linked", "import_run", run_id, "5", "public")]
    assert _told(session, elsewhere) == []
    [shown] = notification_service.for_reader(session, by_search)
    assert shown.label == "eu_excerpt.csv"

    again = _import(session)  # the same file adds no link: nobody is told again
    assert again.status == "applied" and again.run_id != run_id
    assert len(_told(session, direct)) == 1 and len(_told(session, by_search)) == 1
    assert session.get(ImportRun, run_id) is not None


def test_only_the_links_a_watcher_may_see_count(session, make, make_user):
    official = make.official()
    other = make.official()
    public, cleared = make_user("viewer", "public"), make_user("viewer", "confidential")
    for user in (public, cleared):
        watches.watch(session, user, "official", official.id)
        watches.watch(session, user, "official", other.id)
    run = ImportRun(format="eu-csv", sha256="0" * 64, size=1, actor_name="test", status="applied")
    session.add(run)
    secret = make.evidence(classification="confidential")
    listing = make.evidence(classification="public")
    links = [
        evidence_service.add_support(
            session, secret, "tenure", make.tenure(official=official).id, stance="supports", pinpoint=None, note=None
        ),
        evidence_service.add_support(
            session, listing, "tenure", make.tenure(official=other).id, stance="supports", pinpoint=None, note=None
        ),
    ]
    session.query(Notification).delete()  # the links' own notifications: not what is tested here
    watches.imported(session, run.id, links[:1])
    assert _told(session, public) == []  # a confidential link alone: nothing, not even a count
    assert _told(session, cleared) == [("import_linked", "import_run", run.id, "1", "confidential")]
    session.query(Notification).delete()
    watches.imported(session, run.id, links)
    assert _told(session, public) == [("import_linked", "import_run", run.id, "1", "public")]
    assert _told(session, cleared) == [("import_linked", "import_run", run.id, "2", "confidential")]
    # shown only to a reader cleared as far as what was counted
    cleared.clearance = "public"
    session.flush()
    assert notification_service.unread_count(session, cleared) == 0
