"""Secrets never reach the logs: keys that name a secret and tokens inside messages are masked."""

from __future__ import annotations

from contact_center.logs import MASK, redact


def test_secret_fields_are_masked_at_any_depth() -> None:
    event = redact(
        None,
        "info",
        {
            "event": "login",
            "password": "hunter2-hunter2",
            "headers": {"Authorization": "Bearer cc_abcdefghijklmnopqrstuvwxyz", "Accept": "text/html"},
            "ami": [{"Username": "cc", "Secret": "cc-secret"}],
            "BRIDGE_TOKEN": "cc_zzzzzzzzzzzzzzzzzzzzzzzzzz",
        },
    )
    assert event["password"] == MASK and event["BRIDGE_TOKEN"] == MASK
    assert event["headers"] == {"Authorization": MASK, "Accept": "text/html"}
    assert event["ami"] == [{"Username": "cc", "Secret": MASK}]


def test_tokens_inside_messages_are_masked() -> None:
    event = redact(
        None,
        "info",
        {
            "event": "sent Action: Login\r\nUsername: cc\r\nSecret: cc-secret\r\n",
            "note": "curl -H 'Authorization: Bearer cc_abcdefghijklmnopqrstuvwxyz0123'",
        },
    )
    assert "cc-secret" not in event["event"] and "Secret: ***" in event["event"]
    assert "abcdefghijklmnop" not in event["note"]
