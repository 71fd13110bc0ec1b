from marketplace.models.enquiries import (
    Enquiry,
    EnquiryReadState,
    EnquiryStatus,
    Message,
    MessageReport,
    ThreadSide,
)
from marketplace.models.shortlists import SESSION_KEY, SessionShortlist, Shortlist, ShortlistItem, ShortlistShare

__all__ = [
    "Enquiry",
    "EnquiryReadState",
    "EnquiryStatus",
    "Message",
    "MessageReport",
    "ThreadSide",
    "SESSION_KEY",
    "SessionShortlist",
    "Shortlist",
    "ShortlistItem",
    "ShortlistShare",
]
