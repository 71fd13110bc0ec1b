"""The commissioner's framework pages: forms, error summaries, the provider search, the CSV export and access.

Alice commissions for Coventry; Bob commissions for Warwickshire and gets 404 for Coventry's frameworks;
Charlie (a Coventry QA officer) and Dave (staff at Acme Care) get 403 everywhere.
"""

import csv
import datetime
import html
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import OrganisationKind, Role
from accounts.tests.factories import CouncilFactory, OrganisationFactory, user_with_role
from providers.models import FrameworkContract, FrameworkLot, FrameworkMembership, MembershipStatus
from providers.services import frameworks as services
from providers.tests.factories import term

pytestmark = pytest.mark.django_db


@pytest.fixture
def coventry():
    return CouncilFactory(name="Coventry City Council")


@pytest.fixture
def alice(coventry):
    return user_with_role(Role.COMMISSIONER, coventry, first_name="Alice")


@pytest.fixture
def bob():
    return user_with_role(Role.COMMISSIONER, CouncilFactory(name="Warwickshire County Council"), first_name="Bob")


@pytest.fixture
def charlie(coventry):
    return user_with_role(Role.QA_OFFICER, coventry, first_name="Charlie")


@pytest.fixture
def acme(coventry):
    return OrganisationFactory(name="Acme Care", kind=OrganisationKind.PROVIDER, council=coventry)


@pytest.fixture
def dave(acme):
    return user_with_role(Role.PROVIDER_STAFF, acme, first_name="Dave")


@pytest.fixture
def framework(alice, coventry):
    return services.framework_create(
        actor=alice,
        council=coventry,
        reference="CCC-SB-2026",
        name="Short Breaks Framework",
        starts_on=datetime.date(2026, 4, 1),
        ends_on=datetime.date(2030, 3, 31),
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


@pytest.fixture
def signed_in(client, alice):
    client.force_login(alice)
    return client


def object_urls(framework, lot, membership) -> list[str]:
    return [
        reverse("providers:framework", args=[framework.public_id]),
        reverse("providers:framework-edit", args=[framework.public_id]),
        reverse("providers:framework-members-csv", args=[framework.public_id]),
        reverse("providers:framework-lot-create", args=[framework.public_id]),
        reverse("providers:framework-lot-admit", args=[framework.public_id, lot.number]),
        reverse("providers:framework-membership", args=[membership.public_id]),
        *(
            reverse("providers:framework-membership-change", args=[membership.public_id, action])
            for action in ("suspend", "reinstate", "end")
        ),
    ]


def list_urls() -> list[str]:
    return [reverse("providers:frameworks"), reverse("providers:framework-create")]


# --- Access ---------------------------------------------------------------------------------------


def test_a_commissioner_can_open_every_framework_page(access, alice, framework, lot, membership):
    for url in list_urls() + object_urls(framework, lot, membership):
        access.ok(alice, url)


def test_another_councils_commissioner_gets_404_for_every_framework_page_and_action(
    access, bob, framework, lot, membership
):
    for url in object_urls(framework, lot, membership):
        access.not_found(bob, url)
        access.not_found(bob, url, method="post")
    assert FrameworkMembership.objects.get().status == MembershipStatus.ADMITTED


@pytest.mark.parametrize("person", ["charlie", "dave"])
def test_other_roles_get_403_on_framework_pages(request, access, person, framework, lot, membership):
    user = request.getfixturevalue(person)
    for url in list_urls() + object_urls(framework, lot, membership):
        access.forbidden(user, url)


def test_anonymous_visitors_are_sent_to_sign_in(access, framework, lot, membership):
    for url in list_urls() + object_urls(framework, lot, membership):
        access.sign_in_required(url)


def test_the_frameworks_list_shows_only_the_councils_own(signed_in, bob, framework):
    theirs = services.framework_create(
        actor=bob,
        council=bob.memberships.get().organisation,
        reference="WCC-1",
        name="Warwickshire Home Care Framework",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2028, 1, 1),
    )

    page = signed_in.get(reverse("providers:frameworks")).content.decode()

    assert framework.name in page
    assert theirs.name not in page


def test_commissioners_see_frameworks_in_the_menu(signed_in):
    page = signed_in.get(reverse("accounts:dashboard")).content.decode()

    assert f'href="{reverse("providers:frameworks")}"' in page


