"""Quality assurance writes: council policies, DBS checks, declarations, registrations, insurance,
references, decisions on listings, and the lapse warnings.

Listings are shared between councils, so any council's QA officer may decide on any of them; each
decision records the deciding council.
"""

from providers.services.qa.dbs import (
    dbs_check_refuse,
    dbs_check_submit,
    dbs_check_verify,
    dbs_number_reveal,
    dbs_status_check_record,
)
from providers.services.qa.decisions import listing_offer_decide, listing_profile_decide
from providers.services.qa.evidence import (
    declaration_decide,
    declaration_submit,
    insurance_decide,
    insurance_submit,
    reference_add,
    reference_decide,
    registration_record,
)
from providers.services.qa.lapses import LapseDue, LapseWarningRun, lapse_warnings_due, lapse_warnings_send
from providers.services.qa.people import listing_contacts, organisation_contacts, qa_officers
from providers.services.qa.policy import (
    add_months,
    dbs_current_until,
    listing_assurance_refresh,
    qa_policy_for,
    qa_policy_update,
)

__all__ = [
    "LapseDue",
    "LapseWarningRun",
    "add_months",
    "dbs_check_refuse",
    "dbs_check_submit",
    "dbs_check_verify",
    "dbs_current_until",
    "dbs_number_reveal",
    "dbs_status_check_record",
    "declaration_decide",
    "declaration_submit",
    "insurance_decide",
    "insurance_submit",
    "lapse_warnings_due",
    "lapse_warnings_send",
    "listing_assurance_refresh",
    "listing_contacts",
    "listing_offer_decide",
    "listing_profile_decide",
    "organisation_contacts",
    "qa_officers",
    "qa_policy_for",
    "qa_policy_update",
    "reference_add",
    "reference_decide",
    "registration_record",
]
