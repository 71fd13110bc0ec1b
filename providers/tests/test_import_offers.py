"""A provider's own offers from CSV: every row checked first, errors by line and column, nothing saved
unless every row is right, and imported offers never published."""

from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.models import AuditEvent
from accounts.roles import Role
from accounts.tests.factories import CouncilFactory, UserFactory, user_with_role
from providers.csv_format import COST_FIELDS, OFFER_COLUMNS, PROVIDER_COLUMNS, VENUE_FIELDS
from providers.exceptions import ImportFailed, ProvidersError
from providers.models import Offer, OfferStatus, OfferVersion, Taxonomy, VersionState
from providers.services import imports
from providers.services.exports import provider_offers_export
from providers.services.imports import offers_import
from providers.services.taxonomy import taxonomy_term_add, taxonomy_term_set_active
from providers.tests.directory_csv import coventry_gazetteer, csv_text, lines, offer_row, venue_cells
from providers.tests.factories import PersonalAssistantProfileFactory, ProviderProfileFactory, published_offer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def gazetteer():
    coventry_gazetteer()


@pytest.fixture
def provider():
    return ProviderProfileFactory().organisation


@pytest.fixture
def alice(provider):
    return user_with_role(Role.PROVIDER_STAFF, organisation=provider)


def import_rows(rows, *, provider, actor, **options):  # type: ignore[no-untyped-def]
    return offers_import(actor=actor, lines=lines(csv_text(rows)), organisation=provider, **options)


def export_text(provider) -> str:  # type: ignore[no-untyped-def]
    header, rows = provider_offers_export(organisation=provider)
    return csv_text([dict(zip(header, row, strict=True)) for row in rows], header=header)


def problems_of(failure: pytest.ExceptionInfo) -> dict[int, str]:
    return dict(failure.value.errors)


# --- New offers -------------------------------------------------------------------------------------------------


def test_new_rows_become_draft_offers_with_all_their_parts(provider, alice):
    rows = [
        offer_row(),
        offer_row(name="Swimming lessons", schedule="MO 16:00-17:00 Term time; TH 16:00-17:00", **venue_cells()),
    ]

    result = import_rows(rows, provider=provider, actor=alice)

    assert (result.offers_created, result.offers_changed, result.offers_unchanged) == (2, 0, 0)
    offers = Offer.objects.filter(organisation=provider)
    assert {offer.status for offer in offers} == {OfferStatus.DRAFT}
    club = offers.get(working_version__name="Saturday club").working_version
    assert club.state == VersionState.DRAFT
    assert [c.code for c in club.categories.order_by("code")] == ["leisure-and-activities", "short-breaks"]
    assert list(club.cost_options.values_list("amount", "unit", "vat_status")) == [(Decimal("18.50"), "hour", "exempt")]
    assert sorted(club.service_areas.values_list("postcode_district", flat=True)) == ["CV1", "CV2"]
    swimming = offers.get(working_version__name="Swimming lessons").working_version
    venue = swimming.locations.get()
    assert (venue.postcode, venue.latitude, venue.council_code) == ("CV6 5BG", Decimal("52.430000"), "E08000026")
    assert swimming.schedules.get(weekday="MO").description == "Term time"


def test_an_import_is_recorded_in_the_audit_history(provider, alice):
    import_rows([offer_row()], provider=provider, actor=alice)

    event = AuditEvent.objects.get(action="offers.imported")
    assert event.actor == alice and event.target_id == str(provider.public_id)


def test_spreadsheet_habits_are_understood(provider, alice):
    row = offer_row(
        description="'- games\n- swimming",
        cost_1_amount="£18.5",
        cost_1_unit="per hour",
        cost_1_valid_from="01/04/2026",
        cost_1_valid_to="2027-03-31",
        categories="Short-Breaks",
    )

    import_rows([row], provider=provider, actor=alice)

    version = OfferVersion.objects.get(offer__organisation=provider)
    assert version.description == "- games\n- swimming", "the apostrophe that stops a formula is taken off"
    option = version.cost_options.get()
    assert (option.amount, option.unit, option.valid_from) == (Decimal("18.50"), "hour", date(2026, 4, 1))


