"""Fixtures shared by the page tests."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import (
    AggressionAct,
    Decision,
    Evidence,
    Institution,
    Involvement,
    Official,
    Position,
    Support,
    Tenure,
)
from services.demo import load_demo


@pytest.fixture
def ids(session):
    """A real id for every kind of record a route can name."""
    load_demo(session)

    def first(model):
        return session.scalar(select(model.id).order_by(model.id))

    return {
        "official_id": first(Official),
        "tenure_id": first(Tenure),
        "decision_id": first(Decision),
        "evidence_id": session.scalar(select(Evidence.id).where(Evidence.classification == "public")),
        "institution_id": first(Institution),
        "position_id": first(Position),
        "act_id": first(AggressionAct),
        "involvement_id": first(Involvement),
        "support_id": first(Support),
        "entity_type": "official",
        "entity_id": first(Official),
        "code": "en",
    }
