"""What the pages call each stored code (`on_hold`, `in_warranty`, `wrap_up`, ...): an English label, the
msgid the zh-Hant catalogue translates. Pages never show a code; a test walks every group and the
domain's own vocabularies so a new status or kind without a label fails the suite."""

from __future__ import annotations

from agent_ui import i18n

LABELS: dict[str, dict[str, str]] = {
    "status": {"new": "New", "open": "Open", "pending": "Waiting for customer", "on_hold": "On hold",
               "resolved": "Resolved", "closed": "Closed"},
    "kind": {"repair": "Repair", "complaint": "Complaint", "inquiry": "Inquiry", "billing": "Billing",
             "installation": "Installation", "cancellation": "Cancellation", "maintenance": "Maintenance",
             "other": "Other"},
    "priority": {"low": "Low", "normal": "Normal", "high": "High", "urgent": "Urgent"},
    "channel": {"phone": "Phone", "web": "Web", "email": "E-mail", "line": "LINE", "store": "Store",
                "visit": "Visit", "chat": "Chat", "other": "Other", "call": "Phone"},
    "tier": {"vip": "VIP", "gold": "Gold", "standard": "Standard", "basic": "Basic"},
    "role": {"admin": "Administrator", "supervisor": "Supervisor", "agent": "Agent", "qa": "QA analyst",
             "customer": "Customer", "pbx": "Phone system"},
    "warranty": {"in_warranty": "In warranty", "expiring": "Warranty ending soon", "expired": "Out of warranty",
                 "unknown": "Warranty unknown"},
    "call_state": {"offered": "Waiting", "ringing": "Ringing", "answered": "On call", "ended": "Ended",
                   "abandoned": "Abandoned", "wrap_up": "Wrap-up"},
    "presence": {"available": "Available", "away": "Away", "wrap_up": "Wrap-up", "offline": "Offline",
                 "on_call": "On call"},
    "outcome": {"reached": "Reached", "no_answer": "No answer", "call_back": "Call back",
                "not_interested": "Not interested", "sold": "Sold", "cancelled": "Cancelled"},
    "task_status": {"open": "Open", "done": "Done", "cancelled": "Cancelled"},
    "link": {"related": "Related", "duplicate": "Duplicate", "parent": "Parent", "child": "Child"},
    "view": {"mine": "Mine", "unassigned": "Unassigned", "queue": "My queues", "due_soon": "Breaching within the hour",
             "breached": "Breached", "all": "All tickets"},
    "field": {"status": "status", "priority": "priority", "assignee_id": "assignee", "queue_id": "queue",
              "category": "category", "subject": "subject", "description": "description", "kind": "kind",
              "asset_id": "product", "technician": "technician", "satisfaction": "satisfaction",
              "tags": "tags"},
    "due": {"first_response": "First response", "resolution": "Resolution"},
}  # fmt: skip


def label(group: str, code: str | None) -> str:
    """The code's label in the request's language; an unknown code is shown as it is (data we did not
    write may carry one), never as an error."""
    if code is None:
        return ""
    english = LABELS.get(group, {}).get(code)
    return i18n.gettext(english) if english else code


def all_labels() -> dict[str, str]:
    """Every group's labels flattened `group.code` → label, for the scripts (translated on the server)."""
    return {f"{group}.{code}": label(group, code) for group, codes in LABELS.items() for code in codes}
