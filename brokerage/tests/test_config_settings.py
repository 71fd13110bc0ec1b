"""A council administrator sets funding streams, rules, delegated authority and locality funds per year."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from accounts.roles import OrganisationKind, Role
from accounts.tests.factories import CouncilFactory, OrganisationFactory, user_with_role
from brokerage.models import BrokeragePolicy, DelegatedAuthority, FundingStream, LocalityFund
from brokerage.services.config import brokerage_policy_save, funding_stream_create, funding_stream_update
from brokerage.tests.factories import FundingStreamFactory, LocalityFundFactory
from providers.tests.factories import term

pytestmark = pytest.mark.django_db


@pytest.fixture
def council():
    return CouncilFactory(name="Coventry")


@pytest.fixture
def alice(council):
    """Alice administers Coventry's settings."""
    return user_with_role(Role.COUNCIL_ADMIN, council)


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


def test_adding_a_funding_stream_saves_its_rules_and_is_audited(alice_client, council):
    response = alice_client.post(
        reverse("brokerage:settings-stream-create", args=[2026]),
        {
            "name": "Short breaks",
            "finance_code": "SB100",
            "direct_payment_allowed": "on",
            "price_per_point": "71.00",
            "excluded_by_direct_payment": [term("residential-short-breaks").pk],
            "restriction_note": "Residential short breaks are arranged by the council",
            "surplus_weeks": "10",
        },
    )

    assert response.status_code == 302
    stream = FundingStream.objects.get(council=council, financial_year=2026)
    assert (stream.code, stream.finance_code, stream.price_per_point) == ("short-breaks", "SB100", Decimal("71.00"))
    assert list(stream.excluded_by_direct_payment.values_list("code", flat=True)) == ["residential-short-breaks"]
    event = AuditEvent.objects.get(action="budget_settings.stream_created")
    assert event.council == council and "Short breaks" in event.summary


