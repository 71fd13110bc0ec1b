"""Who may use the market insights: commissioners only (others 403, anonymous visitors sign in), and only
ever of the council they act for."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from marketplace.insights.scope import InsightScope, scope_from_params
from marketplace.tests.insights_factories import YEAR, commissioner, council, priced_offer
from marketplace.tests.order_factories import member

pytestmark = pytest.mark.django_db

PAGES = ("insights", "insights-prices", "insights-spend", "insights-quality", "insights-frameworks")
EXPORTS = (
    ("insights-prices-export", "offered"),
    ("insights-spend-export", "streams"),
    ("insights-quality-export", "dbs"),
)


@pytest.mark.parametrize("name", PAGES)
def test_only_commissioners_use_the_insights_pages(name: str, access) -> None:  # type: ignore[no-untyped-def]
    coventry = council("Coventry City Council")
    url = reverse(f"marketplace:{name}")
    access.ok(commissioner(coventry), url)
    for role in (Role.FINANCE_OFFICER, Role.QA_OFFICER, Role.FAMILY_MEMBER):
        access.forbidden(member(role, coventry), url)
    access.sign_in_required(url)


@pytest.mark.parametrize(("name", "table"), EXPORTS)
def test_exports_are_commissioners_only_and_unknown_tables_answer_404(name: str, table: str, access) -> None:  # type: ignore[no-untyped-def]
    coventry = council("Coventry City Council")
    access.forbidden(member(Role.BROKER, coventry), reverse(f"marketplace:{name}", args=[table]))
    access.not_found(commissioner(coventry), reverse(f"marketplace:{name}", args=["nothing-like-it"]))


def test_a_commissioner_sees_only_their_own_councils_market(client) -> None:  # type: ignore[no-untyped-def]
    coventry, birmingham = council("Coventry City Council"), council("Birmingham City Council")
    priced_offer(birmingham, "77.00")
    client.force_login(commissioner(coventry))
    response = client.get(reverse("marketplace:insights-prices"))
    assert "£77.00" not in response.content.decode()
    client.force_login(commissioner(birmingham))
    assert "£77.00" in client.get(reverse("marketplace:insights-prices")).content.decode()


def test_the_year_asked_for_is_used_only_when_offered() -> None:
    from django.http import QueryDict

    coventry = council("Coventry City Council")
    current = scope_from_params(coventry, QueryDict("")).year
    assert scope_from_params(coventry, QueryDict(f"year={current - 1}")).year == current - 1
    assert scope_from_params(coventry, QueryDict("year=1999")).year == current
    assert scope_from_params(coventry, QueryDict("year=soon")).year == current
    assert InsightScope(coventry, YEAR).label == "2026 to 2027"


@pytest.mark.parametrize(
    ("name", "table", "heading"),
    [
        ("insights-prices-export", "price-points", "Funding stream,Finance code,Per point"),
        ("insights-spend-export", "summary", "Figure,Value"),
        ("insights-quality-export", "summary", "Figure,Count"),
    ],
)
def test_summary_exports_are_csv_files(name: str, table: str, heading: str, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(commissioner(council("Coventry City Council")))
    response = client.get(reverse(f"marketplace:{name}", args=[table]), {"year": YEAR})
    assert response["Content-Disposition"].startswith('attachment; filename="coventry-city-council-')
    assert response.content.decode("utf-8-sig").splitlines()[0] == heading
