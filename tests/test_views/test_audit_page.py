"""The administrators' audit page and each record's History."""

from __future__ import annotations


def test_audit_page_is_for_admins_and_filters_by_user_type_and_date(client, login, make, session):
    analyst = login("analyst")
    client.post("/officials/new", data={"name": "Audited Person", "state_id": make.state().id})
    make.institution(name="Audited Institution")
    session.commit()  # the trail takes a transaction's events when it commits
    client.post("/logout")
    assert login("viewer") and client.get("/audit").status_code == 403
    client.post("/logout")
    login("admin")
    page = client.get("/audit").get_data(as_text=True)
    assert "Audited Person" in page and "Audited Institution" in page
    by_user = client.get("/audit", query_string={"actor": analyst.email}).get_data(as_text=True)
    assert "Audited Person" in by_user and "Audited Institution" not in by_user
    by_type = client.get("/audit", query_string={"type": "institution"}).get_data(as_text=True)
    assert "Audited Institution" in by_type and "Audited Person" not in by_type
    future = client.get("/audit", query_string={"from": "2999"}).get_data(as_text=True)
    assert "Audited Person" not in future
    bad = client.get("/audit", query_string={"from": "yesterday"})
    assert bad.status_code == 200 and "YYYY" in bad.get_data(as_text=True)


def test_history_of_confidential_evidence_is_hidden_below_clearance(client, login, make):
    evidence = make.evidence(title="Secret intercept", classification="confidential")
    login("viewer", "public")
    assert client.get(f"/history/evidence/{evidence.id}").status_code == 404
    assert client.get("/history/nonsense/1").status_code == 404
    assert client.get("/history/official/999999").status_code == 404


def test_audit_page_leaves_out_evidence_above_the_admins_clearance(client, login, make):
    make.evidence(title="Top secret intercept", classification="strictly_confidential")
    login("admin", "confidential")
    assert "Top secret intercept" not in client.get("/audit").get_data(as_text=True)
