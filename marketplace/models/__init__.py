from marketplace.models.shortlists import SESSION_KEY, SessionShortlist, Shortlist, ShortlistItem, ShortlistShare

__all__ = ["SESSION_KEY", "SessionShortlist", "Shortlist", "ShortlistItem", "ShortlistShare"]
