"""Create the site tree every deployment needs: the home page, the ways in for each group of users,
and the pages the footer links to (accessibility statement, privacy notice, cookies).

Editors change the words in the CMS; these pages only have to exist so that no link is broken.
"""

import uuid

from django.db import migrations

HOME_INTRO = (
    "<p>Find support for a disabled child or a child with additional needs, plan what a personal budget "
    "can pay for, and arrange and pay for it, in one place.</p>"
)


def _text(html):
    return {"type": "text", "value": html, "id": str(uuid.uuid4())}


def _heading(text):
    return {"type": "heading", "value": text, "id": str(uuid.uuid4())}


PAGES = [
    (
        "for-families",
        "Support for families and young people",
        "How a personal budget works, and how this site helps you find and pay for support.",
        [
            _text(
                "<p>A personal budget is money your council or health service sets aside for the support "
                "your child needs. You decide, with the people who help you, how to spend it.</p>"
            ),
            _heading("What you can do here"),
            _text(
                "<ul><li>find support and personal assistants near where you live</li>"
                "<li>see what your budget can pay for</li>"
                "<li>agree a support plan with your lead professional or broker</li>"
                "<li>order support and keep track of what has been spent</li></ul>"
            ),
            _text(
                "<p>If you are not sure where to start, ask your lead professional, social worker or "
                "your council's family information service.</p>"
            ),
        ],
    ),
    (
        "for-providers",
        "For providers and personal assistants",
        "How to list your services, get checked and get paid.",
        [
            _text(
                "<p>Organisations and self-employed personal assistants can list the support they offer so "
                "that families and professionals can find it.</p>"
            ),
            _heading("How it works"),
            _text(
                "<ol><li>Create an account and a profile.</li>"
                "<li>Your council's quality-assurance team checks your DBS check, registration and insurance.</li>"
                "<li>Your offers are published and families can find them.</li>"
                "<li>You receive orders, record the support you give, send invoices and get paid.</li></ol>"
            ),
        ],
    ),
    (
        "for-professionals",
        "For lead professionals, brokers and council staff",
        "Plan and buy support with families, and manage the local market.",
        [
            _text(
                "<p>Lead professionals and brokers use this site with families to plan support within a "
                "budget, place orders and review how support is going.</p>"
            ),
            _text(
                "<p>Council staff check providers, manage framework contracts, pay providers and see "
                "where families cannot find the support they need.</p>"
            ),
            _text("<p>Your council administrator gives you an account.</p>"),
        ],
    ),
    (
        "accessibility-statement",
        "Accessibility statement",
        "How accessible this service is, and how to report a problem.",
        [
            _text(
                "<p>We want as many people as possible to be able to use this service. You should be able "
                "to change colours and text size, zoom in up to 400% without the text spilling off the "
                "screen, get around the service using just a keyboard, and use it with a screen reader.</p>"
            ),
            _heading("How we test this service"),
            _text(
                "<p>We aim to meet the Web Content Accessibility Guidelines (WCAG) version 2.2 to the AA "
                "standard. Every page our automated browser tests visit is checked with the axe "
                "accessibility engine, and the tests fail if it finds a serious or critical problem. "
                "Every part of the service works without JavaScript, except paying by card, which has a "
                "bank transfer option beside it.</p>"
            ),
            _heading("Reporting accessibility problems"),
            _text(
                "<p>If you find a problem that is not listed here, contact your council's family "
                "information service. If you are not happy with how we respond, contact the Equality "
                "Advisory and Support Service (EASS).</p>"
            ),
        ],
    ),
    (
        "privacy-notice",
        "Privacy notice",
        "What we hold about you, why, and your rights.",
        [
            _text(
                "<p>Your council is the data controller for the information about you and your family "
                "that is held in this service. It uses the information to plan, arrange and pay for "
                "support under the Children Act 1989, the Children and Families Act 2014 and the Care "
                "Act 2014.</p>"
            ),
            _heading("What we hold"),
            _text(
                "<ul><li>your name, email address and, if you give it, your mobile number</li>"
                "<li>the support plan, budget and payments for the person you support</li>"
                "<li>messages you send through the service</li>"
                "<li>a record of who looked at or changed records about a child</li></ul>"
            ),
            _text(
                "<p>We never store details of anyone's criminal convictions. DBS certificate numbers and "
                "bank details are encrypted and shown only in part.</p>"
            ),
            _heading("Your rights"),
            _text(
                "<p>You can ask for a copy of the information held about you, ask for it to be corrected, "
                "and in some cases ask for it to be deleted. Contact your council's data protection "
                "officer. You can complain to the Information Commissioner's Office.</p>"
            ),
        ],
    ),
    (
        "cookies",
        "Cookies",
        "This service uses only the cookies it needs to work.",
        [
            _text(
                "<p>Cookies are small files saved on your phone, tablet or computer when you visit a "
                "website. We use only cookies that are strictly necessary, so we do not ask for your "
                "consent.</p>"
            ),
            _heading("Strictly necessary cookies"),
            _text(
                "<table><tbody>"
                "<tr><td><b>sessionid</b></td><td>Keeps you signed in. It expires when you close your "
                "browser, or after a period without activity.</td></tr>"
                "<tr><td><b>csrftoken</b></td><td>Stops other websites sending forms in your name. "
                "It expires after a year.</td></tr>"
                "</tbody></table>"
            ),
            _text("<p>We do not use analytics or advertising cookies.</p>"),
        ],
    ),
]

