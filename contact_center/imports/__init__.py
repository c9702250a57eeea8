"""Import from the old system: JSON Lines files of customers, assets, purchases, tickets, interactions."""
