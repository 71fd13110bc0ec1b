"""Writes for a council's budget settings: funding streams, the brokerage policy, delegated authority,
locality funds and RAS questionnaires, each for one financial year.

Only the council's own objects may be changed: views reach them through council-scoped selectors
(another council's answer 404) and the checks here keep that rule wherever a service is called from.
Every change writes an audit row naming what changed, from what to what. A questionnaire that has
been completed keeps its questions, streams and points, so that the indicative budgets already given
to families do not change under them; its wording may still be corrected.
"""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils.text import slugify

from accounts.events import audit_record
from accounts.models import Organisation, User
from accounts.templatetags.money import money_text
from brokerage.models import (
    BrokeragePolicy,
    DelegatedAuthority,
    FundingStream,
    LocalityFund,
    RASAnswer,
    RASAssessment,
    RASQuestion,
    RASQuestionnaire,
)
from brokerage.selectors.config import budget_holding_managers_for, service_categories_for

# The roles a council may give a spending limit: those that approve plans.
DELEGATED_ROLES = ("lead_professional", "broker", "budget_holding_manager")


def financial_year_label(year: int) -> str:
    return f"{year} to {year + 1}"


def _ensure_council(council: Organisation, obj: models.Model) -> None:
    if getattr(obj, "council_id", None) != council.pk:
        raise PermissionDenied(f"{obj} is not one of {council}'s settings")


def _plain(value: Any) -> Any:
    """A value as it is written into an audit row's data."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    return value


def _apply(obj: models.Model, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Set ``values`` on ``obj``; return what changed as {field: [old, new]} for the audit row."""
    changes: dict[str, list[Any]] = {}
    for field, new in values.items():
        old = getattr(obj, field)
        if old != new:
            changes[field] = [_plain(old), _plain(new)]
            setattr(obj, field, new)
    return changes


def _set_many(relation: Any, wanted: Iterable[models.Model], label: str, changes: dict[str, list[Any]]) -> None:
    """Replace a many-to-many relation, noting the names before and after when they differ."""
    wanted = list(wanted)
    before = sorted(str(item) for item in relation.all())
    after = sorted(str(item) for item in wanted)
    if before != after:
        relation.set(wanted)
        changes[label] = [before, after]


def _year_check(financial_year: int) -> None:
    if not 2000 <= financial_year <= 2100:
        raise ValidationError({"financial_year": "Enter a financial year between 2000 and 2100"})


# --- Funding streams ------------------------------------------------------------------------------


def _stream_rules_check(
    *, council: Organisation, financial_year: int, code: str, categories: Iterable[Any], exclude_pk: int | None
) -> None:
    errors: dict[str, str] = {}
    others = FundingStream.objects.filter(council=council, financial_year=financial_year, code=code)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        errors["code"] = f"Your council already has a funding stream with the code {code} in this financial year"
    allowed = set(service_categories_for(council).values_list("pk", flat=True))
    if any(term.pk not in allowed for term in categories):
        errors["excluded_categories"] = "Choose service categories from your council's list"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def funding_stream_create(
    *,
    actor: User,
    council: Organisation,
    financial_year: int,
    name: str,
    code: str = "",
    finance_code: str,
    direct_payment_allowed: bool,
    excluded_categories: Iterable[Any] = (),
    excluded_by_direct_payment: Iterable[Any] = (),
    restriction_note: str = "",
    price_per_point: Decimal | None = None,
    carries_over: bool = False,
    surplus_weeks: int = 10,
) -> FundingStream:
    """Add a funding stream for one financial year. Without a code, one is made from the name."""
    _year_check(financial_year)
    code = code.strip() or slugify(name)[:60]
    excluded_categories, excluded_by_direct_payment = list(excluded_categories), list(excluded_by_direct_payment)
    _stream_rules_check(
        council=council,
        financial_year=financial_year,
        code=code,
        categories=[*excluded_categories, *excluded_by_direct_payment],
        exclude_pk=None,
    )
    stream = FundingStream(
        council=council,
        financial_year=financial_year,
        name=name.strip(),
        code=code,
        finance_code=finance_code.strip(),
        direct_payment_allowed=direct_payment_allowed,
        restriction_note=restriction_note.strip(),
        price_per_point=price_per_point,
        carries_over=carries_over,
        surplus_weeks=surplus_weeks,
    )
    stream.full_clean()
    stream.save()
    stream.excluded_categories.set(excluded_categories)
    stream.excluded_by_direct_payment.set(excluded_by_direct_payment)
    audit_record(
        actor=actor,
        action="budget_settings.stream_created",
        target=stream,
        council=council,
        summary=f"Added the funding stream {stream.name} ({stream.finance_code}) "
        f"for {financial_year_label(financial_year)}",
        data={"price_per_point": _plain(price_per_point), "direct_payment_allowed": direct_payment_allowed},
    )
    return stream


