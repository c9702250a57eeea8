"""Tickets: kinds, statuses, the workflow between them, and the audit history of every change."""