# --- Forms ----------------------------------------------------------------------------------------


def test_creating_a_framework_through_the_form(signed_in, coventry):
    response = signed_in.post(
        reverse("providers:framework-create"),
        {"reference": "CCC-SB-2026", "name": "Short Breaks Framework", "starts_on": "1/4/2026", "ends_on": "31/3/2030"},
    )

    framework = FrameworkContract.objects.get(council=coventry)
    assert response.status_code == 302
    assert response["Location"] == reverse("providers:framework", args=[framework.public_id])
    assert (framework.starts_on, framework.ends_on) == (datetime.date(2026, 4, 1), datetime.date(2030, 3, 31))


def test_framework_form_with_the_end_before_the_start_is_shown_again_with_an_error_summary(signed_in):
    response = signed_in.post(
        reverse("providers:framework-create"),
        {"reference": "CCC-SB-2026", "name": "Short Breaks", "starts_on": "1/4/2030", "ends_on": "31/3/2026"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Create a framework" in page
    assert "govuk-error-summary" in page
    assert "The end date must be after the start date" in page
    assert 'value="CCC-SB-2026"' in page
    assert not FrameworkContract.objects.exists()


def test_an_empty_framework_form_is_shown_again_with_every_error(signed_in):
    page = html.unescape(signed_in.post(reverse("providers:framework-create"), {}).content.decode())

    assert "<title>Error: Create a framework" in page
    for message in ("Enter the framework's reference", "Enter the framework's name", "Enter the start date"):
        assert message in page


def test_framework_form_with_a_reference_already_used_shows_the_services_refusal(signed_in, framework):
    response = signed_in.post(
        reverse("providers:framework-create"),
        {"reference": "CCC-SB-2026", "name": "Again", "starts_on": "1/4/2026", "ends_on": "31/3/2030"},
    )

    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "already has a framework with the reference CCC-SB-2026" in page
    assert FrameworkContract.objects.count() == 1


def test_framework_form_with_a_date_that_is_not_real_asks_for_a_real_one(signed_in):
    response = signed_in.post(
        reverse("providers:framework-create"),
        {"reference": "X", "name": "Y", "starts_on": "31/2/2026", "ends_on": ""},
    )

    page = response.content.decode()
    assert "Enter a real date, for example 1/4/2026" in page
    assert "Enter the end date" in page


def test_adding_a_lot_through_the_form(signed_in, framework):
    response = signed_in.post(
        reverse("providers:framework-lot-create", args=[framework.public_id]),
        {
            "number": "1",
            "name": "Short breaks at home",
            "categories": ["respite-at-home"],
            "rate": "22.50",
            "rate_unit": "hour",
        },
    )

    assert response.status_code == 302
    lot = FrameworkLot.objects.get(framework=framework)
    assert (lot.number, lot.rate, lot.rate_unit) == (1, Decimal("22.50"), "hour")
    assert list(lot.categories.values_list("code", flat=True)) == ["respite-at-home"]


def test_lot_form_without_categories_or_with_a_rate_alone_is_shown_again_with_errors(signed_in, framework):
    response = signed_in.post(
        reverse("providers:framework-lot-create", args=[framework.public_id]),
        {"number": "1", "name": "Short breaks at home", "rate": "22.50"},
    )

    page = response.content.decode()
    assert "<title>Error: Add a lot" in page
    assert "Choose at least one service category the lot covers" in page
    assert "Choose what the rate is for" in page
    assert not FrameworkLot.objects.exists()


def test_framework_page_shows_lots_rates_and_members(signed_in, framework, lot, membership):
    page = signed_in.get(reverse("providers:framework", args=[framework.public_id])).content.decode()

    assert "Lot 2: Community short breaks" in page
    assert "£45.00 per session" in page
    assert "Acme Care" in page


# --- Admitting a provider -------------------------------------------------------------------------


def test_searching_for_a_provider_lists_providers_of_any_council_by_name(signed_in, framework, lot, acme):
    severn = OrganisationFactory(
        name="Severn Care",
        kind=OrganisationKind.PROVIDER,
        council=CouncilFactory(name="Gloucestershire County Council"),
    )
    OrganisationFactory(name="Care Brokers Ltd", kind=OrganisationKind.BROKER)

    url = reverse("providers:framework-lot-admit", args=[framework.public_id, lot.number])
    page = signed_in.get(url, {"q": "care"}).content.decode()

    assert "Acme Care (registered with Coventry City Council)" in page
    assert f"{severn.name} (registered with Gloucestershire County Council)" in page
    assert "Care Brokers Ltd" not in page


def test_admitting_a_found_provider(signed_in, framework, lot, acme):
    url = reverse("providers:framework-lot-admit", args=[framework.public_id, lot.number])

    response = signed_in.post(url, {"q": "acme", "organisation": str(acme.public_id), "admitted_on": "1/5/2026"})

    assert response.status_code == 302
    membership = FrameworkMembership.objects.get(lot=lot)
    assert (membership.organisation, membership.admitted_on) == (acme, datetime.date(2026, 5, 1))


def test_admitting_without_choosing_a_provider_is_shown_again_with_an_error_summary(signed_in, framework, lot, acme):
    url = reverse("providers:framework-lot-admit", args=[framework.public_id, lot.number])

    response = signed_in.post(url, {"q": "acme", "admitted_on": ""})

    page = response.content.decode()
    assert "<title>Error: Admit a provider" in page
    assert "Choose the provider you are admitting" in page
    assert "Enter the date admitted" in page
    assert not FrameworkMembership.objects.exists()


# --- Changing a membership ------------------------------------------------------------------------


def test_suspending_a_membership_through_the_form(signed_in, membership):
    url = reverse("providers:framework-membership-change", args=[membership.public_id, "suspend"])

    response = signed_in.post(url, {"reason": "Insurance lapsed"})

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.SUSPENDED
    history = signed_in.get(reverse("providers:framework-membership", args=[membership.public_id])).content.decode()
    assert "Insurance lapsed" in history


def test_membership_change_without_a_reason_is_shown_again_with_an_error_summary(signed_in, membership):
    url = reverse("providers:framework-membership-change", args=[membership.public_id, "end"])

    response = signed_in.post(url, {"reason": ""})

    page = response.content.decode()
    assert "<title>Error: End this membership" in page
    assert "Enter why you are ending this membership" in page
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ADMITTED


def test_reinstating_an_admitted_membership_shows_why_it_cannot(signed_in, membership):
    url = reverse("providers:framework-membership-change", args=[membership.public_id, "reinstate"])

    page = signed_in.post(url, {"reason": "Just because"}).content.decode()

    assert "govuk-error-summary" in page
    assert "cannot be reinstated" in page


def test_an_unknown_membership_action_answers_404(access, alice, membership):
    access.not_found(alice, reverse("providers:framework-membership-change", args=[membership.public_id, "delete"]))


# --- Export ---------------------------------------------------------------------------------------


def test_members_export_lists_every_membership_with_its_lot_status_and_dates(
    signed_in, alice, coventry, framework, lot, acme
):
    services.membership_admit(
        actor=alice, council=coventry, lot=lot, organisation=acme, admitted_on=datetime.date(2026, 4, 1)
    )
    formula = OrganisationFactory(name="=HYPERLINK(1)", kind=OrganisationKind.PROVIDER, council=coventry)
    ended = services.membership_admit(
        actor=alice, council=coventry, lot=lot, organisation=formula, admitted_on=datetime.date(2026, 5, 1)
    )
    services.membership_set_status(
        actor=alice,
        council=coventry,
        membership=ended,
        new_status=MembershipStatus.ENDED,
        reason="Closed",
        today=datetime.date(2027, 1, 31),
    )

    response = signed_in.get(reverse("providers:framework-members-csv", args=[framework.public_id]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="ccc-sb-2026-members-' in response["Content-Disposition"]
    header, *rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header == ["Organisation", "Registered with", "Lot", "Lot name", "Status", "Admitted on", "Ended on"]
    # Sorted here because databases collate "=" differently; a formula is quoted to stay plain text.
    assert sorted(rows) == [
        ["'=HYPERLINK(1)", "Coventry City Council", "2", "Community short breaks", "Ended", "2026-05-01", "2027-01-31"],
        ["Acme Care", "Coventry City Council", "2", "Community short breaks", "Admitted", "2026-04-01", ""],
    ]
