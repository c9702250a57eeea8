"""Secrets never reach the logs: keys that name a secret and tokens inside messages are masked."""

from __future__ import annotations

import logging

import pytest

from contact_center.logs import MASK, configure, redact


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


def test_standard_library_records_are_redacted_too(capsys: pytest.CaptureFixture[str]) -> None:
    """The bridge's AMI frames and any library's lines go through the same redaction (Litestar's own handler
    uses the same formatter: contact_center.app)."""
    configure("DEBUG")
    frame = {"Action": "Login", "Username": "cc", "Secret": "cc-secret-value"}
    logging.getLogger("cti_bridge.ami_manager").warning("AMI message neither event nor response: %s", frame)
    logging.getLogger("contact_center.somewhere").error("POST /api/v1/cti/cc_abcdefghijklmnopqrstuvwxyz0123 failed")
    err = capsys.readouterr().err
    assert "cc-secret-value" not in err and "Secret': '***'" in err
    assert "cc_abcdefghijklmnopqrstuvwxyz0123" not in err and "/api/v1/cti/***" in err
    configure("WARNING")
