"""Budget settings are for the council's own administrators: another council's answer 404, other roles 403."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from accounts.tests.factories import CouncilFactory, user_with_role
from brokerage.models import DelegatedAuthority
from brokerage.tests.factories import FundingStreamFactory, LocalityFundFactory, RASQuestionnaireFactory, ras_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def coventry_settings():
    council = CouncilFactory(name="Coventry")
    stream = FundingStreamFactory(council=council)
    questionnaire = RASQuestionnaireFactory(council=council)
    question = ras_question(questionnaire, stream, "Nights", [("Sleeps well", 0)])
    return {
        "council": council,
        "stream": stream,
        "fund": LocalityFundFactory(stream=stream),
        "limit": DelegatedAuthority.objects.create(
            council=council, financial_year=2026, role=Role.LEAD_PROFESSIONAL, limit_per_person=Decimal("3000")
        ),
        "questionnaire": questionnaire,
        "answer": question.answers.get(),
    }


def object_urls(s) -> list[str]:
    q = s["questionnaire"].public_id
    return [
        reverse("brokerage:settings-stream-edit", args=[s["stream"].public_id]),
        reverse("brokerage:settings-fund-edit", args=[s["fund"].public_id]),
        reverse("brokerage:settings-limit-edit", args=[s["limit"].pk]),
        reverse("brokerage:settings-questionnaire", args=[q]),
        reverse("brokerage:settings-questionnaire-edit", args=[q]),
        reverse("brokerage:settings-questionnaire-copy", args=[q]),
        reverse("brokerage:settings-question-create", args=[q]),
        reverse("brokerage:settings-question-edit", args=[q, 1]),
        reverse("brokerage:settings-answer-create", args=[q, 1]),
        reverse("brokerage:settings-answer-edit", args=[s["answer"].pk]),
    ]


def year_urls(year: int = 2026) -> list[str]:
    names = [
        "settings-streams",
        "settings-streams-csv",
        "settings-stream-create",
        "settings-policy",
        "settings-limits",
        "settings-limits-csv",
        "settings-limit-create",
        "settings-funds",
        "settings-funds-csv",
        "settings-fund-create",
        "settings-questionnaires",
        "settings-questionnaires-csv",
        "settings-questionnaire-create",
    ]
    return [reverse("brokerage:settings")] + [reverse(f"brokerage:{name}", args=[year]) for name in names]


def test_the_councils_administrator_may_use_every_page(access, coventry_settings):
    alice = user_with_role(Role.COUNCIL_ADMIN, coventry_settings["council"])
    for url in object_urls(coventry_settings) + year_urls():
        access.ok(alice, url)


def test_another_councils_administrator_finds_none_of_its_settings(access, coventry_settings):
    charlie = user_with_role(Role.COUNCIL_ADMIN, CouncilFactory(name="Warwickshire"))
    for url in object_urls(coventry_settings):
        access.not_found(charlie, url)
        access.not_found(charlie, url, method="post")


def test_other_roles_are_refused_every_page(access, coventry_settings):
    council = coventry_settings["council"]
    for role in (Role.LEAD_PROFESSIONAL, Role.BUDGET_HOLDING_MANAGER, Role.COMMISSIONER, Role.FAMILY_MEMBER):
        user = user_with_role(role, council)
        for url in object_urls(coventry_settings) + year_urls():
            access.forbidden(user, url)


def test_anonymous_visitors_are_sent_to_sign_in(access, coventry_settings):
    for url in object_urls(coventry_settings)[:2] + year_urls()[:2]:
        access.sign_in_required(url)


def test_an_unreasonable_year_is_not_found(access, coventry_settings):
    alice = user_with_role(Role.COUNCIL_ADMIN, coventry_settings["council"])
    access.not_found(alice, reverse("brokerage:settings-streams", args=[1066]))


def test_the_header_offers_budget_settings_to_administrators_and_the_ras_to_workers_and_families(client):
    council = CouncilFactory()
    settings_link, ras_link = f'href="{reverse("brokerage:settings")}"', f'href="{reverse("brokerage:ras")}"'
    expected = {
        Role.COUNCIL_ADMIN: (settings_link, ras_link),
        Role.LEAD_PROFESSIONAL: (ras_link, settings_link),
        Role.FAMILY_MEMBER: (ras_link, settings_link),
    }
    for role, (shown, hidden) in expected.items():
        client.force_login(user_with_role(role, council))
        header = client.get(reverse("accounts:dashboard")).content.decode()
        assert shown in header and hidden not in header, role
