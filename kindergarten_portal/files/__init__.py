"""Files: uploads served after an access check, and backups of the database and media."""
