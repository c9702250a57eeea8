"""Who opened which customer's record, from which screen or API (Taiwan's Personal Data Protection Act)."""
