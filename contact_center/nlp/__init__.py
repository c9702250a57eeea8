"""The ticket classifier in the app: training on the company's own tickets, storing, loading, using."""
