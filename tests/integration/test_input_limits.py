"""Input refused the same way on every endpoint: huge integers, NUL characters, JSON nested without end,
text longer than its column — each a 4xx naming the field, nothing written; the OpenAPI document shows
the error body the API really sends, and a 405 says which methods are allowed."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import AsyncTestClient


@pytest.mark.parametrize(
    ("method", "url", "body", "field"),
    [
        ("GET", "/api/tickets/99999999999999999999", None, "ticket_id"),
        ("GET", "/api/tickets?offset=99999999999999999999", None, "offset"),
        ("GET", "/api/customers/lookup?phone=0912%00345678", None, "phone"),
        ("POST", "/api/customers", {"name": "林\u0000美華"}, "name"),
        ("POST", "/api/customers", {"name": "林美華", "emails": ["a\u0000@example.com"]}, "emails"),
        ("POST", "/api/customers", {"name": "林美華", "city": "台" * 65}, "city"),
        ("POST", "/api/customers", {"name": "名" * 201}, "name"),
        ("POST", "/api/tickets", {"kind": "inquiry", "subject": "s" * 301}, "subject"),
        ("POST", "/api/tickets", {"kind": "inquiry", "subject": "ok", "customer_id": 2**70}, "customer_id"),
        ("POST", "/api/queues", {"name": "q" * 65, "display_name": "Q"}, "name"),
    ],
)
async def test_bad_input_is_a_4xx_naming_the_field_and_writes_nothing(
    client: AsyncTestClient[Any], admin_headers: dict[str, str], method: str, url: str, body: Any, field: str
) -> None:
    response = await client.request(method, url, json=body, headers=admin_headers)
    assert response.status_code in (400, 422), response.text
    assert field in (response.json().get("field") or response.text), response.text
    listed = (await client.get("/api/customers", headers=admin_headers)).json()
    assert listed["total"] == 0 and (await client.get("/api/tickets", headers=admin_headers)).json()["total"] == 0


async def test_json_nested_without_end_is_refused_even_before_sign_in(client: AsyncTestClient[Any]) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    response = await client.post("/api/auth/login", content=f'{{"username": {deep}}}',
                                 headers={"content-type": "application/json"})  # fmt: skip
    assert response.status_code == 422 and "nested" in response.json()["message"]


async def test_a_literal_backslash_u0000_is_text_not_a_nul(
    client: AsyncTestClient[Any], admin_headers: dict[str, str]
) -> None:
    response = await client.post("/api/customers", content='{"name": "C:\\\\u0000dir"}',
                                 headers={**admin_headers, "content-type": "application/json"})  # fmt: skip
    assert response.status_code == 201, response.text
    assert response.json()["name"] == "C:\\u0000dir"


async def test_the_openapi_document_shows_the_real_error_body_and_405_says_allow(
    client: AsyncTestClient[Any], admin_headers: dict[str, str]
) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"error", "message"} and {"field", "detail"} <= set(error["properties"])
    created = schema["paths"]["/api/tickets"]["post"]["responses"]
    assert created["400"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    assert "422" in created
    response = await client.request("PATCH", "/api/customers", headers=admin_headers)
    assert response.status_code == 405 and set(response.headers["allow"].replace(" ", "").split(",")) >= {"GET", "POST"}
    assert response.json()["error"] == "method_not_allowed"
