"""The quality-assurance demo builder: policies, and checks in every state on the demo listings; running it
again changes nothing."""

import datetime

import pytest
from django.utils import timezone

from accounts.roles import Role
from demo.builders import accounts
from demo.builders import qa as qa_builder
from demo.context import DemoContext
from providers.badges import badges_for_profile
from providers.models import (
    CouncilQAPolicy,
    DBSCheck,
    InsurancePolicy,
    PersonalAssistantProfile,
    Reference,
    RegulatorRegistration,
    SaferRecruitmentDeclaration,
    Verification,
)
from providers.tests import qa_factories as qa
from providers.tests.factories import PersonalAssistantProfileFactory, ProviderProfileFactory

pytestmark = pytest.mark.django_db

MODELS = (CouncilQAPolicy, DBSCheck, SaferRecruitmentDeclaration, RegulatorRegistration, InsurancePolicy, Reference)


@pytest.fixture
def built() -> DemoContext:
    # The directory builder's published listings, made here directly: a PA for every state, and Coventry's
    # named providers.
    ctx = DemoContext()
    accounts.build(ctx)
    coventry = ctx.organisations["coventry"]
    for user in ctx.people("coventry", Role.PERSONAL_ASSISTANT):
        qa.published(PersonalAssistantProfileFactory(user=user, council=coventry))
    while PersonalAssistantProfile.objects.filter(council=coventry).count() < len(qa_builder.PA_STATES):
        qa.personal_assistant(of_council=coventry)
    for plan in next(council for council in qa_builder.DEMO_COUNCILS if council.slug == "coventry").providers:
        qa.published(ProviderProfileFactory(organisation=ctx.organisations[plan.slug]))
    qa_builder.build(ctx)
    return ctx


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_coventry_rechecks_every_three_years_and_gloucestershire_wants_annual_update_service_checks(built):
    policies = {policy.council.slug: policy for policy in CouncilQAPolicy.objects.select_related("council")}

    assert (policies["coventry"].dbs_recheck_months, policies["coventry"].update_service_check_months) == (36, 12)
    assert policies["gloucestershire"].update_service_check_months == 12
    assert policies["gloucestershire"].dbs_recheck_months == 12


def test_personal_assistants_have_checks_current_lapsing_lapsed_waiting_and_refused(built):
    today = timezone.localdate()
    coventry_pas = PersonalAssistantProfile.objects.filter(council__slug="coventry")
    dates = [profile.checks_current_until for profile in coventry_pas]

    assert any(date and date > today + datetime.timedelta(days=60) for date in dates), "current"
    assert any(date and today <= date <= today + datetime.timedelta(days=60) for date in dates), "lapsing"
    assert any(date and date < today for date in dates), "lapsed"
    checks = DBSCheck.objects.filter(pa_profile__in=coventry_pas)
    assert set(checks.values_list("verification", flat=True)) == set(Verification.values)
    assert any(check.scheme == "CRB" for check in checks)
    assert checks.filter(update_service=True, last_status_check_on__isnull=False).exists()
    assert Reference.objects.filter(verification=Verification.SUBMITTED).exists()
    assert Reference.objects.filter(verification=Verification.VERIFIED).exists()


def test_a_lapsed_demo_listing_shows_when_it_lapsed(built):
    today = timezone.localdate()
    lapsed = PersonalAssistantProfile.objects.filter(checks_current_until__lt=today).first()

    labels = [badge.label for badge in badges_for_profile(lapsed, today)]

    assert labels[0].startswith("DBS check lapsed on ")


def test_organisations_have_declarations_registrations_and_insurance(built):
    states = set(SaferRecruitmentDeclaration.objects.values_list("verification", flat=True))

    assert {Verification.VERIFIED, Verification.SUBMITTED} <= states
    assert RegulatorRegistration.objects.filter(regulator="ofsted").exists()
    assert InsurancePolicy.objects.filter(organisation__isnull=False, verification=Verification.VERIFIED).exists()
    assert InsurancePolicy.objects.filter(verification=Verification.SUBMITTED).exists()


def test_each_broker_organisation_is_assured_with_a_check_for_each_broker(built):
    for council in qa_builder.DEMO_COUNCILS:
        broker_organisation = built.organisations[council.broker.slug]
        declaration = SaferRecruitmentDeclaration.objects.get(organisation=broker_organisation)
        brokers = {user.get_full_name() for user in built.people(council.broker.slug, Role.BROKER)}
        assert declaration.code_of_conduct_accepted and declaration.verification == Verification.VERIFIED
        assert set(DBSCheck.objects.filter(organisation=broker_organisation).values_list("person_name", flat=True)) == (
            brokers
        )


def test_running_it_again_changes_nothing(built):
    before = _counts()

    qa_builder.build(built)

    assert _counts() == before
