"""``{% listing_badges profile %}`` and ``{% offer_badges offer %}``: a listing's badges as GOV.UK tags, each
with what it means beside it. Today's date is read when the page is drawn, so a lapse shows at once."""

from django import template
from django.utils import timezone

from providers.badges import Badge, badges_for_offer, badges_for_profile
from providers.models import Offer, PersonalAssistantProfile, ProviderProfile

register = template.Library()


@register.inclusion_tag("providers/includes/badges.html")
def listing_badges(profile: object, heading_level: int = 2) -> dict[str, object]:
    """``profile`` is a profile, or anything carrying a profile's ``public_id`` (the public pages pass a
    read-only copy of a personal assistant's profile, without the private fields)."""
    return {"badges": _profile_badges(profile), "heading_level": heading_level}


@register.inclusion_tag("providers/includes/badges.html")
def offer_badges(offer: Offer, heading_level: int = 2) -> dict[str, object]:
    return {"badges": badges_for_offer(offer, timezone.localdate()), "heading_level": heading_level}


def _profile_badges(profile: object) -> list[Badge]:
    if not isinstance(profile, ProviderProfile | PersonalAssistantProfile):
        public_id = getattr(profile, "public_id", None)
        profile = (
            PersonalAssistantProfile.objects.filter(public_id=public_id).first()
            or ProviderProfile.objects.filter(public_id=public_id).first()
        )
        if profile is None:
            return []
    return badges_for_profile(profile, timezone.localdate())
