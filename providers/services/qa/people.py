"""Who is told about a decision, and the small helpers the quality-assurance services share."""

import datetime

from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse

from accounts.models import Membership, Organisation, User
from accounts.notifications import notification_send_many
from accounts.roles import Role
from providers.models import DBSCheck, PersonalAssistantProfile, ProviderProfile, Upload
from providers.services.uploads import upload_store

Profile = ProviderProfile | PersonalAssistantProfile


def organisation_contacts(organisation: Organisation) -> list[User]:
    """The active staff of a provider (or the brokers of a broker organisation)."""
    memberships = Membership.objects.active().filter(
        organisation=organisation, role__in=[Role.PROVIDER_STAFF, Role.BROKER]
    )
    return [membership.user for membership in memberships.select_related("user")]


def listing_contacts(
    *, organisation: Organisation | None = None, pa_profile: PersonalAssistantProfile | None = None
) -> list[User]:
    return [pa_profile.user] if pa_profile is not None else organisation_contacts(organisation)


def qa_officers(*councils: Organisation | None) -> list[User]:
    memberships = Membership.objects.active().filter(
        organisation__in=[council for council in councils if council is not None], role=Role.QA_OFFICER
    )
    return [membership.user for membership in memberships.select_related("user")]


def profile_contacts(profile: Profile) -> list[User]:
    if isinstance(profile, PersonalAssistantProfile):
        return [profile.user]
    return organisation_contacts(profile.organisation)


def submitter_tell(check: DBSCheck, *, subject: str, body: str) -> None:
    notification_send_many(
        recipients=listing_contacts(organisation=check.organisation, pa_profile=check.pa_profile),
        subject=subject,
        body=body,
        link=reverse("providers:qa-my-check", args=[check.public_id]),
    )


def home_council(
    *, pa_profile: PersonalAssistantProfile | None = None, organisation: Organisation | None = None
) -> Organisation | None:
    return pa_profile.council if pa_profile is not None else organisation.council


def evidence_store(
    *,
    actor: User,
    file: UploadedFile | None,
    owner_organisation: Organisation | None = None,
    owner_user: User | None = None,
) -> Upload | None:
    if file is None:
        return None
    return upload_store(
        actor=actor,
        purpose=Upload.Purpose.DOCUMENT,
        file=file,
        owner_organisation=owner_organisation,
        owner_user=None if owner_organisation else owner_user,
    )


def long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"
