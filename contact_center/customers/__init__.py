"""Customers: profile, phones, lookup by caller number and the single customer view (history)."""
