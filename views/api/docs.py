"""The API's documentation for people: the OpenAPI document, rendered as a page."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template

from services.common.text_rules import WEB_ADDRESS_PATTERN, text_pattern
from views.api.problems import PROBLEM_TYPES

bp = Blueprint("api_docs", __name__)

METHODS = ("get", "post", "put", "patch", "delete")


def _ref(spec: dict[str, Any], ref: str) -> Any:
    node: Any = spec
    for part in ref.lstrip("#/").split("/"):
        node = node[part]
    return node


def _schema_name(node: dict[str, Any]) -> str | None:
    ref = node.get("$ref") or node.get("items", {}).get("$ref")
    return ref.rsplit("/", 1)[-1] if ref else None


def _type_of(spec: dict[str, Any], node: dict[str, Any]) -> str:
    if "$ref" in node:
        return node["$ref"].rsplit("/", 1)[-1]
    if node.get("type") == "array":
        return f"array of {_type_of(spec, node.get('items', {}))}"
    text = node.get("type", "object")
    if node.get("format"):
        text += f" ({node['format']})"
    if node.get("enum"):
        text += ": " + " | ".join(str(v) for v in node["enum"] if v is not None)
    return text


def _fields(spec: dict[str, Any], schema: dict[str, Any]) -> list[dict[str, Any]]:
    if "$ref" in schema:
        schema = _ref(spec, schema["$ref"])
    required = set(schema.get("required", []))
    rows = []
    for name, prop in schema.get("properties", {}).items():
        rows.append(
            {
                "name": name,
                "type": _type_of(spec, prop),
                "required": name in required,
                "read_only": prop.get("readOnly", False),
                "description": prop.get("description", ""),
                "limits": _limits(prop),
            }
        )
    return rows


def _limits(prop: dict[str, Any]) -> str:
    parts = []
    for key, text in (
        ("minimum", "≥ {}"),
        ("maximum", "≤ {}"),
        ("minLength", "≥ {} chars"),
        ("maxLength", "≤ {} chars"),
    ):
        if key in prop:
            parts.append(text.format(prop[key]))
    if "pattern" in prop:
        parts.append(PATTERN_WORDS.get(prop["pattern"], f"matches {prop['pattern']}"))
    if prop.get("nullable"):
        parts.append("may be null")
    return ", ".join(parts)


# The shared patterns in words (the document has them in full)
PATTERN_WORDS = {
    text_pattern(0): "no control characters",
    text_pattern(1): "not blank, no control characters",
    text_pattern(4): "4 characters besides outer spaces, no control characters",
    WEB_ADDRESS_PATTERN: "an http(s) address with a host, no spaces, quotes or control characters",
}


def _operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    operations = []
    for path, item in spec.get("paths", {}).items():
        shared = item.get("parameters", [])
        for method in METHODS:
            if method not in item:
                continue
            op = item[method]
            body = None
            if "requestBody" in op:
                content = op["requestBody"].get("content", {})
                media, media_body = next(iter(content.items()))
                body = {"media_type": media, "fields": _fields(spec, media_body.get("schema", {}))}
            responses = []
            for status, response in op.get("responses", {}).items():
                response = _ref(spec, response["$ref"]) if "$ref" in response else response
                content = response.get("content", {})
                media = next(iter(content), "")
                schema = content.get(media, {}).get("schema", {}) if media else {}
                responses.append(
                    {
                        "status": status,
                        "description": response.get("description", ""),
                        "media_type": media,
                        "schema": _schema_name(schema) if schema else None,
                    }
                )
            operations.append(
                {
                    "id": f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", ""),
                    "method": method.upper(),
                    "path": path,
                    "tag": (op.get("tags") or ["other"])[0],
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "parameters": [
                        {
                            "name": p["name"],
                            "in": p["in"],
                            "required": p.get("required", False),
                            "type": _type_of(spec, p.get("schema", {})),
                            "description": p.get("description", ""),
                            "limits": _limits(p.get("schema", {})),
                        }
                        for p in [*shared, *op.get("parameters", [])]
                    ],
                    "body": body,
                    "responses": responses,
                }
            )
    return operations


@bp.get("/api/v1/docs")
def docs() -> str:
    spec = current_app.extensions["tribunal_api"].spec.to_dict()
    schemas = {
        name: _fields(spec, schema) for name, schema in sorted(spec.get("components", {}).get("schemas", {}).items())
    }
    operations = _operations(spec)
    tags = list(dict.fromkeys(op["tag"] for op in operations))
    tag_text = {t["name"]: t.get("description", "") for t in spec.get("tags", [])}
    return render_template(
        "api/docs.html",
        info=spec["info"],
        operations=operations,
        tags=tags,
        tag_text=tag_text,
        schemas=schemas,
        problem_types=PROBLEM_TYPES,
    )
