"""The public directory pages: a provider, a personal assistant and an offer. Anyone may read them.

Only published records are reached (``providers.selectors.public``); a personal assistant's home
postcode is never put in a page's context, so no template can show it by mistake.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import time
from decimal import Decimal
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language_info

from providers.models import AttendingType, CostOption, Offer, OfferVersion, Upload, Weekday
from providers.selectors import public as selectors
from providers.selectors.ratings import Rating, offer_rating, overall_rating

_WEEKDAY_ORDER = {code: index for index, code in enumerate(Weekday.values)}


def provider_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    profile = selectors.public_provider_get(public_id=public_id)
    offers = list(selectors.public_offers_of_provider(profile))
    return render(
        request,
        "providers/public/provider.html",
        {
            "profile": profile,
            "logo_url": upload_url(profile.logo),
            "languages": language_names(profile.languages),
            "offers": [offer_summary(offer) for offer in offers],
            "rating": overall_rating(offers),
        },
    )


def personal_assistant_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    profile = selectors.public_personal_assistant_get(public_id=public_id)
    offers = list(selectors.public_offers_of_personal_assistant(profile))
    return render(
        request,
        "providers/public/personal_assistant.html",
        {
            "profile": public_personal_assistant(profile),
            "offers": [offer_summary(offer) for offer in offers],
            "rating": overall_rating(offers),
        },
    )


def offer_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    offer = selectors.public_offer_get(public_id=public_id)
    version = offer.live_version
    return render(
        request,
        "providers/public/offer.html",
        {
            "offer": offer,
            "version": version,
            "provider": offer_provider(offer),
            "ages": age_range(version.minimum_age, version.maximum_age),
            "attending": [
                AttendingType(value).label for value in version.attending_types if value in AttendingType.values
            ],
            "at_home": AttendingType.AT_HOME in version.attending_types,
            "prices": [price(option) for option in version.cost_options.all()],
            "schedule": schedule_by_weekday(version),
            "languages": language_names(version.languages),
            "rating": offer_rating(offer),
        },
    )


# --- What the templates show --------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicPersonalAssistant:
    """The parts of a personal assistant's profile that anyone may read: no home postcode, no account."""

    public_id: UUID
    display_name: str
    description: str
    experience: str
    based_in: str
    areas: list[str]
    available_days: list[str]
    available_hours: str
    sleep_ins: bool
    waking_nights: bool
    skills: list[str]
    languages: list[str]
    driving: str
    employment_preference: str
    accessibility: str
    photo_url: str | None


@dataclass(frozen=True)
class Price:
    amount: str
    vat: str
    description: str


@dataclass(frozen=True)
class OfferSummary:
    public_id: UUID
    name: str
    description: str
    categories: list[str]
    from_price: str
    rating: Rating | None = None


@dataclass(frozen=True)
class Provider:
    name: str
    url: str
    is_personal_assistant: bool


def public_personal_assistant(profile) -> PublicPersonalAssistant:  # type: ignore[no-untyped-def]
    return PublicPersonalAssistant(
        public_id=profile.public_id,
        display_name=profile.display_name,
        description=profile.description,
        experience=profile.experience,
        based_in=profile.home_district,
        areas=sorted(profile.areas),
        available_days=[Weekday(code).label for code in sorted(profile.available_days, key=_weekday_index)],
        available_hours=time_span(profile.available_from, profile.available_until),
        sleep_ins=profile.sleep_ins,
        waking_nights=profile.waking_nights,
        skills=[skill.name for skill in profile.skills.all()],
        languages=language_names(profile.languages),
        driving=driving(profile.drives, profile.own_vehicle),
        employment_preference=profile.get_employment_preference_display(),
        accessibility=profile.accessibility,
        photo_url=upload_url(profile.photo),
    )


def offer_summary(offer: Offer) -> OfferSummary:
    version = offer.live_version
    options = list(version.cost_options.all())
    cheapest = min(options, key=lambda option: option.amount) if options else None
    return OfferSummary(
        public_id=offer.public_id,
        name=version.name,
        description=version.description,
        categories=[term.name for term in version.categories.all()],
        from_price=(f"From {money(cheapest.amount)} {cheapest.get_unit_display()}" if cheapest else ""),
        rating=offer_rating(offer),
    )


def offer_provider(offer: Offer) -> Provider:
    if offer.personal_assistant_id:
        assistant = offer.personal_assistant
        url = reverse("providers:public-personal-assistant", args=[assistant.public_id])
        return Provider(name=assistant.display_name, url=url, is_personal_assistant=True)
    profile = offer.organisation.provider_profile
    url = reverse("providers:public-provider", args=[profile.public_id])
    return Provider(name=profile.display_name, url=url, is_personal_assistant=False)


def money(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


def price(option: CostOption) -> Price:
    return Price(
        amount=f"{money(option.amount)} {option.get_unit_display()}",
        vat=option.get_vat_status_display(),
        description=option.description,
    )


def age_range(minimum: int, maximum: int) -> str:
    if minimum == 0:
        return f"From birth to {maximum} years"
    return f"{minimum} to {maximum} years"


def clock(moment: time) -> str:
    """A time as GOV.UK style writes it: 9am, 5:30pm, midday, midnight."""
    if moment.hour == 12 and moment.minute == 0:
        return "midday"
    if moment.hour == 0 and moment.minute == 0:
        return "midnight"
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{'am' if moment.hour < 12 else 'pm'}"


def time_span(opens: time | None, closes: time | None) -> str:
    if opens is None or closes is None:
        return ""
    return f"{clock(opens)} to {clock(closes)}"


@dataclass(frozen=True)
class ScheduleDay:
    weekday: str
    times: list[str]


def schedule_by_weekday(version: OfferVersion) -> list[ScheduleDay]:
    days: dict[str, list[str]] = {}
    for slot in sorted(version.schedules.all(), key=lambda s: (_weekday_index(s.weekday), s.opens_at)):
        text = time_span(slot.opens_at, slot.closes_at)
        days.setdefault(slot.weekday, []).append(f"{text} ({slot.description})" if slot.description else text)
    return [ScheduleDay(weekday=Weekday(code).label, times=times) for code, times in days.items()]


def language_names(codes: Iterable[str]) -> list[str]:
    names = []
    for code in codes:
        try:
            names.append(get_language_info(code)["name"])
        except KeyError:
            names.append(code)
    return names


def driving(drives: bool, own_vehicle: bool) -> str:
    if drives and own_vehicle:
        return "Drives, with their own vehicle"
    if drives:
        return "Drives, without their own vehicle"
    return "Does not drive"


def upload_url(upload: Upload | None) -> str | None:
    """The address of a logo or photo, through the view that checks who may see it.

    Without that view there is no safe address for the file, so the page goes without the picture.
    """
    if upload is None:
        return None
    try:
        return reverse("providers:upload", args=[upload.public_id])
    except NoReverseMatch:
        return None


def _weekday_index(code: str) -> int:
    return _WEEKDAY_ORDER.get(code, len(_WEEKDAY_ORDER))
