"""demo_data on a database that has the demo already (built once for this module: see conftest.py)."""

import pytest

from accounts.models import Membership, Organisation, User
from accounts.roles import OrganisationKind, Role
from accounts.tests.factories import PASSWORD
from demo.councils import DEMO_COUNCILS
from demo.logins import DEMO_LOGINS, DEMO_PASSWORD
from demo.tests.helpers import row_counts, run_demo_data, sign_in, snapshot, tally_row

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_built")]

DEMO_SLUGS = [council.slug for council in DEMO_COUNCILS]


def test_every_demo_login_signs_in_with_the_demo_password():
    for login in DEMO_LOGINS:
        sign_in(login.email, DEMO_PASSWORD)


def test_there_is_a_coventry_login_for_every_role():
    coventry = Organisation.objects.get(slug="coventry")
    for role in Role:
        login = next(login for login in DEMO_LOGINS if login.role == role)
        membership = Membership.objects.active().get(user__email=login.email, role=role)
        assert membership.council == coventry, f"{login.email} should work in Coventry"


def test_lead_professional_login_is_a_practitioner_at_the_nhs_trust():
    membership = Membership.objects.get(user__email="lead.professional@coventry.demo")

    assert membership.role == Role.LEAD_PROFESSIONAL
    assert membership.organisation.name == "Coventry and Warwickshire Partnership NHS Trust"
    assert membership.organisation.kind == OrganisationKind.NHS


def test_site_staff_login_opens_both_admins():
    client = sign_in("staff@support-exchange.demo", DEMO_PASSWORD)

    assert client.get("/admin/").status_code == 200
    assert client.get("/cms-admin/").status_code == 200


def test_gloucestershire_admin_is_not_a_member_of_coventry():
    coventry = Organisation.objects.get(slug="coventry")

    memberships = Membership.objects.filter(user__email="admin@gloucestershire.demo")

    assert [(m.organisation.slug, m.role) for m in memberships] == [("gloucestershire", Role.COUNCIL_ADMIN)]
    assert not memberships.filter(organisation__in=Organisation.objects.within_council(coventry)).exists()


def test_every_row_passes_full_validation():
    for model in (Organisation, User, Membership):
        for row in model.objects.all():
            row.full_clean()


def test_councils_carry_their_real_ons_codes():
    codes = dict(Organisation.objects.councils().filter(slug__in=DEMO_SLUGS).values_list("name", "ons_code"))

    assert codes == {
        "Coventry City Council": "E08000026",
        "Gloucestershire County Council": "E10000013",
        "Newcastle City Council": "E08000021",
        "Northumberland County Council": "E06000057",
        "London Borough of Redbridge": "E09000026",
        "Devon County Council": "E10000008",
        "Derbyshire County Council": "E10000007",
    }


def test_each_council_has_an_nhs_body_a_broker_providers_staff_and_families():
    for council in Organisation.objects.councils().filter(slug__in=DEMO_SLUGS):
        registered = Organisation.objects.filter(council=council)
        assert registered.filter(kind=OrganisationKind.NHS).count() == 1, council
        assert registered.filter(kind=OrganisationKind.BROKER).count() == 1, council
        assert registered.filter(kind=OrganisationKind.PROVIDER).count() >= 6, council
        in_area = Membership.objects.filter(organisation__in=Organisation.objects.within_council(council))
        for role in (Role.FAMILY_MEMBER, Role.LEAD_PROFESSIONAL, Role.PROVIDER_STAFF, Role.COUNCIL_ADMIN):
            assert in_area.filter(role=role).exists(), f"{council} has no {role.label}"


def test_scale_one_stays_small(demo_built):
    assert 300 < sum(row_counts().values()) - demo_built.rows_before < 1000


def test_summary_counts_what_was_created_and_what_was_already_there(demo_built):
    output = demo_built.output

    assert "Demo data is ready (scale 1)." in output
    assert tally_row(output, "Councils") == (7, 0)
    assert tally_row(output, "People") == (User.objects.count(), 0)
    assert tally_row(output, "Memberships") == (Membership.objects.count(), 0)


def test_running_twice_creates_nothing_and_changes_nothing():
    before = snapshot()

    output = run_demo_data()

    assert snapshot() == before
    assert tally_row(output, "Memberships") == (0, Membership.objects.count())


def test_larger_scale_adds_to_what_is_there_without_renaming_anyone():
    scale_one = snapshot()

    run_demo_data("--scale", "2")

    scale_two = snapshot()
    for table, rows in scale_one.items():
        assert rows < scale_two[table], f"scale 2 should keep every {table} row of scale 1 and add more"


def test_printed_login_gets_the_demo_password_back_but_other_demo_people_keep_theirs():
    family = User.objects.get(email="family@coventry.demo")
    family.set_password(PASSWORD)
    family.save()
    other = User.objects.filter(email__endswith=".demo").exclude(email__in=[lg.email for lg in DEMO_LOGINS]).first()
    other.set_password(PASSWORD)
    other.save()

    output = run_demo_data()

    sign_in("family@coventry.demo", DEMO_PASSWORD)
    sign_in(other.email, PASSWORD)
    assert "restored on 1 demo sign-in" in output


def test_logins_option_after_a_run_prints_the_table_and_the_addresses_without_a_warning():
    before = snapshot()

    output = run_demo_data("--logins")

    assert snapshot() == before
    assert "do not exist yet" not in output
    assert "Coventry and Warwickshire Partnership NHS Trust" in output
    assert "http://testserver/admin/" in output
    assert "http://testserver/cms-admin/" in output
