"""Caches: the shared counters of rate limits, and the public page cache under a bumped version."""
