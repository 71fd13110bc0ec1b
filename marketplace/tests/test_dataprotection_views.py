"""The council administrator's data-protection pages: who may use them, the archive, and erasure."""

import datetime
import io
import zipfile

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from brokerage.models import PersonSupported
from marketplace.payments.models import BankAccount
from marketplace.tests.dataprotection_factories import NEEDS_NOTE, end_budgets, setting

pytestmark = pytest.mark.django_db
FULL_ACCOUNT_NUMBER = "31926819"


def signed_in(client, user):  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client


def urls(person: PersonSupported) -> dict[str, str]:
    return {
        "person": reverse("marketplace:dataprotection-person", args=[person.public_id]),
        "erase": reverse("marketplace:dataprotection-erase", args=[person.public_id]),
    }


def test_the_council_administrator_finds_a_person_and_sees_what_erasing_would_do(client):
    the = setting()
    signed_in(client, the.ada)

    found = client.get(reverse("marketplace:dataprotection-people"), {"q": "wal"})
    page = client.get(urls(the.tom.person)["person"])

    assert found.status_code == 200 and str(the.tom.person) in found.content.decode()
    assert page.status_code == 200
    assert "A budget runs until" in page.content.decode()


def test_other_roles_get_403_on_every_page(client):
    the = setting()
    signed_in(client, the.tom.lead_professional)

    answers = [client.get(reverse("marketplace:dataprotection-people")).status_code]
    answers += [client.get(url).status_code for url in urls(the.tom.person).values()]
    export = reverse("marketplace:dataprotection-export", args=[the.tom.person.public_id])
    answers.append(client.post(export).status_code)

    assert answers == [403, 403, 403, 403]


def test_another_councils_administrator_gets_404(client):
    the = setting()
    signed_in(client, the.gil)

    answers = [client.get(url).status_code for url in urls(the.tom.person).values()]
    export = reverse("marketplace:dataprotection-export", args=[the.tom.person.public_id])
    answers.append(client.post(export).status_code)

    assert answers == [404, 404, 404]


def test_the_archive_is_a_zip_readable_offline_with_csv_and_json_and_masked_bank_details(client):
    the = setting()
    BankAccount.objects.create(
        council=the.tom.council,
        family=the.tom.person,
        account_name="Alice Walsh",
        sort_code="123456",
        account_number=FULL_ACCOUNT_NUMBER,
        sort_code_masked="••-••-56",
        account_number_masked="••••6819",
        entered_by=the.tom.parent,
    )
    signed_in(client, the.ada)

    response = client.post(reverse("marketplace:dataprotection-export", args=[the.tom.person.public_id]))

    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = set(archive.namelist())
    assert {"index.html", "csv/brokerage-personsupported.csv", "json/marketplace-order.json"} <= names
    assert {"csv/marketplace-message.csv", "csv/brokerage-posting.csv", "csv/accounts-user.csv"} <= names
    index = archive.read("index.html").decode()
    assert NEEDS_NOTE in index and "Maths tuition" in index
    assert "src=" not in index and "<link" not in index and "http" not in index
    everything = b"".join(archive.read(name) for name in names)
    assert FULL_ACCOUNT_NUMBER.encode() not in everything
    assert b"6819" in archive.read("csv/marketplace-bankaccount.csv")
    assert b"pbkdf2" not in everything  # no password hashes
    event = AuditEvent.objects.get(action="dataprotection.subject_access_export")
    assert event.actor == the.ada and event.target_id == str(the.tom.person.public_id)


def test_the_archive_is_not_offered_by_get(client):
    the = setting()
    signed_in(client, the.ada)

    response = client.get(reverse("marketplace:dataprotection-export", args=[the.tom.person.public_id]))

    assert response.status_code == 405


def test_erasing_without_a_reason_shows_the_errors_and_changes_nothing(client):
    the = setting()
    end_budgets(the.tom.person, datetime.date(2026, 3, 31))
    signed_in(client, the.ada)

    response = client.post(urls(the.tom.person)["erase"], {"reason": ""})

    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content and "Say why this record is being erased" in content
    assert "Confirm that you understand this cannot be undone" in content
    assert PersonSupported.objects.get(pk=the.tom.person.pk).first_name == "Tom"


def test_the_administrator_anonymises_a_person_whose_budget_has_ended(client):
    the = setting()
    end_budgets(the.tom.person, datetime.date(2026, 3, 31))
    signed_in(client, the.ada)

    confirm = client.get(urls(the.tom.person)["erase"])
    response = client.post(urls(the.tom.person)["erase"], {"reason": "Request of 1 May", "confirm": "on"})

    assert "Anonymise Tom Walsh" in confirm.content.decode()
    assert response.status_code == 302 and response["Location"] == urls(the.tom.person)["person"]
    assert PersonSupported.objects.get(pk=the.tom.person.pk).anonymised_at is not None


def test_erasure_refused_while_the_budget_runs_says_why(client):
    the = setting()
    signed_in(client, the.ada)

    response = client.post(urls(the.tom.person)["erase"], {"reason": "Request", "confirm": "on"})

    assert response.status_code == 409
    assert "A budget runs until" in response.content.decode()
    assert PersonSupported.objects.get(pk=the.tom.person.pk).anonymised_at is None


def test_only_council_administrators_see_the_link(client):
    the = setting()

    admin_home = signed_in(client, the.ada).get(reverse("accounts:dashboard")).content.decode()
    client.logout()
    lead_home = signed_in(client, the.tom.lead_professional).get(reverse("accounts:dashboard")).content.decode()

    link = reverse("marketplace:dataprotection-people")
    assert link in admin_home and link not in lead_home
