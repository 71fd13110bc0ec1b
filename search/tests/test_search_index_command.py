"""manage.py search_index: --rebuild with a progress bar, --verify against the database, --offers."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from search.backends import get_backend
from search.models import OfferDocument
from search.tests.factories import listing

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("search_index", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_rebuild_indexes_every_published_offer_with_a_progress_bar():
    offers = [listing(name=f"Club {n}") for n in range(3)]

    out, err = run("--rebuild")

    assert "Indexed 3 published offers" in out
    assert "Indexing offers" in err and "3/3" in err
    assert set(OfferDocument.objects.values_list("offer_id", flat=True)) == {offer.pk for offer in offers}


def test_verify_passes_when_the_index_matches():
    listing(name="Club")
    run("--rebuild")

    out, _ = run("--verify")

    assert "The index matches the database (1 documents compared)" in out


def test_verify_fails_naming_offers_missing_from_the_index():
    indexed, missing = listing(name="Indexed club"), listing(name="Missing club")
    get_backend().index([indexed.pk])
    out = StringIO()

    with pytest.raises(CommandError, match="run search_index --rebuild"):
        call_command("search_index", "--verify", stdout=out)

    assert f"Missing from the index: {missing.pk}" in out.getvalue()


def test_verify_names_the_offers_it_finds_out_of_date():
    offer = listing(name="Club")
    run("--rebuild")
    OfferDocument.objects.filter(offer=offer).update(name="An old name")
    out = StringIO()

    with pytest.raises(CommandError):
        call_command("search_index", "--verify", stdout=out)

    assert f"Out of date (of 1 compared): {offer.pk}" in out.getvalue()


def test_offers_brings_the_named_offers_up_to_date():
    offer = listing(name="Club")

    out, _ = run("--offers", str(offer.pk))

    assert "Brought 1 offers up to date" in out
    assert OfferDocument.objects.filter(offer=offer).exists()


def test_one_action_must_be_chosen():
    with pytest.raises(CommandError):
        run()
