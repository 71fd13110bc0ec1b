"""The administrator builds RAS questionnaires; once used, their scoring is fixed until copied."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from accounts.roles import Role
from accounts.tests.factories import CouncilFactory, UserFactory, user_with_role
from brokerage.models import RASAnswer, RASQuestionnaire
from brokerage.services.ras import ras_assessment_complete
from brokerage.tests.factories import (
    FundingStreamFactory,
    PersonSupportedFactory,
    RASQuestionnaireFactory,
    ras_question,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def council():
    return CouncilFactory(name="Coventry")


@pytest.fixture
def alice_client(client, council):
    client.force_login(user_with_role(Role.COUNCIL_ADMIN, council))
    return client


def test_an_administrator_builds_a_questionnaire_with_questions_and_answers(alice_client, council):
    stream = FundingStreamFactory(council=council, name="Social care")
    alice_client.post(
        reverse("brokerage:settings-questionnaire-create", args=[2026]), {"name": "RAS", "is_active": "on"}
    )
    questionnaire = RASQuestionnaire.objects.get(council=council)
    alice_client.post(
        reverse("brokerage:settings-question-create", args=[questionnaire.public_id]),
        {"text": "Personal care", "stream": stream.public_id},
    )
    answer_url = reverse("brokerage:settings-answer-create", args=[questionnaire.public_id, 1])

    another = alice_client.post(answer_url, {"text": "No help", "points": "0", "add_another": "1"})
    alice_client.post(answer_url, {"text": "A lot of help", "points": "12"})

    assert another["Location"] == answer_url
    question = questionnaire.questions.get()
    assert (question.text, question.stream) == ("Personal care", stream)
    assert list(question.answers.values_list("text", "points")) == [("No help", 0), ("A lot of help", 12)]
    actions = set(AuditEvent.objects.filter(council=council).values_list("action", flat=True))
    assert {
        "budget_settings.ras_created",
        "budget_settings.ras_question_added",
        "budget_settings.ras_answer_added",
    } <= actions
    page = alice_client.get(reverse("brokerage:settings-questionnaire", args=[questionnaire.public_id]))
    assert "A lot of help" in page.content.decode()


def test_a_question_must_count_towards_a_stream_of_the_same_year(alice_client, council):
    questionnaire = RASQuestionnaireFactory(council=council, financial_year=2026)
    next_year = FundingStreamFactory(council=council, financial_year=2027)

    response = alice_client.post(
        reverse("brokerage:settings-question-create", args=[questionnaire.public_id]),
        {"text": "Personal care", "stream": next_year.public_id},
    )

    assert "<title>Error: " in response.content.decode()
    assert not questionnaire.questions.exists()


def test_points_of_a_completed_questionnaire_cannot_change_but_wording_can(alice_client, council):
    stream = FundingStreamFactory(council=council)
    questionnaire = RASQuestionnaireFactory(council=council)
    question = ras_question(questionnaire, stream, "Nights", [("Sleeps well", 0), ("Up most nights", 8)])
    ras_assessment_complete(
        actor=UserFactory(),
        person=PersonSupportedFactory(council=council),
        questionnaire=questionnaire,
        perspective="family",
        answers=[question.answers.get(points=8)],
    )
    answer = question.answers.get(points=8)
    url = reverse("brokerage:settings-answer-edit", args=[answer.pk])

    refused = alice_client.post(url, {"text": "Up most nights", "points": "20"})
    alice_client.post(url, {"text": "Awake most nights", "points": "8"})

    assert "this questionnaire has been completed" in refused.content.decode()
    answer.refresh_from_db()
    assert (answer.text, answer.points) == ("Awake most nights", 8)
    added = alice_client.post(
        reverse("brokerage:settings-answer-create", args=[questionnaire.public_id, 1]), {"text": "Other", "points": "3"}
    )
    assert "<title>Error: " in added.content.decode() and RASAnswer.objects.count() == 2


def test_a_copy_keeps_the_questions_and_starts_closed(alice_client, council):
    stream = FundingStreamFactory(council=council)
    questionnaire = RASQuestionnaireFactory(council=council)
    ras_question(questionnaire, stream, "Nights", [("Sleeps well", 0), ("Up most nights", 8)])

    alice_client.post(
        reverse("brokerage:settings-questionnaire-copy", args=[questionnaire.public_id]), {"name": "RAS 2"}
    )

    copy = RASQuestionnaire.objects.get(name="RAS 2")
    assert not copy.is_active
    assert list(copy.questions.get().answers.values_list("text", "points")) == [
        ("Sleeps well", 0),
        ("Up most nights", 8),
    ]
    assert AuditEvent.objects.filter(action="budget_settings.ras_copied").exists()


def test_the_questionnaires_download_lists_every_answer_with_its_points(alice_client, council):
    stream = FundingStreamFactory(council=council, name="Social care")
    questionnaire = RASQuestionnaireFactory(council=council, name="Early help RAS")
    ras_question(questionnaire, stream, "Nights", [("Sleeps well", 0), ("Up most nights", 8)])

    content = alice_client.get(reverse("brokerage:settings-questionnaires-csv", args=[2026])).content.decode()

    assert "Early help RAS,yes,1,Nights,Social care,,Up most nights,8" in content
