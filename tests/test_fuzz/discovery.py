"""What a form-handling route accepts, found from the app itself: the WTForms classes its view
(and the module's helpers it calls) builds, the names it reads from ``request.form``, and the
fields and choices of the ``<form>`` its page renders."""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from types import CodeType, FunctionType
from typing import Any

from flask import Flask
from flask_wtf import FlaskForm
from flask_wtf.file import FileField as FlaskFileField
from wtforms import (
    BooleanField,
    DateField,
    DateTimeField,
    DateTimeLocalField,
    DecimalField,
    FieldList,
    FileField,
    FloatField,
    FormField,
    IntegerField,
    MultipleFileField,
)
from wtforms.fields.choices import SelectFieldBase
from wtforms.validators import DataRequired, InputRequired

from forms.fields import PartialDateField, VersionField

# How the fuzzer fills a field
TEXT, DATE, NUMBER, CHOICE, CHECKBOX, FILE = "text", "date", "number", "choice", "checkbox", "file"

REQUEST_FORM_NAME = re.compile(r"request\.form(?:\.get|\.getlist)?\s*[\(\[]\s*[\"'](\w+)[\"']")


@dataclass
class FieldSpec:
    name: str
    kind: str
    choices: list[str] = field(default_factory=list)
    required: bool = False


def _all_subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_all_subclasses(sub))
    return found


def _code_names(code: CodeType) -> set[str]:
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, CodeType):
            names |= _code_names(const)
    return names


def _functions_reached(view: Any, depth: int = 3) -> list[FunctionType]:
    """The view and the functions of its own module that it calls, a few levels down."""
    root = inspect.unwrap(view)
    seen: dict[int, FunctionType] = {}
    frontier = [root]
    for _level in range(depth + 1):
        following = []
        for function in frontier:
            if id(function) in seen:
                continue
            seen[id(function)] = function
            for name in _code_names(function.__code__):
                target = function.__globals__.get(name)
                if isinstance(target, FunctionType) and target.__module__ == root.__module__:
                    following.append(target)
        frontier = following
    return list(seen.values())


def form_classes(view: Any) -> list[type[FlaskForm]]:
    """The FlaskForm subclasses the view names, imported at module level or inside a function."""
    by_name: dict[str, list[type[FlaskForm]]] = {}
    for cls in _all_subclasses(FlaskForm):
        if cls.__module__.startswith("forms."):
            by_name.setdefault(cls.__name__, []).append(cls)
    classes: list[type[FlaskForm]] = []
    for function in _functions_reached(view):
        for name in _code_names(function.__code__):
            bound = function.__globals__.get(name)
            candidates = [bound] if bound in by_name.get(name, []) else by_name.get(name, [])
            classes.extend(c for c in candidates if c not in classes)
    return classes


def raw_form_names(view: Any) -> set[str]:
    """Names read straight from ``request.form`` by views that take no WTForms class."""
    names: set[str] = set()
    for function in _functions_reached(view):
        names |= set(REQUEST_FORM_NAME.findall(inspect.getsource(function)))
    return names


def _kind(form_field: Any) -> str:
    if isinstance(form_field, FlaskFileField | FileField | MultipleFileField):
        return FILE
    if isinstance(form_field, BooleanField):
        return CHECKBOX
    if isinstance(form_field, SelectFieldBase):
        return CHOICE
    if isinstance(form_field, PartialDateField | DateField | DateTimeField | DateTimeLocalField):
        return DATE
    if isinstance(form_field, IntegerField | DecimalField | FloatField | VersionField):
        return NUMBER
    return TEXT


def _flatten(fields: Any) -> list[Any]:
    flat = []
    for form_field in fields:
        if isinstance(form_field, FieldList):
            while len(form_field.entries) < 2:
                form_field.append_entry()
            flat.extend(_flatten(form_field.entries))
        elif isinstance(form_field, FormField):
            flat.extend(_flatten(form_field.form))
        else:
            flat.append(form_field)
    return flat


def fields_of_classes(app: Flask, classes: list[type[FlaskForm]]) -> dict[str, FieldSpec]:
    specs: dict[str, FieldSpec] = {}
    with app.test_request_context(method="POST"):
        for cls in classes:
            for form_field in _flatten(cls(meta={"csrf": False})):
                if form_field.type == "CSRFTokenField":
                    continue
                choices = [str(value) for value, *_rest in (getattr(form_field, "choices", None) or [])]
                required = any(isinstance(v, DataRequired | InputRequired) for v in form_field.validators)
                specs[form_field.name] = FieldSpec(form_field.name, _kind(form_field), choices, required)
    return specs


class _FormParser(HTMLParser):
    """The fields of the POST forms of a page that submit to ``action``."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
        self.inside = False
        self.select: str | None = None
        self.fields: dict[str, FieldSpec] = {}

    def _add(self, name: str, kind: str, value: str | None = None) -> None:
        spec = self.fields.setdefault(name, FieldSpec(name, kind))
        if value is not None and value not in spec.choices:
            spec.choices.append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k: v or "" for k, v in attrs}
        if tag == "form":
            target = attr.get("action", "").split("?")[0]
            self.inside = attr.get("method", "").lower() == "post" and target in ("", self.action)
        elif tag == "option" and self.inside and self.select:
            self._add(self.select, CHOICE, attr.get("value", ""))
        elif not self.inside or not attr.get("name") or attr["name"] == "csrf_token":
            return
        elif tag == "select":
            self.select = attr["name"]
            self._add(attr["name"], CHOICE)
        elif tag == "textarea":
            self._add(attr["name"], TEXT)
        elif tag == "input":
            kind = {"file": FILE, "checkbox": CHOICE, "radio": CHOICE, "date": DATE, "number": NUMBER}.get(
                attr.get("type", "text"), TEXT
            )
            keep = kind == CHOICE or attr.get("type") == "hidden"  # a hidden value: the record's version
            self._add(attr["name"], kind, attr.get("value") if keep else None)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None


def fields_of_page(html: str, action: str) -> dict[str, FieldSpec]:
    parser = _FormParser(action)
    parser.feed(html)
    return parser.fields


def merge(*sources: dict[str, FieldSpec]) -> dict[str, FieldSpec]:
    """One spec per name: the form class says the kind, the page adds the choices it offers."""
    merged: dict[str, FieldSpec] = {}
    for source in sources:
        for name, spec in source.items():
            known = merged.get(name)
            if known is None:
                merged[name] = FieldSpec(name, spec.kind, list(spec.choices), spec.required)
            else:
                known.choices.extend(c for c in spec.choices if c not in known.choices)
    return merged
