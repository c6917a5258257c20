"""Who may do what: the roles, the sign-in backend, the visitor's address, lockouts, password resets."""
