"""The council administrator's data-protection pages in a real browser, checked with axe, without
JavaScript and by keyboard: find Tom, download everything held about him, try to erase him while his
budget runs (refused, with the reason), and, once it has ended, anonymise his record after the form's
errors were shown.
"""

import datetime
import io
import zipfile

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from brokerage.models import PersonSupported
from marketplace.tests.dataprotection_factories import end_budgets, setting
from tests.browser.helpers import expect_error_summary, open_from_navigation, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_administrator_downloads_everything_held_and_anonymises_a_record_by_keyboard(browsing, visit, axe_check):
    # Given Tom, whose budget still runs, and Ada, Coventry's administrator, with no JavaScript
    the = setting()
    ada = browsing.new_page(javascript=False)
    sign_in(ada, visit, the.ada)

    # When she finds Tom from the header's Data protection link
    open_from_navigation(ada, axe_check, "Data protection")
    ada.get_by_label("Name, or the start of it").fill("Wal")
    ada.keyboard.press("Enter")
    expect(ada.get_by_role("heading", name="1 person found")).to_be_visible()
    axe_check(ada)
    ada.get_by_role("link", name="Tom Walsh").focus()
    ada.keyboard.press("Enter")
    expect(ada.get_by_role("heading", level=1, name="Tom Walsh")).to_be_visible()
    axe_check(ada)

    # Then she downloads the archive, which opens offline
    with ada.expect_download() as download:
        ada.get_by_role("button", name="Download everything held (zip)").click()
    archive = zipfile.ZipFile(io.BytesIO(open(download.value.path(), "rb").read()))  # noqa: SIM115
    assert "index.html" in archive.namelist()

    # And erasing is refused while the budget runs, with the reason
    expect(ada.get_by_text("A budget runs until 31 March 2027")).to_be_visible()
    assert ada.get_by_role("link", name="Anonymise this record").count() == 0

    # When the budget has ended, she is asked for a reason before anything happens
    end_budgets(the.tom.person, datetime.date(2026, 3, 31))
    visit(ada, reverse("marketplace:dataprotection-person", args=[the.tom.person.public_id]))
    ada.get_by_role("link", name="Anonymise this record").focus()
    ada.keyboard.press("Enter")
    expect(ada.get_by_role("heading", level=1, name="Anonymise Tom Walsh")).to_be_visible()
    axe_check(ada)
    ada.get_by_role("button", name="Anonymise the record").click()
    expect_error_summary(
        ada, axe_check, "Say why this record is being erased", field_label="Why is this record being erased?"
    )

    # Then with a reason and the confirmation, the record is anonymised
    ada.get_by_label("Why is this record being erased?").fill("Tom's mother asked on 1 May")
    ada.get_by_label("I understand that this cannot be undone").check()
    ada.get_by_role("button", name="Anonymise the record").click()
    expect(ada.get_by_text("The record was anonymised")).to_be_visible()
    axe_check(ada)
    assert PersonSupported.objects.get(pk=the.tom.person.pk).anonymised_at is not None