@transaction.atomic
def funding_stream_update(
    *,
    actor: User,
    council: Organisation,
    stream: FundingStream,
    name: str,
    code: str,
    finance_code: str,
    direct_payment_allowed: bool,
    excluded_categories: Iterable[Any] = (),
    excluded_by_direct_payment: Iterable[Any] = (),
    restriction_note: str = "",
    price_per_point: Decimal | None = None,
    carries_over: bool = False,
    surplus_weeks: int = 10,
) -> FundingStream:
    """Change a stream's rules or price point. A change that changes nothing writes nothing.

    Existing plans are not re-checked here: the plan pages check every line against the stream's
    rules as they are now, so a new restriction shows on the next look at the plan.
    """
    _ensure_council(council, stream)
    stream = FundingStream.objects.select_for_update().get(pk=stream.pk)
    code = code.strip() or stream.code
    excluded_categories, excluded_by_direct_payment = list(excluded_categories), list(excluded_by_direct_payment)
    _stream_rules_check(
        council=council,
        financial_year=stream.financial_year,
        code=code,
        categories=[*excluded_categories, *excluded_by_direct_payment],
        exclude_pk=stream.pk,
    )
    changes = _apply(
        stream,
        {
            "name": name.strip(),
            "code": code,
            "finance_code": finance_code.strip(),
            "direct_payment_allowed": direct_payment_allowed,
            "restriction_note": restriction_note.strip(),
            "price_per_point": price_per_point,
            "carries_over": carries_over,
            "surplus_weeks": surplus_weeks,
        },
    )
    stream.full_clean()
    stream.save()
    _set_many(stream.excluded_categories, excluded_categories, "excluded_categories", changes)
    _set_many(stream.excluded_by_direct_payment, excluded_by_direct_payment, "excluded_by_direct_payment", changes)
    if changes:
        audit_record(
            actor=actor,
            action="budget_settings.stream_changed",
            target=stream,
            council=council,
            summary=f"Changed the funding stream {stream.name}: {', '.join(sorted(changes))}",
            data={"changes": changes},
        )
    return stream


# --- The brokerage policy -------------------------------------------------------------------------


@transaction.atomic
def brokerage_policy_save(
    *,
    actor: User,
    council: Organisation,
    financial_year: int,
    consent_age: int,
    national_living_wage: Decimal,
    review_interval_months: int,
    ras_difference_threshold: Decimal,
    contingency_percent: Decimal,
    contingency_weeks: int,
    monitoring_unusual_multiple: int,
    monitoring_unusual_amount: Decimal,
    monitoring_quiet_weeks: int,
) -> BrokeragePolicy:
    """Set the council's rules for a financial year, creating them the first time."""
    _year_check(financial_year)
    # Lock the row (or, the first time, the council) so that two saves at once cannot both create it.
    Organisation.objects.select_for_update().filter(pk=council.pk).first()
    policy = BrokeragePolicy.objects.filter(council=council, financial_year=financial_year).first()
    created = policy is None
    if created:
        policy = BrokeragePolicy(council=council, financial_year=financial_year)
    changes = _apply(
        policy,
        {
            "consent_age": consent_age,
            "national_living_wage": national_living_wage,
            "review_interval_months": review_interval_months,
            "ras_difference_threshold": ras_difference_threshold,
            "contingency_percent": contingency_percent,
            "contingency_weeks": contingency_weeks,
            "monitoring_unusual_multiple": monitoring_unusual_multiple,
            "monitoring_unusual_amount": monitoring_unusual_amount,
            "monitoring_quiet_weeks": monitoring_quiet_weeks,
        },
    )
    policy.full_clean()
    if created or changes:
        policy.save()
        audit_record(
            actor=actor,
            action="budget_settings.policy_created" if created else "budget_settings.policy_changed",
            target=policy,
            council=council,
            summary=f"{'Set' if created else 'Changed'} the budget rules for {financial_year_label(financial_year)}"
            + ("" if created else f": {', '.join(sorted(changes))}"),
            data={"changes": changes},
        )
    return policy


