from decimal import Decimal

import pytest

from providers.exceptions import PostcodeError
from providers.postcodes import district_of, locate, normalise, normalise_full
from providers.tests.factories import PostcodeFactory


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("cv1 2gt", "CV1 2GT"), ("CV12GT", "CV1 2GT"), ("  sw1a 1aa ", "SW1A 1AA"), ("ne1", "NE1"), ("EC1A", "EC1A")],
)
def test_postcodes_are_normalised(raw, expected):
    assert normalise(raw) == expected


@pytest.mark.parametrize("raw", ["", "12345", "CV1 2G", "CV1 2CI", "not a postcode", "CV1 2GTX"])
def test_malformed_postcodes_are_refused(raw):
    with pytest.raises(PostcodeError):
        normalise(raw)


def test_a_district_is_not_a_full_postcode():
    with pytest.raises(PostcodeError, match="full postcode"):
        normalise_full("CV1")


def test_district_of_a_full_postcode():
    assert district_of("cv3 5ab") == "CV3"


@pytest.mark.django_db
def test_locate_finds_a_full_postcode_in_the_gazetteer():
    PostcodeFactory(postcode="CV1 2GT", latitude=Decimal("52.4"), longitude=Decimal("-1.5"))

    place = locate("cv12gt")

    assert (place.postcode, place.district, place.council_code) == ("CV1 2GT", "CV1", "E08000026")
    assert place.latitude == Decimal("52.4")


@pytest.mark.django_db
def test_locate_falls_back_to_the_district_centre():
    PostcodeFactory(postcode="CV3", latitude=Decimal("52.38"))

    assert locate("CV3 9ZZ").latitude == Decimal("52.38")


@pytest.mark.django_db
def test_an_unknown_postcode_is_refused_with_a_clear_message():
    with pytest.raises(PostcodeError, match="We do not know the postcode ZZ9 9ZZ"):
        locate("ZZ9 9ZZ")
