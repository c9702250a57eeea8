"""The OpenAPI document says what errors really look like: every 4xx of every operation has the body the
error handlers send, `{error, message, field?, detail?}` (Litestar documents its own default shape).

Amended where the document is served, once, so building it (~0.3 s) is not paid at every start."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.openapi.plugins import JsonRenderPlugin

ERROR: dict[str, Any] = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {
        "error": {"type": "string", "description": "a code: bad_request, validation_failed, not_found, ..."},
        "message": {"type": "string", "description": "for people, in the caller's language"},
        "field": {"type": "string", "description": "the input field the message is about"},
        "detail": {"description": "for programs: the problems found, unchanged whatever the language"},
    },
}
DESCRIPTIONS = {
    "400": "Bad request", "401": "Not signed in", "403": "Not allowed", "404": "Not found", "405": "Method not allowed",
    "409": "Conflict", "415": "Not JSON", "422": "Invalid input", "429": "Too many requests",
}  # fmt: skip
METHODS = ("get", "post", "put", "patch", "delete")


def amend(schema: dict[str, Any]) -> dict[str, Any]:
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    body = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for item in schema.get("paths", {}).values():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            for status in {*(s for s in responses if s.startswith("4")), "400", "422"}:
                responses[status] = {"description": DESCRIPTIONS.get(status, "Client error"), "content": body}
    return schema


class ErrorDocumentingJson(JsonRenderPlugin):
    """`/schema/openapi.json`, with the real error body in every operation."""

    def __init__(self) -> None:
        super().__init__()
        self._amended: dict[int, dict[str, Any]] = {}

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        key = id(openapi_schema)  # the app keeps one dict: amend it once
        if key not in self._amended:
            self._amended = {key: amend(openapi_schema)}
        return super().render(request, self._amended[key])
