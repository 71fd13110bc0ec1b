"""A shared listing's check, seen by two councils' officers: everything about the check is shared (any
council's officer may verify it), but a reveal of its certificate number is the revealing council's own,
like its reveal log (docs/access-matrix.md, "Shared providers")."""

import datetime

import pytest
from django.urls import reverse

from providers.services.qa import dbs_check_verify, dbs_number_reveal
from providers.tests import qa_factories as qa

pytestmark = pytest.mark.django_db

REVEALED = "Full certificate number shown"


@pytest.fixture
def coventry():  # type: ignore[no-untyped-def]
    return qa.council("Coventry City Council")


@pytest.fixture
def gloucestershire():  # type: ignore[no-untyped-def]
    return qa.council("Gloucestershire County Council")


@pytest.fixture
def check(coventry):  # type: ignore[no-untyped-def]
    """A Coventry PA's check on the Update Service, verified by Coventry."""
    pa = qa.personal_assistant(of_council=coventry)
    alice = qa.qa_officer(coventry, first_name="Alice")
    return dbs_check_verify(
        check=qa.dbs_check(pa_profile=pa, update_service=True),
        officer=alice,
        council=coventry,
        original_seen_on=datetime.date.today(),
    )


def _page(client, officer, check) -> str:  # type: ignore[no-untyped-def]
    client.force_login(officer)
    response = client.get(reverse("providers:qa-dbs", args=[check.public_id]))
    assert response.status_code == 200
    return response.content.decode()


def test_another_councils_officer_sees_the_shared_check_but_not_the_councils_reveals(
    client, check, coventry, gloucestershire
):
    dbs_number_reveal(check=check, officer=qa.qa_officer(coventry, first_name="Cora"), council=coventry)
    bob = qa.qa_officer(gloucestershire, first_name="Bob")

    page = _page(client, bob, check)

    # The check and its verification are shared...
    assert check.masked_number in page
    assert "Verified by Coventry City Council" in page
    # ...Coventry's reveal (who saw the number, when) is not.
    assert REVEALED not in page
    assert "Cora" not in page


def test_each_council_sees_its_own_reveals_in_the_history(client, check, coventry, gloucestershire):
    dbs_number_reveal(check=check, officer=qa.qa_officer(coventry, first_name="Cora"), council=coventry)
    bob = qa.qa_officer(gloucestershire, first_name="Bob")
    dbs_number_reveal(check=check, officer=bob, council=gloucestershire)

    theirs = _page(client, bob, check)
    ours = _page(client, qa.qa_officer(coventry, first_name="Dee"), check)

    assert theirs.count(REVEALED) == 1 and "Bob" in theirs and "Cora" not in theirs
    assert ours.count(REVEALED) == 1 and "Cora" in ours
