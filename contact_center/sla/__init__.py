"""SLA business-hours arithmetic: business calendars and Taiwan public holidays."""
