"""Registering a provider organisation or a personal assistant, each in one transaction.

Both create the account, the role and a draft profile together, so that a failure part-way leaves
nothing behind: no account without a profile, no profile without the role that lets its owner edit it.
"""

import re
from collections.abc import Callable
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from accounts.events import audit_record
from accounts.models import Membership, Organisation, User
from accounts.roles import OrganisationKind, Role
from providers.exceptions import PostcodeError
from providers.models import PersonalAssistantProfile, ProviderProfile
from providers.postcodes import locate, normalise_full

# Deliberately says only that the address is taken: nothing about whose account it is or what it does.
EMAIL_TAKEN = "There is already an account with this email address. Sign in, or reset your password."

# Charity Commission numbers: 6 to 8 digits, with "-1", "-2"… for a linked charity. Companies House
# numbers: 8 characters, all digits or two letters (SC, NI, OC…) and six digits.
CHARITY_NUMBER = re.compile(r"^[0-9]{6,8}(-[0-9]{1,3})?$")
COMPANY_NUMBER = re.compile(r"^([0-9]{8}|[A-Z]{2}[0-9]{6})$")


def email_is_registered(email: str) -> bool:
    return User.objects.filter(email__iexact=email.strip()).exists()


def provider_organisation_register(
    *,
    first_name: str,
    last_name: str,
    email: str,
    password: str,
    legal_name: str,
    trading_name: str = "",
    council: Organisation,
    charity_number: str = "",
    company_number: str = "",
) -> User:
    """Create the account, the provider organisation, the staff role and a draft profile."""
    _council_check(council)
    with transaction.atomic():
        user = _user_create(first_name=first_name, last_name=last_name, email=email, password=password)
        name = (trading_name or legal_name).strip()
        organisation = Organisation(
            kind=OrganisationKind.PROVIDER, name=name, slug=organisation_slug(name), council=council, email=user.email
        )
        organisation.full_clean()
        organisation.save()
        _membership_create(user=user, organisation=organisation, role=Role.PROVIDER_STAFF)
        profile = provider_profile_create(
            organisation=organisation,
            actor=user,
            legal_name=legal_name.strip(),
            trading_name=trading_name.strip(),
            charity_number=_field_check("charity_number", charity_number_check, charity_number),
            company_number=_field_check("company_number", company_number_check, company_number),
        )
        audit_record(
            actor=user,
            action="provider.registered",
            target=profile,
            council=council,
            summary=f"{user.get_full_name()} registered {name} as a provider organisation",
        )
    return user


def personal_assistant_register(
    *,
    first_name: str,
    last_name: str,
    email: str,
    password: str,
    council: Organisation,
    home_postcode: str,
    display_name: str = "",
) -> User:
    """Create the account, the personal assistant role on the council's register and a draft profile."""
    _council_check(council)
    home_postcode, home_district = _field_check("home_postcode", home_postcode_check, home_postcode)
    with transaction.atomic():
        user = _user_create(first_name=first_name, last_name=last_name, email=email, password=password)
        _membership_create(user=user, organisation=council, role=Role.PERSONAL_ASSISTANT)
        profile = PersonalAssistantProfile(
            user=user,
            council=council,
            display_name=(display_name.strip() or default_display_name(first_name, last_name)),
            home_postcode=home_postcode,
            home_district=home_district,
            areas=[home_district],
        )
        profile.full_clean()
        profile.save()
        # The home postcode is private, so the audit row names the district only.
        audit_record(
            actor=user,
            action="personal_assistant.registered",
            target=profile,
            council=council,
            summary=f"{user.get_full_name()} registered as a personal assistant ({home_district})",
        )
    return user


@transaction.atomic
def provider_profile_create(
    *, organisation: Organisation, actor: User, legal_name: str, **fields: Any
) -> ProviderProfile:
    """A draft profile for a provider organisation that has none (e.g. one a council registered)."""
    if ProviderProfile.objects.filter(organisation=organisation).exists():
        raise ValidationError("This organisation already has a profile")
    profile = ProviderProfile(organisation=organisation, legal_name=legal_name, **fields)
    profile.full_clean()
    profile.save()
    audit_record(
        actor=actor,
        action="profile.created",
        target=profile,
        council=organisation.council,
        summary=f"Started the profile of {profile.display_name}",
    )
    return profile


def charity_number_check(raw: str) -> str:
    """The number without spaces; raises ValidationError when it is not a charity number."""
    number = re.sub(r"\s+", "", raw or "")
    if number and not CHARITY_NUMBER.match(number):
        raise ValidationError("Enter a charity number of 6 to 8 digits, like 1123456 or 1123456-1")
    return number


def company_number_check(raw: str) -> str:
    """The number in upper case without spaces; raises ValidationError when it is not a company number."""
    number = re.sub(r"\s+", "", raw or "").upper()
    if number and not COMPANY_NUMBER.match(number):
        raise ValidationError("Enter a company number of 8 characters, like 01234567 or SC123456")
    return number


def default_display_name(first_name: str, last_name: str) -> str:
    """How families see a personal assistant until they choose otherwise: "Sam K."."""
    initial = last_name.strip()[:1].upper()
    return f"{first_name.strip()} {initial}." if initial else first_name.strip()


def home_postcode_check(raw: str) -> tuple[str, str]:
    """The normalised full postcode and its district; raises ValidationError unless it is a known postcode."""
    try:
        place = locate(normalise_full(raw))
    except PostcodeError as error:
        raise ValidationError(str(error)) from error
    return place.postcode, place.district


def organisation_slug(name: str) -> str:
    base = slugify(name)[:90] or "provider"
    candidate, number = base, 2
    while Organisation.objects.filter(slug=candidate).exists():
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def _field_check(name: str, check: Callable[[str], Any], raw: str) -> Any:
    """Run a check, naming the field in the error so that a form can show it in the right place."""
    try:
        return check(raw)
    except ValidationError as error:
        raise ValidationError({name: error.messages}) from error


def _council_check(council: Organisation) -> None:
    if not (council.is_council and council.is_active):
        raise ValidationError({"council": "Choose a council from the list"})


def _user_create(*, first_name: str, last_name: str, email: str, password: str) -> User:
    email = email.strip().lower()
    if email_is_registered(email):
        raise ValidationError({"email": EMAIL_TAKEN})
    user = User(email=email, first_name=first_name.strip(), last_name=last_name.strip())
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error
    user.set_password(password)
    user.full_clean(exclude=["password"])
    try:
        # Two sign-ups with one address at once: the unique index decides, and the loser gets the same answer.
        with transaction.atomic():
            user.save()
    except IntegrityError as error:
        raise ValidationError({"email": EMAIL_TAKEN}) from error
    return user


def _membership_create(*, user: User, organisation: Organisation, role: str) -> Membership:
    membership = Membership(user=user, organisation=organisation, role=role)
    membership.full_clean()
    membership.save()
    return membership