def test_a_personal_assistant_imports_their_own_offers():
    assistant = PersonalAssistantProfileFactory()

    offers_import(
        actor=assistant.user,
        lines=lines(csv_text([offer_row(name="Support at home", categories="pa-support")])),
        personal_assistant=assistant,
    )

    assert Offer.objects.get(personal_assistant=assistant).working_version.name == "Support at home"


# --- Errors -----------------------------------------------------------------------------------------------------


def test_problems_are_listed_by_line_and_column_and_nothing_is_saved(provider, alice):
    rows = [
        offer_row(),  # line 2: good
        offer_row(categories="tutoring"),  # line 3
        offer_row(cost_1_unit="fortnight"),  # line 4
        offer_row(schedule="Funday 10:00-12:00"),  # line 5
        offer_row(**venue_cells(venue_1_postcode="ZZ9 9ZZ")),  # line 6
        offer_row(minimum_age="18", maximum_age="16"),  # line 7
        offer_row(attending_types="venue"),  # line 8: a venue offer without a venue
        offer_row(service_areas="CV1 5RR"),  # line 9: a full postcode is not an area
        offer_row(cost_1_vat_status="sometimes", name=""),  # line 10: two problems
    ]

    with pytest.raises(ImportFailed) as failure:
        import_rows(rows, provider=provider, actor=alice)

    errors = failure.value.errors
    assert sorted({line for line, _message in errors}) == [3, 4, 5, 6, 7, 8, 9, 10]
    problems = problems_of(failure)
    assert problems[3].startswith("categories: “tutoring” is not a category code")
    assert problems[4].startswith("cost_1_unit:")
    assert problems[5].startswith("schedule:")
    assert problems[6].startswith("venue_1_postcode:")
    assert problems[7].startswith("maximum_age:")
    assert problems[8].startswith("venue_1_name:")
    assert problems[9].startswith("service_areas:")
    assert {message.split(":")[0] for line, message in errors if line == 10} == {"name", "cost_1_vat_status"}
    assert Offer.objects.count() == 0


def test_a_refusal_while_writing_a_later_row_undoes_the_rows_before_it(provider, alice, monkeypatch):
    real_create = imports.offer_create
    calls = []

    def refuse_the_second(**kwargs):  # type: ignore[no-untyped-def]
        calls.append(kwargs)
        if len(calls) == 2:
            raise ProvidersError("Choose at least one kind of support")
        return real_create(**kwargs)

    monkeypatch.setattr(imports, "offer_create", refuse_the_second)

    with pytest.raises(ImportFailed) as failure:
        import_rows([offer_row(), offer_row(name="Second")], provider=provider, actor=alice)

    assert failure.value.errors == [(3, "Choose at least one kind of support")]
    assert Offer.objects.count() == 0


def test_an_offer_id_of_another_providers_offer_is_unknown_to_the_importer(provider, alice):
    someone_elses = published_offer()

    with pytest.raises(ImportFailed) as failure:
        import_rows([offer_row(offer_id=str(someone_elses.public_id))], provider=provider, actor=alice)

    assert problems_of(failure)[2].startswith("offer_id: none of your offers has this id")
    assert someone_elses.versions.count() == 1


def test_the_same_offer_twice_in_a_file_is_refused(provider, alice):
    offer = published_offer(organisation=provider)
    rows = [offer_row(offer_id=str(offer.public_id)), offer_row(offer_id=str(offer.public_id), name="Other")]

    with pytest.raises(ImportFailed) as failure:
        import_rows(rows, provider=provider, actor=alice)

    assert problems_of(failure)[3] == "offer_id: this offer is also on line 2: change it on one row only"


def test_unknown_and_missing_columns_are_refused_on_line_one(provider, alice):
    row = offer_row(catgories="short-breaks")
    del row["attending_types"]

    with pytest.raises(ImportFailed) as failure:
        import_rows([row], provider=provider, actor=alice)

    messages = [message for line, message in failure.value.errors if line == 1]
    assert any(message.startswith("catgories: this is not a column we know") for message in messages)
    assert "attending_types: the file needs this column" in messages


