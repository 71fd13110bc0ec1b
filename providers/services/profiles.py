"""Writes for provider and personal assistant profiles.

A profile's status changes only through ``profile_set_status``. Edits to a published profile are
held in ``pending_changes`` and applied when approved, so the public sees the checked version.
"""

from datetime import time
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.events import audit_record
from accounts.models import User
from providers.changes import profile_listings_changed
from providers.exceptions import ProvidersError, TransitionNotAllowed
from providers.models import PersonalAssistantProfile, ProfileStatus, ProfileStatusChange, ProviderProfile

Profile = ProviderProfile | PersonalAssistantProfile

PROFILE_TRANSITIONS: dict[str, frozenset[str]] = {
    ProfileStatus.DRAFT: frozenset({ProfileStatus.PENDING}),
    ProfileStatus.PENDING: frozenset({ProfileStatus.PUBLISHED, ProfileStatus.DRAFT}),
    ProfileStatus.PUBLISHED: frozenset({ProfileStatus.SUSPENDED, ProfileStatus.WITHDRAWN}),
    ProfileStatus.SUSPENDED: frozenset({ProfileStatus.PUBLISHED, ProfileStatus.WITHDRAWN}),
    ProfileStatus.WITHDRAWN: frozenset({ProfileStatus.PENDING}),
}


def profile_set_status(*, profile: Profile, new_status: str, actor: User | None, reason: str = "") -> Profile:
    with transaction.atomic():
        locked = type(profile).objects.select_for_update().get(pk=profile.pk)
        old_status = locked.status
        if new_status not in PROFILE_TRANSITIONS.get(old_status, frozenset()):
            raise TransitionNotAllowed(
                f"A profile that is {ProfileStatus(old_status).label.lower()} cannot become "
                f"{ProfileStatus(new_status).label.lower()}"
            )
        locked.status = new_status
        fields = ["status"]
        if new_status == ProfileStatus.PUBLISHED and locked.published_at is None:
            locked.published_at = timezone.now()
            fields.append("published_at")
        locked.save(update_fields=fields)
        owner = {"provider_profile": locked} if isinstance(locked, ProviderProfile) else {"pa_profile": locked}
        ProfileStatusChange.objects.create(
            **owner, old_status=old_status, new_status=new_status, actor=actor, reason=reason
        )
        profile_listings_changed(locked)
    profile.refresh_from_db()
    return profile


@transaction.atomic
def profile_update(*, profile: Profile, actor: User, changes: dict[str, Any]) -> Profile:
    """Change the profile; for a published or suspended profile, hold reviewed fields for approval."""
    profile = type(profile).objects.select_for_update().get(pk=profile.pk)
    many = _many_to_many_names(profile)
    unknown = set(changes) - set(profile.REVIEWED_FIELDS) - _UNREVIEWED_FIELDS - many
    if unknown:
        raise ProvidersError(f"These cannot be changed here: {', '.join(sorted(unknown))}")
    held = profile.status in {ProfileStatus.PUBLISHED, ProfileStatus.SUSPENDED}
    for name, value in changes.items():
        if name in many:
            _many_to_many_update(profile, name, value, held=held)
        elif held and name in profile.REVIEWED_FIELDS and value != getattr(profile, name):
            profile.pending_changes[name] = _jsonable(value)
        elif held and name in profile.REVIEWED_FIELDS:
            # Changed back to what the public sees: nothing is left to check.
            profile.pending_changes.pop(name, None)
        else:
            setattr(profile, name, value)
    if not profile.pending_changes:
        profile.pending_submitted_at = None
        profile.changes_returned_reason = ""
    profile.full_clean()
    profile.save()
    # Names the fields only: a PA's home postcode must not be copied into the audit trail.
    audit_record(
        actor=actor,
        action="profile.change_held" if held else "profile.updated",
        target=profile,
        council=profile.council if isinstance(profile, PersonalAssistantProfile) else profile.organisation.council,
        summary=f"{'Changes held for checking' if held else 'Changed'}: {profile.display_name}",
        data={"fields": sorted(changes)},
    )
    return profile


@transaction.atomic
def profile_submit(*, profile: Profile, actor: User) -> Profile:
    if not profile.description.strip():
        # A profile with nothing about the provider gives a checker nothing to check.
        raise ProvidersError("Write about yourself or your organisation before you send your profile for checking")
    if profile.status in {ProfileStatus.DRAFT, ProfileStatus.WITHDRAWN}:
        return profile_set_status(
            profile=profile, new_status=ProfileStatus.PENDING, actor=actor, reason="Sent for checking"
        )
    if profile.pending_changes:
        profile.pending_submitted_at = timezone.now()
        profile.changes_returned_reason = ""
        profile.save(update_fields=["pending_submitted_at", "changes_returned_reason"])
        return profile
    raise ProvidersError("There are no changes to send for checking")


@transaction.atomic
def profile_approve(*, profile: Profile, actor: User, reason: str = "") -> Profile:
    profile = type(profile).objects.select_for_update().get(pk=profile.pk)
    if profile.status == ProfileStatus.PENDING:
        _pending_apply(profile)
        profile.save()
        return profile_set_status(profile=profile, new_status=ProfileStatus.PUBLISHED, actor=actor, reason=reason)
    if not profile.pending_changes:
        raise ProvidersError("There is nothing waiting for approval")
    _pending_apply(profile)
    profile.full_clean()
    profile.save()
    profile_listings_changed(profile)
    return profile


@transaction.atomic
def profile_reject(*, profile: Profile, actor: User, reason: str) -> Profile:
    if not reason.strip():
        raise ProvidersError("Give a reason, so that the provider knows what to change")
    profile = type(profile).objects.select_for_update().get(pk=profile.pk)
    if profile.status == ProfileStatus.PENDING:
        return profile_set_status(profile=profile, new_status=ProfileStatus.DRAFT, actor=actor, reason=reason)
    if not profile.pending_changes:
        raise ProvidersError("There is nothing waiting for a decision")
    # The public keeps seeing the approved profile; the provider keeps their edits to put right.
    profile.pending_submitted_at = None
    profile.changes_returned_reason = reason.strip()
    profile.save(update_fields=["pending_submitted_at", "changes_returned_reason"])
    return profile


# Fields that never need checking: they do not change what the public reads.
_UNREVIEWED_FIELDS = {"home_postcode", "home_district", "logo", "photo"}


def _many_to_many_names(profile: Profile) -> set[str]:
    """Many-to-many fields (a PA's skills): public, so reviewed; held as a list of ids while pending."""
    return {field.name for field in profile._meta.many_to_many}


def _many_to_many_update(profile: Profile, name: str, values: list, *, held: bool) -> None:
    if not held:
        getattr(profile, name).set(values)
        return
    wanted = sorted(value.pk for value in values)
    if wanted != sorted(getattr(profile, name).values_list("pk", flat=True)):
        profile.pending_changes[name] = wanted
    else:
        profile.pending_changes.pop(name, None)


def _pending_apply(profile: Profile) -> None:
    many = _many_to_many_names(profile)
    for name, value in profile.pending_changes.items():
        if name in many:
            getattr(profile, name).set(value)
            continue
        field = profile._meta.get_field(name)
        setattr(profile, name, field.to_python(value) if not isinstance(value, list) else value)
    profile.pending_changes = {}
    profile.pending_submitted_at = None
    profile.changes_returned_reason = ""


def _jsonable(value: Any) -> Any:
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return value
