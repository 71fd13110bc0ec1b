"""A QA officer handles a concern: suspends the listing pending enquiry, keeps notes, looks into it,
closes it with an outcome and puts the listing back; the reporter hears only what is shared.

Quinn is a Coventry QA officer. Acme Care (Coventry) has two published offers and one withdrawn.
Fran, a family member, reported the concern; another concern came from someone without an account.
"""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import AuditEvent, Notification
from accounts.roles import OrganisationKind, Role
from accounts.tests.factories import CouncilFactory, OrganisationFactory, user_with_role
from providers.models import ConcernStatus, OfferStatus, ProfileStatus, ProfileStatusChange
from providers.services import concerns as services
from providers.services.offers import offer_set_status
from providers.tests.factories import PersonalAssistantProfileFactory, ProviderProfileFactory, published_offer

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
def offers(acme):
    saturday, sunday, old = (published_offer(organisation=acme, name=name) for name in ("Saturday", "Sunday", "Old"))
    offer_set_status(offer=old, new_status=OfferStatus.WITHDRAWN, actor=None, reason="Stopped running it")
    return saturday, sunday, old


@pytest.fixture
def quinn(coventry):
    return user_with_role(Role.QA_OFFICER, coventry, first_name="Quinn")


@pytest.fixture
def fran(coventry):
    return user_with_role(Role.FAMILY_MEMBER, coventry, first_name="Fran")


@pytest.fixture
def concern(acme, fran):
    return services.concern_report(
        reporter=fran, organisation=acme, description="Nobody met my son", involves_harm_to_child=False
    )


