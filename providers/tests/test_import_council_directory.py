"""A council administrator imports a whole directory: providers matched or registered with the council,
their profiles and offers, all or nothing; and only ever within their own council."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEvent, Organisation
from accounts.roles import OrganisationKind, Role
from accounts.tests.factories import CouncilFactory, OrganisationFactory, UserFactory, user_with_role
from providers.exceptions import ImportFailed
from providers.models import Offer, OfferStatus, ProfileStatus, ProviderProfile
from providers.services.exports import council_directory_export
from providers.services.imports import council_directory_import
from providers.services.profiles import profile_approve, profile_submit
from providers.tests.directory_csv import coventry_gazetteer, csv_text, lines, offer_row
from providers.tests.factories import ProviderProfileFactory, published_offer

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("providers:bulk-council-import")


@pytest.fixture(autouse=True)
def gazetteer():
    coventry_gazetteer()


@pytest.fixture
def coventry():
    return CouncilFactory(name="Coventry City Council", ons_code="E08000026")


@pytest.fixture
def margaret(coventry):
    return user_with_role(Role.COUNCIL_ADMIN, organisation=coventry)


def directory_row(provider_name: str, **cells: str) -> dict[str, str]:
    return {"provider_id": "", "provider_name": provider_name, **offer_row(**cells)}


def provider_only_row(provider_name: str, **cells: str) -> dict[str, str]:
    row = dict.fromkeys(directory_row(provider_name), "")
    return row | {"provider_name": provider_name, **cells}


def import_rows(rows, *, council, actor, **options):  # type: ignore[no-untyped-def]
    return council_directory_import(actor=actor, council=council, lines=lines(csv_text(rows)), **options)


def registered_provider(council, name: str, slug: str = "") -> Organisation:  # type: ignore[no-untyped-def]
    organisation = OrganisationFactory(name=name, council=council, **({"slug": slug} if slug else {}))
    return ProviderProfileFactory(organisation=organisation).organisation


# --- Providers --------------------------------------------------------------------------------------------------


def test_a_new_provider_is_registered_with_the_council_with_a_draft_profile_and_draft_offers(coventry, margaret):
    rows = [
        directory_row(
            "Coventry Short Breaks Trust", provider_email="hello@csbt.example", provider_charity_number="1123456"
        ),
        directory_row("Coventry Short Breaks Trust", name="Holiday play scheme"),
    ]

    result = import_rows(rows, council=coventry, actor=margaret)

    assert (result.providers_created, result.offers_created) == (1, 2)
    organisation = Organisation.objects.get(name="Coventry Short Breaks Trust")
    assert (organisation.kind, organisation.council) == (OrganisationKind.PROVIDER, coventry)
    profile = organisation.provider_profile
    assert (profile.status, profile.legal_name, profile.charity_number) == (
        ProfileStatus.DRAFT,
        "Coventry Short Breaks Trust",
        "1123456",
    )
    assert set(Offer.objects.filter(organisation=organisation).values_list("status", flat=True)) == {OfferStatus.DRAFT}


def test_a_provider_is_matched_by_name_whatever_the_case_and_spacing(coventry, margaret):
    existing = registered_provider(coventry, "Home-Start Coventry")

    result = import_rows([directory_row("home-start   coventry")], council=coventry, actor=margaret)

    assert result.providers_created == 0
    assert Offer.objects.get().organisation == existing
    existing.refresh_from_db()
    assert existing.name == "Home-Start Coventry", "matching by name does not rename"


def test_a_provider_named_by_its_id_with_a_new_name_is_renamed_and_the_change_recorded(coventry, margaret):
    existing = registered_provider(coventry, "Godiva Tuition")

    import_rows(
        [provider_only_row("Godiva Tuition and Music", provider_id=str(existing.public_id))],
        council=coventry,
        actor=margaret,
    )

    existing.refresh_from_db()
    assert existing.name == "Godiva Tuition and Music"
    assert AuditEvent.objects.filter(target_id=str(existing.public_id), reason="Renamed in a directory import").exists()


def test_a_provider_with_the_same_name_in_another_council_is_not_matched(coventry, margaret):
    elsewhere = registered_provider(CouncilFactory(), "Home-Start Coventry")

    import_rows([directory_row("Home-Start Coventry")], council=coventry, actor=margaret)

    assert Offer.objects.get().organisation.council == coventry
    assert not Offer.objects.filter(organisation=elsewhere).exists()


def test_another_councils_provider_id_is_unknown(coventry, margaret):
    elsewhere = registered_provider(CouncilFactory(), "Severn Care")

    with pytest.raises(ImportFailed) as failure:
        import_rows(
            [directory_row("Severn Care", provider_id=str(elsewhere.public_id))], council=coventry, actor=margaret
        )

    assert dict(failure.value.errors)[2] == "provider_id: no provider registered with your council has this id"


def test_two_providers_with_one_name_need_an_id_to_tell_them_apart(coventry, margaret):
    registered_provider(coventry, "Earlsdon Cars")
    registered_provider(coventry, "Earlsdon Cars", slug="earlsdon-cars-2")

    with pytest.raises(ImportFailed) as failure:
        import_rows([directory_row("Earlsdon Cars")], council=coventry, actor=margaret)

    assert "add their provider_id" in dict(failure.value.errors)[2]


def test_a_changed_published_profile_waits_for_checking(coventry, margaret):
    organisation = registered_provider(coventry, "Godiva Tuition")
    profile = organisation.provider_profile
    checker = UserFactory()
    profile_submit(profile=profile, actor=checker)
    profile_approve(profile=profile, actor=checker)

    result = import_rows(
        [provider_only_row("Godiva Tuition", provider_phone="024 7600 1234")], council=coventry, actor=margaret
    )

    profile.refresh_from_db()
    assert result.providers_changed == 1
    assert profile.phone == ""
    assert profile.pending_changes == {"phone": "024 7600 1234"}


def test_empty_profile_cells_leave_an_existing_profile_as_it_is(coventry, margaret):
    organisation = registered_provider(coventry, "Godiva Tuition")

    import_rows([directory_row("Godiva Tuition")], council=coventry, actor=margaret)

    profile = ProviderProfile.objects.get(organisation=organisation)
    assert profile.description == "We run clubs and short breaks for disabled children."


def test_rows_that_disagree_about_a_provider_are_refused(coventry, margaret):
    rows = [
        directory_row("Coventry Short Breaks Trust", provider_phone="024 7600 0001"),
        directory_row("Coventry Short Breaks Trust", provider_phone="024 7600 0002", name="Other"),
    ]

    with pytest.raises(ImportFailed) as failure:
        import_rows(rows, council=coventry, actor=margaret)

    assert dict(failure.value.errors)[3] == "provider_phone: this differs from line 2 for the same provider"
    assert not Organisation.objects.filter(name="Coventry Short Breaks Trust").exists()


def test_an_offer_id_must_belong_to_the_rows_provider(coventry, margaret):
    godiva = registered_provider(coventry, "Godiva Tuition")
    registered_provider(coventry, "Earlsdon Cars")
    offer = published_offer(organisation=godiva)

    with pytest.raises(ImportFailed) as failure:
        import_rows([directory_row("Earlsdon Cars", offer_id=str(offer.public_id))], council=coventry, actor=margaret)

    assert dict(failure.value.errors)[2].startswith("offer_id: this is not an offer of Earlsdon Cars")


def test_a_bad_offer_row_leaves_no_provider_registered(coventry, margaret):
    rows = [directory_row("New Provider One"), directory_row("New Provider Two", cost_1_amount="free")]

    with pytest.raises(ImportFailed):
        import_rows(rows, council=coventry, actor=margaret)

    assert not Organisation.objects.filter(kind=OrganisationKind.PROVIDER).exists()
    assert not Offer.objects.exists()


def test_the_councils_export_imported_again_changes_nothing(coventry, margaret):
    organisation = registered_provider(coventry, "Godiva Tuition")
    published_offer(organisation=organisation)
    registered_provider(coventry, "Provider Without Offers")
    header, rows = council_directory_export(council=coventry)
    exported = csv_text([dict(zip(header, row, strict=True)) for row in rows], header=header)

    result = council_directory_import(actor=margaret, council=coventry, lines=lines(exported))

    assert (result.providers_created, result.providers_changed) == (0, 0)
    assert (result.offers_created, result.offers_changed, result.offers_unchanged) == (0, 0, 1)


# --- The page ---------------------------------------------------------------------------------------------------


def upload(client: Client, rows: list[dict[str, str]]):  # type: ignore[no-untyped-def]
    file = SimpleUploadedFile("directory.csv", csv_text(rows).encode("utf-8-sig"), content_type="text/csv")
    return client.post(IMPORT_URL, {"csv_file": file})


def test_an_administrator_imports_a_file_and_is_told_what_changed(coventry, margaret):
    client = Client()
    client.force_login(margaret)

    response = upload(client, [directory_row("Coventry Short Breaks Trust")])

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "1 row: 1 new offer" in page
    assert Organisation.objects.get(name="Coventry Short Breaks Trust").council == coventry


def test_the_page_lists_problems_by_line_and_saves_nothing(coventry, margaret):
    client = Client()
    client.force_login(margaret)

    response = upload(client, [directory_row("One"), directory_row("Two", categories="nonsense")])

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in html
    assert "Your file has 1 problem: nothing was imported" in html
    assert "“nonsense” is not a category code" in html
    assert not Organisation.objects.filter(name="One").exists()


def test_a_file_that_is_not_a_csv_is_refused(coventry, margaret):
    client = Client()
    client.force_login(margaret)

    response = client.post(IMPORT_URL, {"csv_file": SimpleUploadedFile("directory.xlsx", b"PK\x03\x04")})

    assert "The selected file must be a CSV" in response.content.decode()


@pytest.mark.parametrize("role", [Role.PROVIDER_STAFF, Role.QA_OFFICER, Role.FAMILY_MEMBER, Role.COMMISSIONER])
def test_other_roles_may_not_import_a_directory(role, access):
    access.forbidden(user_with_role(role), IMPORT_URL)


def test_signing_in_is_needed_to_import_a_directory(access):
    access.sign_in_required(IMPORT_URL)
