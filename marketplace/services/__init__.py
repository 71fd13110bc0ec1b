"""Writes of the marketplace: shortlists (shortlists.py)."""
