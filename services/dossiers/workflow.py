"""The case-level record of a dossier: status, lead prosecutor, theory of the case, notes.

The assessment is computed from the facts (services/assessment/elements.py); what lives here is what
prosecutors decide. A status moves along the case's life:

    candidate -> under review -> recommended for indictment | deferred | closed

and can go back to review (a deferred case revived, a recommendation reconsidered, a closed
case reopened). Each change is logged with who made it and when; only prosecutors (and
administrators) make them.

Prosecutors also choose the modes of liability to charge (Rome Statute Art. 25(3); the
assessment shows each mode's elements, services/assessment/modes.py): a choice names the modes
and the reason, and is kept with who made it and when; a later choice replaces it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import ChargedMode, Dossier, DossierStatusChange, ModeChoice, Official, User
from models.base import utcnow
from models.enums import LIABILITY_MODES
from services.assessment.types import Assessment, ModeAssessment

INITIAL_STATUS = "candidate"
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "candidate": ("under_review", "closed"),
    "under_review": ("recommended_for_indictment", "deferred", "closed", "candidate"),
    "recommended_for_indictment": ("under_review",),
    "deferred": ("under_review", "closed"),
    "closed": ("under_review",),
}


class CaseView:
    """What the dossier page and the case file both show of a case, for a dataclass with the
    official's ``dossier`` (None until a prosecutor opens it) and ``assessment``."""

    dossier: Dossier | None
    assessment: Assessment

    @property
    def status(self) -> str:
        return self.dossier.status if self.dossier else INITIAL_STATUS

    @property
    def charged_modes(self) -> tuple[str, ...]:
        return self.dossier.charged_modes if self.dossier else ()

    @property
    def modes(self) -> tuple[ModeAssessment, ...]:
        """The modes of liability the official's roles suggest, and any chosen to charge."""
        return self.assessment.modes_to_show(self.charged_modes)


class WorkflowError(ValueError):
    """A change the workflow does not allow; the message says why, ``field`` which input."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def dossier_of(session: Session, official: Official) -> Dossier | None:
    return session.scalars(select(Dossier).where(Dossier.official_id == official.id)).first()


def open_dossier(session: Session, official: Official) -> Dossier:
    """The official's dossier, opened as a candidate the first time a prosecutor works on it."""
    dossier = dossier_of(session, official)
    if dossier is None:
        dossier = Dossier(official=official, status=INITIAL_STATUS)
        session.add(dossier)
        session.flush()
    return dossier


def allowed_next(status: str) -> tuple[str, ...]:
    return TRANSITIONS.get(status, ())


def may_decide(user: User | None) -> bool:
    return bool(user is not None and user.active and user.has_role("prosecutor"))


@dataclass(frozen=True)
class CaseInput:
    status: str
    lead_prosecutor_id: int | None
    theory: str | None
    notes: str | None
    reason: str | None  # why the status changed, when it did


def lead_candidates(session: Session) -> list[User]:
    """Who may lead a case: active prosecutors and administrators."""
    users = session.scalars(select(User).where(User.active.is_(True)).order_by(User.name, User.email))
    return [u for u in users if u.has_role("prosecutor")]


def apply_case(session: Session, dossier: Dossier, data: CaseInput, user: User) -> DossierStatusChange | None:
    """Save what a prosecutor decided; returns the status change, if the status changed."""
    if not may_decide(user):
        raise WorkflowError(_("Only prosecutors may change a dossier."))
    if data.lead_prosecutor_id is not None and data.lead_prosecutor_id not in {u.id for u in lead_candidates(session)}:
        raise WorkflowError(_("The lead must be an active prosecutor."), "lead")
    change = None
    reason = (data.reason or "").strip() or None
    if data.status == dossier.status and reason is not None:
        raise WorkflowError(
            _(
                "A reason is recorded only with a change of status: choose the new status, or empty the reason."
                " Notes and the theory of the case have fields of their own."
            ),
            "reason",
        )
    if data.status != dossier.status:
        if data.status not in allowed_next(dossier.status):
            raise WorkflowError(
                _(
                    "A dossier cannot go from %(current)s to %(wanted)s.",
                    current=dossier.status,
                    wanted=data.status,
                ),
                "status",
            )
        if reason is None:
            raise WorkflowError(
                _("Give the reason for changing the status to %(wanted)s.", wanted=data.status.replace("_", " ")),
                "reason",
            )
        change = DossierStatusChange(
            dossier=dossier,
            from_status=dossier.status,
            to_status=data.status,
            changed_by=user,
            changed_at=utcnow(),
            reason=reason,
        )
        session.add(change)
        dossier.status = data.status
    dossier.lead_prosecutor_id = data.lead_prosecutor_id
    dossier.theory = data.theory
    dossier.notes = data.notes
    session.flush()
    return change


def choose_modes(
    session: Session, dossier: Dossier, modes: Iterable[str], reason: str | None, user: User
) -> ModeChoice:
    """Record the modes of liability to charge (none: withdraw the earlier choice), with the reason."""
    if not may_decide(user):
        raise WorkflowError(_("Only prosecutors may choose the modes of liability to charge."))
    wanted = set(modes)
    unknown = sorted(wanted - set(LIABILITY_MODES))
    if unknown:
        raise WorkflowError(
            _(
                "Unknown mode of liability: %(unknown)s. The modes are %(modes)s.",
                unknown=", ".join(unknown),
                modes=", ".join(LIABILITY_MODES),
            )
        )
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Give the reason for this choice of the modes to charge."))
    chosen = tuple(m for m in LIABILITY_MODES if m in wanted)
    if chosen == dossier.charged_modes:
        if not chosen and dossier.mode_choice is None:
            raise WorkflowError(_("Choose at least one mode of liability to charge."))
        raise WorkflowError(_("These are already the modes chosen to charge."))
    choice = ModeChoice(dossier=dossier, chosen_by=user, chosen_at=utcnow(), reason=reason)
    choice.charged = [ChargedMode(mode=m) for m in chosen]
    session.add(choice)
    dossier.updated_at = choice.chosen_at  # moves the dossier's version: a stale form is refused
    session.flush()
    return choice
