"""Sharing a shortlist: only with brokers and lead professionals in your council's area, who are told by
email and in the site and see it read-only without your notes; you can stop sharing; every share is
audited; anyone else's shortlist answers 404."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEvent, Notification
from accounts.roles import Role
from marketplace.models import ShortlistItem, ShortlistShare
from marketplace.services import shortlists as services
from marketplace.tests import shortlist_factories as make

pytestmark = pytest.mark.django_db

SHARE = reverse("marketplace:shortlist-share")
SHARED = reverse("marketplace:shortlists-shared")


@pytest.fixture
def coventry():
    return make.council("Coventry City Council")


@pytest.fixture
def alice(coventry):
    return make.family_member(coventry, first_name="Alice", last_name="Adams")


@pytest.fixture
def bob(coventry):
    return make.broker(coventry, first_name="Bob", last_name="Brown")


@pytest.fixture
def charlie(coventry):
    return make.family_member(coventry, first_name="Charlie", last_name="Clark")


@pytest.fixture
def club(alice):
    offer = make.offer("Saturday club")
    item = services.shortlist_offer_add(owner=alice, offer=offer)
    services.shortlist_note_set(item=item, note="Private: ask about the waiting list")
    return offer


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def shared_url(share: ShortlistShare, name: str = "marketplace:shortlist-shared") -> str:
    return reverse(name, args=[share.shortlist.public_id])


def share_with(owner, recipient) -> ShortlistShare:  # type: ignore[no-untyped-def]
    return services.shortlist_share(owner=owner, recipient_membership=make.membership_of(recipient))


# --- Who may be chosen ----------------------------------------------------------------------------------


def test_only_brokers_and_lead_professionals_of_your_council_area_are_offered(alice, bob, coventry, club):
    council_lead = make.member(Role.LEAD_PROFESSIONAL, coventry, first_name="Cara", last_name="Council")
    nhs_lead = make.nhs_lead_professional(coventry, first_name="Lena", last_name="Nhs")
    leeds = make.council("Leeds City Council")
    make.broker(leeds, first_name="Other", last_name="Broker")
    make.nhs_lead_professional(leeds, first_name="Other", last_name="Lead")
    make.member(Role.COMMISSIONER, coventry, first_name="Cody", last_name="Commissioner")
    make.family_member(coventry, first_name="Fran", last_name="Family")

    html = signed_in(alice).get(SHARE).content.decode()

    for person in (bob, council_lead, nhs_lead):
        assert str(person) in html
    for name in ("Other Broker", "Other Lead", "Cody Commissioner", "Fran Family", "Alice Adams"):
        assert name not in html


def test_someone_outside_your_council_area_is_refused(alice, club):
    stranger = make.broker(make.council("Leeds City Council"))
    client = signed_in(alice)

    response = client.post(SHARE, {"recipient": make.membership_of(stranger).public_id})

    assert "<title>Error: " in response.content.decode()
    assert not ShortlistShare.objects.exists()
    with pytest.raises(Exception, match="council's area"):
        share_with(alice, stranger)


def test_an_empty_shortlist_cannot_be_shared(alice, bob):
    with pytest.raises(Exception, match="before you share it"):
        share_with(alice, bob)


def test_sharing_twice_with_the_same_person_is_refused(alice, bob, club):
    share_with(alice, bob)

    with pytest.raises(Exception, match="already share"):
        share_with(alice, bob)


# --- Sharing, telling and auditing ----------------------------------------------------------------------


def test_sharing_tells_the_recipient_by_email_and_in_the_site_and_is_audited(
    alice, bob, club, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = signed_in(alice).post(SHARE, {"recipient": make.membership_of(bob).public_id})

    assert response.status_code == 302
    share = ShortlistShare.objects.get()
    assert share.recipient == bob and share.is_active
    notification = Notification.objects.get(recipient=bob)
    assert notification.subject == "Alice Adams shared their shortlist with you"
    assert notification.link == shared_url(share)
    assert callbacks, "the email is queued after commit"
    event = AuditEvent.objects.get(action="shortlist.shared")
    assert event.actor == alice and event.target_id == str(share.shortlist.public_id)
    assert event.council == make.membership_of(bob).council


def test_the_recipient_sees_the_shortlist_read_only_and_without_notes(alice, bob, club):
    share = share_with(alice, bob)
    client = signed_in(bob)

    listing = client.get(SHARED).content.decode()
    html = client.get(shared_url(share)).content.decode()

    assert "Alice Adams" in listing and shared_url(share) in listing
    assert "Saturday club" in html
    assert "waiting list" not in html
    assert reverse("marketplace:shortlist-remove") not in html and "Add a note" not in html


def test_the_recipient_downloads_the_shared_shortlist_without_notes(alice, bob, club):
    share = share_with(alice, bob)

    response = signed_in(bob).get(shared_url(share, "marketplace:shortlist-shared-export"))

    content = response.content.decode("utf-8-sig")
    assert "Saturday club" in content and "waiting list" not in content and "Your note" not in content


def test_the_recipient_compares_offers_on_the_shared_shortlist(alice, bob, club):
    swim = make.offer("Swimming")
    services.shortlist_offer_add(owner=alice, offer=swim)
    share = share_with(alice, bob)
    url = shared_url(share, "marketplace:shortlist-shared-compare")

    html = signed_in(bob).get(url, {"offer": [club.public_id, swim.public_id]}).content.decode()

    assert "Compare offers" in html and html.count('<th scope="col"') == 2


def test_the_owner_sees_who_they_share_with_and_can_stop(alice, bob, club):
    share = share_with(alice, bob)
    client = signed_in(alice)
    assert "Bob Brown" in client.get(reverse("marketplace:shortlist")).content.decode()

    client.post(reverse("marketplace:shortlist-share-stop", args=[share.public_id]))

    share.refresh_from_db()
    assert not share.is_active
    assert AuditEvent.objects.filter(action="shortlist.share_stopped", actor=alice).exists()
    assert signed_in(bob).get(shared_url(share)).status_code == 404


def test_the_recipient_sees_changes_the_owner_makes(alice, bob, club):
    share = share_with(alice, bob)
    services.shortlist_offer_add(owner=alice, offer=make.offer("Swimming"))

    assert "Swimming" in signed_in(bob).get(shared_url(share)).content.decode()


def test_brokers_and_lead_professionals_get_a_shared_shortlists_link(bob, alice):
    assert f'href="{SHARED}"' in signed_in(bob).get(SHARED).content.decode()
    assert f'href="{SHARED}"' not in signed_in(alice).get(reverse("marketplace:shortlist")).content.decode()


# --- Who may see what: 404 for anyone else's --------------------------------------------------------------


def test_a_shared_shortlist_answers_404_to_anyone_but_its_recipient(access, alice, bob, charlie, club):
    share = share_with(alice, bob)
    other_broker = make.broker(make.council("Leeds City Council"))
    for name in (
        "marketplace:shortlist-shared",
        "marketplace:shortlist-shared-compare",
        "marketplace:shortlist-shared-export",
    ):
        url = shared_url(share, name)
        access.not_found(charlie, url)
        access.not_found(other_broker, url)
        access.sign_in_required(url)
    access.ok(bob, shared_url(share))
    access.ok(bob, shared_url(share, "marketplace:shortlist-shared-export"))


def test_stopping_a_share_answers_404_to_anyone_but_the_owner(access, alice, bob, charlie, club):
    share = share_with(alice, bob)
    url = reverse("marketplace:shortlist-share-stop", args=[share.public_id])

    access.not_found(charlie, url, method="post")
    access.not_found(bob, url, method="post")
    access.sign_in_required(url, method="post")
    share.refresh_from_db()
    assert share.is_active


def test_someone_elses_shortlist_items_are_not_reachable(access, alice, charlie, club):
    note_url = reverse("marketplace:shortlist-note", args=[club.public_id])
    access.not_found(charlie, note_url)

    signed_in(charlie).post(reverse("marketplace:shortlist-remove"), {"offer": club.public_id})

    assert ShortlistItem.objects.filter(shortlist__owner=alice, offer=club).exists()


def test_sharing_pages_need_signing_in(access, alice):
    access.sign_in_required(SHARE)
    access.sign_in_required(SHARE, method="post")
    access.sign_in_required(SHARED)
    access.ok(alice, SHARE)
    access.ok(alice, SHARED)


def test_your_own_shortlist_pages_are_open_to_everyone(access, alice):
    for name in ("marketplace:shortlist", "marketplace:shortlist-export"):
        access.ok(None, reverse(name))
        access.ok(alice, reverse(name))
