"""The OpenAPI document says what errors really look like: every 4xx of every operation has the body
the error handlers send, `{error, message, field?, detail?}` (Litestar documents its own default shape)."""

from __future__ import annotations

from litestar import Litestar
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIResponse, OpenAPIType, Reference, Schema

ERROR = Schema(
    type=OpenAPIType.OBJECT,
    required=["error", "message"],
    properties={
        "error": Schema(type=OpenAPIType.STRING, description="a code: bad_request, validation_failed, not_found, ..."),
        "message": Schema(type=OpenAPIType.STRING, description="for people, in the caller's language"),
        "field": Schema(type=OpenAPIType.STRING, description="the input field the message is about"),
        "detail": Schema(description="for programs: the problems found, unchanged whatever the language"),
    },
)
DESCRIPTIONS = {
    "400": "Bad request", "401": "Not signed in", "403": "Not allowed", "404": "Not found", "405": "Method not allowed",
    "409": "Conflict", "422": "Invalid input", "429": "Too many requests",
}  # fmt: skip


def document_errors(app: Litestar) -> None:
    openapi = app.openapi_schema
    if openapi.components.schemas is None:
        openapi.components.schemas = {}
    openapi.components.schemas["Error"] = ERROR
    body = {"application/json": OpenAPIMediaType(schema=Reference(ref="#/components/schemas/Error"))}
    for item in (openapi.paths or {}).values():
        for operation in (item.get, item.post, item.put, item.patch, item.delete):
            if operation is None:
                continue
            responses = operation.responses if operation.responses is not None else {}
            for status in {*(s for s in responses if s.startswith("4")), "400", "422"}:
                responses[status] = OpenAPIResponse(description=DESCRIPTIONS.get(status, "Client error"), content=body)
            operation.responses = responses
