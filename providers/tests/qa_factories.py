"""People and records for the quality-assurance tests, made through the services as the product makes them."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Organisation, User
from accounts.roles import OrganisationKind, Role
from accounts.tests.factories import CouncilFactory, MembershipFactory, OrganisationFactory, user_with_role
from providers.models import DBSCheck, DBSLevel, PersonalAssistantProfile, ProfileStatus, ProviderProfile
from providers.services.profiles import profile_set_status
from providers.services.qa import dbs_check_submit
from providers.tests.factories import PersonalAssistantProfileFactory, ProviderProfileFactory

CERTIFICATE_NUMBER = "001234567890"  # the last four, 7890, are the only digits ever shown
PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def council(name: str = "Coventry City Council") -> Organisation:
    return CouncilFactory(name=name)


def qa_officer(of_council: Organisation | None = None, **user_fields) -> User:  # type: ignore[no-untyped-def]
    return user_with_role(Role.QA_OFFICER, of_council or council(), **user_fields)


def published(profile: ProviderProfile | PersonalAssistantProfile):  # type: ignore[no-untyped-def]
    profile_set_status(profile=profile, new_status=ProfileStatus.PENDING, actor=None, reason="Sent for checking")
    return profile_set_status(profile=profile, new_status=ProfileStatus.PUBLISHED, actor=None, reason="Checked")


def personal_assistant(*, of_council: Organisation | None = None, publish: bool = True) -> PersonalAssistantProfile:
    """A PA with the role and a profile, as registration makes them."""
    home = of_council or council()
    profile = PersonalAssistantProfileFactory(council=home)
    MembershipFactory(user=profile.user, organisation=home, role=Role.PERSONAL_ASSISTANT)
    return published(profile) if publish else profile


def provider(*, publish: bool = True, kind: str = OrganisationKind.PROVIDER) -> tuple[ProviderProfile, User]:
    """A provider (or broker) organisation with a profile and one active member of staff."""
    organisation = OrganisationFactory(kind=kind)
    profile = ProviderProfileFactory(organisation=organisation)
    role = Role.BROKER if kind == OrganisationKind.BROKER else Role.PROVIDER_STAFF
    staff = user_with_role(role, organisation)
    return (published(profile) if publish else profile), staff


def dbs_check(
    *,
    pa_profile: PersonalAssistantProfile | None = None,
    organisation: Organisation | None = None,
    level: str = DBSLevel.ENHANCED_CHILDREN,
    issue_date: datetime.date = datetime.date(2025, 3, 3),
    update_service: bool = False,
    number: str = CERTIFICATE_NUMBER,
    person_name: str = "Sam Kaur",
) -> DBSCheck:
    actor = (
        pa_profile.user
        if pa_profile is not None
        else User.objects.filter(memberships__organisation=organisation).first()
    )
    return dbs_check_submit(
        actor=actor,
        person_name=person_name,
        level=level,
        certificate_number=number,
        issue_date=issue_date,
        update_service=update_service,
        pa_profile=pa_profile,
        organisation=organisation,
    )


def pdf(name: str = "evidence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")
