"""Writing offers on one page: the offer, its costs, times, areas and venues as rows that can be added
without JavaScript; errors in a row link to that row's field; a published offer keeps showing its
checked version until a change is approved."""

from decimal import Decimal

import pytest

from accounts.roles import Role
from accounts.tests.factories import CouncilFactory, MembershipFactory, user_with_role
from providers.models import Offer, OfferStatus, VersionState
from providers.services.offers import offer_approve, offer_create, offer_reject, offer_submit
from providers.tests.factories import (
    PersonalAssistantProfileFactory,
    PostcodeFactory,
    ProviderProfileFactory,
    offer_content,
    published_offer,
    term,
)

pytestmark = pytest.mark.django_db

NEW = "/providers/offers/new/"


@pytest.fixture(autouse=True)
def gazetteer():
    PostcodeFactory(postcode="CV1 2GT", latitude=Decimal("52.408100"), longitude=Decimal("-1.510500"))


@pytest.fixture
def alice():
    """Alice works for Bright Steps, registered with Coventry."""
    council = CouncilFactory(name="Coventry City Council", ons_code="E08000026")
    profile = ProviderProfileFactory(organisation__council=council, legal_name="Bright Steps")
    return user_with_role(Role.PROVIDER_STAFF, organisation=profile.organisation)


def organisation_of(user):  # type: ignore[no-untyped-def]
    return user.memberships.get().organisation


def rows(prefix: str, *items: dict, initial: int = 0) -> dict[str, str]:
    data = {f"{prefix}-TOTAL_FORMS": str(len(items)), f"{prefix}-INITIAL_FORMS": str(initial)}
    for index, item in enumerate(items):
        data.update({f"{prefix}-{index}-{name}": value for name, value in item.items()})
    return data


def offer_form(**overrides):  # type: ignore[no-untyped-def]
    data = {
        "name": "Saturday club",
        "description": "Games, crafts and outings for disabled children.",
        "categories": [str(term("short-breaks").pk), str(term("leisure-and-activities").pk)],
        "needs": [str(term("autism").pk)],
        "minimum_age": "8",
        "maximum_age": "16",
        "attending_types": ["venue", "in_home"],
        "url": "",
        "email": "club@brightsteps.example",
        "languages": ["en"],
        "accessibility": "Quiet room available.",
        "capacity_places": "4",
        "capacity_hours": "",
        "capacity_note": "",
        **rows(
            "cost_options",
            {"amount": "£18.50", "unit": "hour", "vat_status": "exempt", "description": "Weekdays"},
            {"amount": "", "unit": "", "vat_status": "", "description": ""},
        ),
        **rows("schedules", {"weekday": "SA", "opens_at": "10:00", "closes_at": "15:00"}),
        **rows(
            "service_areas",
            {"scope": "", "postcode_district": "cv1"},
            {"scope": "E08000026", "postcode_district": ""},
        ),
        **rows("locations", {"name": "Community centre", "address": "1 High Street, Coventry", "postcode": "cv12gt"}),
    }
    data.update(overrides)
    return data


def test_an_offer_is_created_with_its_nested_rows(client, alice):
    client.force_login(alice)

    response = client.post(NEW, offer_form())

    offer = Offer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/providers/offers/{offer.public_id}/"
    assert offer.organisation == organisation_of(alice)
    assert offer.status == OfferStatus.DRAFT
    version = offer.working_version
    assert version.name == "Saturday club"
    assert set(version.categories.values_list("code", flat=True)) == {"short-breaks", "leisure-and-activities"}
    assert sorted(version.attending_types) == ["in_home", "venue"]
    assert version.capacity_places == 4
    cost = version.cost_options.get()
    assert (cost.amount, cost.unit, cost.vat_status, cost.description) == (
        Decimal("18.50"),
        "hour",
        "exempt",
        "Weekdays",
    )
    schedule = version.schedules.get()
    assert (schedule.weekday, schedule.opens_at.hour, schedule.closes_at.hour) == ("SA", 10, 15)
    assert sorted(version.service_areas.values_list("postcode_district", "council_code", "name")) == [
        ("", "E08000026", "Coventry City Council"),
        ("CV1", "", "CV1"),
    ]
    venue = version.locations.get()
    assert (venue.postcode, venue.latitude, venue.longitude, venue.council_code) == (
        "CV1 2GT",
        Decimal("52.408100"),
        Decimal("-1.510500"),
        "E08000026",
    )


def test_a_personal_assistant_s_offer_belongs_to_them(client):
    profile = PersonalAssistantProfileFactory(council=CouncilFactory(ons_code="E08000026"))
    MembershipFactory(user=profile.user, organisation=profile.council, role=Role.PERSONAL_ASSISTANT)
    client.force_login(profile.user)

    client.post(NEW, offer_form(attending_types=["in_home"], **rows("locations")))

    offer = Offer.objects.get()
    assert (offer.personal_assistant, offer.organisation) == (profile, None)


