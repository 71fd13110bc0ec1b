"""Reads for the RAS pages: whom a user may complete the questionnaire for, and which results they see.

Consent is what grants access. A worker (lead professional or broker) sees a person only through an
active access grant (or as the person's lead professional), and only in the council they act for, as
on the casework pages; a family member sees the people they hold consent for.
Everyone else is answered 404, whatever their role.
"""

from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Organisation, User
from accounts.roles import FAMILY_ROLES, Role
from brokerage.models import PersonSupported, RASAssessment, RASQuestionnaire
from brokerage.selectors.config import financial_year_current
from brokerage.selectors.people import people_for_user

WORKER_ROLES = (Role.LEAD_PROFESSIONAL, Role.BROKER)


def perspective_for_role(role: str) -> str:
    """The point of view a role answers from: families for themselves, workers alongside them."""
    return RASAssessment.Perspective.FAMILY if role in FAMILY_ROLES else RASAssessment.Perspective.WORKER


def people_for_ras(*, user: User, council: Organisation, role: str) -> QuerySet[PersonSupported]:
    """A family member answers for the people they hold consent for; a worker for those the casework
    pages let them see (through consent, a grant, or as their lead professional)."""
    if role in FAMILY_ROLES:
        people = PersonSupported.objects.filter(
            council=council, consent_holders__user=user, consent_holders__ended_at__isnull=True
        )
        return people.order_by("last_name", "first_name", "pk")
    return people_for_user(user=user, council=council)


def person_for_ras_get(*, user: User, council: Organisation, role: str, public_id: UUID) -> PersonSupported:
    person = people_for_ras(user=user, council=council, role=role).filter(public_id=public_id).first()
    if person is None:
        raise Http404("No such person")
    return person


def questionnaires_open_for(person: PersonSupported) -> QuerySet[RASQuestionnaire]:
    """The questionnaires of the person's council open this financial year."""
    return (
        RASQuestionnaire.objects.filter(
            council=person.council_id, financial_year=financial_year_current(), is_active=True, questions__isnull=False
        )
        .distinct()
        .order_by("name")
    )


def questionnaire_open_get(*, person: PersonSupported, public_id: UUID) -> RASQuestionnaire:
    questionnaire = questionnaires_open_for(person).filter(public_id=public_id).first()
    if questionnaire is None:
        raise Http404("No such questionnaire")
    return questionnaire


def assessments_for_person(person: PersonSupported) -> QuerySet[RASAssessment]:
    return (
        RASAssessment.objects.filter(person=person)
        .select_related("questionnaire", "completed_by")
        .order_by("-completed_at", "-pk")
    )


def assessments_for_user(*, user: User, council: Organisation, role: str) -> QuerySet[RASAssessment]:
    people = people_for_ras(user=user, council=council, role=role)
    return (
        RASAssessment.objects.filter(person__in=people.values("pk"))
        .select_related("person", "questionnaire", "completed_by")
        .order_by("-completed_at", "-pk")
    )


def assessment_get(*, user: User, council: Organisation, role: str, public_id: UUID) -> RASAssessment:
    assessment = assessments_for_user(user=user, council=council, role=role).filter(public_id=public_id).first()
    if assessment is None:
        raise Http404("No such assessment")
    return assessment