ROUTES = [
    ("Families and young people", "for-families"),
    ("Providers and personal assistants", "for-providers"),
    ("Professionals and council staff", "for-professionals"),
]
ROUTE_TEXT = {
    "for-families": "Find support near you and see what a personal budget can pay for.",
    "for-providers": "List your services, get checked and get paid.",
    "for-professionals": "Plan and buy support with families, and manage the local market.",
}


def create_site_tree(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("cms.HomePage")
    StandardPage = apps.get_model("cms.StandardPage")

    if HomePage.objects.exists():
        return
    locale = Locale.objects.order_by("pk").first()
    # Wagtail's own migration makes a "Welcome" page at depth 2; the home page takes its place.
    Site.objects.all().delete()
    Page.objects.filter(depth=2).delete()
    root = Page.objects.get(depth=1)

    home_type, _ = ContentType.objects.get_or_create(app_label="cms", model="homepage")
    standard_type, _ = ContentType.objects.get_or_create(app_label="cms", model="standardpage")
    children = {}
    for index, (slug, title, summary, body) in enumerate(PAGES, start=1):
        children[slug] = (index, title, summary, body)

    home = HomePage.objects.create(
        title="Find support with a personal budget",
        draft_title="Find support with a personal budget",
        slug="home",
        content_type=home_type,
        path=f"{root.path}0001",
        depth=2,
        numchild=len(PAGES),
        url_path="/home/",
        locale=locale,
        live=True,
        intro=HOME_INTRO,
        routes=[],
    )
    for slug, (index, title, summary, body) in children.items():
        page = StandardPage.objects.create(
            title=title,
            draft_title=title,
            slug=slug,
            content_type=standard_type,
            path=f"{home.path}{index:04d}",
            depth=3,
            numchild=0,
            url_path=f"/home/{slug}/",
            locale=locale,
            live=True,
            summary=summary,
            body=body,
        )
        children[slug] = page
    home.routes = [
        {
            "type": "route",
            "value": {"heading": heading, "description": ROUTE_TEXT[slug], "page": children[slug].pk, "url": ""},
            "id": str(uuid.uuid4()),
        }
        for heading, slug in ROUTES
    ]
    home.save()
    root.numchild = 1
    root.save(update_fields=["numchild"])
    Site.objects.create(
        hostname="localhost", port=80, root_page_id=home.pk, is_default_site=True, site_name="Support Exchange"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("wagtailcore", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_site_tree, migrations.RunPython.noop)]
