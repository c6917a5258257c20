"""Reads of the reports app, split by what they read: rating, dashboard, self_reports."""
