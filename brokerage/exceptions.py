class BrokerageError(Exception):
    """A rule of budgets, plans or the ledger was broken; the message is written for the user."""


class InsufficientFunds(BrokerageError):
    pass


class IdempotencyConflict(BrokerageError):
    """The same idempotency key was used for a different movement of money."""


class TransitionNotAllowed(BrokerageError):
    pass


class NotAllowed(BrokerageError):
    """The user may not do this to this record."""
