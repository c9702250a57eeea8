"""Zammad's generic CTI format → our call events, so PBX webhooks written for Zammad work unchanged.

Zammad posts `event=newCall|answer|hangup` with `from`, `to`, `direction`, `callId`, `user[]`,
`queue`, `answeringNumber` and `cause`, as a form or as JSON. Only `event` and `callId` are
required; events may arrive twice or out of order (the call log copes with both).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from contact_center.errors import ValidationFailed
from cti_bridge import contract as c

SOURCE = "zammad"
_HANGUP_BY: dict[str, c.HangupBy] = {
    "cancel": "caller",
    "normalClearing": "unknown",
    "noAnswer": "system",
    "busy": "system",
}


def _text(payload: Mapping[str, Any], key: str) -> str | None:
    value = payload.get(key)
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value).strip() or None if value is not None else None


def users(payload: Mapping[str, Any]) -> list[str]:
    """The `user[]` field, however the form encoder spelled it."""
    value = payload.get("user[]", payload.get("user"))
    if value is None:
        return []
    return [str(v) for v in (value if isinstance(value, list) else [value]) if str(v).strip()]


def to_events(payload: Mapping[str, Any], extensions: list[str], now: float | None = None) -> list[c.CallEvent]:
    """The contract events one Zammad request stands for; `extensions` are those of the named users."""
    event, call_id = _text(payload, "event"), _text(payload, "callId")
    if event not in ("newCall", "answer", "hangup") or not call_id:
        raise ValidationFailed("a Zammad CTI request needs event=newCall|answer|hangup and callId")
    at = now if now is not None else time.time()
    outbound = _text(payload, "direction") == "out"
    caller = _text(payload, "to") if outbound else _text(payload, "from")
    dialled = _text(payload, "from") if outbound else _text(payload, "to")
    queue = _text(payload, "queue")
    key = f"{SOURCE}:{call_id}"
    events: list[c.CallEvent] = []
    if event == "newCall":
        if not outbound:
            events.append(c.CallOffered(id=f"{key}:offered", call_id=call_id, at=at, source=SOURCE,
                                        caller=caller, dialled=dialled, queue=queue))  # fmt: skip
        for ext in extensions:
            events.append(c.CallRinging(id=f"{key}:ringing:{ext}", call_id=call_id, at=at, source=SOURCE, extension=ext,
                                        caller=caller, dialled=dialled, queue=queue,
                                        direction="out" if outbound else "in"))  # fmt: skip
    elif event == "answer":
        extension = _text(payload, "answeringNumber") or (extensions[0] if extensions else "")
        events.append(c.CallAnswered(id=f"{key}:answered", call_id=call_id, at=at, source=SOURCE,
                                     extension=extension, caller=caller))  # fmt: skip
    else:
        cause = _text(payload, "cause")
        events.append(c.CallEnded(id=f"{key}:ended", call_id=call_id, at=at, source=SOURCE, cause=cause,
                                  hangup_by=_HANGUP_BY.get(cause or "", "unknown")))  # fmt: skip
    return events