@pytest.fixture
def anonymous_concern(acme, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        concern = services.concern_report(
            reporter=None,
            reporter_email="parent@example.org",
            organisation=acme,
            description="Left alone",
            involves_harm_to_child=False,
        )
    mail.outbox.clear()
    return concern


@pytest.fixture
def signed_in(client, quinn):
    client.force_login(quinn)
    return client


def statuses(*objects) -> list[str]:  # type: ignore[no-untyped-def]
    for obj in objects:
        obj.refresh_from_db()
    return [obj.status for obj in objects]


# --- Suspending and reinstating the listing -------------------------------------------------------


def test_suspending_the_listing_suspends_the_profile_and_each_published_offer(quinn, coventry, acme, offers, concern):
    services.concern_suspend_listing(actor=quinn, council=coventry, concern=concern)

    profile = acme.provider_profile
    assert statuses(profile, *offers) == ["suspended", "suspended", "suspended", "withdrawn"]
    concern.refresh_from_db()
    assert concern.listing_suspended
    change = ProfileStatusChange.objects.filter(provider_profile=profile).latest("created_at")
    assert change.reason == f"Suspended pending enquiry into concern {concern.reference}"
    assert change.actor == quinn
    event = AuditEvent.objects.get(action="concern.listing_suspended")
    assert len(event.data["offers"]) == 2


def test_suspending_works_for_a_personal_assistant_and_their_offers(quinn, coventry, fran):
    pa = PersonalAssistantProfileFactory(council=coventry, status=ProfileStatus.PUBLISHED)
    offer = published_offer(personal_assistant=pa)
    concern = services.concern_report(reporter=fran, pa_profile=pa, description="x", involves_harm_to_child=True)

    services.concern_suspend_listing(actor=quinn, council=coventry, concern=concern)

    assert statuses(pa, offer) == ["suspended", "suspended"]


def test_suspending_twice_is_refused(quinn, coventry, offers, concern):
    services.concern_suspend_listing(actor=quinn, council=coventry, concern=concern)

    with pytest.raises(ValidationError, match="already suspended"):
        services.concern_suspend_listing(actor=quinn, council=coventry, concern=concern)


def test_reinstating_publishes_the_listing_and_only_the_offers_this_concern_suspended(
    quinn, coventry, acme, offers, concern
):
    saturday, sunday, old = offers
    services.concern_suspend_listing(actor=quinn, council=coventry, concern=concern)
    # Sunday's offer is then withdrawn by the provider: reinstating must not bring it back.
    offer_set_status(offer=sunday, new_status=OfferStatus.WITHDRAWN, actor=None, reason="No longer run")

    services.concern_reinstate_listing(actor=quinn, council=coventry, concern=concern, reason="Enquiry found no issue")

    assert statuses(acme.provider_profile, saturday, sunday, old) == [
        "published",
        "published",
        "withdrawn",
        "withdrawn",
    ]
    concern.refresh_from_db()
    assert not concern.listing_suspended
    assert AuditEvent.objects.filter(action="concern.listing_reinstated", reason="Enquiry found no issue").exists()


def test_an_offer_suspended_for_another_reason_stays_suspended_on_reinstatement(quinn, coventry, offers, concern):
    saturday, sunday, _old = offers
    offer_set_status(offer=sunday, new_status=OfferStatus.SUSPENDED, actor=None, reason="Insurance lapsed")
    services.concern_suspend_listing(actor=quinn, council=coventry, concern=concern)

    services.concern_reinstate_listing(actor=quinn, council=coventry, concern=concern, reason="All clear")

    assert statuses(saturday, sunday) == ["published", "suspended"]


def test_reinstating_a_listing_that_is_not_suspended_for_the_concern_is_refused(quinn, coventry, concern):
    with pytest.raises(ValidationError, match="not suspended"):
        services.concern_reinstate_listing(actor=quinn, council=coventry, concern=concern, reason="x")


def test_reinstating_without_a_reason_is_refused(quinn, coventry, offers, concern):
    services.concern_suspend_listing(actor=quinn, council=coventry, concern=concern)

    with pytest.raises(ValidationError):
        services.concern_reinstate_listing(actor=quinn, council=coventry, concern=concern, reason=" ")


def test_suspending_through_the_page(signed_in, acme, offers, concern):
    response = signed_in.post(reverse("providers:concern-suspend", args=[concern.public_id]))

    assert response["Location"] == reverse("providers:concern", args=[concern.public_id])
    assert statuses(acme.provider_profile) == ["suspended"]


def test_reinstating_without_a_reason_through_the_page_shows_an_error_summary(signed_in, quinn, coventry, concern):
    services.concern_suspend_listing(actor=quinn, council=coventry, concern=concern)

    page = signed_in.post(reverse("providers:concern-reinstate", args=[concern.public_id]), {"reason": ""})

    text = page.content.decode()
    assert "<title>Error: Put Acme Care back" in text
    assert "Enter why you are putting the listing back in the directory" in text


# --- Notes and what the reporter hears ------------------------------------------------------------


def test_an_internal_note_is_not_sent_to_the_reporter(quinn, coventry, fran, concern):
    Notification.objects.all().delete()

    services.concern_note_add(
        actor=quinn, council=coventry, concern=concern, text="Called the manager", shared_with_reporter=False
    )

    assert not Notification.objects.filter(recipient=fran).exists()
    assert AuditEvent.objects.filter(action="concern.note_added", data={"shared_with_reporter": False}).exists()


def test_a_shared_note_is_sent_to_a_signed_in_reporter(quinn, coventry, fran, concern):
    services.concern_note_add(
        actor=quinn, council=coventry, concern=concern, text="We have spoken to the provider", shared_with_reporter=True
    )

    notification = Notification.objects.filter(recipient=fran).latest("created_at")
    assert notification.subject == f"An update on your concern ({concern.reference})"
    assert notification.body == "We have spoken to the provider"


def test_a_shared_note_is_emailed_to_an_anonymous_reporter(
    django_capture_on_commit_callbacks, quinn, coventry, anonymous_concern
):
    with django_capture_on_commit_callbacks(execute=True):
        services.concern_note_add(
            actor=quinn,
            council=coventry,
            concern=anonymous_concern,
            text="We are looking into it",
            shared_with_reporter=True,
        )
        services.concern_note_add(
            actor=quinn, council=coventry, concern=anonymous_concern, text="Internal only", shared_with_reporter=False
        )

    [email] = mail.outbox
    assert email.to == ["parent@example.org"]
    assert "We are looking into it" in email.body
    assert "Internal only" not in email.body


def test_adding_an_empty_note_through_the_page_shows_an_error_summary(signed_in, concern):
    response = signed_in.post(reverse("providers:concern-note-add", args=[concern.public_id]), {"text": ""})

    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Concern about Acme Care" in page
    assert "Enter the note" in page


def test_adding_a_shared_note_through_the_page(signed_in, concern):
    signed_in.post(
        reverse("providers:concern-note-add", args=[concern.public_id]),
        {"text": "We have your concern", "shared_with_reporter": "on"},
    )

    assert concern.notes.get().shared_with_reporter


# --- Status ---------------------------------------------------------------------------------------


def test_starting_an_enquiry_tells_the_reporter_the_stage_only(signed_in, fran, concern):
    response = signed_in.post(reverse("providers:concern-enquiry", args=[concern.public_id]))

    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.UNDER_ENQUIRY
    notification = Notification.objects.filter(recipient=fran).latest("created_at")
    assert notification.subject == f"Your concern is being looked into ({concern.reference})"
    assert AuditEvent.objects.filter(action="concern.status_changed", data__new_status="under_enquiry").exists()


def test_closing_needs_an_outcome(quinn, coventry, concern):
    with pytest.raises(ValidationError, match="Enter the outcome"):
        services.concern_set_status(
            actor=quinn, council=coventry, concern=concern, new_status=ConcernStatus.CLOSED, outcome=""
        )
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.RECEIVED


def test_closing_without_sharing_keeps_the_outcome_from_the_reporter(quinn, coventry, fran, concern):
    services.concern_set_status(
        actor=quinn, council=coventry, concern=concern, new_status=ConcernStatus.CLOSED, outcome="Staff retrained"
    )

    concern.refresh_from_db()
    assert (concern.status, concern.outcome) == (ConcernStatus.CLOSED, "Staff retrained")
    assert concern.closed_at is not None
    notification = Notification.objects.filter(recipient=fran).latest("created_at")
    assert "closed" in notification.subject
    assert "Staff retrained" not in notification.body
    assert not concern.notes.filter(shared_with_reporter=True).exists()


def test_closing_with_the_outcome_shared_sends_it_to_the_reporter(quinn, coventry, fran, concern):
    services.concern_set_status(
        actor=quinn,
        council=coventry,
        concern=concern,
        new_status=ConcernStatus.CLOSED,
        outcome="The provider has changed how children are met",
        share_outcome=True,
    )

    notification = Notification.objects.filter(recipient=fran).latest("created_at")
    assert "The provider has changed how children are met" in notification.body
    assert concern.notes.get(shared_with_reporter=True).text == "The provider has changed how children are met"


def test_a_closed_concern_cannot_be_reopened(quinn, coventry, concern):
    services.concern_set_status(
        actor=quinn, council=coventry, concern=concern, new_status=ConcernStatus.CLOSED, outcome="Done"
    )

    with pytest.raises(ValidationError, match="cannot become"):
        services.concern_set_status(
            actor=quinn, council=coventry, concern=concern, new_status=ConcernStatus.UNDER_ENQUIRY
        )


def test_the_listing_of_a_closed_concern_cannot_be_suspended_for_it(quinn, coventry, concern):
    services.concern_set_status(
        actor=quinn, council=coventry, concern=concern, new_status=ConcernStatus.CLOSED, outcome="Done"
    )

    with pytest.raises(ValidationError, match="closed"):
        services.concern_suspend_listing(actor=quinn, council=coventry, concern=concern)


def test_closing_without_an_outcome_through_the_page_shows_an_error_summary(signed_in, concern):
    response = signed_in.post(reverse("providers:concern-close", args=[concern.public_id]), {"outcome": ""})

    page = response.content.decode()
    assert "<title>Error: Close this concern" in page
    assert "Enter the outcome of the enquiry" in page


# --- The officer's list ---------------------------------------------------------------------------


def test_the_officers_list_puts_open_lado_concerns_at_the_top(signed_in, quinn, coventry, acme, fran):
    ordinary = services.concern_report(reporter=fran, organisation=acme, description="a", involves_harm_to_child=False)
    lado = services.concern_report(reporter=fran, organisation=acme, description="b", involves_harm_to_child=True)
    closed_lado = services.concern_report(
        reporter=fran, organisation=acme, description="c", involves_harm_to_child=True
    )
    services.concern_set_status(
        actor=quinn, council=coventry, concern=closed_lado, new_status=ConcernStatus.CLOSED, outcome="Done"
    )

    page = signed_in.get(reverse("providers:concerns")).content.decode()

    positions = [page.index(concern.reference) for concern in (lado, ordinary, closed_lado)]
    assert positions == sorted(positions)
    assert page.count(">LADO</strong>") == 2


def test_qa_officers_see_concerns_in_the_menu(signed_in):
    page = signed_in.get(reverse("accounts:dashboard")).content.decode()

    assert f'href="{reverse("providers:concerns")}"' in page
