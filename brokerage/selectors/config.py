"""Reads for a council's budget settings, always within one council: another council's settings are
not found (404), whatever the identifier."""

from uuid import UUID

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.roles import Role
from brokerage.models import (
    BrokeragePolicy,
    DelegatedAuthority,
    FundingStream,
    LocalityFund,
    RASAnswer,
    RASQuestion,
    RASQuestionnaire,
)
from brokerage.services.consent import financial_year_of
from providers.models import Taxonomy, TaxonomyTerm


def financial_year_current() -> int:
    """The financial year (1 April to 31 March) today falls in, named by the year it starts."""
    return financial_year_of(timezone.localdate())


def financial_years_for(council: Organisation) -> list[int]:
    """The years a council has settings for, with this year and next so that it can start them."""
    current = financial_year_current()
    years = {current, current + 1}
    for model in (FundingStream, BrokeragePolicy, DelegatedAuthority, LocalityFund, RASQuestionnaire):
        years.update(model.objects.filter(council=council).values_list("financial_year", flat=True))
    return sorted(years, reverse=True)


def service_categories_for(council: Organisation) -> QuerySet[TaxonomyTerm]:
    """The kinds of support a stream may exclude: the shared service categories and the council's own."""
    return (
        TaxonomyTerm.objects.of_kind(Taxonomy.Kind.SERVICE_CATEGORY)
        .for_council(council)
        .filter(is_active=True)
        .order_by("name")
    )


def budget_holding_managers_for(council: Organisation) -> QuerySet[User]:
    """Users with an active budget-holding manager role at the council or at an NHS body registered with it."""
    return (
        User.objects.filter(
            Q(memberships__organisation=council) | Q(memberships__organisation__council=council),
            memberships__role=Role.BUDGET_HOLDING_MANAGER,
            memberships__is_active=True,
            memberships__organisation__is_active=True,
            is_active=True,
        )
        .distinct()
        .order_by("first_name", "last_name")
    )


def streams_for(*, council: Organisation, financial_year: int) -> QuerySet[FundingStream]:
    return (
        FundingStream.objects.filter(council=council, financial_year=financial_year)
        .prefetch_related("excluded_categories", "excluded_by_direct_payment")
        .order_by("name")
    )


def stream_get(*, council: Organisation, public_id: UUID) -> FundingStream:
    return get_object_or_404(FundingStream, council=council, public_id=public_id)


def policy_for_year(*, council: Organisation, financial_year: int) -> BrokeragePolicy:
    """The council's rules for the year; the defaults (not saved) until the administrator sets them."""
    policy = BrokeragePolicy.objects.filter(council=council, financial_year=financial_year).first()
    return policy or BrokeragePolicy(council=council, financial_year=financial_year)


def delegated_limits_for(*, council: Organisation, financial_year: int) -> QuerySet[DelegatedAuthority]:
    return DelegatedAuthority.objects.filter(council=council, financial_year=financial_year).order_by("role")


def delegated_limit_get(*, council: Organisation, pk: int) -> DelegatedAuthority:
    return get_object_or_404(DelegatedAuthority, council=council, pk=pk)


def locality_funds_for(*, council: Organisation, financial_year: int) -> QuerySet[LocalityFund]:
    return (
        LocalityFund.objects.filter(council=council, financial_year=financial_year)
        .select_related("stream")
        .prefetch_related("managers")
        .order_by("name")
    )


def locality_fund_get(*, council: Organisation, public_id: UUID) -> LocalityFund:
    return get_object_or_404(LocalityFund.objects.select_related("stream"), council=council, public_id=public_id)


def questionnaires_for(*, council: Organisation, financial_year: int) -> QuerySet[RASQuestionnaire]:
    return (
        RASQuestionnaire.objects.filter(council=council, financial_year=financial_year)
        .annotate(question_count=Count("questions", distinct=True))
        .order_by("name")
    )


def questionnaire_get(*, council: Organisation, public_id: UUID) -> RASQuestionnaire:
    return get_object_or_404(RASQuestionnaire, council=council, public_id=public_id)


def questionnaire_questions(questionnaire: RASQuestionnaire) -> QuerySet[RASQuestion]:
    return questionnaire.questions.select_related("stream").prefetch_related("answers").order_by("order")


def question_get(*, questionnaire: RASQuestionnaire, order: int) -> RASQuestion:
    return get_object_or_404(RASQuestion.objects.select_related("stream"), questionnaire=questionnaire, order=order)


def answer_get(*, council: Organisation, pk: int) -> RASAnswer:
    return get_object_or_404(
        RASAnswer.objects.select_related("question__questionnaire", "question__stream"),
        question__questionnaire__council=council,
        pk=pk,
    )
