import datetime
from decimal import Decimal

import factory

from accounts.tests.factories import CouncilFactory
from brokerage.models import (
    Allocation,
    Budget,
    FundingStream,
    HeldAs,
    LocalityFund,
    PersonSupported,
    RASAnswer,
    RASQuestion,
    RASQuestionnaire,
)


class FundingStreamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingStream

    council = factory.SubFactory(CouncilFactory)
    financial_year = 2026
    code = factory.Sequence(lambda n: f"stream-{n}")
    name = "Early help (flexible funding)"
    finance_code = factory.Sequence(lambda n: f"EH{n:04d}")


class LocalityFundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalityFund

    council = factory.LazyAttribute(lambda o: o.stream.council)
    stream = factory.SubFactory(FundingStreamFactory)
    financial_year = 2026
    name = "North locality fund"


class PersonSupportedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonSupported

    council = factory.SubFactory(CouncilFactory)
    first_name = "Tom"
    last_name = "Walsh"
    date_of_birth = datetime.date(2014, 5, 14)


class BudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Budget

    person = factory.SubFactory(PersonSupportedFactory)
    council = factory.LazyAttribute(lambda o: o.person.council)
    financial_year = 2026
    starts_on = datetime.date(2026, 4, 1)
    ends_on = datetime.date(2027, 3, 31)


class AllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Allocation

    budget = factory.SubFactory(BudgetFactory)
    stream = factory.SubFactory(FundingStreamFactory, council=factory.SelfAttribute("..budget.council"))
    held_as = HeldAs.COUNCIL_MANAGED


def pounds(value: str) -> Decimal:
    return Decimal(value)


class RASQuestionnaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RASQuestionnaire

    council = factory.SubFactory(CouncilFactory)
    financial_year = 2026
    name = "Early help RAS"


def ras_question(
    questionnaire: RASQuestionnaire, stream: FundingStream, text: str, answers: list[tuple[str, int]]
) -> RASQuestion:
    """A question at the end of ``questionnaire`` whose answers score ``answers`` (text, points) for ``stream``."""
    order = questionnaire.questions.count() + 1
    question = RASQuestion.objects.create(questionnaire=questionnaire, order=order, text=text, stream=stream)
    for answer_order, (answer_text, points) in enumerate(answers, start=1):
        RASAnswer.objects.create(question=question, order=answer_order, text=answer_text, points=points)
    return question
