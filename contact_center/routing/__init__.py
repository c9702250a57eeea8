"""Ticket routing: pure assignment strategies that pick an agent for a waiting ticket."""