def test_a_stream_form_with_errors_shows_the_error_summary(alice_client):
    response = alice_client.post(
        reverse("brokerage:settings-stream-create", args=[2026]),
        {"name": "", "finance_code": "", "price_per_point": "-1", "surplus_weeks": "10"},
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in content
    assert "There is a problem" in content
    assert "Enter the stream&#x27;s name" in content
    assert "The amount cannot be less than 0" in content
    assert not FundingStream.objects.exists()


def test_a_stream_code_is_unique_within_the_council_and_year(alice, council):
    FundingStreamFactory(council=council, financial_year=2026, code="early-help")

    with pytest.raises(Exception, match="already has a funding stream with the code early-help"):
        funding_stream_create(
            actor=alice,
            council=council,
            financial_year=2026,
            name="Early help",
            finance_code="EH1",
            direct_payment_allowed=True,
        )
    # The same code in the next financial year is a new year's stream, not a clash.
    funding_stream_create(
        actor=alice,
        council=council,
        financial_year=2027,
        name="Early help",
        finance_code="EH1",
        direct_payment_allowed=True,
    )


def test_changing_a_stream_records_old_and_new_values(alice, council):
    stream = FundingStreamFactory(council=council, name="Early help", price_per_point=Decimal("10.00"))

    funding_stream_update(
        actor=alice,
        council=council,
        stream=stream,
        name="Early help",
        code=stream.code,
        finance_code=stream.finance_code,
        direct_payment_allowed=False,
        price_per_point=Decimal("12.50"),
        excluded_categories=[term("tuition")],
    )

    event = AuditEvent.objects.get(action="budget_settings.stream_changed")
    changes = event.data["changes"]
    assert changes["price_per_point"] == ["10.00", "12.50"]
    assert changes["direct_payment_allowed"] == [True, False]
    assert changes["excluded_categories"] == [[], ["Tuition"]]


def test_saving_a_stream_unchanged_writes_no_audit_row(alice, council):
    stream = FundingStreamFactory(council=council)

    funding_stream_update(
        actor=alice,
        council=council,
        stream=stream,
        name=stream.name,
        code=stream.code,
        finance_code=stream.finance_code,
        direct_payment_allowed=stream.direct_payment_allowed,
    )

    assert not AuditEvent.objects.filter(action="budget_settings.stream_changed").exists()


def test_the_policy_form_shows_the_defaults_then_saves_the_year(alice_client, council):
    page = alice_client.get(reverse("brokerage:settings-policy", args=[2026]))
    assert 'value="18"' in page.content.decode()

    response = alice_client.post(
        reverse("brokerage:settings-policy", args=[2026]),
        {
            "consent_age": "18",
            "national_living_wage": "12.71",
            "review_interval_months": "6",
            "ras_difference_threshold": "750.00",
            "contingency_percent": "10",
            "contingency_weeks": "0",
            "monitoring_unusual_multiple": "4",
            "monitoring_unusual_amount": "300.00",
            "monitoring_quiet_weeks": "6",
        },
    )

    assert response.status_code == 302
    policy = BrokeragePolicy.objects.get(council=council, financial_year=2026)
    assert policy.ras_difference_threshold == Decimal("750.00")
    assert policy.contingency_percent == Decimal("10.00")
    assert (policy.monitoring_unusual_multiple, policy.monitoring_unusual_amount, policy.monitoring_quiet_weeks) == (
        4,
        Decimal("300.00"),
        6,
    )
    assert AuditEvent.objects.filter(action="budget_settings.policy_created", council=council).exists()


def test_the_policy_refuses_a_consent_age_outside_16_to_25(alice_client):
    response = alice_client.post(
        reverse("brokerage:settings-policy", args=[2026]),
        {
            "consent_age": "15",
            "national_living_wage": "12.71",
            "review_interval_months": "6",
            "ras_difference_threshold": "500",
            "contingency_percent": "0",
            "contingency_weeks": "0",
        },
    )

    assert "must be 16 or more" in response.content.decode()
    assert not BrokeragePolicy.objects.exists()


def test_the_policy_refuses_monitoring_with_no_quiet_weeks(alice_client):
    response = alice_client.post(
        reverse("brokerage:settings-policy", args=[2026]),
        {
            "consent_age": "18",
            "national_living_wage": "12.71",
            "review_interval_months": "6",
            "ras_difference_threshold": "500",
            "contingency_percent": "0",
            "contingency_weeks": "0",
            "monitoring_unusual_multiple": "3",
            "monitoring_unusual_amount": "250.00",
            "monitoring_quiet_weeks": "0",
        },
    )

    assert "Weeks without spending before a direct payment is flagged must be 1 or more" in response.content.decode()
    assert not BrokeragePolicy.objects.exists()


def test_a_policy_change_names_what_changed(alice, council):
    values = {
        "consent_age": 18,
        "national_living_wage": Decimal("12.21"),
        "review_interval_months": 6,
        "ras_difference_threshold": Decimal("500.00"),
        "contingency_percent": Decimal("0.00"),
        "contingency_weeks": 0,
        "monitoring_unusual_multiple": 3,
        "monitoring_unusual_amount": Decimal("250.00"),
        "monitoring_quiet_weeks": 8,
    }
    brokerage_policy_save(actor=alice, council=council, financial_year=2026, **values)

    brokerage_policy_save(
        actor=alice, council=council, financial_year=2026, **{**values, "national_living_wage": Decimal("12.71")}
    )

    event = AuditEvent.objects.get(action="budget_settings.policy_changed")
    assert event.data["changes"] == {"national_living_wage": ["12.21", "12.71"]}
    assert BrokeragePolicy.objects.count() == 1


def test_a_role_has_one_delegated_limit_a_year(alice_client, council):
    url = reverse("brokerage:settings-limit-create", args=[2026])
    alice_client.post(url, {"role": Role.LEAD_PROFESSIONAL, "limit_per_person": "3000.00"})

    response = alice_client.post(url, {"role": Role.LEAD_PROFESSIONAL, "limit_per_person": "1000.00"})

    assert "already has a limit for this financial year" in response.content.decode()
    limit = DelegatedAuthority.objects.get(council=council)
    assert limit.limit_per_person == Decimal("3000.00")
    assert AuditEvent.objects.filter(action="budget_settings.limit_created").count() == 1


def test_changing_a_delegated_limit_is_audited(alice_client, council):
    limit = DelegatedAuthority.objects.create(
        council=council, financial_year=2026, role=Role.LEAD_PROFESSIONAL, limit_per_person=Decimal("3000.00")
    )

    alice_client.post(
        reverse("brokerage:settings-limit-edit", args=[limit.pk]),
        {"role": Role.LEAD_PROFESSIONAL, "limit_per_person": "1000.00"},
    )

    limit.refresh_from_db()
    assert limit.limit_per_person == Decimal("1000.00")
    event = AuditEvent.objects.get(action="budget_settings.limit_changed")
    assert event.data["changes"] == {"limit_per_person": ["3000.00", "1000.00"]}


def test_a_locality_fund_is_approved_from_by_the_councils_budget_holding_managers(alice_client, council):
    stream = FundingStreamFactory(council=council)
    manager = user_with_role(Role.BUDGET_HOLDING_MANAGER, council)
    nhs = OrganisationFactory(kind=OrganisationKind.NHS, council=council)
    nhs_manager = user_with_role(Role.BUDGET_HOLDING_MANAGER, nhs)

    response = alice_client.post(
        reverse("brokerage:settings-fund-create", args=[2026]),
        {"name": "North locality fund", "stream": stream.public_id, "managers": [manager.pk, nhs_manager.pk]},
    )

    assert response.status_code == 302
    fund = LocalityFund.objects.get(council=council)
    assert set(fund.managers.all()) == {manager, nhs_manager}
    assert AuditEvent.objects.filter(action="budget_settings.fund_created", council=council).exists()


def test_a_locality_fund_refuses_another_councils_manager_and_stream(alice_client, council):
    other_council = CouncilFactory()
    other_stream = FundingStreamFactory(council=other_council)
    other_manager = user_with_role(Role.BUDGET_HOLDING_MANAGER, other_council)

    response = alice_client.post(
        reverse("brokerage:settings-fund-create", args=[2026]),
        {"name": "North locality fund", "stream": other_stream.public_id, "managers": [other_manager.pk]},
    )

    content = response.content.decode()
    assert "<title>Error: " in content
    assert "Select a valid choice" in content
    assert not LocalityFund.objects.exists()


def test_changing_a_locality_funds_managers_is_audited(alice_client, council):
    fund = LocalityFundFactory(stream=FundingStreamFactory(council=council))
    first, second = (user_with_role(Role.BUDGET_HOLDING_MANAGER, council) for _ in range(2))
    fund.managers.set([first])

    alice_client.post(
        reverse("brokerage:settings-fund-edit", args=[fund.public_id]),
        {"name": fund.name, "stream": fund.stream.public_id, "managers": [second.pk]},
    )

    assert list(fund.managers.all()) == [second]
    assert "managers" in AuditEvent.objects.get(action="budget_settings.fund_changed").data["changes"]


def test_the_settings_home_shows_the_chosen_years_settings(alice_client, council):
    FundingStreamFactory(council=council, financial_year=2026, name="Early help 2026")
    FundingStreamFactory(council=council, financial_year=2027, name="Early help 2027")

    content = alice_client.get(reverse("brokerage:settings"), {"year": "2027"}).content.decode()

    assert "Early help 2027" in content and "Early help 2026" not in content


def test_lists_download_as_csv(alice_client, council):
    FundingStreamFactory(council=council, name="Early help", finance_code="EH0001", price_per_point=Decimal("10.00"))
    DelegatedAuthority.objects.create(
        council=council, financial_year=2026, role=Role.LEAD_PROFESSIONAL, limit_per_person=Decimal("3000.00")
    )

    streams = alice_client.get(reverse("brokerage:settings-streams-csv", args=[2026]))
    limits = alice_client.get(reverse("brokerage:settings-limits-csv", args=[2026]))

    assert streams["Content-Type"].startswith("text/csv")
    assert "EH0001" in streams.content.decode() and "10.00" in streams.content.decode()
    assert "Lead professional,3000.00" in limits.content.decode()
