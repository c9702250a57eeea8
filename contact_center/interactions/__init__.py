"""Interactions: every contact with a customer on any channel (seed 003: every contact is logged)."""
