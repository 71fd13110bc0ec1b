"""Guides for providers and personal assistants: joining, getting checked, getting paid."""

from cms.models import GuidePage
from demo.builders.cms.families import NATIONAL_LIVING_WAGE
from demo.builders.cms.planned import PlannedPage
from demo.builders.cms.streams import accordion, bullets, heading, inset, link, steps, text, warning

PROVIDERS = "/for-providers"

HOW_PROVIDERS_JOIN = PlannedPage(
    GuidePage,
    "how-providers-join",
    "Join as a provider: get checked and get paid",
    {
        "summary": "How organisations and self-employed personal assistants join, get checked by the council "
        "and get paid.",
        "body": [
            text(
                "Families, young people and professionals use this site to find and buy support. Any "
                "organisation can join: a charity, a care agency, a football club, a breakfast club or a "
                "taxi firm. Self-employed personal assistants can join too."
            ),
            steps(
                "How it works",
                (
                    "Register",
                    "Create an account and a profile. Say what you offer, where, for which ages and needs, "
                    "and your prices.",
                ),
                (
                    "Get checked",
                    "The council's quality team checks your DBS checks, your registration with CQC or "
                    "Ofsted if you need one, your insurance and your references.",
                ),
                (
                    "Publish your offers",
                    "Once you are checked, families can find your offers. Keep your prices and your spaces up to date.",
                ),
                ("Answer enquiries", "Families and professionals send you questions. Reply through the site."),
                ("Take orders", "When a family or the council orders support, accept the order on the site."),
                ("Record what you deliver", "Record each session or hour of support you give."),
                (
                    "Send an invoice and get paid",
                    "Send your invoice through the site. The council checks it against the order and pays "
                    "you. You get a remittance that shows what was paid.",
                ),
            ),
            heading("Framework contracts"),
            text(
                "Some councils have framework contracts: agreements with providers that meet their quality "
                "standards. Being on a framework shows families that you have been checked. Families can "
                "still buy from providers who are not on a framework."
            ),
            warning(
                "Everyone who works with children on their own must have an enhanced DBS check with the "
                "children's barred list. Keep your staff's checks up to date."
            ),
            heading("Getting paid on time"),
            text(
                "Send your invoice through the site, so that the council's finance team can check it "
                "against the order straight away. If a family pays you from a direct payment, they pay "
                "you themselves."
            ),
        ],
    },
)

DBS_FOR_PERSONAL_ASSISTANTS = PlannedPage(
    GuidePage,
    "dbs-checks-for-personal-assistants",
    "DBS checks for personal assistants",
    {
        "summary": "Which check you need to work with children, how to get one, and how to keep it up to date.",
        "body": [
            text(
                "If you work as a personal assistant (PA) with a child, you need an enhanced DBS check with a "
                "check of the children's barred list. It is the only level allowed for looking after, "
                "teaching or supporting children on your own."
            ),
            heading("How to get a check"),
            text(
                "You cannot apply for an enhanced check on your own. It has to go through an employer or an "
                "umbrella body.",
                bullets(
                    "If a family employs you, they arrange it, often through their payroll service, broker or council.",
                    "If you work for an agency, the agency arranges it.",
                    "If you are self-employed, ask the council which umbrella body to use.",
                ),
            ),
            heading("Keeping your check up to date"),
            text(
                "A certificate has no end date, but many councils ask for a new one every 3 years.",
                "You can join the DBS Update Service within 30 days of your certificate being printed. You "
                "pay a yearly fee. Families and councils can then check your certificate online, if you say "
                "they can.",
            ),
            heading("What we record"),
            text(
                "The council's quality team records the level of your check, the certificate number (shown "
                "only in part), the date it was printed, who saw the original and when, and whether you use "
                "the Update Service. We never record what is on your certificate."
            ),
            inset(
                "Older certificates say CRB instead of DBS. The CRB became the DBS in December 2012. Your "
                "council will tell you whether an older certificate is still accepted."
            ),
        ],
    },
)

WORKING_AS_A_PA = PlannedPage(
    GuidePage,
    "working-as-a-personal-assistant",
    "Working as a personal assistant",
    {
        "summary": "The ways you can work as a personal assistant (PA), and what to expect from the families "
        "you work for.",
        "body": [
            text(
                "Personal assistants support disabled children and young people at home, at school, at "
                "clubs and on days out. Families choose their own PAs, so the work fits around them."
            ),
            heading("Three ways to work"),
            accordion(
                (
                    "Employed by a family",
                    "The family is your employer",
                    "The family checks your right to work, arranges your DBS check, has employer's liability "
                    "insurance and pays you through a payroll service. You record your hours on this site "
                    "for the payroll.",
                ),
                (
                    "Self-employed",
                    "You run your own business",
                    "You send invoices, pay your own tax and National Insurance, and need your own insurance.",
                ),
                (
                    "Through an agency",
                    "The agency employs you",
                    "The agency pays you and sends invoices to families or the council.",
                ),
            ),
            heading("Your pay"),
            text(
                f"If a family employs you and you are 21 or over, you must be paid at least {NATIONAL_LIVING_WAGE}"
                " from April 2026. This is the National Living Wage. You should get a payslip every time "
                "you are paid."
            ),
            heading("Your profile"),
            text(
                "Say when you are free, the areas you can travel to and your skills, for example moving and "
                "handling, autism or sign language. Families search for these.",
                f"{link(f'{PROVIDERS}/dbs-checks-for-personal-assistants/', 'Read about DBS checks for PAs')}.",
            ),
        ],
    },
)

PROVIDER_PAGES = (HOW_PROVIDERS_JOIN, WORKING_AS_A_PA, DBS_FOR_PERSONAL_ASSISTANTS)
