"""Deterministic demo data for a Taiwanese home-appliance sales and service company."""
