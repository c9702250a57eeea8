"""The customer self-service portal: a customer's own tickets, products and the public answers."""
