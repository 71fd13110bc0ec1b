from marketplace.models.shortlists import Shortlist, ShortlistItem, ShortlistShare

__all__ = ["Shortlist", "ShortlistItem", "ShortlistShare"]
