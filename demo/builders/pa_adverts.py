"""PA recruitment in the demo: the employer's guide pages the checklist links to, and Claire's advert for a
PA for Tom, sent to Chloe (the demo PA), who has replied.

The guide pages go under the families' guide to employing a PA, at the paths PA_EMPLOYER_GUIDANCE_PATH and
marketplace.pa_advert_selectors.CHECKLIST_GUIDES name. The advert goes through
``marketplace.services.pa_adverts`` (notifications and audit rows as real use leaves them). What is there
already is left as it is, so a second run creates nothing.
"""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from wagtail.models import Page

from brokerage.models import PersonSupported
from cms.models import GuidePage
from demo.builders.cms.planned import PlannedPage
from demo.builders.cms.streams import heading, inset, text, warning
from demo.context import DemoContext
from marketplace.models import PAAdvert
from marketplace.pa_advert_selectors import CHECKLIST_GUIDES
from marketplace.services import pa_adverts as services
from providers.models import PersonalAssistantProfile

FAMILY_EMAIL = "family@coventry.demo"
PA_EMAIL = "pa@coventry.demo"


def _guide(item: str, title: str, summary: str, *body: tuple[str, object]) -> PlannedPage:
    return PlannedPage(GuidePage, CHECKLIST_GUIDES[item].strip("/"), title, {"summary": summary, "body": list(body)})


EMPLOYER_GUIDES = (
    _guide(
        "right_to_work",
        "Checking a PA's right to work",
        "Before your PA starts, check that they are allowed to work in the UK.",
        text(
            "You must check that anyone you employ is allowed to work in the UK. Do it before their first day.",
            "Look at their passport, or use the online service with the share code they give you. "
            "Check the photo looks like them.",
        ),
        inset("Write down the date you checked and the kind of document. You do not need to keep a copy here."),
    ),
    _guide(
        "dbs",
        "Getting a DBS check for a PA",
        "A PA who works with children needs an enhanced DBS check, made through an umbrella body.",
        text(
            "You cannot ask for a DBS check yourself. An umbrella body does it for you, for a small fee. "
            "Your council or broker can tell you which umbrella bodies they use.",
            "When the certificate comes, your PA shows it to you. Write down the date you saw it.",
        ),
        warning("Never write the certificate number or anything the certificate says in your checklist."),
    ),
    _guide(
        "insurance",
        "Employer's liability insurance",
        "The law says most employers must have this insurance. It pays out if your PA is hurt at work.",
        text(
            "Buy a policy before your PA starts. Many insurers sell policies made for people who employ a PA.",
            "Write down the insurer and the date the policy ends, so that you remember to renew it.",
        ),
    ),
    _guide(
        "payroll",
        "Choosing a payroll service",
        "A payroll service works out your PA's tax and National Insurance, and their payslips.",
        text(
            "Most families use a payroll service. It tells HMRC what you paid and works out what you owe.",
            "The cost of a payroll service can be paid from your direct payment.",
        ),
    ),
    _guide(
        "contract",
        "A contract for your PA",
        "Give your PA a written contract: their hours, pay, holidays and what happens if they are ill.",
        heading("What the contract says"),
        text(
            "By law, your PA must have a written statement of their terms from their first day.",
            "Your broker or a PA support service can give you a template.",
        ),
    ),
)


def build(ctx: DemoContext) -> None:
    guides = _guides_ensure()
    adverts = _advert_ensure(ctx)
    ctx.tally.record("PA employer's guides", created=guides, existing=len(EMPLOYER_GUIDES) - guides)
    ctx.tally.record("PA adverts", created=adverts, existing=0 if adverts else 1)


def _guides_ensure() -> int:
    path = settings.PA_EMPLOYER_GUIDANCE_PATH.strip("/")
    parent = Page.objects.filter(url_path__endswith=f"/{path}/").first()
    if parent is None:  # the families' guides are made by the CMS builder, which may not have run
        return 0
    created = 0
    for planned in EMPLOYER_GUIDES:
        if parent.get_children().filter(slug=planned.slug).exists():
            continue
        page = planned.model(title=planned.title, slug=planned.slug, **planned.fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
        created += 1
    return created


def _advert_ensure(ctx: DemoContext) -> int:
    claire = ctx.users.get(FAMILY_EMAIL)
    chloe = PersonalAssistantProfile.objects.filter(user__email=PA_EMAIL).first()
    person = (
        PersonSupported.objects.filter(consent_holders__user=claire, consent_holders__ended_at__isnull=True)
        .order_by("pk")
        .first()
        if claire
        else None
    )
    if person is None or chloe is None or PAAdvert.objects.filter(person=person).exists():
        return 0
    today = timezone.localdate()
    wage = services.national_living_wage_for(person=person, day=today + timedelta(days=28))
    advert = services.pa_advert_create(
        person=person,
        actor=claire,
        title=f"PA for {person.first_name} on Saturday mornings",
        hours_per_week=Decimal("4"),
        days_and_times="Saturdays, 9am to 1pm",
        postcode_district=chloe.home_district or "CV3",
        tasks="Go swimming and to the park together, and help make lunch",
        skills_wanted="Experience with autistic children; calm and patient",
        hourly_pay=max(wage, Decimal("13.50")),
        start_date=today + timedelta(days=28),
        about_family="We are a busy, friendly family with a dog.",
        closing_date=today + timedelta(days=14),
    )
    services.pa_advert_send(advert=advert, actor=claire, pas=[chloe], publish_to_area=False)
    services.pa_reply_send(
        advert=advert,
        pa=chloe,
        message="I support two autistic children already and love swimming. I would be glad to meet.",
        availability="Saturdays, from next month",
    )
    return 1
