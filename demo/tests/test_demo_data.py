import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.models import Membership, Organisation, User
from accounts.roles import OrganisationKind, Role
from accounts.tests.factories import PASSWORD, UserFactory
from demo import runner
from demo.councils import DEMO_COUNCILS
from demo.logins import DEMO_LOGINS, DEMO_PASSWORD

pytestmark = pytest.mark.django_db

SIGN_IN = "/account/sign-in/"
DEMO_SLUGS = [council.slug for council in DEMO_COUNCILS]


def run_demo_data(*args: str) -> str:
    stdout, stderr = StringIO(), StringIO()
    call_command("demo_data", *args, stdout=stdout, stderr=stderr)
    assert stderr.getvalue() == "", "the progress bar must stay off when output is not a terminal"
    return stdout.getvalue()


def row_counts() -> dict[str, int]:
    return {
        "organisations": Organisation.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
    }


def snapshot() -> dict[str, set[tuple]]:
    """Every field that matters of every row, to show that nothing changed or that two runs agree."""
    return {
        "organisations": set(
            Organisation.objects.values_list("public_id", "slug", "name", "kind", "council__slug", "ons_code", "phone")
        ),
        "users": set(User.objects.values_list("public_id", "email", "first_name", "last_name", "password", "is_staff")),
        "memberships": set(
            Membership.objects.values_list("public_id", "user__email", "organisation__slug", "role", "is_active")
        ),
    }


def tally_row(output: str, label: str) -> tuple[int, int]:
    """(created, already there) from the summary line for ``label``."""
    found = re.search(rf"^\s+{re.escape(label)}\s+(\d+)\s+(\d+)$", output, flags=re.MULTILINE)
    assert found, f"no summary line for {label}"
    return int(found[1]), int(found[2])


class Terminal(StringIO):
    def isatty(self) -> bool:
        return True


def sign_in(email: str, password: str) -> Client:
    client = Client()
    response = client.post(SIGN_IN, {"username": email, "password": password})
    assert response.status_code == 302, f"{email} could not sign in"
    return client


def test_every_demo_login_signs_in_with_the_demo_password():
    run_demo_data()

    for login in DEMO_LOGINS:
        sign_in(login.email, DEMO_PASSWORD)


def test_there_is_a_coventry_login_for_every_role():
    run_demo_data()

    coventry = Organisation.objects.get(slug="coventry")
    for role in Role:
        login = next(login for login in DEMO_LOGINS if login.role == role)
        membership = Membership.objects.active().get(user__email=login.email, role=role)
        assert membership.council == coventry, f"{login.email} should work in Coventry"


def test_lead_professional_login_is_a_practitioner_at_the_nhs_trust():
    run_demo_data()

    membership = Membership.objects.get(user__email="lead.professional@coventry.demo")

    assert membership.role == Role.LEAD_PROFESSIONAL
    assert membership.organisation.name == "Coventry and Warwickshire Partnership NHS Trust"
    assert membership.organisation.kind == OrganisationKind.NHS


def test_site_staff_login_opens_both_admins():
    run_demo_data()

    client = sign_in("staff@support-exchange.demo", DEMO_PASSWORD)

    assert client.get("/admin/").status_code == 200
    assert client.get("/cms-admin/").status_code == 200


def test_gloucestershire_admin_is_not_a_member_of_coventry():
    run_demo_data()
    coventry = Organisation.objects.get(slug="coventry")

    memberships = Membership.objects.filter(user__email="admin@gloucestershire.demo")

    assert [(m.organisation.slug, m.role) for m in memberships] == [("gloucestershire", Role.COUNCIL_ADMIN)]
    assert not memberships.filter(organisation__in=Organisation.objects.within_council(coventry)).exists()


def test_every_row_passes_full_validation():
    run_demo_data()

    for model in (Organisation, User, Membership):
        for row in model.objects.all():
            row.full_clean()


def test_councils_carry_their_real_ons_codes():
    run_demo_data()

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
    run_demo_data()

    for council in Organisation.objects.councils().filter(slug__in=DEMO_SLUGS):
        registered = Organisation.objects.filter(council=council)
        assert registered.filter(kind=OrganisationKind.NHS).count() == 1, council
        assert registered.filter(kind=OrganisationKind.BROKER).count() == 1, council
        assert registered.filter(kind=OrganisationKind.PROVIDER).count() >= 6, council
        in_area = Membership.objects.filter(organisation__in=Organisation.objects.within_council(council))
        for role in (Role.FAMILY_MEMBER, Role.LEAD_PROFESSIONAL, Role.PROVIDER_STAFF, Role.COUNCIL_ADMIN):
            assert in_area.filter(role=role).exists(), f"{council} has no {role.label}"