# --- Delegated authority --------------------------------------------------------------------------


def _limit_rules_check(*, council: Organisation, financial_year: int, role: str, exclude_pk: int | None) -> None:
    if role not in DELEGATED_ROLES:
        raise ValidationError({"role": "Choose a role that approves plans"})
    others = DelegatedAuthority.objects.filter(council=council, financial_year=financial_year, role=role)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        raise ValidationError({"role": "This role already has a limit for this financial year: change that one"})


@transaction.atomic
def delegated_authority_create(
    *, actor: User, council: Organisation, financial_year: int, role: str, limit_per_person: Decimal
) -> DelegatedAuthority:
    _year_check(financial_year)
    _limit_rules_check(council=council, financial_year=financial_year, role=role, exclude_pk=None)
    limit = DelegatedAuthority(
        council=council, financial_year=financial_year, role=role, limit_per_person=limit_per_person
    )
    limit.full_clean()
    limit.save()
    audit_record(
        actor=actor,
        action="budget_settings.limit_created",
        target=limit,
        council=council,
        summary=f"Set the delegated authority of {role.replace('_', ' ')}s to {money_text(limit_per_person)} a person "
        f"for {financial_year_label(financial_year)}",
        data={"role": role, "limit_per_person": str(limit_per_person)},
    )
    return limit


@transaction.atomic
def delegated_authority_update(
    *, actor: User, council: Organisation, limit: DelegatedAuthority, role: str, limit_per_person: Decimal
) -> DelegatedAuthority:
    _ensure_council(council, limit)
    limit = DelegatedAuthority.objects.select_for_update().get(pk=limit.pk)
    _limit_rules_check(council=council, financial_year=limit.financial_year, role=role, exclude_pk=limit.pk)
    changes = _apply(limit, {"role": role, "limit_per_person": limit_per_person})
    limit.full_clean()
    if changes:
        limit.save()
        audit_record(
            actor=actor,
            action="budget_settings.limit_changed",
            target=limit,
            council=council,
            summary=f"Changed the delegated authority of {role.replace('_', ' ')}s "
            f"for {financial_year_label(limit.financial_year)}",
            data={"changes": changes},
        )
    return limit


# --- Locality funds -------------------------------------------------------------------------------


def _fund_rules_check(
    *, council: Organisation, financial_year: int, stream: FundingStream, managers: list[User]
) -> None:
    errors: dict[str, str] = {}
    if stream.council_id != council.pk or stream.financial_year != financial_year:
        errors["stream"] = "Choose one of your council's funding streams for the same financial year"
    allowed = set(budget_holding_managers_for(council).values_list("pk", flat=True))
    if not managers:
        errors["managers"] = "Choose at least one budget-holding manager"
    elif any(manager.pk not in allowed for manager in managers):
        errors["managers"] = "Choose budget-holding managers who work for your council"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def locality_fund_create(
    *,
    actor: User,
    council: Organisation,
    financial_year: int,
    name: str,
    stream: FundingStream,
    managers: Iterable[User],
) -> LocalityFund:
    _year_check(financial_year)
    managers = list(managers)
    _fund_rules_check(council=council, financial_year=financial_year, stream=stream, managers=managers)
    fund = LocalityFund(council=council, financial_year=financial_year, name=name.strip(), stream=stream)
    fund.full_clean()
    fund.save()
    fund.managers.set(managers)
    audit_record(
        actor=actor,
        action="budget_settings.fund_created",
        target=fund,
        council=council,
        summary=f"Added the locality fund {fund.name} ({stream.name}) for {financial_year_label(financial_year)}",
        data={"managers": sorted(str(m) for m in managers)},
    )
    return fund


