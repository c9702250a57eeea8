"""Users, roles, passwords, bearer tokens and the role guards every route carries."""
