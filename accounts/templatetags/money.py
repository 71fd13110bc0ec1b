"""Money as GOV.UK writes it: "£1,500.00", with a comma between thousands and always two pence digits.

``{{ amount|money }}`` in templates; ``money_text(amount)`` in Python for messages, emails and audit
summaries, so that a screen and the email about the same money say it the same way. CSV files keep
plain numbers ("1500.00"), for spreadsheets to add up.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()

PENNY = Decimal("0.01")
# The minus sign (U+2212), which screen readers read as "minus", before the pound sign: "−£12.50".
MINUS = "\u2212"


def money_text(amount: Decimal | int | str) -> str:
    value = Decimal(amount).quantize(PENNY, rounding=ROUND_HALF_UP)
    sign = MINUS if value < 0 else ""
    return f"{sign}£{abs(value):,.2f}"


@register.filter(name="money")
def money(value: object) -> str:
    """An amount as "£1,500.00"; nothing for no amount, and a value that is not a number as it is."""
    if value is None or value == "":
        return ""
    try:
        return money_text(value)  # type: ignore[arg-type]
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
