"""The Django admin for platform staff: reference data is editable; listings, checks and their history are
shown read-only, because every change to them goes through a service that checks the rules and writes
an audit row (councils and providers use their own pages for that).

A DBS certificate number is never shown here: ``DBSCheck`` lists its fields explicitly, without
``certificate_number``, and the admin can neither add nor change a check.
"""

from django.contrib import admin
from django.http import HttpRequest

from providers.models import (
    Concern,
    ConcernNote,
    CouncilQAPolicy,
    DBSCheck,
    DBSNumberReveal,
    FrameworkContract,
    FrameworkLot,
    FrameworkMembership,
    FrameworkMembershipChange,
    InsurancePolicy,
    LapseWarning,
    Offer,
    OfferStatusChange,
    OfferVersion,
    PersonalAssistantProfile,
    Postcode,
    ProfileStatusChange,
    ProviderProfile,
    Reference,
    RegulatorRegistration,
    SaferRecruitmentDeclaration,
    Taxonomy,
    TaxonomyTerm,
    Upload,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never added, changed or deleted here."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


# --- Reference data ---------------------------------------------------------------------------------


@admin.register(Taxonomy)
class TaxonomyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "version"]
    readonly_fields = ["public_id"]


@admin.register(TaxonomyTerm)
class TaxonomyTermAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "taxonomy", "council", "is_active"]
    list_filter = ["taxonomy", "is_active"]
    search_fields = ["name", "code"]
    readonly_fields = ["public_id"]
    autocomplete_fields = ["parent"]


@admin.register(Postcode)
class PostcodeAdmin(admin.ModelAdmin):
    list_display = ["postcode", "kind", "district", "council_name"]
    list_filter = ["kind"]
    search_fields = ["postcode", "district"]


@admin.register(CouncilQAPolicy)
class CouncilQAPolicyAdmin(ReadOnlyAdmin):
    list_display = ["council", "dbs_recheck_months", "update_service_check_months", "framework_needs_own_verification"]


# --- Listings and their history ---------------------------------------------------------------------


@admin.register(ProviderProfile)
class ProviderProfileAdmin(ReadOnlyAdmin):
    list_display = ["display_name", "organisation", "status", "checks_current_until", "assured_by_council"]
    list_filter = ["status"]
    search_fields = ["legal_name", "trading_name", "organisation__name"]


@admin.register(PersonalAssistantProfile)
class PersonalAssistantProfileAdmin(ReadOnlyAdmin):
    list_display = ["display_name", "council", "status", "checks_current_until", "assured_by_council"]
    list_filter = ["status", "council"]
    search_fields = ["display_name", "user__email"]


@admin.register(ProfileStatusChange)
class ProfileStatusChangeAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "provider_profile", "pa_profile", "old_status", "new_status", "actor"]


@admin.register(Offer)
class OfferAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "organisation", "personal_assistant", "status", "status_changed_at"]
    list_filter = ["status"]


@admin.register(OfferVersion)
class OfferVersionAdmin(ReadOnlyAdmin):
    list_display = ["name", "offer", "number", "state", "submitted_at", "decided_at"]
    list_filter = ["state"]
    search_fields = ["name"]


@admin.register(OfferStatusChange)
class OfferStatusChangeAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "offer", "old_status", "new_status", "actor"]


@admin.register(Upload)
class UploadAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "purpose", "content_type", "size", "owner_organisation", "created_at"]
    list_filter = ["purpose"]


# --- Quality assurance ------------------------------------------------------------------------------


@admin.register(DBSCheck)
class DBSCheckAdmin(ReadOnlyAdmin):
    # Listed explicitly so that the encrypted certificate number can never be added by a later change.
    fields = [
        "public_id",
        "pa_profile",
        "organisation",
        "person_name",
        "level",
        "certificate_ending",
        "issue_date",
        "update_service",
        "last_status_check_on",
        "last_status_check_result",
        "verification",
        "refusal",
        "original_seen_by",
        "original_seen_on",
        "verified_by_council",
        "verified_at",
        "current_until",
        "submitted_by",
        "submitted_at",
    ]
    readonly_fields = fields
    exclude = ["certificate_number"]
    list_display = ["person_name", "level", "certificate_ending", "issue_date", "verification", "current_until"]
    list_filter = ["verification", "level", "update_service"]
    search_fields = ["person_name", "certificate_last4"]

    @admin.display(description="certificate number")
    def certificate_ending(self, check: DBSCheck) -> str:
        return check.masked_number


@admin.register(DBSNumberReveal)
class DBSNumberRevealAdmin(ReadOnlyAdmin):
    list_display = ["revealed_at", "revealed_to", "council", "dbs_check", "purpose"]
    list_filter = ["council"]


@admin.register(SaferRecruitmentDeclaration)
class SaferRecruitmentDeclarationAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "declared_at", "staff_count", "verification", "current_until"]
    list_filter = ["verification"]


@admin.register(RegulatorRegistration)
class RegulatorRegistrationAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "regulator", "registration_id", "rating", "inspection_date"]
    list_filter = ["regulator", "rating"]
    search_fields = ["registration_id", "organisation__name"]


@admin.register(InsurancePolicy)
class InsurancePolicyAdmin(ReadOnlyAdmin):
    list_display = ["kind", "organisation", "pa_profile", "insurer", "expires_on", "verification"]
    list_filter = ["kind", "verification"]


@admin.register(Reference)
class ReferenceAdmin(ReadOnlyAdmin):
    list_display = ["referee_name", "pa_profile", "relationship", "verification"]
    list_filter = ["verification"]


@admin.register(LapseWarning)
class LapseWarningAdmin(ReadOnlyAdmin):
    list_display = ["sent_at", "lapses_on", "days_before", "provider_profile", "pa_profile", "insurance_policy"]


# --- Frameworks and concerns ------------------------------------------------------------------------


@admin.register(FrameworkContract)
class FrameworkContractAdmin(ReadOnlyAdmin):
    list_display = ["name", "reference", "council", "starts_on", "ends_on"]
    list_filter = ["council"]


@admin.register(FrameworkLot)
class FrameworkLotAdmin(ReadOnlyAdmin):
    list_display = ["framework", "number", "name", "rate", "rate_unit"]


@admin.register(FrameworkMembership)
class FrameworkMembershipAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "lot", "status", "admitted_on", "ended_on"]
    list_filter = ["status"]


@admin.register(FrameworkMembershipChange)
class FrameworkMembershipChangeAdmin(ReadOnlyAdmin):
    list_display = ["membership", "old_status", "new_status", "actor"]


@admin.register(Concern)
class ConcernAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "council", "organisation", "pa_profile", "status", "involves_harm_to_child"]
    list_filter = ["status", "involves_harm_to_child"]


@admin.register(ConcernNote)
class ConcernNoteAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "concern", "author", "shared_with_reporter"]