def test_a_new_offer_page_has_one_empty_row_of_each_kind(client, alice):
    client.force_login(alice)

    html = client.get(NEW).content.decode()

    for prefix in ("cost_options", "schedules", "service_areas", "locations"):
        assert f'name="{prefix}-TOTAL_FORMS" value="1"' in html
    assert "The whole of Coventry City Council" in html
    assert "Respite at home" in html  # a narrower kind of support, under Short breaks


def test_add_another_brings_the_page_back_with_one_more_row_and_what_was_typed(client, alice):
    client.force_login(alice)
    data = offer_form(name="Typed but not saved", add_row="cost_options")

    response = client.post(NEW, data)

    html = response.content.decode()
    assert response.status_code == 200
    assert not Offer.objects.exists()
    assert 'name="cost_options-TOTAL_FORMS" value="3"' in html
    assert 'name="schedules-TOTAL_FORMS" value="1"' in html
    assert 'value="Typed but not saved"' in html
    assert 'value="£18.50"' in html
    assert "Cost 3" in html
    # Nothing was checked yet, so nothing is shown as an error
    assert "There is a problem" not in html


def test_add_another_does_not_check_a_half_typed_page(client, alice):
    client.force_login(alice)

    response = client.post(NEW, offer_form(name="", add_row="locations"))

    html = response.content.decode()
    assert "There is a problem" not in html
    assert 'name="locations-TOTAL_FORMS" value="2"' in html


def test_a_row_left_blank_is_ignored_and_a_cleared_row_is_removed(client, alice):
    client.force_login(alice)
    client.post(NEW, offer_form())
    offer = Offer.objects.get()

    client.post(
        f"/providers/offers/{offer.public_id}/edit/",
        offer_form(**rows("schedules", {"weekday": "", "opens_at": "", "closes_at": ""}, initial=1)),
    )

    offer.refresh_from_db()
    assert offer.working_version.schedules.count() == 0
    assert offer.working_version.cost_options.count() == 1


@pytest.mark.parametrize(
    ("row_data", "href", "message"),
    [
        (
            rows("cost_options", {"amount": "lots", "unit": "hour", "vat_status": "exempt"}),
            "#id_cost_options-0-amount",
            "Cost 1: Enter the amount in pounds, like 18.50",
        ),
        (
            rows("cost_options", {"amount": "12", "unit": "", "vat_status": "exempt"}),
            "#id_cost_options-0-unit",
            "Cost 1: Choose what the amount is for",
        ),
        (
            rows("schedules", {"weekday": "MO", "opens_at": "15:00", "closes_at": "09:00"}),
            "#id_schedules-0-closes_at",
            "Time 1: The end time must be after the start time",
        ),
        (
            rows("service_areas", {"scope": "", "postcode_district": "CV1"}, {"scope": "", "postcode_district": "?"}),
            "#id_service_areas-1-postcode_district",
            "Area 2: Enter a postcode district, like CV1",
        ),
        (
            rows("locations", {"name": "Hall", "address": "2 Low Road", "postcode": "ZZ9 9ZZ"}),
            "#id_locations-0-postcode",
            "Venue 1: We do not know the postcode ZZ9 9ZZ",
        ),
        (
            rows("locations", {"name": "", "address": "2 Low Road", "postcode": "CV1 2GT"}),
            "#id_locations-0-name",
            "Venue 1: Enter the name of the venue",
        ),
    ],
)
def test_an_error_in_a_row_links_to_that_row_s_field_and_nothing_is_saved(client, alice, row_data, href, message):
    client.force_login(alice)

    response = client.post(NEW, offer_form(**row_data))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert f'<a href="{href}">{message}' in html
    assert f'id="{href[1:]}"' in html
    assert not Offer.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "href", "message"),
    [
        ({"name": ""}, "#id_name", "Enter the name of the offer"),
        ({"categories": []}, "#id_categories_0", "Choose at least one kind of support"),
        ({"attending_types": []}, "#id_attending_types_0", "Choose where the support is given"),
        ({"minimum_age": "18", "maximum_age": "5"}, "#id_maximum_age", "The oldest age must be the same as or more"),
        ({"minimum_age": "eight"}, "#id_minimum_age", "Enter the age as a number"),
    ],
)
def test_offer_mistakes_are_summarised_with_links_and_nothing_is_saved(client, alice, overrides, href, message):
    client.force_login(alice)

    response = client.post(NEW, offer_form(**overrides))

    html = response.content.decode()
    assert f'href="{href}"' in html
    assert message in html
    assert f'id="{href[1:]}"' in html
    assert not Offer.objects.exists()


def test_a_venue_offer_without_a_venue_is_explained(client, alice):
    client.force_login(alice)

    response = client.post(NEW, offer_form(attending_types=["venue"], **rows("locations")))

    assert "Add the venue where the support is given" in response.content.decode()
    assert not Offer.objects.exists()


def test_the_edit_page_shows_the_working_version_and_its_rows(client, alice):
    client.force_login(alice)
    client.post(NEW, offer_form())
    offer = Offer.objects.get()

    html = client.get(f"/providers/offers/{offer.public_id}/edit/").content.decode()

    assert 'value="Saturday club"' in html
    assert 'value="18.50"' in html
    assert 'value="10:00"' in html
    assert 'value="Community centre"' in html
    assert '<option value="E08000026" selected>The whole of Coventry City Council</option>' in html


