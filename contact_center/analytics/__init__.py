"""QA analytics: abnormal repair frequency and complaint trends, as pure statistics over plain records."""
