"""A council's own taxonomy terms: added with a unique code, deactivated and reactivated by their council
only; another council's terms are neither shown nor changeable."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEvent
from accounts.roles import Role
from accounts.tests.factories import CouncilFactory, UserFactory, user_with_role
from providers.models import Taxonomy, TaxonomyTerm
from providers.services.taxonomy import taxonomy_term_add, taxonomy_term_set_active

pytestmark = pytest.mark.django_db

TERMS_PAGE = reverse("providers:taxonomy-terms")
ADD_CATEGORY = reverse("providers:taxonomy-term-add", args=["service_category"])


@pytest.fixture
def coventry():
    return CouncilFactory(name="Coventry City Council")


@pytest.fixture
def margaret(coventry):
    return user_with_role(Role.COUNCIL_ADMIN, organisation=coventry)


@pytest.fixture
def categories():
    return Taxonomy.objects.get(kind=Taxonomy.Kind.SERVICE_CATEGORY)


def add(council, taxonomy, name: str, actor=None) -> TaxonomyTerm:  # type: ignore[no-untyped-def]
    return taxonomy_term_add(
        actor=actor or UserFactory(), council=council, taxonomy=taxonomy, name=name, description="A local term."
    )


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


# --- Adding -----------------------------------------------------------------------------------------------------


def test_a_term_gets_a_code_from_its_name_unique_within_the_taxonomy(coventry, categories):
    first = add(coventry, categories, "Sensory play")
    second = add(CouncilFactory(), categories, "Sensory  play")

    assert (first.code, first.council, first.is_active) == ("sensory-play", coventry, True)
    assert second.code == "sensory-play-2"


def test_a_term_named_like_a_shared_term_or_one_of_the_councils_own_is_refused(coventry, categories):
    add(coventry, categories, "Sensory play")

    for name in ("sensory play", "Tuition"):
        with pytest.raises(ValidationError):
            add(coventry, categories, name)


def test_an_administrator_adds_a_term_through_the_page(margaret, coventry):
    response = signed_in(margaret).post(ADD_CATEGORY, {"name": "Forest school", "description": "Learning outdoors."})

    assert response.status_code == 302
    term = TaxonomyTerm.objects.get(code="forest-school")
    assert term.council == coventry
    assert AuditEvent.objects.filter(action="taxonomy_term.added", target_id=str(term.public_id)).exists()


def test_the_add_page_shows_errors_in_a_summary(margaret):
    response = signed_in(margaret).post(ADD_CATEGORY, {"name": "Tuition", "description": ""})

    html = response.content.decode()
    assert "<title>Error:" in html
    assert "Enter a description of the term" in html


def test_an_unknown_taxonomy_is_not_found(margaret, access):
    access.not_found(margaret, reverse("providers:taxonomy-term-add", args=["colours"]))


# --- Seeing -----------------------------------------------------------------------------------------------------


def test_the_list_shows_shared_terms_and_the_councils_own_but_not_another_councils(margaret, coventry, categories):
    add(coventry, categories, "Sensory play")
    add(CouncilFactory(), categories, "Forest school")

    html = signed_in(margaret).get(TERMS_PAGE).content.decode()

    assert "Sensory play" in html and "Tuition" in html
    assert "Forest school" not in html


# --- Deactivating -----------------------------------------------------------------------------------------------


def test_an_administrator_deactivates_and_reactivates_their_own_term(margaret, coventry, categories):
    term = add(coventry, categories, "Sensory play")
    client = signed_in(margaret)

    client.post(reverse("providers:taxonomy-term-deactivate", args=[term.public_id]))
    term.refresh_from_db()
    assert term.is_active is False
    client.post(reverse("providers:taxonomy-term-reactivate", args=[term.public_id]))
    term.refresh_from_db()
    assert term.is_active is True
    assert AuditEvent.objects.filter(target_id=str(term.public_id)).count() == 3


def test_another_councils_term_and_shared_terms_are_not_found(margaret, categories, access):
    elsewhere = add(CouncilFactory(), categories, "Forest school")
    shared = TaxonomyTerm.objects.get(code="tuition")

    for term in (elsewhere, shared):
        for name in ("providers:taxonomy-term-deactivate", "providers:taxonomy-term-reactivate"):
            access.not_found(margaret, reverse(name, args=[term.public_id]), method="post")
    elsewhere.refresh_from_db()
    assert elsewhere.is_active is True


def test_the_service_refuses_another_councils_term(coventry, categories):
    elsewhere = add(CouncilFactory(), categories, "Forest school")

    with pytest.raises(ValidationError):
        taxonomy_term_set_active(actor=UserFactory(), council=coventry, term=elsewhere, is_active=False)


def test_deactivating_needs_a_post(margaret, coventry, categories):
    term = add(coventry, categories, "Sensory play")

    response = signed_in(margaret).get(reverse("providers:taxonomy-term-deactivate", args=[term.public_id]))

    assert response.status_code == 405


@pytest.mark.parametrize("role", [Role.PROVIDER_STAFF, Role.QA_OFFICER, Role.COMMISSIONER, Role.FAMILY_MEMBER])
def test_only_council_administrators_manage_terms(role, access):
    user = user_with_role(role)
    access.forbidden(user, TERMS_PAGE)
    access.forbidden(user, ADD_CATEGORY)


def test_signing_in_is_needed_to_manage_terms(access):
    access.sign_in_required(TERMS_PAGE)
