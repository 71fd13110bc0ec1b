"""A complaint as the complaint tests start from: Tom's mother complains about Sunrise Tutors' offer."""

import datetime

from accounts.models import Membership
from accounts.roles import Role
from marketplace.models import Complaint
from marketplace.services import complaints as services
from marketplace.services.complaints import Subject
from marketplace.tests.order_factories import Family, Provider


def complaint_made(tom: Family, seller: Provider, *, now: datetime.datetime | None = None) -> Complaint:
    return services.complaint_make(
        made_by=tom.parent,
        membership=Membership.objects.get(user=tom.parent, role=Role.FAMILY_MEMBER),
        person=tom.person,
        subject=Subject(offer=seller.offer),
        what_happened="Three sessions were cancelled with no notice.",
        what_they_want="The missed sessions made up.",
        now=now,
    )
