"""The demo sign-ins: one for each role, in Coventry, plus a second council's administrator and site staff.

DEMO_PASSWORD is for demo data only. It is printed on every ``make run`` and sits in the source, so it
is public: never run ``demo_data`` against a site that real people use.
"""

from dataclasses import dataclass

from accounts.roles import Role
from demo.councils import COVENTRY, GLOUCESTERSHIRE, DemoOrganisation

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105  (demo-only, deliberately public)

SITE_STAFF_LABEL = "Site staff (superuser)"  # signs in to both admins


@dataclass(frozen=True)
class DemoLogin:
    email: str
    first_name: str
    last_name: str
    role: Role | None  # None for site staff, who need no membership
    organisation: DemoOrganisation | None
    is_site_staff: bool = False

    @property
    def role_label(self) -> str:
        return SITE_STAFF_LABEL if self.role is None else self.role.label


_COVENTRY_COUNCIL = COVENTRY.organisation
_COUNSELLING_CHARITY = next(p for p in COVENTRY.providers if p.name == "Open Door Counselling Coventry")

DEMO_LOGINS: tuple[DemoLogin, ...] = (
    # Tom's mother (DOMAIN.md: Tom, 12, whose school nurse is his lead professional).
    DemoLogin("family@coventry.demo", "Claire", "Walsh", Role.FAMILY_MEMBER, _COVENTRY_COUNCIL),
    # Jonathan, 17, who combines health and learning support money to employ his own PAs.
    DemoLogin("young.person@coventry.demo", "Jonathan", "Ellis", Role.YOUNG_PERSON, _COVENTRY_COUNCIL),
    # Tom's school nurse, employed by the NHS trust, holding £3,000 of delegated early help money.
    DemoLogin("lead.professional@coventry.demo", "Gemma", "Hartley", Role.LEAD_PROFESSIONAL, COVENTRY.nhs_body),
    # The early help locality manager who approves spending above a practitioner's limit.
    DemoLogin("manager@coventry.demo", "Sanjay", "Patel", Role.BUDGET_HOLDING_MANAGER, _COVENTRY_COUNCIL),
    DemoLogin("broker@coventry.demo", "Marcus", "Bennett", Role.BROKER, COVENTRY.broker),
    # The counselling charity that invoices for Tom's sessions.
    DemoLogin("provider@coventry.demo", "Aisha", "Rahman", Role.PROVIDER_STAFF, _COUNSELLING_CHARITY),
    DemoLogin("pa@coventry.demo", "Chloe", "Davies", Role.PERSONAL_ASSISTANT, _COVENTRY_COUNCIL),
    DemoLogin("commissioner@coventry.demo", "Andrew", "Whitfield", Role.COMMISSIONER, _COVENTRY_COUNCIL),
    DemoLogin("qa@coventry.demo", "Fatima", "Hussain", Role.QA_OFFICER, _COVENTRY_COUNCIL),
    DemoLogin("finance@coventry.demo", "Neil", "Robinson", Role.FINANCE_OFFICER, _COVENTRY_COUNCIL),
    # Payment runs need two finance officers: Neil prepares, Priya authorises (dual authorisation).
    DemoLogin("finance.authoriser@coventry.demo", "Priya", "Shah", Role.FINANCE_OFFICER, _COVENTRY_COUNCIL),
    DemoLogin("admin@coventry.demo", "Margaret", "O'Brien", Role.COUNCIL_ADMIN, _COVENTRY_COUNCIL),
    # A second council's administrator, to show that each council sees only its own people.
    DemoLogin("admin@gloucestershire.demo", "James", "Fletcher", Role.COUNCIL_ADMIN, GLOUCESTERSHIRE.organisation),
    DemoLogin("staff@support-exchange.demo", "Sam", "Okafor", None, None, is_site_staff=True),
)

# The first Coventry sign-in of each role (the finance officer who prepares runs, not the authoriser): whose
# records fill the pages the access matrix and the accessibility crawl open.
COVENTRY_LOGIN_BY_ROLE: dict[str, str] = {}
for _login in DEMO_LOGINS:
    if _login.role is not None and _login.organisation is not None and _login.email.endswith("@coventry.demo"):
        COVENTRY_LOGIN_BY_ROLE.setdefault(_login.role, _login.email)
