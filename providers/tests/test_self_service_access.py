"""Who may use the self-service pages: provider staff and personal assistants, each with their own
records only. Another provider's offer answers 404; other roles get 403; visitors are asked to sign in."""

import pytest

from accounts.roles import Role
from accounts.tests.factories import MembershipFactory, user_with_role
from providers.models import OfferStatus
from providers.services.offers import offer_create
from providers.tests.factories import PersonalAssistantProfileFactory, ProviderProfileFactory, offer_content

pytestmark = pytest.mark.django_db

PAGES = [
    "/providers/",
    "/providers/profile/",
    "/providers/profile/submit/",
    "/providers/profile/picture/",
    "/providers/documents/",
    "/providers/offers/new/",
]
OFFER_PAGES = ["", "edit/", "submit/", "withdraw/"]


@pytest.fixture
def alice():
    """Alice works for Bright Steps."""
    profile = ProviderProfileFactory()
    return user_with_role(Role.PROVIDER_STAFF, organisation=profile.organisation)


@pytest.fixture
def bob():
    """Bob works for another provider, Calm Waters."""
    profile = ProviderProfileFactory()
    return user_with_role(Role.PROVIDER_STAFF, organisation=profile.organisation)


@pytest.fixture
def sam():
    """Sam is a personal assistant."""
    profile = PersonalAssistantProfileFactory()
    MembershipFactory(user=profile.user, organisation=profile.council, role=Role.PERSONAL_ASSISTANT)
    return profile.user


@pytest.fixture
def alices_offer(alice):
    return offer_create(actor=alice, content=offer_content(), organisation=alice.memberships.get().organisation)


@pytest.mark.parametrize("url", PAGES)
def test_visitors_are_asked_to_sign_in(access, url):
    access.sign_in_required(url)


@pytest.mark.parametrize("url", PAGES)
def test_providers_and_personal_assistants_can_open_every_page(access, alice, sam, url):
    access.ok(alice, url)
    access.ok(sam, url)


@pytest.mark.parametrize(
    "role", [Role.FAMILY_MEMBER, Role.BROKER, Role.QA_OFFICER, Role.COUNCIL_ADMIN, Role.LEAD_PROFESSIONAL]
)
@pytest.mark.parametrize("url", PAGES)
def test_other_roles_are_refused_the_self_service_pages(access, role, url):
    access.forbidden(user_with_role(role), url)


def test_a_personal_assistant_role_without_a_profile_is_refused(access):
    access.forbidden(user_with_role(Role.PERSONAL_ASSISTANT), "/providers/")


@pytest.mark.parametrize("page", OFFER_PAGES)
def test_the_owner_can_open_their_offer_pages(access, alice, alices_offer, page):
    url = f"/providers/offers/{alices_offer.public_id}/{page}"

    code = access.status(alice, url)

    # A draft cannot be withdrawn, so that page sends Alice back to her offer.
    assert code == (302 if page == "withdraw/" else 200)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("page", OFFER_PAGES)
def test_another_provider_s_offer_answers_404(access, bob, alices_offer, page, method):
    access.not_found(bob, f"/providers/offers/{alices_offer.public_id}/{page}", method=method)
    alices_offer.refresh_from_db()
    assert alices_offer.status == OfferStatus.DRAFT


@pytest.mark.parametrize("page", OFFER_PAGES)
def test_a_personal_assistant_cannot_reach_an_organisation_s_offer(access, sam, alices_offer, page):
    access.not_found(sam, f"/providers/offers/{alices_offer.public_id}/{page}")


@pytest.mark.parametrize("page", OFFER_PAGES)
def test_other_roles_are_refused_offer_pages(access, alices_offer, page):
    access.forbidden(user_with_role(Role.FAMILY_MEMBER), f"/providers/offers/{alices_offer.public_id}/{page}")


def test_an_unknown_offer_answers_404(access, alice):
    access.not_found(alice, "/providers/offers/00000000-0000-0000-0000-000000000000/")
