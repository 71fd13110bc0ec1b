"""A page the demo plans to create: its type, where it goes (by slug) and its fields."""

from dataclasses import dataclass, field
from typing import Any

from wagtail.models import Page


@dataclass(frozen=True)
class PlannedPage:
    model: type[Page]
    slug: str
    title: str
    fields: dict[str, Any] = field(default_factory=dict)
