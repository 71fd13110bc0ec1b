"""How an offer's or a provider's rating reads on a page: "4.5 out of 5 from 12 reviews".

A provider's rating is over all the offers shown: each offer's average weighted by its number of reviews,
which is the average of every published review of those offers.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from providers.models import Offer

ONE_PLACE = Decimal("0.1")


@dataclass(frozen=True)
class Rating:
    average: Decimal
    count: int

    @property
    def stars(self) -> str:
        """The average to one decimal place, as people say it: 4.5, 5, 3.7."""
        rounded = self.average.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)
        return f"{rounded:.1f}".removesuffix(".0")

    @property
    def text(self) -> str:
        return f"{self.stars} out of 5 from {self.count} review{'' if self.count == 1 else 's'}"


def offer_rating(offer: Offer) -> Rating | None:
    if not offer.rating_count or offer.rating_average is None:
        return None
    return Rating(average=offer.rating_average, count=offer.rating_count)


def overall_rating(offers: Iterable[Offer]) -> Rating | None:
    ratings = [rating for rating in map(offer_rating, offers) if rating is not None]
    count = sum(rating.count for rating in ratings)
    if not count:
        return None
    total = sum((rating.average * rating.count for rating in ratings), Decimal(0))
    return Rating(average=(total / count).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), count=count)
