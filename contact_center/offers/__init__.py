"""Cross-sell and up-sell offers: eligibility rules, co-ownership statistics and a recommender, all pure."""
