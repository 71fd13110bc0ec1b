"""Shortlists: adding and removing offers (saved when signed in, in the session otherwise), merging on
sign-in, the shortlist page, notes, comparing up to four offers, the CSV and the header count."""

import csv
import io

import pytest
from django.db import connection
from django.template import RequestContext, Template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marketplace.models import ShortlistItem
from marketplace.services import shortlists as services
from marketplace.tests import shortlist_factories as make

pytestmark = pytest.mark.django_db

SHORTLIST = reverse("marketplace:shortlist")
ADD = reverse("marketplace:shortlist-add")
REMOVE = reverse("marketplace:shortlist-remove")
COMPARE = reverse("marketplace:shortlist-compare")
EXPORT = reverse("marketplace:shortlist-export")


def offer_url(offer) -> str:  # type: ignore[no-untyped-def]
    return reverse("providers:public-offer", args=[offer.public_id])


def note_url(offer) -> str:  # type: ignore[no-untyped-def]
    return reverse("marketplace:shortlist-note", args=[offer.public_id])


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def saved_names(user) -> list[str]:  # type: ignore[no-untyped-def]
    items = ShortlistItem.objects.filter(shortlist__owner=user).select_related("offer__live_version")
    return [item.offer.live_version.name for item in items]


# --- Adding and removing ------------------------------------------------------------------------------


def test_a_visitor_who_is_not_signed_in_keeps_their_shortlist_in_the_session():
    club = make.offer("Saturday club")
    client = Client()

    response = client.post(ADD, {"offer": club.public_id, "next": offer_url(club)})

    assert response.status_code == 302 and response["Location"] == offer_url(club)
    assert client.session["shortlist"]["offers"] == [str(club.public_id)]
    assert ShortlistItem.objects.count() == 0
    assert "Saturday club" in client.get(SHORTLIST).content.decode()


def test_a_signed_in_users_shortlist_is_saved():
    alice = make.family_member(make.council())
    club = make.offer("Saturday club")

    signed_in(alice).post(ADD, {"offer": club.public_id})

    assert saved_names(alice) == ["Saturday club"]


def test_adding_the_same_offer_twice_keeps_one_entry():
    alice = make.family_member(make.council())
    club = make.offer()
    client = signed_in(alice)

    client.post(ADD, {"offer": club.public_id})
    client.post(ADD, {"offer": club.public_id})

    assert ShortlistItem.objects.filter(shortlist__owner=alice).count() == 1


def test_an_offer_that_is_not_published_cannot_be_added():
    club = make.withdrawn(make.offer())

    response = Client().post(ADD, {"offer": club.public_id})

    assert response.status_code == 404


def test_adding_needs_a_post():
    club = make.offer()

    assert Client().get(ADD, {"offer": club.public_id}).status_code == 405


def test_removing_takes_the_offer_off_a_saved_shortlist():
    alice = make.family_member(make.council())
    club, swim = make.offer("Saturday club"), make.offer("Swimming")
    services.shortlist_offer_add(owner=alice, offer=club)
    services.shortlist_offer_add(owner=alice, offer=swim)

    signed_in(alice).post(REMOVE, {"offer": club.public_id})

    assert saved_names(alice) == ["Swimming"]


def test_removing_takes_the_offer_off_a_session_shortlist():
    club = make.offer()
    client = Client()
    client.post(ADD, {"offer": club.public_id})

    client.post(REMOVE, {"offer": club.public_id})

    assert "shortlist" not in client.session


def test_a_next_address_on_another_site_is_ignored():
    club = make.offer()

    response = Client().post(ADD, {"offer": club.public_id, "next": "https://evil.example/"})

    assert response["Location"] == SHORTLIST


def test_a_full_shortlist_refuses_another_offer(monkeypatch):
    monkeypatch.setattr(services, "SHORTLIST_MAX_OFFERS", 1)
    alice = make.family_member(make.council())
    services.shortlist_offer_add(owner=alice, offer=make.offer("Saturday club"))

    response = signed_in(alice).post(ADD, {"offer": make.offer("Swimming").public_id}, follow=True)

    assert saved_names(alice) == ["Saturday club"]
    assert "Your shortlist is full" in response.content.decode()


