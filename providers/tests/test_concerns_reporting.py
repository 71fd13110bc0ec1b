"""Reporting a concern: who may, about which listings, and whose QA officers hear about it.

Acme Care registered with Coventry, where Quinn is a QA officer; Sam is a personal assistant on
Gloucestershire's register, where Gina is a QA officer. Fran is a Coventry family member.
"""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import AuditEvent, Notification
from accounts.roles import OrganisationKind, Role
from accounts.tests.factories import CouncilFactory, OrganisationFactory, user_with_role
from providers.models import Concern, ProfileStatus
from providers.services import concerns as services
from providers.tests.factories import PersonalAssistantProfileFactory, ProviderProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coventry():
    return CouncilFactory(name="Coventry City Council")


@pytest.fixture
def gloucestershire():
    return CouncilFactory(name="Gloucestershire County Council")


@pytest.fixture
def acme(coventry):
    organisation = OrganisationFactory(name="Acme Care", kind=OrganisationKind.PROVIDER, council=coventry)
    ProviderProfileFactory(organisation=organisation, status=ProfileStatus.PUBLISHED)
    return organisation


@pytest.fixture
def sam(gloucestershire):
    return PersonalAssistantProfileFactory(
        council=gloucestershire, display_name="Sam K.", status=ProfileStatus.PUBLISHED
    )


@pytest.fixture
def quinn(coventry):
    return user_with_role(Role.QA_OFFICER, coventry, first_name="Quinn")


@pytest.fixture
def gina(gloucestershire):
    return user_with_role(Role.QA_OFFICER, gloucestershire, first_name="Gina")


@pytest.fixture
def fran(coventry):
    return user_with_role(Role.FAMILY_MEMBER, coventry, first_name="Fran")


def report_url(**params: str) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{reverse('providers:concern-report')}?{query}"


# --- Routing --------------------------------------------------------------------------------------


def test_a_concern_about_an_organisation_goes_to_the_qa_officers_of_the_council_it_registered_with(
    acme, coventry, quinn, gina, fran
):
    concern = services.concern_report(
        reporter=fran, organisation=acme, description="Nobody met my son at the club", involves_harm_to_child=False
    )

    assert concern.council == coventry
    notification = Notification.objects.get(recipient=quinn)
    assert notification.subject == f"New concern about Acme Care ({concern.reference})"
    assert notification.link == reverse("providers:concern", args=[concern.public_id])
    assert "Nobody met my son" not in notification.body, "the concern's details stay in the service"
    assert not Notification.objects.filter(recipient=gina).exists()


def test_a_concern_about_a_personal_assistant_goes_to_the_council_whose_register_they_are_on(
    sam, gloucestershire, quinn, gina, fran
):
    concern = services.concern_report(
        reporter=fran, pa_profile=sam, description="Arrived late every week", involves_harm_to_child=False
    )

    assert concern.council == gloucestershire
    assert Notification.objects.filter(recipient=gina, subject__contains="Sam K.").exists()
    assert not Notification.objects.filter(recipient=quinn).exists()


def test_every_active_qa_officer_of_the_council_is_told_and_no_former_one(acme, coventry, quinn, fran):
    colleague = user_with_role(Role.QA_OFFICER, coventry)
    former = user_with_role(Role.QA_OFFICER, coventry)
    former.memberships.update(is_active=False)
    commissioner = user_with_role(Role.COMMISSIONER, coventry)

    services.concern_report(reporter=fran, organisation=acme, description="Worried", involves_harm_to_child=False)

    told = set(Notification.objects.filter(subject__startswith="New concern").values_list("recipient", flat=True))
    assert told == {quinn.pk, colleague.pk}
    assert former.pk not in told and commissioner.pk not in told


def test_a_concern_involving_harm_to_a_child_is_marked_for_the_lado(acme, quinn, fran):
    concern = services.concern_report(
        reporter=fran, organisation=acme, description="A worker hit a child", involves_harm_to_child=True
    )

    assert concern.involves_harm_to_child
    notification = Notification.objects.get(recipient=quinn)
    assert notification.subject.startswith("LADO: ")
    assert "designated officer for allegations (LADO)" in notification.body


def test_a_council_without_qa_officers_has_its_administrators_told(acme, coventry, fran):
    admin = user_with_role(Role.COUNCIL_ADMIN, coventry)

    services.concern_report(reporter=fran, organisation=acme, description="Worried", involves_harm_to_child=False)

    assert Notification.objects.filter(recipient=admin, subject__startswith="New concern").exists()


def test_reporting_is_audited_without_the_concerns_text(acme, coventry, fran):
    concern = services.concern_report(
        reporter=fran, organisation=acme, description="Private details", involves_harm_to_child=True
    )

    event = AuditEvent.objects.get(action="concern.reported")
    assert (event.actor, event.council, event.target_id) == (fran, coventry, str(concern.public_id))
    assert event.data == {"lado": True, "anonymous": False}
    assert "Private details" not in f"{event.summary} {event.reason} {event.data}"


# --- Who may report, and about what ---------------------------------------------------------------


