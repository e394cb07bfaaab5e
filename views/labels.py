"""The label of an enumerated value, as pages show it: the enumeration (models/enums.py)
says what each of its values reads as; a bare value has no label."""

from __future__ import annotations

from flask import g, has_request_context

from models.enums import ENUMERATIONS, Labelled


def label(enumeration: type[Labelled] | Labelled, value: str | None = None) -> str:
    """``label(Gender, "male")`` or ``label(Gender.MALE)``: the translated label; "" for None.

    A dossier page asks for thousands of labels; each is translated once per request (the
    language cannot change within one) and then read from ``g``."""
    if isinstance(enumeration, Labelled):
        enumeration, value = type(enumeration), str(enumeration)  # a member is its value
    if value is None:
        return ""
    key = (enumeration, value)
    cache: dict[tuple[type[Labelled], str], str] | None = g.setdefault("_labels", {}) if has_request_context() else None
    if cache is not None and key in cache:
        return cache[key]
    result = enumeration.label_of(value)
    if cache is not None:
        cache[key] = result
    return result


def template_globals() -> dict[str, object]:
    """``label`` and every enumeration by its class name, for the templates."""
    return {"label": label, **{cls.__name__: cls for cls in ENUMERATIONS}}
