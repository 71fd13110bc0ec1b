from providers.models.gazetteer import Postcode
from providers.models.offers import (
    AttendingType,
    CostOption,
    CostUnit,
    Offer,
    OfferLocation,
    OfferQuerySet,
    OfferStatus,
    OfferStatusChange,
    OfferVersion,
    Schedule,
    ServiceArea,
    VatStatus,
    VersionState,
    Weekday,
)
from providers.models.profiles import (
    EmploymentPreference,
    PersonalAssistantProfile,
    ProfileStatus,
    ProfileStatusChange,
    ProviderProfile,
)
from providers.models.taxonomy import Taxonomy, TaxonomyTerm
from providers.models.uploads import Upload

__all__ = [
    "AttendingType",
    "CostOption",
    "CostUnit",
    "EmploymentPreference",
    "Offer",
    "OfferLocation",
    "OfferQuerySet",
    "OfferStatus",
    "OfferStatusChange",
    "OfferVersion",
    "PersonalAssistantProfile",
    "Postcode",
    "ProfileStatus",
    "ProfileStatusChange",
    "ProviderProfile",
    "Schedule",
    "ServiceArea",
    "Taxonomy",
    "TaxonomyTerm",
    "Upload",
    "VatStatus",
    "VersionState",
    "Weekday",
]