def test_a_signed_in_reporter_is_told_their_concern_was_received(acme, fran):
    concern = services.concern_report(reporter=fran, organisation=acme, description="x", involves_harm_to_child=False)

    notification = Notification.objects.get(recipient=fran)
    assert concern.reference in notification.subject
    assert notification.link == reverse("providers:concern-mine", args=[concern.public_id])


def test_an_anonymous_reporter_gets_an_email_with_their_reference(django_capture_on_commit_callbacks, acme):
    with django_capture_on_commit_callbacks(execute=True):
        concern = services.concern_report(
            reporter=None,
            reporter_email="Parent@Example.org",
            organisation=acme,
            description="x",
            involves_harm_to_child=False,
        )

    assert concern.reporter_email == "parent@example.org"
    [email] = [m for m in mail.outbox if m.to == ["parent@example.org"]]
    assert concern.reference in email.subject and concern.reference in email.body


def test_an_anonymous_report_without_an_email_address_is_refused(acme):
    with pytest.raises(ValidationError, match="Enter your email address"):
        services.concern_report(reporter=None, organisation=acme, description="x", involves_harm_to_child=False)
    assert not Concern.objects.exists()


@pytest.mark.parametrize("status", [ProfileStatus.DRAFT, ProfileStatus.PENDING, ProfileStatus.SUSPENDED])
def test_a_concern_about_a_listing_not_in_the_directory_is_refused(acme, fran, status):
    acme.provider_profile.status = status
    acme.provider_profile.save()

    with pytest.raises(ValidationError, match="in the directory"):
        services.concern_report(reporter=fran, organisation=acme, description="x", involves_harm_to_child=False)


# --- The report page ------------------------------------------------------------------------------


def test_anyone_can_open_the_report_page_for_a_published_listing(client, acme, sam):
    assert "Report a concern about Acme Care" in client.get(report_url(organisation=acme.public_id)).content.decode()
    assert "Report a concern about Sam K." in client.get(report_url(pa=sam.public_id)).content.decode()


def test_the_report_page_asks_about_harm_to_a_child(client, acme):
    page = client.get(report_url(organisation=acme.public_id)).content.decode()

    assert "Does this involve harm, or risk of harm, to a child?" in page


@pytest.mark.parametrize("status", [ProfileStatus.DRAFT, ProfileStatus.SUSPENDED, ProfileStatus.WITHDRAWN])
def test_the_report_page_answers_404_for_a_listing_not_in_the_directory(access, acme, sam, status):
    acme.provider_profile.status = status
    acme.provider_profile.save()
    sam.status = status
    sam.save()

    access.not_found(None, report_url(organisation=acme.public_id))
    access.not_found(None, report_url(pa=sam.public_id))


@pytest.mark.parametrize(
    "query", [{}, {"organisation": "not-a-uuid"}, {"organisation": "00000000-0000-0000-0000-000000000000"}]
)
def test_the_report_page_answers_404_without_a_real_listing(access, query):
    access.not_found(None, report_url(**query))


def test_the_report_page_answers_404_for_an_organisation_that_is_not_a_provider(access, coventry):
    broker = OrganisationFactory(kind=OrganisationKind.BROKER, council=coventry)
    ProviderProfileFactory(organisation=broker, status=ProfileStatus.PUBLISHED)

    access.not_found(None, report_url(organisation=broker.public_id))


def test_an_anonymous_visitor_reports_a_concern_and_sees_their_reference(client, acme, quinn):
    response = client.post(
        report_url(organisation=acme.public_id),
        {"description": "Left alone", "involves_harm_to_child": "yes", "reporter_email": "parent@example.org"},
    )

    concern = Concern.objects.get()
    assert response["Location"] == reverse("providers:concern-report-sent")
    assert (concern.reporter, concern.involves_harm_to_child) == (None, True)
    page = client.get(response["Location"]).content.decode()
    assert concern.reference in page


def test_a_signed_in_reporter_is_taken_to_their_concern(client, acme, fran):
    client.force_login(fran)

    response = client.post(
        report_url(organisation=acme.public_id), {"description": "Late again", "involves_harm_to_child": "no"}
    )

    concern = Concern.objects.get()
    assert concern.reporter == fran and concern.reporter_email == ""
    assert response["Location"] == reverse("providers:concern-mine", args=[concern.public_id])


def test_the_report_form_with_nothing_filled_in_is_shown_again_with_an_error_summary(client, acme):
    response = client.post(report_url(organisation=acme.public_id), {})

    page = response.content.decode()
    assert "<title>Error: Report a concern" in page
    assert "govuk-error-summary" in page
    for message in (
        "Tell us what happened",
        "Say whether this involves harm, or risk of harm, to a child",
        "Enter your email address, so that we can tell you what happens",
    ):
        assert message in page
    assert not Concern.objects.exists()


def test_the_report_form_does_not_ask_a_signed_in_reporter_for_their_email(client, acme, fran):
    client.force_login(fran)

    page = client.get(report_url(organisation=acme.public_id)).content.decode()

    assert 'name="reporter_email"' not in page
