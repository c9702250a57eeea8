"""Contact centre: ticketing with Asterisk CTI, screen-pop and the customer's full history."""
