"""Who may see and act on a concern.

Quinn is a Coventry QA officer; Gina is a Gloucestershire QA officer and gets 404 for Coventry's
concerns; Carl (a Coventry commissioner) and Dave (staff at Acme Care) get 403 on the officer pages.
Fran reported the concern and sees only her own, with the status and the notes shared with her; Fred,
another family member, gets 404 for it.
"""

import pytest
from django.urls import reverse

from accounts.roles import OrganisationKind, Role
from accounts.tests.factories import CouncilFactory, OrganisationFactory, user_with_role
from providers.models import ConcernStatus, ProfileStatus
from providers.services import concerns as services
from providers.tests.factories import ProviderProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coventry():
    return CouncilFactory(name="Coventry City Council")


@pytest.fixture
def acme(coventry):
    organisation = OrganisationFactory(name="Acme Care", kind=OrganisationKind.PROVIDER, council=coventry)
    ProviderProfileFactory(organisation=organisation, status=ProfileStatus.PUBLISHED)
    return organisation


@pytest.fixture
def quinn(coventry):
    return user_with_role(Role.QA_OFFICER, coventry, first_name="Quinn")


@pytest.fixture
def gina():
    return user_with_role(Role.QA_OFFICER, CouncilFactory(name="Gloucestershire County Council"), first_name="Gina")


@pytest.fixture
def carl(coventry):
    return user_with_role(Role.COMMISSIONER, coventry, first_name="Carl")


@pytest.fixture
def dave(acme):
    return user_with_role(Role.PROVIDER_STAFF, acme, first_name="Dave")


@pytest.fixture
def fran(coventry):
    return user_with_role(Role.FAMILY_MEMBER, coventry, first_name="Fran")


@pytest.fixture
def fred(coventry):
    return user_with_role(Role.FAMILY_MEMBER, coventry, first_name="Fred")


@pytest.fixture
def concern(acme, fran):
    return services.concern_report(
        reporter=fran, organisation=acme, description="Nobody met my son at the door", involves_harm_to_child=False
    )


def officer_urls(concern) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        reverse(name, args=[concern.public_id])
        for name in (
            "providers:concern",
            "providers:concern-suspend",
            "providers:concern-reinstate",
            "providers:concern-close",
        )
    ]


def officer_post_only_urls(concern) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        reverse(name, args=[concern.public_id]) for name in ("providers:concern-note-add", "providers:concern-enquiry")
    ]


# --- Officers -------------------------------------------------------------------------------------


def test_the_councils_qa_officer_can_open_every_officer_page(access, quinn, concern):
    access.ok(quinn, reverse("providers:concerns"))
    for url in officer_urls(concern):
        access.ok(quinn, url)


def test_another_councils_qa_officer_gets_404_for_every_page_and_action(access, gina, acme, concern):
    for url in officer_urls(concern):
        access.not_found(gina, url)
    for url in officer_urls(concern) + officer_post_only_urls(concern):
        access.not_found(gina, url, method="post")
    concern.refresh_from_db()
    acme.provider_profile.refresh_from_db()
    assert concern.status == ConcernStatus.RECEIVED and not concern.listing_suspended
    assert acme.provider_profile.status == ProfileStatus.PUBLISHED


def test_another_councils_qa_officer_does_not_see_the_concern_in_their_list(client, gina, concern):
    client.force_login(gina)

    page = client.get(reverse("providers:concerns")).content.decode()

    assert concern.reference not in page


@pytest.mark.parametrize("person", ["carl", "dave", "fran"])
def test_other_roles_get_403_on_the_officer_pages(request, access, person, concern):
    user = request.getfixturevalue(person)
    access.forbidden(user, reverse("providers:concerns"))
    for url in officer_urls(concern):
        access.forbidden(user, url)
    for url in officer_post_only_urls(concern):
        access.forbidden(user, url, method="post")


def test_anonymous_visitors_are_sent_to_sign_in_for_officer_and_reporter_pages(access, concern):
    for url in [
        reverse("providers:concerns"),
        *officer_urls(concern),
        reverse("providers:concerns-mine"),
        reverse("providers:concern-mine", args=[concern.public_id]),
    ]:
        access.sign_in_required(url)


# --- Reporters ------------------------------------------------------------------------------------


def test_a_reporter_sees_their_own_concern_and_its_status(client, access, fran, concern):
    client.force_login(fran)

    listing = client.get(reverse("providers:concerns-mine")).content.decode()
    page = client.get(reverse("providers:concern-mine", args=[concern.public_id])).content.decode()

    assert concern.reference in listing
    assert "Received" in page and "Nobody met my son at the door" in page


def test_the_header_links_to_your_concerns_once_you_have_reported_one(client, fran, fred, concern):
    client.force_login(fran)
    assert 'href="/concerns/yours/"' in client.get(reverse("accounts:dashboard")).content.decode()

    client.force_login(fred)
    assert 'href="/concerns/yours/"' not in client.get(reverse("accounts:dashboard")).content.decode()


def test_another_person_gets_404_for_someone_elses_concern(access, fred, quinn, concern):
    access.not_found(fred, reverse("providers:concern-mine", args=[concern.public_id]))
    # An officer handles it from the officer pages; the reporter's page is the reporter's alone.
    access.not_found(quinn, reverse("providers:concern-mine", args=[concern.public_id]))


def test_a_reporters_list_shows_only_their_own_concerns(client, fred, acme, concern):
    theirs = services.concern_report(reporter=fred, organisation=acme, description="x", involves_harm_to_child=False)
    client.force_login(fred)

    page = client.get(reverse("providers:concerns-mine")).content.decode()

    assert theirs.reference in page and concern.reference not in page


def test_a_reporter_never_sees_internal_notes_or_an_unshared_outcome(client, quinn, coventry, fran, concern):
    services.concern_note_add(
        actor=quinn, council=coventry, concern=concern, text="INTERNAL: manager on leave", shared_with_reporter=False
    )
    services.concern_note_add(
        actor=quinn, council=coventry, concern=concern, text="We are looking into it", shared_with_reporter=True
    )
    services.concern_set_status(
        actor=quinn, council=coventry, concern=concern, new_status=ConcernStatus.CLOSED, outcome="SECRET OUTCOME"
    )
    client.force_login(fran)

    page = client.get(reverse("providers:concern-mine", args=[concern.public_id])).content.decode()

    assert "We are looking into it" in page
    assert "Closed" in page
    assert "INTERNAL" not in page
    assert "SECRET OUTCOME" not in page
    assert "Quinn" not in page, "the officer's name is not shared"


def test_the_officer_sees_internal_and_shared_notes_alike(client, quinn, coventry, concern):
    services.concern_note_add(
        actor=quinn, council=coventry, concern=concern, text="INTERNAL: manager on leave", shared_with_reporter=False
    )
    client.force_login(quinn)

    page = client.get(reverse("providers:concern", args=[concern.public_id])).content.decode()

    assert "INTERNAL: manager on leave" in page
    assert "Nobody met my son at the door" in page
