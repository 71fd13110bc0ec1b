"""Safer-recruitment declarations, regulator registrations, insurance and references."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.events import audit_record
from accounts.models import Organisation, User
from accounts.notifications import notification_send_many
from accounts.roles import OrganisationKind
from providers.exceptions import ProvidersError
from providers.models import (
    InsurancePolicy,
    PersonalAssistantProfile,
    Reference,
    RegulatorRegistration,
    SaferRecruitmentDeclaration,
    Verification,
)
from providers.services.qa.people import (
    evidence_store,
    home_council,
    listing_contacts,
    long_date,
    organisation_contacts,
)
from providers.services.qa.policy import ASSURABLE_KINDS, add_months, listing_assurance_refresh, qa_policy_for


@transaction.atomic
def declaration_submit(
    *,
    actor: User,
    organisation: Organisation,
    staff_count: int,
    evidence: UploadedFile | None,
    code_of_conduct_accepted: bool = False,
) -> SaferRecruitmentDeclaration:
    if organisation.kind not in ASSURABLE_KINDS:
        raise ValueError("Only provider and broker organisations make a safer-recruitment declaration")
    if organisation.kind == OrganisationKind.BROKER and not code_of_conduct_accepted:
        raise ValidationError({"code_of_conduct_accepted": "Accept the brokers' code of conduct"})
    upload = evidence_store(actor=actor, file=evidence, owner_organisation=organisation)
    declaration = SaferRecruitmentDeclaration(
        organisation=organisation,
        declared_by=actor,
        staff_count=staff_count,
        evidence=upload,
        code_of_conduct_accepted=code_of_conduct_accepted,
    )
    declaration.full_clean()
    declaration.save()
    audit_record(
        actor=actor,
        action="qa.declaration_submitted",
        target=declaration,
        council=organisation.council,
        summary=f"Safer-recruitment declaration sent for checking by {organisation}",
        data={"staff_count": staff_count},
    )
    return declaration


@transaction.atomic
def declaration_decide(
    *, declaration: SaferRecruitmentDeclaration, officer: User, council: Organisation, accept: bool, reason: str
) -> SaferRecruitmentDeclaration:
    """Accept the declaration against its evidence (current for the council's recheck period), or not."""
    declaration = SaferRecruitmentDeclaration.objects.select_for_update().get(pk=declaration.pk)
    if declaration.verification != Verification.SUBMITTED:
        raise ProvidersError("This declaration has already been decided")
    if not accept and not reason.strip():
        raise ValidationError({"reason": "Say what is wrong with the evidence, so that they can put it right"})
    is_broker = declaration.organisation.kind == OrganisationKind.BROKER
    if accept and is_broker and not declaration.code_of_conduct_accepted:
        raise ProvidersError("A broker organisation must accept the code of conduct before it can be assured")
    now = timezone.now()
    declaration.verification = Verification.VERIFIED if accept else Verification.REFUSED
    declaration.verified_by_council, declaration.verified_by, declaration.verified_at = council, officer, now
    declaration.decision_reason = reason.strip()
    if accept:
        declaration.current_until = add_months(timezone.localdate(now), qa_policy_for(council).dbs_recheck_months)
    declaration.full_clean()
    declaration.save()
    if accept:
        listing_assurance_refresh(organisation=declaration.organisation)
    outcome = "accepted" if accept else "not accepted"
    audit_record(
        actor=officer,
        action="qa.declaration_verified" if accept else "qa.declaration_refused",
        target=declaration,
        council=council,
        summary=f"Safer-recruitment declaration of {declaration.organisation} {outcome}",
        reason=reason,
    )
    body = f"{council} has {outcome} your safer-recruitment declaration."
    if accept:
        body += f" It counts as current until {long_date(declaration.current_until)}."
    if reason.strip():
        body += f"\n\n{reason.strip()}"
    notification_send_many(
        recipients=organisation_contacts(declaration.organisation),
        subject=f"Your safer-recruitment declaration was {outcome}",
        body=body,
        link=reverse("providers:qa-my-checks"),
    )
    return declaration


# --- Regulator registrations ------------------------------------------------------------------------


@transaction.atomic
def registration_record(
    *,
    officer: User,
    council: Organisation,
    organisation: Organisation,
    regulator: str,
    registration_id: str,
    rating: str,
    inspection_date: datetime.date | None,
) -> RegulatorRegistration:
    """Record (or bring up to date) a CQC or Ofsted registration, from the regulator's own register."""
    registration_id = registration_id.strip().upper()
    if inspection_date is not None and inspection_date > timezone.localdate():
        raise ValidationError({"inspection_date": "The inspection date must be today or in the past"})
    existing = (
        RegulatorRegistration.objects.select_for_update()
        .filter(regulator=regulator, registration_id=registration_id)
        .first()
    )
    if existing is not None and existing.organisation_id != organisation.pk:
        raise ValidationError({"registration_id": "This registration is already recorded for another organisation"})
    registration = existing or RegulatorRegistration(
        organisation=organisation, regulator=regulator, registration_id=registration_id
    )
    registration.rating, registration.inspection_date = rating, inspection_date
    registration.recorded_by_council, registration.recorded_by = council, officer
    registration.recorded_at = timezone.now()
    registration.full_clean()
    registration.save()
    audit_record(
        actor=officer,
        action="qa.registration_recorded",
        target=registration,
        council=council,
        summary=f"{registration.get_regulator_display()} registration {registration_id} recorded for {organisation}",
        data={"rating": rating, "inspection_date": inspection_date.isoformat() if inspection_date else None},
    )
    return registration


# --- Insurance --------------------------------------------------------------------------------------


@transaction.atomic
def insurance_submit(
    *,
    actor: User,
    kind: str,
    insurer: str,
    cover_amount: Decimal,
    expires_on: datetime.date,
    certificate: UploadedFile,
    organisation: Organisation | None = None,
    pa_profile: PersonalAssistantProfile | None = None,
) -> InsurancePolicy:
    if expires_on <= timezone.localdate():
        raise ValidationError({"expires_on": "The policy must not have expired: enter its end date"})
    owner_user = pa_profile.user if pa_profile else None
    upload = evidence_store(actor=actor, file=certificate, owner_organisation=organisation, owner_user=owner_user)
    policy = InsurancePolicy(
        organisation=organisation,
        pa_profile=pa_profile,
        kind=kind,
        insurer=insurer.strip(),
        cover_amount=cover_amount,
        expires_on=expires_on,
        certificate=upload,
        submitted_by=actor,
    )
    policy.full_clean()
    policy.save()
    audit_record(
        actor=actor,
        action="qa.insurance_submitted",
        target=policy,
        council=home_council(pa_profile=pa_profile, organisation=organisation),
        summary=f"{policy.get_kind_display()} insurance sent for checking",
        data={"insurer": policy.insurer, "expires_on": expires_on.isoformat()},
    )
    return policy


@transaction.atomic
def insurance_decide(
    *, policy: InsurancePolicy, officer: User, council: Organisation, accept: bool, reason: str
) -> InsurancePolicy:
    policy = InsurancePolicy.objects.select_for_update().get(pk=policy.pk)
    if policy.verification != Verification.SUBMITTED:
        raise ProvidersError("This insurance has already been decided")
    if not accept and not reason.strip():
        raise ValidationError({"reason": "Say what is wrong with the certificate, so that they can put it right"})
    policy.verification = Verification.VERIFIED if accept else Verification.REFUSED
    policy.verified_by_council, policy.verified_at = council, timezone.now()
    policy.full_clean()
    policy.save()
    outcome = "accepted" if accept else "not accepted"
    audit_record(
        actor=officer,
        action="qa.insurance_verified" if accept else "qa.insurance_refused",
        target=policy,
        council=council,
        summary=f"{policy.get_kind_display()} insurance {outcome}",
        reason=reason,
    )
    body = f"{council} has {outcome} your {policy.get_kind_display().lower()} insurance with {policy.insurer}."
    if reason.strip():
        body += f"\n\n{reason.strip()}"
    notification_send_many(
        recipients=listing_contacts(organisation=policy.organisation, pa_profile=policy.pa_profile),
        subject=f"Your {policy.get_kind_display().lower()} insurance was {outcome}",
        body=body,
        link=reverse("providers:qa-my-checks"),
    )
    return policy


# --- References -------------------------------------------------------------------------------------


@transaction.atomic
def reference_add(
    *, actor: User, pa_profile: PersonalAssistantProfile, referee_name: str, relationship: str, referee_email: str
) -> Reference:
    reference = Reference(
        pa_profile=pa_profile,
        referee_name=referee_name.strip(),
        relationship=relationship.strip(),
        referee_email=referee_email.strip().lower(),
    )
    reference.full_clean()
    reference.save()
    audit_record(
        actor=actor,
        action="qa.reference_added",
        target=reference,
        council=pa_profile.council,
        summary=f"Referee {reference.referee_name} added by {pa_profile.display_name}",
    )
    return reference


@transaction.atomic
def reference_decide(*, reference: Reference, officer: User, council: Organisation, satisfactory: bool) -> Reference:
    """Record whether the reference, taken up by the officer, was satisfactory. What the referee said is
    not stored: only the outcome."""
    reference = Reference.objects.select_for_update().get(pk=reference.pk)
    if reference.verification != Verification.SUBMITTED:
        raise ProvidersError("This reference has already been taken up")
    reference.verification = Verification.VERIFIED if satisfactory else Verification.REFUSED
    reference.verified_by_council, reference.verified_at = council, timezone.now()
    reference.full_clean()
    reference.save()
    outcome = "satisfactory" if satisfactory else "not satisfactory"
    audit_record(
        actor=officer,
        action="qa.reference_taken_up",
        target=reference,
        council=council,
        summary=f"Reference from {reference.referee_name} taken up: {outcome}",
        data={"satisfactory": satisfactory},
    )
    notification_send_many(
        recipients=[reference.pa_profile.user],
        subject=f"Your reference from {reference.referee_name} has been taken up",
        body=f"{council} has taken up your reference from {reference.referee_name}: it was {outcome}.",
        link=reverse("providers:qa-my-checks"),
    )
    return reference
