"""The modes of liability (Rome Statute Art. 25(3), with the leadership clause of Art. 25(3 bis)
for aggression): which involvement roles suggest which mode, and how directly each mode makes
the person answer for the act.

Pure, like services/assessment.py. Only the strength score reads it yet (each role weighed by
its most direct mode); the matrix of modes on each dossier (issue 20, item 5) is not built.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.assessment_texts import _


@dataclass(frozen=True)
class ModeDefinition:
    code: str
    article: str  # "Art. 25(3)(a)"
    name: str  # English; translated where it is shown
    roles: tuple[str, ...]  # the involvement roles that suggest it
    weight: float  # how directly it realises the act: the strength score weighs conduct by it


MODES: tuple[ModeDefinition, ...] = (
    ModeDefinition(
        "co_perpetration", "Art. 25(3)(a)", "direct or co-perpetration", ("signed", "voted_for", "authored"), 1.0
    ),
    ModeDefinition("indirect_perpetration", "Art. 25(3)(a)", "indirect perpetration", ("ordered", "commanded"), 1.0),
    ModeDefinition("ordering", "Art. 25(3)(b)", "ordering", ("ordered", "commanded"), 1.0),
    ModeDefinition("inducing", "Art. 25(3)(b)", "soliciting or inducing", ("proposed", "publicly_endorsed"), 0.8),
    ModeDefinition(
        "aiding",
        "Art. 25(3)(c)",
        "aiding, abetting or assisting",
        ("supplied", "allowed", "negotiated", "implemented"),
        0.7,
    ),
    ModeDefinition("common_purpose", "Art. 25(3)(d)", "contributing to a common purpose", ("attended",), 0.5),
)
_NONE = ModeDefinition("none", "", "no mode of liability", (), 0.0)


@dataclass(frozen=True)
class RoleMode:
    name: str  # translated
    weight: float


def mode_name(mode: ModeDefinition) -> str:
    names = {
        "co_perpetration": _("direct or co-perpetration"),
        "indirect_perpetration": _("indirect perpetration"),
        "ordering": _("ordering"),
        "inducing": _("soliciting or inducing"),
        "aiding": _("aiding, abetting or assisting"),
        "common_purpose": _("contributing to a common purpose"),
    }
    return names.get(mode.code, _("no mode of liability"))


def modes_of(role: str) -> tuple[ModeDefinition, ...]:
    return tuple(m for m in MODES if role in m.roles)


def role_mode(role: str) -> RoleMode:
    """The most direct mode the role suggests (its weight, and its name for the explanation)."""
    mode = max(modes_of(role), key=lambda m: m.weight, default=_NONE)
    return RoleMode(mode_name(mode), mode.weight)