def test_provider_columns_are_refused_in_a_providers_own_import(provider, alice):
    with pytest.raises(ImportFailed) as failure:
        import_rows([offer_row(provider_name="Someone else")], provider=provider, actor=alice)

    assert problems_of(failure)[1].startswith("provider_name: provider columns are for a council's directory import")


def test_a_dry_run_checks_everything_and_saves_nothing(provider, alice):
    result = import_rows([offer_row(), offer_row(name="Second")], provider=provider, actor=alice, dry_run=True)

    assert result.offers_created == 2
    assert Offer.objects.count() == 0


# --- Changing offers ---------------------------------------------------------------------------------------------


def test_changing_a_published_offer_makes_a_working_version_and_keeps_the_live_one(provider, alice):
    offer = published_offer(organisation=provider)
    live = offer.live_version

    result = import_rows(
        [offer_row(offer_id=str(offer.public_id), name="Saturday club (new times)")], provider=provider, actor=alice
    )

    offer.refresh_from_db()
    assert result.offers_changed == 1
    assert (offer.status, offer.live_version, offer.live_version.name) == (OfferStatus.PUBLISHED, live, "Saturday club")
    assert (offer.working_version.name, offer.working_version.state) == (
        "Saturday club (new times)",
        VersionState.DRAFT,
    )


def test_an_export_imported_again_changes_nothing(provider, alice):
    published_offer(organisation=provider, languages=["en", "pa"], capacity_hours=Decimal("12.5"))
    import_rows([offer_row(name="Holiday club", **venue_cells())], provider=provider, actor=alice)
    versions_before = OfferVersion.objects.count()

    result = offers_import(actor=alice, lines=lines(export_text(provider)), organisation=provider)

    assert (result.offers_created, result.offers_changed, result.offers_unchanged) == (0, 0, 2)
    assert OfferVersion.objects.count() == versions_before


def test_line_endings_and_spaces_around_text_are_not_a_change(provider, alice):
    offer = published_offer(organisation=provider, description="Games and crafts.\r\nTrips in the holidays.")
    exported = export_text(provider).replace("Games and crafts.\r\n", "Games and crafts.\n")

    result = offers_import(actor=alice, lines=lines(exported), organisation=provider)

    assert result.offers_unchanged == 1
    assert offer.versions.count() == 1


def test_an_edited_export_changes_the_same_offers(provider, alice):
    offer = published_offer(organisation=provider)
    exported = export_text(provider).replace("Saturday club", "Saturday club for 8 to 18s").replace(",16,", ",18,")

    offers_import(actor=alice, lines=lines(exported), organisation=provider)

    assert Offer.objects.filter(organisation=provider).count() == 1
    offer.refresh_from_db()
    assert offer.live_version.name == "Saturday club"
    assert (offer.working_version.name, offer.working_version.maximum_age) == ("Saturday club for 8 to 18s", 18)


# --- A council's own terms ---------------------------------------------------------------------------------------


def test_a_provider_may_use_its_own_councils_terms_but_not_another_councils(provider, alice):
    admin = UserFactory()
    categories = Taxonomy.objects.get(kind=Taxonomy.Kind.SERVICE_CATEGORY)
    own = taxonomy_term_add(
        actor=admin, council=provider.council, taxonomy=categories, name="Sensory play", description="Play sessions."
    )
    taxonomy_term_add(
        actor=admin, council=CouncilFactory(), taxonomy=categories, name="Forest school", description="Outdoors."
    )

    import_rows([offer_row(categories=own.code)], provider=provider, actor=alice)
    with pytest.raises(ImportFailed) as failure:
        import_rows([offer_row(categories="forest-school")], provider=provider, actor=alice)

    assert problems_of(failure)[2].startswith("categories: “forest-school” is not a category code")


def test_a_deactivated_term_cannot_be_imported(provider, alice):
    admin = UserFactory()
    categories = Taxonomy.objects.get(kind=Taxonomy.Kind.SERVICE_CATEGORY)
    own = taxonomy_term_add(
        actor=admin, council=provider.council, taxonomy=categories, name="Sensory play", description="Play sessions."
    )
    taxonomy_term_set_active(actor=admin, council=provider.council, term=own, is_active=False)

    with pytest.raises(ImportFailed):
        import_rows([offer_row(categories=own.code)], provider=provider, actor=alice)


