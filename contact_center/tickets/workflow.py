"""The ticket vocabulary and which status may follow which."""

from __future__ import annotations

KINDS = ("repair", "complaint", "inquiry", "billing", "installation", "cancellation", "maintenance", "other")
PRIORITIES = ("low", "normal", "high", "urgent")
CHANNELS = ("phone", "web", "email", "line", "store", "visit", "chat", "other")
STATUSES = ("new", "open", "pending", "on_hold", "resolved", "closed")
OPEN_STATUSES = ("new", "open", "pending", "on_hold")

# Reopening goes back to "open"; a closed ticket can be reopened too (the customer calls again).
TRANSITIONS: dict[str, frozenset[str]] = {
    "new": frozenset({"open", "pending", "on_hold", "resolved", "closed"}),
    "open": frozenset({"pending", "on_hold", "resolved", "closed"}),
    "pending": frozenset({"open", "on_hold", "resolved", "closed"}),
    "on_hold": frozenset({"open", "pending", "resolved", "closed"}),
    "resolved": frozenset({"open", "closed"}),
    "closed": frozenset({"open"}),
}


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())
