"""Tasks: follow-ups on tickets (跟催) and proactive call-backs, each in its owner's worklist."""