@transaction.atomic
def locality_fund_update(
    *,
    actor: User,
    council: Organisation,
    fund: LocalityFund,
    name: str,
    stream: FundingStream,
    managers: Iterable[User],
) -> LocalityFund:
    _ensure_council(council, fund)
    fund = LocalityFund.objects.select_for_update().get(pk=fund.pk)
    managers = list(managers)
    _fund_rules_check(council=council, financial_year=fund.financial_year, stream=stream, managers=managers)
    changes = _apply(fund, {"name": name.strip(), "stream": stream})
    fund.full_clean()
    fund.save()
    _set_many(fund.managers, managers, "managers", changes)
    if changes:
        audit_record(
            actor=actor,
            action="budget_settings.fund_changed",
            target=fund,
            council=council,
            summary=f"Changed the locality fund {fund.name}: {', '.join(sorted(changes))}",
            data={"changes": changes},
        )
    return fund


# --- RAS questionnaires ---------------------------------------------------------------------------


def questionnaire_is_in_use(questionnaire: RASQuestionnaire) -> bool:
    return RASAssessment.objects.filter(questionnaire=questionnaire).exists()


def _ensure_not_in_use(questionnaire: RASQuestionnaire, what: str) -> None:
    if questionnaire_is_in_use(questionnaire):
        raise ValidationError(
            f"You cannot {what}: this questionnaire has been completed, and the budgets it gave must not change. "
            "Copy it to make a new version."
        )


@transaction.atomic
def ras_questionnaire_create(
    *, actor: User, council: Organisation, financial_year: int, name: str, is_active: bool = True
) -> RASQuestionnaire:
    _year_check(financial_year)
    questionnaire = RASQuestionnaire(
        council=council, financial_year=financial_year, name=name.strip(), is_active=is_active
    )
    questionnaire.full_clean()
    questionnaire.save()
    audit_record(
        actor=actor,
        action="budget_settings.ras_created",
        target=questionnaire,
        council=council,
        summary=f"Added the RAS questionnaire {questionnaire.name} for {financial_year_label(financial_year)}",
    )
    return questionnaire


@transaction.atomic
def ras_questionnaire_update(
    *, actor: User, council: Organisation, questionnaire: RASQuestionnaire, name: str, is_active: bool
) -> RASQuestionnaire:
    """Rename a questionnaire, or open or close it for new assessments (past results are kept)."""
    _ensure_council(council, questionnaire)
    questionnaire = RASQuestionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    changes = _apply(questionnaire, {"name": name.strip(), "is_active": is_active})
    questionnaire.full_clean()
    if changes:
        questionnaire.save()
        audit_record(
            actor=actor,
            action="budget_settings.ras_changed",
            target=questionnaire,
            council=council,
            summary=f"Changed the RAS questionnaire {questionnaire.name}: {', '.join(sorted(changes))}",
            data={"changes": changes},
        )
    return questionnaire


@transaction.atomic
def ras_questionnaire_copy(
    *, actor: User, council: Organisation, questionnaire: RASQuestionnaire, name: str
) -> RASQuestionnaire:
    """A new, closed questionnaire with the same questions and answers, to change without touching past
    results. The administrator opens it, and closes the old one, when it is ready."""
    _ensure_council(council, questionnaire)
    copy = RASQuestionnaire(
        council=council, financial_year=questionnaire.financial_year, name=name.strip(), is_active=False
    )
    copy.full_clean()
    copy.save()
    for question in questionnaire.questions.prefetch_related("answers"):
        new_question = RASQuestion.objects.create(
            questionnaire=copy,
            order=question.order,
            text=question.text,
            help_text=question.help_text,
            stream=question.stream,
        )
        RASAnswer.objects.bulk_create(
            RASAnswer(question=new_question, order=answer.order, text=answer.text, points=answer.points)
            for answer in question.answers.all()
        )
    audit_record(
        actor=actor,
        action="budget_settings.ras_copied",
        target=copy,
        council=council,
        summary=f"Copied the RAS questionnaire {questionnaire.name} as {copy.name}",
        data={"copied_from": str(questionnaire.public_id)},
    )
    return copy


