"""services/common/hooks.py: the flush and commit work listens in its declared order, once, and the
order matters (a dossier summary reads the act digests written in the same flush)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from services.common import hooks
from services.facts import act_evidence
from tests.test_services.test_dossier_summaries import Case, _stored, assert_in_step, case  # noqa: F401


def listening(name: str) -> list[object]:
    """The hooks listening to ``name`` on the Session class, in the order SQLAlchemy calls them."""
    ours = {handler for _name, handler in hooks.HOOKS}
    return [fn for fn in getattr(Session.dispatch, name)._clslevel[Session] if fn in ours]


def declared(name: str) -> list[object]:
    return [handler for event_name, handler in hooks.HOOKS if event_name == name]


EVENTS = sorted({name for name, _handler in hooks.HOOKS})


@pytest.mark.usefixtures("app")
@pytest.mark.parametrize("name", EVENTS)
def test_the_session_calls_the_hooks_in_the_declared_order_once(name):
    hooks.install()  # create_app installed them already: a second install adds nothing
    hooks.install()
    assert listening(name) == declared(name)


def test_dossier_summaries_come_after_the_act_digests_they_read():
    after_flush = declared("after_flush")
    assert after_flush.index(act_evidence.after_flush) < after_flush.index(hooks.dossier_summaries.after_flush)


@pytest.fixture
def digests_last(app) -> Iterator[None]:
    """The act digests recomputed after the summaries: the order services/common/hooks.py forbids."""
    event.remove(Session, "after_flush", act_evidence.after_flush)
    event.listen(Session, "after_flush", act_evidence.after_flush)
    try:
        yield
    finally:
        hooks.uninstall()
        hooks.install()


def _contradict_the_act(session, case: Case) -> None:  # noqa: F811
    """One flush that adds a contradicting exhibit to the act: its digest and the official's
    summary both move in that flush."""
    case.make.support(evidence=case.make.evidence(reliability="A"), act=case.act, stance="contradicts")
    session.flush()


def test_in_the_declared_order_a_summary_sees_its_flushs_digests(session, case):  # noqa: F811
    assert not _stored(session, case.official.id)["public"].review
    _contradict_the_act(session, case)
    assert _stored(session, case.official.id)["public"].review
    assert_in_step(session, case.official.id)


@pytest.mark.usefixtures("digests_last")
def test_with_the_digests_last_a_summary_is_one_flush_behind(session, case):  # noqa: F811
    _contradict_the_act(session, case)
    assert not _stored(session, case.official.id)["public"].review  # computed from the old digest
    with pytest.raises(AssertionError):
        assert_in_step(session, case.official.id)
