"""The officers' queue: what waits in it and in what order; the diff against the last approved version; the
history; and approving or returning a listing, which tells the provider and records the deciding council."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import AuditEvent, Notification
from providers.models import InsuranceKind, OfferStatus, ProfileStatus, VersionState
from providers.selectors.qa import offer_diff, offer_history, profile_diff, qa_queue
from providers.services.offers import offer_content_of, offer_create, offer_edit, offer_submit
from providers.services.profiles import profile_submit, profile_update
from providers.services.qa import (
    declaration_submit,
    insurance_submit,
    listing_offer_decide,
    listing_profile_decide,
    reference_add,
)
from providers.tests import qa_factories as qa
from providers.tests.factories import offer_content, published_offer, term

pytestmark = pytest.mark.django_db


@pytest.fixture
def coventry():  # type: ignore[no-untyped-def]
    return qa.council("Coventry City Council")


@pytest.fixture
def alice(coventry):  # type: ignore[no-untyped-def]
    return qa.qa_officer(coventry, first_name="Alice", last_name="Officer")


def _at(time_machine, day: int) -> None:  # type: ignore[no-untyped-def]
    time_machine.move_to(datetime.datetime(2026, 3, day, 9, tzinfo=datetime.UTC), tick=False)


# --- What is in the queue, oldest first -------------------------------------------------------------


def test_the_queue_holds_everything_waiting_from_every_council_oldest_first(time_machine):
    # Given things sent for checking on different days, by providers of two councils
    _at(time_machine, 1)
    new_pa = qa.personal_assistant(of_council=qa.council("Gloucestershire County Council"), publish=False)
    profile_submit(profile=new_pa, actor=new_pa.user)
    _at(time_machine, 2)
    acme, acme_staff = qa.provider()
    offer = offer_create(actor=acme_staff, content=offer_content(), organisation=acme.organisation)
    offer_submit(offer=offer, actor=acme_staff)
    _at(time_machine, 3)
    sam = qa.personal_assistant()
    qa.dbs_check(pa_profile=sam)
    _at(time_machine, 4)
    declaration_submit(actor=acme_staff, organisation=acme.organisation, staff_count=4, evidence=qa.pdf())
    _at(time_machine, 5)
    insurance_submit(
        actor=sam.user,
        pa_profile=sam,
        kind=InsuranceKind.PUBLIC_LIABILITY,
        insurer="Acme Mutual",
        cover_amount=Decimal("5000000"),
        expires_on=datetime.date(2027, 3, 1),
        certificate=qa.pdf("insurance.pdf"),
    )
    _at(time_machine, 6)
    reference_add(
        actor=sam.user,
        pa_profile=sam,
        referee_name="Jo Bloggs",
        relationship="Former employer",
        referee_email="jo@x.org",
    )
    _at(time_machine, 7)
    acme = profile_update(profile=acme, actor=acme_staff, changes={"description": "Now with Sunday clubs."})
    profile_submit(profile=acme, actor=acme_staff)
    _at(time_machine, 8)
    changed = published_offer(organisation=acme.organisation)
    offer_edit(offer=changed, actor=acme_staff, content=offer_content(name="Saturday and Sunday club"))
    offer_submit(offer=changed, actor=acme_staff)
    _at(time_machine, 10)

    # When the queue is read
    items = qa_queue()

    # Then each is there once, oldest first, with how long it has waited
    assert [item.kind for item in items] == [
        "New profile",
        "New offer",
        "DBS check",
        "Safer-recruitment declaration",
        "Insurance",
        "Reference",
        "Change to a profile",
        "Change to an offer",
    ]
    assert [item.days_waiting(datetime.date(2026, 3, 10)) for item in items] == [9, 8, 7, 6, 5, 4, 3, 2]


def test_drafts_and_decided_checks_are_not_in_the_queue(alice, coventry):
    draft = qa.personal_assistant(publish=False)
    acme, staff = qa.provider()
    offer_create(actor=staff, content=offer_content(), organisation=acme.organisation)
    profile_update(profile=acme, actor=staff, changes={"description": "Held, not yet sent."})
    published_offer(organisation=acme.organisation)

    assert draft.status == ProfileStatus.DRAFT
    assert qa_queue() == []


def test_the_queue_page_lists_each_item_with_a_link_and_its_age(client, alice, time_machine):
    _at(time_machine, 1)
    sam = qa.personal_assistant()
    check = qa.dbs_check(pa_profile=sam, person_name="Sam Kaur")
    _at(time_machine, 4)
    client.force_login(alice)

    page = client.get(reverse("providers:qa-queue")).content.decode()

    assert reverse("providers:qa-dbs", args=[check.public_id]) in page
    assert "3 days" in page
    assert "Sam Kaur, •••• 7890" in page


# --- The diff ---------------------------------------------------------------------------------------


def test_an_offer_change_is_compared_with_the_live_version_field_by_field_and_row_by_row():
    acme, staff = qa.provider()
    offer = published_offer(organisation=acme.organisation)
    content = offer_content_of(offer.live_version)
    content.name = "Saturday and Sunday club"
    content.categories = [term("short-breaks"), term("leisure-and-activities")]
    content.cost_options = [{"amount": Decimal("20.00"), "unit": "hour"}]
    content.schedules = [*content.schedules, {"weekday": "SU", "opens_at": "10:00", "closes_at": "13:00"}]
    content.service_areas = [{"postcode_district": "CV2", "name": "CV2"}]
    offer_edit(offer=offer, actor=staff, content=content)
    offer_submit(offer=offer, actor=staff)
    offer.refresh_from_db()

    changes = {change.label: change for change in offer_diff(offer)}

    assert changes["Name"].before == ["Saturday club"] and changes["Name"].after == ["Saturday and Sunday club"]
    assert changes["Prices"].removed == ["£18.50 per hour, No VAT (not VAT-registered)"]
    assert changes["Prices"].added == ["£20.00 per hour, No VAT (not VAT-registered)"]
    assert changes["When it runs"].added == ["Sunday 10:00 to 13:00"]
    assert changes["When it runs"].removed == []
    assert changes["Areas it reaches"].removed == ["CV1"] and changes["Areas it reaches"].added == ["CV2"]
    assert changes["Kinds of support"].added == [term("leisure-and-activities").name]
    assert not changes["Description"].changed
    assert not changes["Venues"].changed


def test_a_new_offer_is_all_new():
    acme, staff = qa.provider()
    offer = offer_create(actor=staff, content=offer_content(), organisation=acme.organisation)
    offer_submit(offer=offer, actor=staff)
    offer.refresh_from_db()

    changes = offer_diff(offer)

    assert all(change.before is None and change.changed for change in changes)
    assert ["Saturday club"] in [change.after for change in changes]


def test_a_profile_change_is_compared_with_what_the_public_sees():
    acme, staff = qa.provider()
    changes = {"description": "Now with Sunday clubs.", "phone": "024 7600 0000"}
    acme = profile_update(profile=acme, actor=staff, changes=changes)
    profile_submit(profile=acme, actor=staff)
    acme.refresh_from_db()

    changes = {change.label: change for change in profile_diff(acme) if change.changed}

    assert set(changes) == {"Description", "Phone"}
    assert changes["Description"].before == ["We run clubs and short breaks for disabled children."]
    assert changes["Description"].after == ["Now with Sunday clubs."]
    assert changes["Phone"].before == ["Not given"]


def test_the_offer_history_shows_each_version_with_its_decision_and_the_deciding_council(alice, coventry):
    acme, staff = qa.provider()
    offer = offer_create(actor=staff, content=offer_content(), organisation=acme.organisation)
    offer_submit(offer=offer, actor=staff)
    listing_offer_decide(offer=offer, officer=alice, council=coventry, approve=False, reason="Add your prices")
    offer_edit(offer=offer, actor=staff, content=offer_content())
    offer_submit(offer=offer, actor=staff)
    listing_offer_decide(offer=offer, officer=alice, council=coventry, approve=True, reason="")

    history = offer_history(offer)

    decisions = [(entry.what, entry.council, entry.reason) for entry in history if entry.council]
    assert decisions == [
        ("Version 1 approved", "Coventry City Council", ""),
        ("Version 1 returned", "Coventry City Council", "Add your prices"),
    ]
    moves = [entry.what for entry in history if entry.what.startswith("Moved")]
    assert moves == [
        "Moved from waiting for checks to published",
        "Moved from draft to waiting for checks",
        "Moved from waiting for checks to draft",
        "Moved from draft to waiting for checks",
    ]


# --- Decisions --------------------------------------------------------------------------------------


def test_approving_a_new_offer_publishes_it_tells_the_provider_and_records_the_council(alice, coventry):
    acme, staff = qa.provider()
    offer = offer_create(actor=staff, content=offer_content(), organisation=acme.organisation)
    offer_submit(offer=offer, actor=staff)

    listing_offer_decide(offer=offer, officer=alice, council=coventry, approve=True, reason="")

    offer.refresh_from_db()
    assert offer.status == OfferStatus.PUBLISHED
    assert Notification.objects.get(recipient=staff).subject == "Your offer Saturday club has been approved"
    event = AuditEvent.objects.get(action="qa.offer_approved")
    assert (event.actor, event.council) == (alice, coventry)


def test_returning_an_offer_change_needs_a_reason_which_the_provider_is_told(alice, coventry):
    acme, staff = qa.provider()
    offer = published_offer(organisation=acme.organisation)
    offer_edit(offer=offer, actor=staff, content=offer_content(name="Cheaper club"))
    offer_submit(offer=offer, actor=staff)

    with pytest.raises(Exception, match="reason"):
        listing_offer_decide(offer=offer, officer=alice, council=coventry, approve=False, reason="  ")
    listing_offer_decide(offer=offer, officer=alice, council=coventry, approve=False, reason="The price is missing VAT")

    offer.refresh_from_db()
    assert offer.status == OfferStatus.PUBLISHED and offer.live_version.name == "Saturday club"
    assert offer.working_version.state == VersionState.REJECTED
    notification = Notification.objects.get(recipient=staff)
    assert "returned" in notification.subject and "The price is missing VAT" in notification.body


def test_approving_a_profile_change_applies_it_and_tells_the_pa(alice, coventry):
    sam = qa.personal_assistant(of_council=coventry)
    sam = profile_update(profile=sam, actor=sam.user, changes={"description": "Now also evenings."})
    profile_submit(profile=sam, actor=sam.user)

    listing_profile_decide(profile=sam, officer=alice, council=coventry, approve=True, reason="")

    sam.refresh_from_db()
    assert sam.description == "Now also evenings." and sam.pending_changes == {}
    assert "approved" in Notification.objects.get(recipient=sam.user).subject
    assert AuditEvent.objects.get(action="qa.profile_approved").council == coventry


def test_any_councils_officer_may_decide_and_their_council_is_recorded(coventry):
    gloucestershire = qa.council("Gloucestershire County Council")
    bob = qa.qa_officer(gloucestershire)
    sam = qa.personal_assistant(of_council=coventry, publish=False)
    profile_submit(profile=sam, actor=sam.user)

    listing_profile_decide(profile=sam, officer=bob, council=gloucestershire, approve=False, reason="Add a photo")

    sam.refresh_from_db()
    assert sam.status == ProfileStatus.DRAFT
    assert AuditEvent.objects.get(action="qa.profile_returned").council == gloucestershire


def test_the_review_page_approves_through_the_form_and_returns_to_the_queue(client, alice):
    acme, staff = qa.provider()
    offer = offer_create(actor=staff, content=offer_content(), organisation=acme.organisation)
    offer_submit(offer=offer, actor=staff)
    client.force_login(alice)
    url = reverse("providers:qa-offer", args=[offer.public_id])

    page = client.get(url)
    refused = client.post(url, {"decision": "return", "reason": ""})
    approved = client.post(url, {"decision": "approve", "reason": ""})

    assert "Everything in it is new" in page.content.decode()
    assert refused.status_code == 200 and "<title>Error: " in refused.content.decode()
    assert approved.status_code == 302 and approved["Location"] == reverse("providers:qa-queue")
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PUBLISHED
