"""``{% shortlisted offer_public_id as on_shortlist %}``: whether an offer is on the visitor's shortlist.

Every result card asks; the answer comes from one read per request (``shortlist_public_ids``).
"""

from django import template

from marketplace.shortlist_selectors import shortlist_public_ids

register = template.Library()


@register.simple_tag(takes_context=True)
def shortlisted(context: template.Context, offer_public_id: object) -> bool:
    request = context.get("request")
    if request is None:
        return False
    return str(offer_public_id) in shortlist_public_ids(request)