def _question_stream_check(questionnaire: RASQuestionnaire, stream: FundingStream) -> None:
    if stream.council_id != questionnaire.council_id or stream.financial_year != questionnaire.financial_year:
        raise ValidationError({"stream": "Choose one of your council's funding streams for the same financial year"})


@transaction.atomic
def ras_question_add(
    *,
    actor: User,
    council: Organisation,
    questionnaire: RASQuestionnaire,
    text: str,
    help_text: str = "",
    stream: FundingStream,
) -> RASQuestion:
    """Add a question at the end of the questionnaire; its points count towards ``stream``."""
    _ensure_council(council, questionnaire)
    questionnaire = RASQuestionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    _ensure_not_in_use(questionnaire, "add a question")
    _question_stream_check(questionnaire, stream)
    last = questionnaire.questions.aggregate(last=Max("order"))["last"] or 0
    question = RASQuestion(
        questionnaire=questionnaire, order=last + 1, text=text.strip(), help_text=help_text.strip(), stream=stream
    )
    question.full_clean()
    question.save()
    audit_record(
        actor=actor,
        action="budget_settings.ras_question_added",
        target=questionnaire,
        council=council,
        summary=f"Added question {question.order} to {questionnaire.name}: {question.text}",
        data={"stream": stream.name},
    )
    return question


@transaction.atomic
def ras_question_update(
    *,
    actor: User,
    council: Organisation,
    question: RASQuestion,
    text: str,
    help_text: str = "",
    stream: FundingStream,
) -> RASQuestion:
    """Correct a question's wording at any time; move its points to another stream only before use."""
    questionnaire = question.questionnaire
    _ensure_council(council, questionnaire)
    question = RASQuestion.objects.select_for_update().get(pk=question.pk)
    _question_stream_check(questionnaire, stream)
    if stream.pk != question.stream_id:
        _ensure_not_in_use(questionnaire, "change which stream a question counts towards")
    changes = _apply(question, {"text": text.strip(), "help_text": help_text.strip(), "stream": stream})
    question.full_clean()
    if changes:
        question.save()
        audit_record(
            actor=actor,
            action="budget_settings.ras_question_changed",
            target=questionnaire,
            council=council,
            summary=f"Changed question {question.order} of {questionnaire.name}: {', '.join(sorted(changes))}",
            data={"question": question.order, "changes": changes},
        )
    return question


@transaction.atomic
def ras_answer_add(*, actor: User, council: Organisation, question: RASQuestion, text: str, points: int) -> RASAnswer:
    questionnaire = question.questionnaire
    _ensure_council(council, questionnaire)
    RASQuestionnaire.objects.select_for_update().filter(pk=questionnaire.pk).first()
    _ensure_not_in_use(questionnaire, "add an answer")
    last = question.answers.aggregate(last=Max("order"))["last"] or 0
    answer = RASAnswer(question=question, order=last + 1, text=text.strip(), points=points)
    answer.full_clean()
    answer.save()
    audit_record(
        actor=actor,
        action="budget_settings.ras_answer_added",
        target=questionnaire,
        council=council,
        summary=f"Added an answer to question {question.order} of {questionnaire.name}: "
        f"{answer.text} ({points} points)",
        data={"question": question.order, "points": points},
    )
    return answer


@transaction.atomic
def ras_answer_update(*, actor: User, council: Organisation, answer: RASAnswer, text: str, points: int) -> RASAnswer:
    """Correct an answer's wording at any time; change its points only before the questionnaire is used."""
    question = answer.question
    questionnaire = question.questionnaire
    _ensure_council(council, questionnaire)
    answer = RASAnswer.objects.select_for_update().get(pk=answer.pk)
    if points != answer.points:
        _ensure_not_in_use(questionnaire, "change an answer's points")
    changes = _apply(answer, {"text": text.strip(), "points": points})
    answer.full_clean()
    if changes:
        answer.save()
        audit_record(
            actor=actor,
            action="budget_settings.ras_answer_changed",
            target=questionnaire,
            council=council,
            summary=f"Changed an answer to question {question.order} of {questionnaire.name}: "
            f"{', '.join(sorted(changes))}",
            data={"question": question.order, "changes": changes},
        )
    return answer
