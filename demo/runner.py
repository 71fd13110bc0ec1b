"""Runs the demo builders lowest layer first, in one transaction, sharing one context."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from demo.builders import accounts, brokerage, cms, commissioning, frameworks, payments, providers, qa, reviews, search
from demo.builders import complaints as complaints_builder
from demo.builders import family_workspace as family_workspace_builder
from demo.builders import order_requests as order_requests_builder
from demo.builders import pa_adverts as pa_adverts_builder
from demo.builders import packages as packages_builder
from demo.builders import service_funds as service_funds_builder
from demo.builders import top_ups as top_ups_builder
from demo.context import DemoContext, ProgressStream
from providers.changes import listings_changes_batched


@dataclass(frozen=True)
class Builder:
    label: str
    build: Callable[[DemoContext], None]


# Lowest layer first (ARCHITECTURE.md), so each builder can use what the ones before it made:
# accounts, then providers, search and brokerage, marketplace, and cms last.
BUILDERS: tuple[Builder, ...] = (
    Builder("Councils, organisations and people", accounts.build),
    Builder("Directory: postcodes, providers, personal assistants and offers", providers.build),
    Builder("Quality checks: policies, DBS checks, declarations, insurance and references", qa.build),
    Builder("Framework contracts and a concern", frameworks.build),
    Builder("People supported, budgets, plans, approvals and reviews", brokerage.build),
    Builder("Search index of the published offers", search.build),
    Builder("Enquiries, orders, deliveries and invoices", commissioning.build),
    Builder("Reviews of delivered support, checked and replied to", reviews.build),
    # A fund made before the payment runs has its due instalments paid in the completed run; its statements
    # need that money held by the provider before the council can accept one.
    Builder("Individual service funds held by providers", service_funds_builder.build_fund),
    Builder("Bank details and payment runs", payments.build),
    Builder("Individual service fund statements, reconciled", service_funds_builder.build_statements),
    Builder("Top-ups paid into budgets by bank transfer", top_ups_builder.build),
    Builder("Complaints about support, responded to and decided", complaints_builder.build),
    Builder("Requests for help from families, one answered", family_workspace_builder.build),
    Builder("Guides, news, events and council pages", cms.build),
    Builder("PA adverts, a reply, and the employer's guides they link to", pa_adverts_builder.build),
    Builder("An order waiting for a manager's approval and a broker's declared interest", order_requests_builder.build),
    Builder("A package of support sent to the family to agree", packages_builder.build),
)


@transaction.atomic
def demo_data_build(
    *, scale: int = 1, show_progress: bool = False, progress_stream: ProgressStream | None = None
) -> DemoContext:
    """Create whatever demo data is missing; a failure part-way leaves the database as it was."""
    if scale < 1:
        raise ValueError("The scale must be 1 or more")
    ctx = DemoContext(scale=scale, show_progress=show_progress, progress_stream=progress_stream)
    # Hundreds of listings change: the search index hears of them once, after the build commits.
    with listings_changes_batched():
        for builder in BUILDERS:
            builder.build(ctx)
    return ctx
