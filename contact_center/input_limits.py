"""Input every endpoint refuses the same way, before a handler sees it: one rule instead of one per field.

- Integers in the path or the query beyond 64 bits (PostgreSQL's bigint): 400, naming the parameter.
- NUL characters, in the path, the query, a form or anywhere in a JSON body: PostgreSQL refuses them in
  text outright, so they are refused here, naming the field.
- JSON nested deeper than `MAX_DEPTH`: no request of ours nests more than a few levels, and a decoder
  walking 100,000 levels runs out of stack.

Lengths and value ranges of each field are the request schemas' own (msgspec `Meta`).
"""

from __future__ import annotations

import json
import re
import typing
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

from litestar import Request
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from contact_center.errors import ValidationFailed

INT64 = 2**63 - 1
MAX_DEPTH = 32
# A JSON string escape for NUL: \u0000 preceded by an even number of backslashes (an odd number before
# the `u` would make it a literal backslash followed by the text "u0000").
_NUL_ESCAPE = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')


def _is_int(annotation: Any) -> bool:
    if annotation is int:
        return True
    return any(arg is int for arg in typing.get_args(annotation))


def _int_parameters(scope: Scope) -> dict[str, str]:
    """Query parameters the handler takes as integers: the name in the URL → the name in the handler."""
    handler = scope.get("route_handler")
    signature = getattr(handler, "parsed_fn_signature", None)
    if signature is None:
        return {}
    found = {}
    for name, parameter in signature.parameters.items():
        if _is_int(parameter.annotation):
            alias = getattr(parameter.kwarg_definition, "query", None) if parameter.kwarg_definition else None
            found[alias or name] = name
    return found


def _check_scalars(scope: Scope) -> None:
    for name, value in (scope.get("path_params") or {}).items():
        if isinstance(value, int) and not -INT64 <= value <= INT64:
            raise ValidationFailed("{name}: must be between {low} and {high}", name=name, low=-INT64, high=INT64)
        if isinstance(value, str) and "\x00" in value:
            raise ValidationFailed("{name}: must not contain NUL characters", name=name)
    query = scope.get("query_string", b"")
    if not query:
        return
    integers = _int_parameters(scope)
    for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
        if "\x00" in value or "\x00" in name:
            raise ValidationFailed("{name}: must not contain NUL characters", name=name.replace("\x00", ""))
        if name in integers and value.strip().lstrip("+-").isdigit() and abs(int(value)) > INT64:
            raise ValidationFailed("{name}: must be between {low} and {high}", name=name, low=-INT64, high=INT64)


def _too_deep(body: bytes) -> bool:
    if body.count(b"[") + body.count(b"{") <= MAX_DEPTH:
        return False  # cannot nest deeper than it has brackets: the common case costs two counts
    depth = 0
    for token in re.finditer(rb"[\[\]{}]", _STRING.sub(b'""', body)):
        depth += 1 if token.group() in b"[{" else -1
        if depth > MAX_DEPTH:
            return True
    return False


def _nul_paths(value: Any, path: str = "") -> Iterator[str]:
    if isinstance(value, str):
        if "\x00" in value:
            yield path or "body"
    elif isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in key:
                yield f"{path}.{key}" if path else str(key)
            yield from _nul_paths(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nul_paths(item, f"{path}[{index}]")


async def _check_body(scope: Scope, receive: Receive) -> None:
    request: Request[Any, Any, Any] = Request(scope, receive)
    content_type = request.headers.get("content-type", "")
    if "json" in content_type:
        body = await request.body()  # kept for the handler
        if _too_deep(body):
            raise ValidationFailed("the JSON is nested more than {depth} levels deep", depth=MAX_DEPTH)
        if _NUL_ESCAPE.search(body):
            try:
                field = next(_nul_paths(json.loads(body)), "body")
            except ValueError:
                return  # not JSON: the handler's decoder says so
            raise ValidationFailed("{name}: must not contain NUL characters", name=field)
    elif content_type.startswith("application/x-www-form-urlencoded"):
        form = await request.form()
        for name, value in form.multi_items():
            if isinstance(value, str) and "\x00" in value:
                raise ValidationFailed("{name}: must not contain NUL characters", name=name)


class InputLimits(ASGIMiddleware):
    scopes = ("http",)  # type: ignore[assignment]

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        _check_scalars(scope)
        if scope.get("method") in ("POST", "PUT", "PATCH", "DELETE"):
            await _check_body(scope, receive)
        await next_app(scope, receive, send)
