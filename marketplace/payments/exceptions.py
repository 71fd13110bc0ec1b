from brokerage.exceptions import BrokerageError


class PaymentError(BrokerageError):
    """A rule of payment runs was broken; the message is written for the finance officer."""


class SeparationOfDuties(PaymentError):
    """The same person may not prepare and authorise a run, nor authorise a run paying what they approved."""


class GatewayError(PaymentError):
    """The payment gateway (Stripe) refused or could not be reached; nothing was paid by this call."""