# --- The command ------------------------------------------------------------------------------------------------


def test_the_command_imports_a_providers_offers(provider, tmp_path):
    path = tmp_path / "offers.csv"
    path.write_text(csv_text([offer_row(), offer_row(name="Second")]), encoding="utf-8")
    stdout, stderr = StringIO(), StringIO()

    call_command("import_offers", str(path), "--organisation", provider.slug, stdout=stdout, stderr=stderr)

    assert "2 new offers" in stdout.getvalue()
    assert stderr.getvalue() == ""
    assert Offer.objects.filter(organisation=provider).count() == 2


def test_the_command_lists_problems_by_line_and_saves_nothing(provider, tmp_path):
    path = tmp_path / "offers.csv"
    path.write_text(csv_text([offer_row(), offer_row(cost_1_amount="lots")]), encoding="utf-8")

    with pytest.raises(CommandError, match="line 3: cost_1_amount"):
        call_command("import_offers", str(path), "--organisation", provider.slug, stdout=StringIO(), stderr=StringIO())

    assert Offer.objects.count() == 0


# --- The pages --------------------------------------------------------------------------------------------------

IMPORT_URL = "/directory/bulk/offers/import/"


def test_a_provider_uploads_a_file_and_is_told_how_many_offers_were_imported(provider, alice):
    client = Client()
    client.force_login(alice)
    file = SimpleUploadedFile("offers.csv", csv_text([offer_row(), offer_row(name="Second")]).encode("utf-8-sig"))

    response = client.post(IMPORT_URL, {"csv_file": file}, follow=True)

    assert "2 rows: 2 new offers" in response.content.decode()
    assert Offer.objects.filter(organisation=provider).count() == 2


def test_a_file_saved_by_excel_on_windows_is_read(provider, alice):
    client = Client()
    client.force_login(alice)
    text = csv_text([offer_row(description="Café trips – with lunch")])
    file = SimpleUploadedFile("offers.csv", text.encode("cp1252"))

    client.post(IMPORT_URL, {"csv_file": file})

    assert OfferVersion.objects.get().description == "Café trips – with lunch"


def test_the_import_page_lists_problems_by_line(provider, alice):
    client = Client()
    client.force_login(alice)
    file = SimpleUploadedFile("offers.csv", csv_text([offer_row(), offer_row(languages="English")]).encode())

    response = client.post(IMPORT_URL, {"csv_file": file})

    html = response.content.decode()
    assert "<title>Error:" in html
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">3</td>' in html
    assert "languages: “english” is not a language code" in html
    assert Offer.objects.count() == 0


def test_the_import_page_asks_for_a_file(alice):
    client = Client()
    client.force_login(alice)

    html = client.post(IMPORT_URL, {}).content.decode()

    assert "Select a CSV file" in html


def test_only_providers_and_personal_assistants_import_offers(access):
    access.sign_in_required(IMPORT_URL)
    access.forbidden(user_with_role(Role.FAMILY_MEMBER), IMPORT_URL)
    access.forbidden(user_with_role(Role.COUNCIL_ADMIN), IMPORT_URL)


def test_the_columns_page_lists_every_column_and_the_codes(alice):
    client = Client()
    client.force_login(alice)

    html = client.get("/directory/bulk/columns/").content.decode()

    for column in (*OFFER_COLUMNS, *PROVIDER_COLUMNS):
        assert f"<code>{column.name}</code>" in html
    assert "<code>cost_1_amount</code>" in html and "<code>venue_1_postcode</code>" in html
    assert "<code>short-breaks</code>" in html and "<code>autism</code>" in html


def test_every_column_is_explained_in_the_guide():
    guide = (Path(settings.BASE_DIR) / "docs" / "directory-csv.md").read_text(encoding="utf-8")

    for column in (*OFFER_COLUMNS, *PROVIDER_COLUMNS):
        assert f"`{column.name}`" in guide, f"docs/directory-csv.md does not explain {column.name}"
    for field in COST_FIELDS:
        assert f"`cost_N_{field.name}`" in guide
    for field in VENUE_FIELDS:
        assert f"`venue_N_{field.name}`" in guide
