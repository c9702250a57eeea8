"""The supervisor's wallboard: queues, agents and tickets at risk, live."""
