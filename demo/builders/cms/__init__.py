"""Seed content for the public site: guides for families and providers, news, events, and a section for
each demo council with its market position statement and its editors.

Pages are found by their slug under their parent; a page already there is left exactly as it is, so
editors' changes to demo content survive a second run.
"""

from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Page

from accounts.models import Organisation
from cms.models import CouncilIndexPage, EventIndexPage, GuidePage, HomePage, NewsIndexPage, StandardPage
from cms.services import council_editor_add, council_group_names, council_section_create
from demo.builders.cms.councils import council_intro, market_position_statement
from demo.builders.cms.families import (
    DIRECT_PAYMENTS,
    EMPLOYING_A_PA,
    FAMILY_PAGES,
    PERSONAL_BUDGETS,
    PERSONAL_BUDGETS_EASY_READ,
    SEVEN_STEPS,
    WHAT_A_BUDGET_CAN_PAY_FOR,
)
from demo.builders.cms.news_events import event_pages, news_pages
from demo.builders.cms.planned import PlannedPage
from demo.builders.cms.providers import HOW_PROVIDERS_JOIN, PROVIDER_PAGES
from demo.context import DemoContext
from demo.councils import COVENTRY, DEMO_COUNCILS, GLOUCESTERSHIRE

TALLY_LABEL = "Content pages"

FEATURED_GUIDES = (
    PERSONAL_BUDGETS,
    WHAT_A_BUDGET_CAN_PAY_FOR,
    SEVEN_STEPS,
    DIRECT_PAYMENTS,
    EMPLOYING_A_PA,
    HOW_PROVIDERS_JOIN,
)

# Demo sign-ins who look after content: (email, council slug, may publish). In Coventry the
# commissioner writes and the council administrator approves, so the review can be shown end to end.
CONTENT_EDITORS = (
    ("commissioner@coventry.demo", COVENTRY.slug, False),
    ("admin@coventry.demo", COVENTRY.slug, True),
    ("admin@gloucestershire.demo", GLOUCESTERSHIRE.slug, True),
)


def build(ctx: DemoContext) -> None:
    home = HomePage.objects.first()
    if home is None:  # the site tree comes from cms migration 0002; without it there is nowhere to publish
        return
    today = timezone.localdate()
    counter = _Counter()
    families = StandardPage.objects.child_of(home).get(slug="for-families")
    providers = StandardPage.objects.child_of(home).get(slug="for-providers")
    guides = {planned.slug: counter.ensure(families, planned) for planned in FAMILY_PAGES}
    guides |= {planned.slug: counter.ensure(providers, planned) for planned in PROVIDER_PAGES}
    _link_easy_read(guides[PERSONAL_BUDGETS.slug], guides[PERSONAL_BUDGETS_EASY_READ.slug])
    _feature_guides(home, [guides[planned.slug] for planned in FEATURED_GUIDES])
    news = NewsIndexPage.objects.child_of(home).first()
    events = EventIndexPage.objects.child_of(home).first()
    for planned in news_pages(today) if news else ():
        counter.ensure(news, planned)
    for planned in event_pages(today) if events else ():
        counter.ensure(events, planned)
    for council in DEMO_COUNCILS:
        section = _council_section(ctx, home, council.slug, counter)
        counter.ensure(section, market_position_statement(section.council.name, today))
    _add_content_editors(ctx)
    ctx.tally.record(TALLY_LABEL, created=counter.created, existing=counter.existing)


class _Counter:
    """Publishes planned pages that are missing and counts what was made and what was there."""

    def __init__(self) -> None:
        self.created = 0
        self.existing = 0

    def ensure(self, parent: Page, planned: PlannedPage) -> Page:
        found = parent.get_children().filter(slug=planned.slug).first()
        if found is not None:
            self.existing += 1
            return found.specific
        page = planned.model(title=planned.title, slug=planned.slug, **planned.fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
        self.created += 1
        return page

    def count(self, *, created: bool) -> None:
        if created:
            self.created += 1
        else:
            self.existing += 1


def _link_easy_read(standard: GuidePage, easy_read: GuidePage) -> None:
    if standard.easy_read_version_id is None:
        standard.easy_read_version = easy_read
        standard.save_revision().publish()


def _feature_guides(home: HomePage, guides: list[Page]) -> None:
    if len(home.featured_guides):
        return  # an editor (or an earlier run) has chosen already
    home.featured_guides = [("guide", guide) for guide in guides]
    home.save_revision().publish()


def _council_section(ctx: DemoContext, home: HomePage, slug: str, counter: _Counter) -> CouncilIndexPage:
    council = ctx.organisations.get(slug) or Organisation.objects.get(slug=slug)
    section = CouncilIndexPage.objects.filter(council=council).first()
    counter.count(created=section is None)
    if section is None:
        section = council_section_create(council=council, parent=home, intro=council_intro(council.name))
    return section


def _add_content_editors(ctx: DemoContext) -> None:
    for email, council_slug, may_publish in CONTENT_EDITORS:
        user = ctx.users.get(email)
        council = ctx.organisations.get(council_slug)
        if user is None or council is None:
            continue
        editors, moderators = council_group_names(council)
        if not Group.objects.filter(name__in=(editors, moderators), user=user).exists():
            council_editor_add(council=council, user=user, can_publish=may_publish)
