"""The roles a membership can carry, and which kinds of organisation each belongs to."""

from django.db import models


class OrganisationKind(models.TextChoices):
    COUNCIL = "council", "Council"
    PROVIDER = "provider", "Provider organisation"
    BROKER = "broker", "Broker organisation"
    NHS = "nhs", "NHS body"


class Role(models.TextChoices):
    FAMILY_MEMBER = "family_member", "Family member (budget holder)"
    YOUNG_PERSON = "young_person", "Young person"
    LEAD_PROFESSIONAL = "lead_professional", "Lead professional"
    BUDGET_HOLDING_MANAGER = "budget_holding_manager", "Budget-holding manager"
    BROKER = "broker", "Broker"
    PROVIDER_STAFF = "provider_staff", "Provider staff"
    PERSONAL_ASSISTANT = "personal_assistant", "Personal assistant"
    COMMISSIONER = "commissioner", "Commissioner"
    QA_OFFICER = "qa_officer", "Quality-assurance officer"
    FINANCE_OFFICER = "finance_officer", "Finance officer"
    COUNCIL_ADMIN = "council_admin", "Council administrator"


# Families, young people and personal assistants are registered with a council (councils run
# personal budget schemes and PA registers); practitioners may work for a council or an NHS body.
ROLES_BY_KIND: dict[str, frozenset[str]] = {
    OrganisationKind.COUNCIL: frozenset(
        {
            Role.FAMILY_MEMBER,
            Role.YOUNG_PERSON,
            Role.PERSONAL_ASSISTANT,
            Role.LEAD_PROFESSIONAL,
            Role.BUDGET_HOLDING_MANAGER,
            Role.COMMISSIONER,
            Role.QA_OFFICER,
            Role.FINANCE_OFFICER,
            Role.COUNCIL_ADMIN,
        }
    ),
    OrganisationKind.NHS: frozenset({Role.LEAD_PROFESSIONAL, Role.BUDGET_HOLDING_MANAGER}),
    OrganisationKind.PROVIDER: frozenset({Role.PROVIDER_STAFF}),
    OrganisationKind.BROKER: frozenset({Role.BROKER}),
}

# The people a plan is for, and the people who deliver it: one definition for every app's permissions.
FAMILY_ROLES = (Role.FAMILY_MEMBER, Role.YOUNG_PERSON)
PROVIDER_ROLES = (Role.PROVIDER_STAFF, Role.PERSONAL_ASSISTANT)

COUNCIL_STAFF_ROLES = frozenset(
    {
        Role.LEAD_PROFESSIONAL,
        Role.BUDGET_HOLDING_MANAGER,
        Role.COMMISSIONER,
        Role.QA_OFFICER,
        Role.FINANCE_OFFICER,
        Role.COUNCIL_ADMIN,
    }
)


def role_allowed_for_kind(role: str, kind: str) -> bool:
    return role in ROLES_BY_KIND.get(kind, frozenset())
