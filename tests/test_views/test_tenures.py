from __future__ import annotations

import pytest
from sqlalchemy import select

from models import Tenure


@pytest.fixture
def setup(make, login):
    user = login("analyst")
    official = make.official(name="Viktor Khrenin")
    position = make.position(title="Minister of Defence")
    return user, official, position


def test_add_a_tenure_with_partial_dates(client, session, setup):
    _, official, position = setup
    response = client.post(
        f"/officials/{official.id}/tenures/new", data={"position_id": position.id, "start": "2020-01", "end": ""}
    )
    assert response.status_code == 302
    tenure = session.scalar(select(Tenure).where(Tenure.official_id == official.id))
    assert str(tenure.start) == "2020-01" and tenure.end is None
    assert "2020-01" in client.get(f"/officials/{official.id}").get_data(as_text=True)


def test_end_before_start_is_refused_and_input_kept(client, session, setup):
    _, official, position = setup
    response = client.post(
        f"/officials/{official.id}/tenures/new", data={"position_id": position.id, "start": "2020-05", "end": "2019"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "The end cannot come before the start." in page
    assert 'value="2019"' in page and 'value="2020-05"' in page


def test_duplicate_tenure_is_named(client, setup, make):
    _, official, position = setup
    make.tenure(official=official, position=position, start="2020-01-20")
    response = client.post(
        f"/officials/{official.id}/tenures/new", data={"position_id": position.id, "start": "2020-01-20"}
    )
    assert response.status_code == 400
    assert "Viktor Khrenin already has a tenure in this position from 2020-01-20." in response.get_data(as_text=True)


def test_edit_and_concurrent_edit(client, session, setup, make):
    _, official, position = setup
    tenure = make.tenure(official=official, position=position, start="2020-01-20")
    version = str(tenure.version)
    data = {"position_id": position.id, "start": "2020-01-20", "end": "2024", "version": version}
    assert client.post(f"/tenures/{tenure.id}/edit", data=data).status_code == 302
    data["end"] = "2023"
    assert client.post(f"/tenures/{tenure.id}/edit", data=data).status_code == 409
    session.expire_all()
    assert str(tenure.end) == "2024"


def test_remove_a_tenure_without_evidence_but_not_one_with(client, session, setup, make):
    _, official, position = setup
    bare = make.tenure(official=official, position=position, start="2010")
    assert client.post(f"/tenures/{bare.id}/delete").status_code == 302
    session.expunge(bare)  # removed by the request; SQLite may reuse its id
    assert session.scalar(select(Tenure).where(Tenure.id == bare.id)) is None
    backed = make.tenure(official=official, position=position, start="2020")
    make.support(tenure_id=backed.id)
    client.post(f"/tenures/{backed.id}/delete")
    assert session.scalar(select(Tenure).where(Tenure.id == backed.id)) is not None


def test_unknown_tenure_is_404(client, setup):
    assert client.get("/tenures/999999/edit").status_code == 404
    assert client.get("/officials/999999/tenures/new").status_code == 404
