"""The notifications page and the header's unread count (issue 25 item 3)."""

from __future__ import annotations

import re

from sqlalchemy import select

from models import Notification
from services.workspace import comments as comment_service


def _badge(html: str) -> str | None:
    found = re.search(r'<span class="badge unread-count">(\d+)</span>', html)
    return found.group(1) if found else None


def test_a_mention_is_counted_in_the_header_listed_and_marked_read(client, login, session, make, make_user):
    official = make.official(name="Sergei Shoigu")
    reader = login("viewer", "public", email="reader@tribunal.test")
    assert _badge(client.get("/notifications").get_data(as_text=True)) is None
    comment = comment_service.add(session, make_user("analyst", name="Olena"), "official", official.id, "@reader look")
    html = client.get("/notifications").get_data(as_text=True)
    assert _badge(html) == "1"
    assert "Olena mentioned you in a comment on Sergei Shoigu." in html
    assert f'href="/officials/{official.id}#comment-{comment.id}"' in html
    notification = session.scalars(select(Notification)).one()
    assert client.post(f"/notifications/{notification.id}/read").status_code == 302
    assert _badge(client.get("/notifications").get_data(as_text=True)) is None
    assert client.post(f"/notifications/{notification.id}/read").status_code == 404  # already read
    assert reader.id == notification.user_id


def test_nobody_marks_anothers_notification_and_mark_all_is_the_readers_own(client, login, session, make, make_user):
    official = make.official()
    make_user("viewer", email="first@tribunal.test")
    make_user("viewer", email="second@tribunal.test")
    comment_service.add(session, make_user("analyst"), "official", official.id, "@first @second")
    first = session.scalars(select(Notification).order_by(Notification.id)).first()
    login("viewer", email="third@tribunal.test")
    assert client.post(f"/notifications/{first.id}/read").status_code == 404
    assert client.post("/notifications/read").status_code == 302
    session.expire_all()
    assert all(n.read_at is None for n in session.scalars(select(Notification)))


def test_a_notification_about_an_exhibit_the_reader_may_no_longer_see_is_neither_listed_nor_counted(
    client, login, session, make, make_user
):
    secret = make.evidence(classification="confidential", title="Intercepted call")
    reader = login("viewer", "confidential", email="reader@tribunal.test")
    comment_service.add(session, make_user("analyst", "confidential"), "evidence", secret.id, "@reader")
    html = client.get("/notifications").get_data(as_text=True)
    assert _badge(html) == "1" and "Intercepted call" in html
    reader.clearance = "public"
    session.flush()
    html = client.get("/notifications").get_data(as_text=True)
    assert _badge(html) is None and "Intercepted call" not in html and secret.exhibit_no not in html
    assert "No notifications." in html


def test_the_unread_count_is_one_query(client, login, session, make, make_user, count_queries):
    from flask_login import login_user

    from views.notifications import unread_count

    reader = make_user("viewer")
    with client.application.test_request_context():
        login_user(reader)
        with count_queries() as counter:
            assert unread_count() == 0
    assert counter.count == 1


def test_the_notifications_page_reads_a_fixed_number_of_queries(client, login, session, make, make_user, count_queries):
    """The records' names are read one query per kind, not one per notification."""
    login("viewer", "public", email="reader@tribunal.test")
    author = make_user("analyst", name="Olena")
    comment_service.add(session, author, "official", make.official().id, "@reader first")
    with count_queries() as few:
        assert "mentioned you" in client.get("/notifications").get_data(as_text=True)
    for n in range(6):
        comment_service.add(session, author, "official", make.official(name=f"Official {n}").id, "@reader more")
    with count_queries() as many:
        html = client.get("/notifications").get_data(as_text=True)
    assert all(f"Official {n}" in html for n in range(6))
    assert many.count == few.count


def test_a_saved_searchs_new_results_and_an_imports_links_are_told_in_words_with_their_links(
    client, login, session, make, make_user
):
    from models import ImportRun, SavedSearch
    from services.workspace.notifications import notify

    reader = login("analyst", "public", email="reader@tribunal.test")
    search = SavedSearch(user_id=reader.id, page="evidence", name="Documents", query="kind=document")
    theirs = SavedSearch(user_id=make_user("viewer").id, page="evidence", name="Not yours", query="kind=image")
    run = ImportRun(format="eu-csv", file_name="eu.csv", sha256="0" * 64, size=1, actor_name="test", status="applied")
    session.add_all([search, theirs, run])
    exhibit = make.evidence(title="Decree of 21 February")
    session.flush()
    notify(session, reader, "search_result", "evidence", exhibit.id, detail=str(search.id))
    notify(session, reader, "search_result", "saved_search", search.id, detail="7", clearance="public")
    notify(session, reader, "search_result", "saved_search", theirs.id, detail="2", clearance="public")
    notify(session, reader, "import_linked", "import_run", run.id, detail="3", clearance="public")
    html = client.get("/notifications").get_data(as_text=True)
    assert f"“{exhibit.exhibit_no} Decree of 21 February” is new in your saved search “Documents”." in html
    assert "7 new results in your saved search “Documents”." in html
    assert 'href="/evidence?kind=document"' in html
    assert "Not yours" not in html  # a search of someone else's is never told
    assert "The import of eu.csv linked evidence to 3 officials you watch." in html
    assert f'href="/imports/runs/{run.id}"' in html
    assert _badge(html) == "3"
    client.post("/language/uk", data={})
    html = client.get("/notifications").get_data(as_text=True)
    assert "7 нових результатів у вашому збереженому пошуку «Documents»." in html
