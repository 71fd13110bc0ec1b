"""News stories and events, dated around the day the demo data is made so that some are still to come."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from cms.models import Attendance, Audience, EventPage, NewsPage
from demo.builders.cms.families import NATIONAL_LIVING_WAGE
from demo.builders.cms.planned import PlannedPage
from demo.builders.cms.streams import directory, link, text

NATIONAL_LIVING_WAGE_RISE = date(2026, 4, 1)


def _news(slug: str, title: str, day: date, summary: str, *body: tuple[str, object]) -> PlannedPage:
    return PlannedPage(NewsPage, slug, title, {"date": day, "summary": summary, "body": list(body)})


def news_pages(today: date) -> tuple[PlannedPage, ...]:
    return (
        _news(
            "new-guides-for-families",
            "New guides for families on what a budget can pay for",
            today - timedelta(days=3),
            "We have published guides on personal budgets, direct payments and employing a personal "
            "assistant, with real examples of what families have bought.",
            text(
                "Families told us they did not know what a personal budget could buy. Our new guides explain "
                "it in plain English, with real examples and prices.",
                f"Start with {link('/for-families/what-a-budget-can-pay-for/', 'what a budget can pay for')} "
                f"or {link('/for-families/seven-steps/', 'the seven steps to getting support')}. There is an "
                f"{link('/for-families/personal-budgets-easy-read/', 'easy read guide to personal budgets')} too.",
            ),
        ),
        _news(
            "provider-forums",
            "Provider forums: tell us what families are asking for",
            today - timedelta(days=10),
            "Councils are holding forums where providers and commissioners talk about the support families "
            "want to buy.",
            text(
                "At each forum, council commissioners share what families search for and cannot find. "
                "Providers can ask questions about framework contracts, checks and getting paid.",
                f"See the {link('/events/', 'events page')} for dates near you.",
            ),
        ),
        _news(
            "national-living-wage-april-2026",
            "The National Living Wage is now £12.71 an hour",
            NATIONAL_LIVING_WAGE_RISE,
            f"From April 2026, personal assistants aged 21 and over must be paid at least {NATIONAL_LIVING_WAGE}.",
            text(
                f"If you employ a personal assistant with a direct payment, check that their pay is at least "
                f"{NATIONAL_LIVING_WAGE} from 1 April 2026. Your payroll service can help.",
                "If your budget no longer covers the hours in your plan, talk to your council.",
                f"{link('/for-families/employing-a-personal-assistant/', 'Read about employing a PA')}.",
            ),
        ),
    )


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _event(slug: str, title: str, starts: datetime, ends: datetime, summary: str, **fields: object) -> PlannedPage:
    return PlannedPage(
        EventPage, slug, title, {"starts_at": starts, "ends_at": ends, "summary": summary, "body": [], **fields}
    )


def event_pages(today: date) -> tuple[PlannedPage, ...]:
    forum, online, coffee, past = (today + timedelta(days=offset) for offset in (21, 14, 35, -20))
    return (
        _event(
            "provider-forum-short-breaks-and-pas",
            "Provider forum: short breaks and personal assistants",
            _at(forum, 10),
            _at(forum, 12, 30),
            "Commissioners share where families cannot find short breaks or personal assistants, and how "
            "providers can help.",
            attendance=Attendance.IN_PERSON,
            audience=Audience.PROVIDERS,
            venue="Council House, Earl Street, Coventry",
        ),
        _event(
            "getting-started-with-a-direct-payment",
            "Getting started with a direct payment",
            _at(online, 18, 30),
            _at(online, 19, 30),
            "An hour for families: how a direct payment works, what it can pay for and where to get help.",
            attendance=Attendance.ONLINE,
            audience=Audience.FAMILIES,
            online_details="On Microsoft Teams. Ask your council's family information service for the link.",
            body=[directory("Find support you can pay for with a direct payment")],
        ),
        _event(
            "employing-your-own-pa-coffee-morning",
            "Employing your own personal assistant: a coffee morning",
            _at(coffee, 10),
            _at(coffee, 11, 30),
            "Meet families who employ their own PAs, and a payroll service that can answer your questions.",
            attendance=Attendance.BOTH,
            audience=Audience.FAMILIES,
            venue="Tile Hill Library, Coventry",
            online_details="On Zoom. Ask your council's family information service for the link.",
        ),
        _event(
            "family-information-day",
            "Family information day",
            _at(past, 10),
            _at(past, 15),
            "Drop in to talk to the family information service, brokers and local providers.",
            attendance=Attendance.IN_PERSON,
            audience=Audience.EVERYONE,
            venue="Central Library, Smithford Way, Coventry",
        ),
    )