def test_editing_a_published_offer_keeps_the_public_version_until_the_change_is_approved(client, alice):
    offer = published_offer(organisation=organisation_of(alice), name="Saturday club")
    client.force_login(alice)

    client.post(f"/providers/offers/{offer.public_id}/edit/", offer_form(name="Saturday and Sunday club"))
    client.post(f"/providers/offers/{offer.public_id}/submit/")

    offer.refresh_from_db()
    assert offer.status == OfferStatus.PUBLISHED
    assert offer.live_version.name == "Saturday club"
    assert offer.working_version.name == "Saturday and Sunday club"
    assert offer.working_version.state == VersionState.SUBMITTED
    preview = client.get(f"/providers/offers/{offer.public_id}/").content.decode()
    assert "What the public sees" in preview
    assert "Your change waiting for checks" in preview
    assert preview.index("Saturday club") < preview.index("Your change waiting for checks")


def test_a_change_not_yet_sent_is_labelled_so(client, alice):
    offer = published_offer(organisation=organisation_of(alice))
    client.force_login(alice)

    client.post(f"/providers/offers/{offer.public_id}/edit/", offer_form(name="Renamed club"))

    preview = client.get(f"/providers/offers/{offer.public_id}/").content.decode()
    assert "Your change, not sent for checking yet" in preview
    assert "Send for checking" in preview


def test_submitting_asks_for_confirmation_then_moves_the_offer_to_pending(client, alice):
    offer = offer_create(actor=alice, content=offer_content(), organisation=organisation_of(alice))
    client.force_login(alice)
    url = f"/providers/offers/{offer.public_id}/submit/"

    confirm = client.get(url)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.DRAFT
    assert "Send your offer for checking" in confirm.content.decode()

    response = client.post(url)

    assert response["Location"] == "/providers/"
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING
    change = offer.status_changes.get()
    assert (change.actor, change.reason) == (alice, "Sent for checking")


def test_an_offer_with_nothing_new_cannot_be_submitted_again(client, alice):
    offer = published_offer(organisation=organisation_of(alice))
    client.force_login(alice)

    response = client.post(f"/providers/offers/{offer.public_id}/submit/", follow=True)

    assert "There are no changes to send for checking" in response.content.decode()
    offer.refresh_from_db()
    assert offer.working_version is None


def test_a_returned_offer_shows_the_reason_and_can_be_sent_again(client, alice):
    offer = offer_create(actor=alice, content=offer_content(), organisation=organisation_of(alice))
    offer_submit(offer=offer, actor=alice)
    offer_reject(offer=offer, actor=user_with_role(Role.QA_OFFICER), reason="Give the ages you support")
    client.force_login(alice)

    preview = client.get(f"/providers/offers/{offer.public_id}/").content.decode()
    client.post(f"/providers/offers/{offer.public_id}/submit/")

    assert "The checkers returned this offer: “Give the ages you support”" in preview
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING


def test_withdrawing_needs_a_reason_and_records_it(client, alice):
    offer = published_offer(organisation=organisation_of(alice))
    client.force_login(alice)
    url = f"/providers/offers/{offer.public_id}/withdraw/"

    assert "Withdraw this offer" in client.get(url).content.decode()
    refused = client.post(url, {"reason": ""})
    assert "Say why you are withdrawing this offer" in refused.content.decode()
    assert 'href="#id_reason"' in refused.content.decode()
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PUBLISHED

    client.post(url, {"reason": "We have stopped running the club"})

    offer.refresh_from_db()
    assert offer.status == OfferStatus.WITHDRAWN
    change = offer.status_changes.first()
    assert (change.new_status, change.actor, change.reason) == (
        OfferStatus.WITHDRAWN,
        alice,
        "We have stopped running the club",
    )


def test_a_draft_cannot_be_withdrawn(client, alice):
    offer = offer_create(actor=alice, content=offer_content(), organisation=organisation_of(alice))
    client.force_login(alice)

    response = client.post(f"/providers/offers/{offer.public_id}/withdraw/", {"reason": "No"}, follow=True)

    assert "Only a published or suspended offer can be withdrawn" in response.content.decode()
    offer.refresh_from_db()
    assert offer.status == OfferStatus.DRAFT


def test_a_withdrawn_offer_is_listed_again_after_a_change_is_checked(client, alice):
    offer = published_offer(organisation=organisation_of(alice), name="Saturday club")
    client.force_login(alice)
    client.post(f"/providers/offers/{offer.public_id}/withdraw/", {"reason": "Closed for the summer"})

    client.post(f"/providers/offers/{offer.public_id}/edit/", offer_form(name="Saturday club (autumn)"))
    client.post(f"/providers/offers/{offer.public_id}/submit/")
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING
    offer_approve(offer=offer, actor=user_with_role(Role.QA_OFFICER))

    offer.refresh_from_db()
    assert (offer.status, offer.live_version.name) == (OfferStatus.PUBLISHED, "Saturday club (autumn)")
