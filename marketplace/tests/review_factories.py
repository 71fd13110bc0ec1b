"""Tom's tuition from Sunrise Tutors, delivered, and the people around a review of it.

Alice (Tom's mother, who holds consent) may review it; Pat is Sunrise's staff; Quinn is a quality officer
and Carla a commissioner of the council Sunrise registered with, who check reviews of its services.
"""

from dataclasses import dataclass
from decimal import Decimal

from accounts.models import User
from accounts.roles import Role
from marketplace.models import Order, Review
from marketplace.services.deliveries import delivery_record
from marketplace.services.reviews import review_publish, review_submit
from marketplace.tests.order_factories import A_DAY_DELIVERED, Family, Provider, accepted, family, member, provider


@dataclass
class Reviewable:
    tom: Family
    seller: Provider
    order: Order
    qa_officer: User
    commissioner: User


def delivered(tom: Family, seller: Provider) -> Order:
    order = accepted(tom, seller)
    delivery_record(order=order, actor=seller.staff, delivered_on=A_DAY_DELIVERED, units=Decimal("2"))
    return order


def reviewable() -> Reviewable:
    tom, seller = family(), provider()
    council = seller.organisation.council
    return Reviewable(
        tom=tom,
        seller=seller,
        order=delivered(tom, seller),
        qa_officer=member(Role.QA_OFFICER, council, first_name="Quinn"),
        commissioner=member(Role.COMMISSIONER, council, first_name="Carla"),
    )


def submitted(case: Reviewable, *, rating: int = 4, text: str = "Patient and on time every week.") -> Review:
    return review_submit(order=case.order, author=case.tom.parent, rating=rating, text=text)


def published(case: Reviewable, **review) -> Review:  # type: ignore[no-untyped-def]
    return review_publish(review=submitted(case, **review), actor=case.qa_officer)
