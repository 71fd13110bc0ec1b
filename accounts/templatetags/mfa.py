"""``{% load mfa %}``: whether a person has two-step verification on, for the administrators' pages."""

from django import template

from accounts.mfa.policy import mfa_is_on
from accounts.models import User

register = template.Library()


@register.filter
def has_two_step_verification(user: User) -> bool:
    return mfa_is_on(user)
