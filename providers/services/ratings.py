"""An offer's rating: the average and number of families' published reviews, kept on the offer.

Reviews live in the marketplace (a higher layer), which works the figures out and hands them here; this
module is the only writer of ``Offer.rating_average`` and ``Offer.rating_count``. A changed rating is a
change to what the listing shows, so the listing is reindexed after commit like any other change.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from providers.changes import listings_changed
from providers.models import Offer

RATING_PLACES = Decimal("0.01")


@transaction.atomic
def offer_rating_set(*, offer: Offer, average: Decimal | None, count: int) -> Offer:
    """Record the offer's rating. ``average`` is empty exactly when ``count`` is 0."""
    if count < 0 or (count == 0) != (average is None):
        raise ValidationError("A rating needs an average when, and only when, there are reviews")
    offer.rating_average = None if average is None else average.quantize(RATING_PLACES, rounding=ROUND_HALF_UP)
    offer.rating_count = count
    offer.full_clean(validate_unique=False, validate_constraints=False)
    offer.save(update_fields=["rating_average", "rating_count"])
    listings_changed([offer.pk])
    return offer