def test_with_htmx_the_button_is_swapped_with_a_status_message_and_the_header_count():
    club = make.offer("Saturday club")

    response = Client().post(ADD, {"offer": club.public_id, "next": offer_url(club)}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Remove from shortlist" in html and "Add to shortlist" not in html
    assert f'value="{offer_url(club)}"' in html  # the new button still goes back to the offer page
    assert f'id="shortlist-status-{club.public_id}" hx-swap-oob="innerHTML">Saturday club is on your shortlist' in html
    assert 'id="app-shortlist-count" hx-swap-oob="innerHTML">1<' in html


# --- The toggle on pages ------------------------------------------------------------------------------


def test_the_offer_page_shows_add_then_remove():
    club = make.offer()
    client = Client()

    assert "Add to shortlist" in client.get(offer_url(club)).content.decode()
    client.post(ADD, {"offer": club.public_id})
    html = client.get(offer_url(club)).content.decode()

    assert "Remove from shortlist" in html
    assert f'action="{REMOVE}"' in html and 'name="csrfmiddlewaretoken"' in html


def test_many_toggles_on_one_page_read_the_shortlist_once():
    alice = make.family_member(make.council())
    offers = [make.offer(f"Club {number}") for number in range(4)]
    services.shortlist_offer_add(owner=alice, offer=offers[0])
    template = Template(
        '{% for id in ids %}{% include "marketplace/includes/shortlist_toggle.html" with offer_public_id=id %}'
        "{% endfor %}{{ shortlist_count }}"
    )

    def render(ids: list) -> tuple[str, list[str]]:  # type: ignore[type-arg]
        request = RequestFactory().get("/search/")
        request.user, request.session = alice, {}
        with CaptureQueriesContext(connection) as queries:
            html = template.render(RequestContext(request, {"ids": ids}))
        return html, [query["sql"] for query in queries.captured_queries if "marketplace_" in query["sql"]]

    _, one_card = render([offers[0].public_id])
    html, four_cards = render([offer.public_id for offer in offers])

    assert len(one_card) == len(four_cards) == 1
    assert html.count("Remove from shortlist") == 1 and html.count("Add to shortlist") == 3


def test_the_header_shows_how_many_offers_are_on_the_shortlist():
    client = Client()
    client.post(ADD, {"offer": make.offer("Saturday club").public_id})
    client.post(ADD, {"offer": make.offer("Swimming").public_id})

    html = client.get(SHORTLIST).content.decode()

    assert 'Shortlist (<span id="app-shortlist-count">2</span>)' in html


# --- Signing in ---------------------------------------------------------------------------------------


def test_signing_in_merges_the_session_shortlist_without_duplicates():
    alice = make.family_member(make.council())
    club, swim, art = make.offer("Saturday club"), make.offer("Swimming"), make.offer("Art")
    services.shortlist_offer_add(owner=alice, offer=club)
    client = Client()
    client.post(ADD, {"offer": club.public_id})
    client.post(ADD, {"offer": swim.public_id})
    client.post(ADD, {"offer": art.public_id})

    client.force_login(alice)

    assert saved_names(alice) == ["Saturday club", "Swimming", "Art"]
    assert "shortlist" not in client.session


def test_signing_in_keeps_a_note_made_before_and_drops_offers_no_longer_published():
    alice = make.family_member(make.council())
    club, swim = make.offer("Saturday club"), make.offer("Swimming")
    client = Client()
    client.post(ADD, {"offer": club.public_id})
    client.post(ADD, {"offer": swim.public_id})
    client.post(note_url(club), {"note": "Ask about Sundays"})
    make.withdrawn(swim)

    client.force_login(alice)

    [item] = ShortlistItem.objects.filter(shortlist__owner=alice)
    assert item.offer == club and item.note == "Ask about Sundays"


# --- The shortlist page -------------------------------------------------------------------------------


def test_the_shortlist_lists_name_provider_price_badges_and_a_link_to_the_offer():
    club = make.offer("Saturday club")
    client = Client()
    client.post(ADD, {"offer": club.public_id})

    html = client.get(SHORTLIST).content.decode()

    assert f'href="{offer_url(club)}">Saturday club</a>' in html
    assert "Saturday club Ltd" in html
    assert "£18.50 per hour" in html
    assert "Checks and quality" in html


def test_an_offer_no_longer_published_is_shown_as_no_longer_available_without_its_details():
    alice = make.family_member(make.council())
    club = make.offer("Secret club", description="Details nobody should see now.")
    services.shortlist_offer_add(owner=alice, offer=club)
    make.withdrawn(club)

    html = signed_in(alice).get(SHORTLIST).content.decode()

    assert "No longer available" in html
    assert "Secret club" not in html and "£18.50" not in html


def test_an_empty_shortlist_says_how_to_add_offers():
    html = Client().get(SHORTLIST).content.decode()

    assert "Your shortlist is empty" in html


# --- Notes ----------------------------------------------------------------------------------------------


def test_a_note_is_saved_and_shown_on_the_shortlist():
    alice = make.family_member(make.council())
    club = make.offer()
    services.shortlist_offer_add(owner=alice, offer=club)
    client = signed_in(alice)

    response = client.post(note_url(club), {"note": "  Ask about Sunday sessions  "})

    assert response.status_code == 302
    assert ShortlistItem.objects.get(shortlist__owner=alice).note == "Ask about Sunday sessions"
    assert "Ask about Sunday sessions" in client.get(SHORTLIST).content.decode()


def test_a_note_that_is_too_long_is_shown_again_with_an_error():
    club = make.offer()
    client = Client()
    client.post(ADD, {"offer": club.public_id})

    response = client.post(note_url(club), {"note": "x" * 1001})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html and "1000 characters or fewer" in html


def test_a_note_on_an_offer_that_is_not_on_your_shortlist_answers_404(access):
    alice, charlie = make.family_member(make.council()), make.family_member(make.council())
    club = make.offer()
    services.shortlist_offer_add(owner=alice, offer=club)

    access.not_found(charlie, note_url(club))
    access.not_found(charlie, note_url(club), method="post")
    access.not_found(None, note_url(club))
    access.ok(alice, note_url(club))


# --- Comparing ----------------------------------------------------------------------------------------


def _shortlist_of(client: Client, *names: str) -> list:
    offers = [make.offer(name) for name in names]
    for offer in offers:
        client.post(ADD, {"offer": offer.public_id})
    return offers


def test_two_offers_are_compared_side_by_side():
    client = Client()
    club, swim, art = _shortlist_of(client, "Saturday club", "Swimming", "Art")

    response = client.get(COMPARE, {"offer": [club.public_id, swim.public_id]})

    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-l">Compare offers</h1>' in html
    assert html.count('<th scope="col"') == 2 and offer_url(art) not in html
    for row in ("Price per unit", "Kind of support", "Ages", "Days and times", "Where", "Area", "Checks and quality"):
        assert f'<th scope="row" class="govuk-table__header">{row}</th>' in html
    assert "Places or hours free now" in html and "Saturday: 10am to 3pm" in html


def test_choosing_more_than_four_offers_shows_the_shortlist_again_with_an_error():
    client = Client()
    offers = _shortlist_of(client, "A club", "B club", "C club", "D club", "E club")

    response = client.get(COMPARE, {"offer": [offer.public_id for offer in offers]})

    html = response.content.decode()
    assert "<title>Error: Your shortlist" in html
    assert "Choose no more than 4 offers to compare: you chose 5" in html
    assert html.count("checked") == 5  # the choices are kept


def test_choosing_one_offer_asks_for_at_least_two():
    client = Client()
    [club, _] = _shortlist_of(client, "Saturday club", "Swimming")

    html = client.get(COMPARE, {"offer": [club.public_id]}).content.decode()

    assert "Choose at least 2 offers to compare" in html


def test_an_offer_that_is_not_on_the_shortlist_cannot_be_compared():
    client = Client()
    [club, _] = _shortlist_of(client, "Saturday club", "Swimming")
    stranger = make.offer("Not mine")

    html = client.get(COMPARE, {"offer": [club.public_id, stranger.public_id]}).content.decode()

    assert "Choose offers from the shortlist" in html and "Not mine" not in html


# --- The CSV ------------------------------------------------------------------------------------------


def test_the_shortlist_downloads_as_csv_with_notes_and_unavailable_offers_marked():
    alice = make.family_member(make.council())
    club, gone = make.offer("Saturday club"), make.offer("Gone club")
    services.shortlist_offer_add(owner=alice, offer=club)
    services.shortlist_offer_add(owner=alice, offer=gone)
    services.shortlist_note_set(item=ShortlistItem.objects.get(offer=club), note="Ask about Sundays")
    make.withdrawn(gone)

    response = signed_in(alice).get(EXPORT)

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Offer" and rows[0][-1] == "Your note"
    assert rows[1][0] == "Saturday club" and rows[1][1] == "Saturday club Ltd" and rows[1][-1] == "Ask about Sundays"
    assert rows[1][3] == "£18.50 per hour" and rows[1][-2].endswith(offer_url(club))
    assert rows[2][0] == "No longer available" and "Gone club" not in response.content.decode()
