"""Framework contracts: creating frameworks and lots, admitting providers, and membership transitions.

Alice commissions for Coventry; Bob commissions for Warwickshire. Acme Care registered with Coventry;
Severn Care registered with Gloucestershire (providers are shared, so Coventry can admit it too).
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditEvent, Notification
from accounts.roles import OrganisationKind, Role
from accounts.tests.factories import CouncilFactory, OrganisationFactory, user_with_role
from providers.models import FrameworkMembershipChange, MembershipStatus
from providers.services import frameworks as services
from providers.tests.factories import term

pytestmark = pytest.mark.django_db

APRIL_2026 = datetime.date(2026, 4, 1)
MARCH_2030 = datetime.date(2030, 3, 31)


@pytest.fixture
def coventry():
    return CouncilFactory(name="Coventry City Council")


@pytest.fixture
def warwickshire():
    return CouncilFactory(name="Warwickshire County Council")


@pytest.fixture
def alice(coventry):
    return user_with_role(Role.COMMISSIONER, coventry, first_name="Alice")


@pytest.fixture
def bob(warwickshire):
    return user_with_role(Role.COMMISSIONER, warwickshire, first_name="Bob")


@pytest.fixture
def acme(coventry):
    return OrganisationFactory(name="Acme Care", kind=OrganisationKind.PROVIDER, council=coventry)


@pytest.fixture
def severn():
    return OrganisationFactory(
        name="Severn Care",
        kind=OrganisationKind.PROVIDER,
        council=CouncilFactory(name="Gloucestershire County Council"),
    )


@pytest.fixture
def framework(alice, coventry):
    return services.framework_create(
        actor=alice,
        council=coventry,
        reference="CCC-SB-2026",
        name="Short Breaks Framework",
        starts_on=APRIL_2026,
        ends_on=MARCH_2030,
    )


@pytest.fixture
def lot(alice, coventry, framework):
    return services.lot_add(
        actor=alice,
        council=coventry,
        framework=framework,
        number=2,
        name="Community short breaks",
        categories=[term("short-breaks")],
        rate=Decimal("45.00"),
        rate_unit="session",
    )


@pytest.fixture
def membership(alice, coventry, lot, acme):
    return services.membership_admit(
        actor=alice, council=coventry, lot=lot, organisation=acme, admitted_on=datetime.date(2026, 4, 1)
    )


def create(alice, council, **overrides):  # type: ignore[no-untyped-def]
    values = {
        "reference": "CCC-SB-2026",
        "name": "Short Breaks Framework",
        "starts_on": APRIL_2026,
        "ends_on": MARCH_2030,
    }
    values.update(overrides)
    return services.framework_create(actor=alice, council=council, **values)


# --- Frameworks -----------------------------------------------------------------------------------


def test_creating_a_framework_records_who_created_it(alice, coventry):
    framework = create(alice, coventry, terms="Providers keep DBS checks current.")

    assert framework.council == coventry
    event = AuditEvent.objects.get(action="framework.created")
    assert event.actor == alice and event.council == coventry
    assert event.target_id == str(framework.public_id)


@pytest.mark.parametrize("ends_on", [APRIL_2026, datetime.date(2026, 3, 31)])
def test_framework_ending_on_or_before_its_start_is_refused(alice, coventry, ends_on):
    with pytest.raises(ValidationError) as refused:
        create(alice, coventry, ends_on=ends_on)

    assert refused.value.message_dict["ends_on"] == ["The end date must be after the start date"]


def test_framework_reference_is_refused_when_the_council_already_uses_it(alice, coventry, framework):
    with pytest.raises(ValidationError) as refused:
        create(alice, coventry, reference="ccc-sb-2026", name="Another framework")

    assert "already has a framework with the reference" in refused.value.message_dict["reference"][0]


def test_another_council_may_use_the_same_reference(alice, bob, warwickshire, framework):
    theirs = create(bob, warwickshire)

    assert theirs.reference == framework.reference


def test_changing_a_framework_to_another_of_its_councils_references_is_refused(alice, coventry, framework):
    other = create(alice, coventry, reference="CCC-PA-2026", name="PA Framework")

    with pytest.raises(ValidationError) as refused:
        services.framework_update(
            actor=alice,
            council=coventry,
            framework=other,
            reference="CCC-SB-2026",
            name=other.name,
            starts_on=other.starts_on,
            ends_on=other.ends_on,
        )

    assert "reference" in refused.value.message_dict


def test_updating_a_framework_keeps_its_own_reference_and_audits_the_change(alice, coventry, framework):
    services.framework_update(
        actor=alice,
        council=coventry,
        framework=framework,
        reference="CCC-SB-2026",
        name="Short Breaks Framework",
        starts_on=APRIL_2026,
        ends_on=datetime.date(2031, 3, 31),
    )

    framework.refresh_from_db()
    assert framework.ends_on == datetime.date(2031, 3, 31)
    assert AuditEvent.objects.filter(action="framework.updated", data__fields=["ends_on"]).exists()


def test_another_councils_commissioner_cannot_change_the_framework(bob, warwickshire, framework):
    with pytest.raises(PermissionDenied):
        services.framework_update(
            actor=bob,
            council=warwickshire,
            framework=framework,
            reference="X",
            name="Taken over",
            starts_on=APRIL_2026,
            ends_on=MARCH_2030,
        )


# --- Lots -----------------------------------------------------------------------------------------


def test_lot_covers_the_chosen_service_categories_at_its_rate(lot):
    assert list(lot.categories.values_list("code", flat=True)) == ["short-breaks"]
    assert lot.rate == Decimal("45.00") and lot.rate_unit == "session"


def test_lot_number_already_used_in_the_framework_is_refused(alice, coventry, framework, lot):
    with pytest.raises(ValidationError) as refused:
        services.lot_add(
            actor=alice, council=coventry, framework=framework, number=2, name="Again", categories=[term("tuition")]
        )

    assert refused.value.message_dict["number"] == ["This framework already has a lot 2"]


def test_lot_without_a_service_category_is_refused(alice, coventry, framework):
    with pytest.raises(ValidationError) as refused:
        services.lot_add(actor=alice, council=coventry, framework=framework, number=1, name="Empty", categories=[])

    assert "categories" in refused.value.message_dict


def test_lot_covering_a_need_rather_than_a_service_category_is_refused(alice, coventry, framework):
    with pytest.raises(ValidationError) as refused:
        services.lot_add(
            actor=alice, council=coventry, framework=framework, number=1, name="Autism", categories=[term("autism")]
        )

    assert refused.value.message_dict["categories"] == ["Choose service categories from the list"]


def test_lot_rate_without_what_it_is_for_is_refused(alice, coventry, framework):
    with pytest.raises(ValidationError) as refused:
        services.lot_add(
            actor=alice,
            council=coventry,
            framework=framework,
            number=1,
            name="Short breaks at home",
            categories=[term("respite-at-home")],
            rate=Decimal("22.50"),
        )

    assert "rate_unit" in refused.value.message_dict


# --- Admitting providers --------------------------------------------------------------------------


def test_admitting_a_provider_records_history_audit_and_tells_its_staff(alice, coventry, lot, acme):
    staff = user_with_role(Role.PROVIDER_STAFF, acme)

    membership = services.membership_admit(
        actor=alice, council=coventry, lot=lot, organisation=acme, admitted_on=datetime.date(2026, 5, 1)
    )

    assert membership.status == MembershipStatus.ADMITTED
    change = membership.changes.get()
    assert (change.old_status, change.new_status, change.actor) == ("", MembershipStatus.ADMITTED, alice)
    assert AuditEvent.objects.filter(action="framework.membership_admitted", council=coventry).exists()
    notification = Notification.objects.get(recipient=staff)
    assert notification.subject == "You are on Coventry City Council's Short Breaks Framework, lot 2"


def test_a_provider_registered_with_another_council_can_be_admitted(alice, coventry, lot, severn):
    membership = services.membership_admit(
        actor=alice, council=coventry, lot=lot, organisation=severn, admitted_on=APRIL_2026
    )

    assert membership.organisation == severn


def test_admitting_a_provider_already_on_the_lot_is_refused(alice, coventry, lot, acme, membership):
    with pytest.raises(ValidationError) as refused:
        services.membership_admit(actor=alice, council=coventry, lot=lot, organisation=acme, admitted_on=APRIL_2026)

    assert "already on lot 2" in refused.value.message_dict["organisation"][0]


def test_admitting_an_organisation_that_is_not_a_provider_is_refused(alice, coventry, lot):
    broker = OrganisationFactory(kind=OrganisationKind.BROKER, council=coventry)

    with pytest.raises(ValidationError) as refused:
        services.membership_admit(actor=alice, council=coventry, lot=lot, organisation=broker, admitted_on=APRIL_2026)

    assert "organisation" in refused.value.message_dict


def test_admission_date_outside_the_framework_is_refused(alice, coventry, lot, acme):
    with pytest.raises(ValidationError) as refused:
        services.membership_admit(
            actor=alice, council=coventry, lot=lot, organisation=acme, admitted_on=datetime.date(2030, 4, 1)
        )

    assert "admitted_on" in refused.value.message_dict


def test_another_councils_commissioner_cannot_admit_to_the_framework(bob, warwickshire, lot, acme):
    with pytest.raises(PermissionDenied):
        services.membership_admit(actor=bob, council=warwickshire, lot=lot, organisation=acme, admitted_on=APRIL_2026)


# --- Membership transitions -----------------------------------------------------------------------


def set_status(alice, coventry, membership, new_status, reason="A reason"):  # type: ignore[no-untyped-def]
    return services.membership_set_status(
        actor=alice, council=coventry, membership=membership, new_status=new_status, reason=reason
    )


def test_suspending_then_reinstating_writes_a_history_row_for_each_move(alice, coventry, membership):
    set_status(alice, coventry, membership, MembershipStatus.SUSPENDED, "Insurance lapsed")
    set_status(alice, coventry, membership, MembershipStatus.ADMITTED, "New insurance certificate seen")

    moves = list(
        FrameworkMembershipChange.objects.filter(membership=membership)
        .order_by("created_at", "id")
        .values_list("old_status", "new_status", "reason")
    )
    assert moves == [
        ("", "admitted", ""),
        ("admitted", "suspended", "Insurance lapsed"),
        ("suspended", "admitted", "New insurance certificate seen"),
    ]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"framework.membership_suspended", "framework.membership_reinstated"} <= actions


def test_ending_a_membership_records_the_day_it_ended(alice, coventry, membership):
    services.membership_set_status(
        actor=alice,
        council=coventry,
        membership=membership,
        new_status=MembershipStatus.ENDED,
        reason="Provider closed",
        today=datetime.date(2027, 6, 30),
    )

    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ENDED
    assert membership.ended_on == datetime.date(2027, 6, 30)


def test_an_ended_membership_cannot_be_reinstated(alice, coventry, membership):
    set_status(alice, coventry, membership, MembershipStatus.ENDED)

    with pytest.raises(ValidationError, match="cannot be reinstated"):
        set_status(alice, coventry, membership, MembershipStatus.ADMITTED)
    assert membership.changes.count() == 2


def test_reinstating_an_admitted_membership_is_refused(alice, coventry, membership):
    with pytest.raises(ValidationError):
        set_status(alice, coventry, membership, MembershipStatus.ADMITTED)


def test_a_membership_change_without_a_reason_is_refused(alice, coventry, membership):
    with pytest.raises(ValidationError) as refused:
        set_status(alice, coventry, membership, MembershipStatus.SUSPENDED, reason="  ")

    assert refused.value.message_dict["reason"] == ["Enter the reason for this change"]
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ADMITTED


def test_the_providers_staff_are_told_of_a_suspension_with_the_reason(alice, coventry, acme, membership):
    staff = user_with_role(Role.PROVIDER_STAFF, acme)
    former = user_with_role(Role.PROVIDER_STAFF, acme)
    former.memberships.update(is_active=False)

    set_status(alice, coventry, membership, MembershipStatus.SUSPENDED, "Insurance lapsed")

    notification = Notification.objects.get(recipient=staff)
    assert "has been suspended" in notification.subject
    assert "Insurance lapsed" in notification.body
    assert not Notification.objects.filter(recipient=former).exists()


def test_another_councils_commissioner_cannot_change_a_membership(bob, warwickshire, membership):
    with pytest.raises(PermissionDenied):
        set_status(bob, warwickshire, membership, MembershipStatus.SUSPENDED)
