"""Completing the RAS on screen: workers for people they may see, families for their own child."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from accounts.tests.factories import CouncilFactory, user_with_role
from brokerage.models import AccessGrant, ConsentHolder, RASAssessment, RecordView
from brokerage.selectors.config import financial_year_current
from brokerage.services.ras import ras_assessment_complete
from brokerage.tests.factories import (
    FundingStreamFactory,
    PersonSupportedFactory,
    RASQuestionnaireFactory,
    ras_question,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    """Coventry's RAS this year; Tom, his mother (consent holder) and his lead professional."""
    council = CouncilFactory(name="Coventry")
    year = financial_year_current()
    stream = FundingStreamFactory(
        council=council, financial_year=year, name="Social care", price_per_point=Decimal("71.00")
    )
    questionnaire = RASQuestionnaireFactory(council=council, financial_year=year)
    ras_question(questionnaire, stream, "Personal care", [("No help", 0), ("Some help", 5), ("A lot", 12)])
    ras_question(questionnaire, stream, "Nights", [("Sleeps well", 0), ("Up most nights", 8)])
    tom = PersonSupportedFactory(council=council)
    mother = user_with_role(Role.FAMILY_MEMBER, council)
    ConsentHolder.objects.create(person=tom, user=mother, relationship=ConsentHolder.Relationship.PARENT)
    lead = user_with_role(Role.LEAD_PROFESSIONAL, council)
    AccessGrant.objects.create(person=tom, grantee=lead, consent_from=mother, recorded_by=lead)
    return {"council": council, "questionnaire": questionnaire, "tom": tom, "mother": mother, "lead": lead}


def complete_url(setting):
    return reverse("brokerage:ras-complete", args=[setting["tom"].public_id, setting["questionnaire"].public_id])


def answer_ids(questionnaire, *texts):
    return {
        f"question_{q.order}": q.answers.get(text=text).pk
        for q, text in zip(questionnaire.questions.order_by("order"), texts, strict=True)
    }


def test_a_lead_professional_completes_the_ras_and_sees_the_budget_by_stream(client, setting):
    client.force_login(setting["lead"])

    response = client.post(complete_url(setting), answer_ids(setting["questionnaire"], "Some help", "Up most nights"))

    assessment = RASAssessment.objects.get()
    assert assessment.perspective == RASAssessment.Perspective.WORKER
    assert response.status_code == 302 and response["Location"].endswith(f"{assessment.public_id}/")
    page = client.get(response["Location"]).content.decode()
    assert "Indicative budget for Tom: £923.00" in page
    assert "Social care" in page and "£71.00" in page
    assert RecordView.objects.filter(person=setting["tom"], viewer=setting["lead"]).exists()


def test_a_family_member_completes_it_for_their_own_child_and_the_difference_is_flagged(client, setting):
    ras_assessment_complete(
        actor=setting["lead"],
        person=setting["tom"],
        questionnaire=setting["questionnaire"],
        perspective=RASAssessment.Perspective.WORKER,
        answers=[
            setting["questionnaire"].questions.get(order=1).answers.get(text="No help"),
            setting["questionnaire"].questions.get(order=2).answers.get(text="Sleeps well"),
        ],
    )
    client.force_login(setting["mother"])

    response = client.post(complete_url(setting), answer_ids(setting["questionnaire"], "A lot", "Sleeps well"))

    assessment = RASAssessment.objects.get(perspective=RASAssessment.Perspective.FAMILY)
    assert assessment.completed_by == setting["mother"]
    page = client.get(response["Location"]).content.decode()
    assert "differ by £852.00, more than £500.00" in page
    assert "£852.00" in page and "£0.00" in page  # the family's and the worker's totals
    assert not RecordView.objects.filter(viewer=setting["mother"]).exists()


def test_an_unanswered_question_shows_the_error_summary(client, setting):
    client.force_login(setting["lead"])

    response = client.post(complete_url(setting), {"question_1": ""})

    content = response.content.decode()
    assert "<title>Error: " in content and "Answer question 1" in content and "Answer question 2" in content
    assert not RASAssessment.objects.exists()