def test_scale_one_stays_small():
    before = sum(row_counts().values())

    run_demo_data()

    assert 300 < sum(row_counts().values()) - before < 1000


def test_running_twice_creates_nothing_and_changes_nothing():
    run_demo_data()
    before = snapshot()

    output = run_demo_data()

    assert snapshot() == before
    assert tally_row(output, "Memberships") == (0, Membership.objects.count())


def test_larger_scale_adds_to_what_is_there_without_renaming_anyone():
    run_demo_data()
    scale_one = snapshot()

    run_demo_data("--scale", "2")

    scale_two = snapshot()
    for table, rows in scale_one.items():
        assert rows < scale_two[table], f"scale 2 should keep every {table} row of scale 1 and add more"


def test_the_same_data_is_built_on_every_fresh_database():
    run_demo_data("--scale", "2")
    first = snapshot()
    demo_organisations = Organisation.objects.filter(email__endswith=".demo")
    Membership.objects.filter(user__email__endswith=".demo").delete()
    User.objects.filter(email__endswith=".demo").delete()
    demo_organisations.exclude(kind=OrganisationKind.COUNCIL).delete()
    demo_organisations.delete()

    run_demo_data("--scale", "2")

    assert snapshot() == first


def test_someone_elses_account_and_password_are_left_alone():
    alice = UserFactory(email="alice@example.org")
    password_before = alice.password

    run_demo_data()

    alice.refresh_from_db()
    assert alice.password == password_before
    assert not alice.memberships.exists()


def test_printed_login_gets_the_demo_password_back_but_other_demo_people_keep_theirs():
    run_demo_data()
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


def test_logins_option_prints_every_login_and_creates_nothing():
    before = row_counts()

    output = run_demo_data("--logins")

    assert row_counts() == before
    for login in DEMO_LOGINS:
        assert login.email in output
    assert DEMO_PASSWORD in output
    assert "do not exist yet" in output


def test_logins_option_after_a_run_prints_the_table_and_the_addresses_without_a_warning():
    run_demo_data()
    before = snapshot()

    output = run_demo_data("--logins")

    assert snapshot() == before
    assert "do not exist yet" not in output
    assert "Coventry and Warwickshire Partnership NHS Trust" in output
    assert "http://testserver/admin/" in output
    assert "http://testserver/cms-admin/" in output


def test_summary_counts_what_was_created_and_what_was_already_there():
    output = run_demo_data()

    assert "Demo data is ready (scale 1)." in output
    assert tally_row(output, "Councils") == (7, 0)
    assert tally_row(output, "People") == (User.objects.count(), 0)
    assert tally_row(output, "Memberships") == (Membership.objects.count(), 0)


def test_progress_bar_is_drawn_on_a_terminal():
    terminal = Terminal()

    call_command("demo_data", stdout=StringIO(), stderr=terminal)

    assert "People:" in terminal.getvalue()
    assert "Memberships:" in terminal.getvalue()


def test_quiet_hides_the_progress_bar_even_on_a_terminal():
    terminal = Terminal()

    call_command("demo_data", "--quiet", stdout=StringIO(), stderr=terminal)

    assert terminal.getvalue() == ""


@pytest.mark.parametrize("scale", ["0", "-3", "two"])
def test_scale_that_is_not_a_positive_whole_number_is_refused(scale):
    before = row_counts()

    with pytest.raises(CommandError):
        call_command("demo_data", "--scale", scale, stdout=StringIO(), stderr=StringIO())

    assert row_counts() == before


def test_a_failing_builder_leaves_the_database_as_it_was(monkeypatch):
    def broken_builder(ctx):  # type: ignore[no-untyped-def]
        raise RuntimeError("a later builder failed")

    monkeypatch.setattr(runner, "BUILDERS", (*runner.BUILDERS, runner.Builder("Broken", broken_builder)))
    before = row_counts()

    with pytest.raises(RuntimeError):
        run_demo_data()

    assert row_counts() == before


def test_demo_data_refuses_to_run_under_production_settings(settings):
    from django.core.management import CommandError, call_command

    settings.SETTINGS_MODULE = "config.settings.production"

    with pytest.raises(CommandError, match="production settings"):
        call_command("demo_data", "--quiet")
