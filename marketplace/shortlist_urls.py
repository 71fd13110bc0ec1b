"""Shortlists: saved for signed-in users, kept in the session for others, shared and compared."""

urlpatterns: list = []