def test_people_outside_consent_or_council_are_not_found(access, setting):
    result = ras_assessment_complete(
        actor=setting["mother"],
        person=setting["tom"],
        questionnaire=setting["questionnaire"],
        perspective=RASAssessment.Perspective.FAMILY,
        answers=[q.answers.first() for q in setting["questionnaire"].questions.all()],
    )
    stranger_lead = user_with_role(Role.LEAD_PROFESSIONAL, setting["council"])
    other_parent = user_with_role(Role.FAMILY_MEMBER, setting["council"])
    other_council_lead = user_with_role(Role.LEAD_PROFESSIONAL, CouncilFactory())
    AccessGrant.objects.create(
        person=setting["tom"], grantee=other_council_lead, consent_from=setting["mother"], recorded_by=setting["lead"]
    )
    urls = [
        reverse("brokerage:ras-person", args=[setting["tom"].public_id]),
        complete_url(setting),
        reverse("brokerage:ras-result", args=[result.public_id]),
    ]
    for url in urls:
        access.ok(setting["lead"], url)
        access.ok(setting["mother"], url)
        access.not_found(stranger_lead, url)
        access.not_found(other_parent, url)
        access.not_found(other_council_lead, url)


def test_a_revoked_grant_takes_the_person_away(access, setting):
    AccessGrant.objects.filter(grantee=setting["lead"]).update(revoked_at="2020-01-01T00:00:00Z")

    access.not_found(setting["lead"], reverse("brokerage:ras-person", args=[setting["tom"].public_id]))


def test_a_closed_or_another_councils_questionnaire_is_not_found(access, setting):
    year = financial_year_current()
    other = RASQuestionnaireFactory(financial_year=year)
    ras_question(other, FundingStreamFactory(council=other.council, financial_year=year), "Nights", [("Fine", 0)])
    closed = RASQuestionnaireFactory(council=setting["council"], financial_year=year, is_active=False)
    ras_question(closed, setting["questionnaire"].questions.first().stream, "Nights", [("Fine", 0)])
    for questionnaire in (other, closed):
        url = reverse("brokerage:ras-complete", args=[setting["tom"].public_id, questionnaire.public_id])
        access.not_found(setting["lead"], url)


def test_roles_without_the_ras_are_refused(access, setting):
    for role in (Role.COMMISSIONER, Role.FINANCE_OFFICER, Role.COUNCIL_ADMIN, Role.PROVIDER_STAFF):
        user = user_with_role(role, setting["council"] if role != Role.PROVIDER_STAFF else None)
        for url in (
            reverse("brokerage:ras"),
            reverse("brokerage:ras-person", args=[setting["tom"].public_id]),
            complete_url(setting),
        ):
            access.forbidden(user, url)
    access.sign_in_required(reverse("brokerage:ras"))


def test_the_results_csv_is_for_workers_and_lists_what_they_may_see(access, client, setting):
    ras_assessment_complete(
        actor=setting["lead"],
        person=setting["tom"],
        questionnaire=setting["questionnaire"],
        perspective=RASAssessment.Perspective.WORKER,
        answers=[q.answers.last() for q in setting["questionnaire"].questions.all()],
    )
    access.forbidden(setting["mother"], reverse("brokerage:ras-results-csv"))
    client.force_login(setting["lead"])

    content = client.get(reverse("brokerage:ras-results-csv")).content.decode()

    assert "Tom Walsh" in content and "1420.00" in content
    client.force_login(user_with_role(Role.LEAD_PROFESSIONAL, setting["council"]))
    assert "Tom Walsh" not in client.get(reverse("brokerage:ras-results-csv")).content.decode()


def test_the_home_page_lists_the_family_members_own_children_only(client, setting):
    PersonSupportedFactory(council=setting["council"], first_name="Someone", last_name="Else")
    client.force_login(setting["mother"])

    content = client.get(reverse("brokerage:ras")).content.decode()

    assert "Tom Walsh" in content and "Someone Else" not in content
