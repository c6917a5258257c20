"""Long lists: the admin's capped search count and the self-service pages' pager."""
