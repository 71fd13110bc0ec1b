"""manage.py import_postcodes: the ONS Postcode Directory and the simple CSV, all or nothing."""

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from providers.exceptions import ImportFailed
from providers.models import Postcode
from providers.services import gazetteer
from providers.services.gazetteer import GazetteerFormat, postcodes_import
from providers.tests.factories import PostcodeFactory

pytestmark = pytest.mark.django_db

NATIONAL_DISTRICTS = Path(settings.BASE_DIR).parent / "shared" / "data" / "uk-postcode-districts.csv"

ONS_HEADER = "pcd,pcd2,pcds,dointr,doterm,oscty,ced,oslaua,osward,usertype,oseast1m,osnrth1m,osgrdind,lat,long"


def ons_row(pcds: str, *, doterm: str = "", oscty: str = "E99999999", oslaua: str = "E08000026", lat: str, long: str):  # type: ignore[no-untyped-def]
    compact = pcds.replace(" ", "")
    return (
        f"{compact},{pcds},{pcds},199801,{doterm},{oscty},E99999999,{oslaua},E05001219,0,433000,279000,1,{lat},{long}"
    )


def import_text(text: str, **options):  # type: ignore[no-untyped-def]
    return postcodes_import(lines=StringIO(text), **options)


def write_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "postcodes.csv"
    path.write_text(text, encoding="utf-8")
    return path


class Terminal(StringIO):
    def isatty(self) -> bool:
        return True


# --- The simple format ------------------------------------------------------------------------------


def test_a_simple_file_with_a_header_adds_postcodes_and_districts():
    result = import_text(
        "postcode,latitude,longitude,council_code,council_name\n"
        "cv1 5rr,52.407500,-1.508700,E08000026,Coventry\n"
        "CV3,52.393100,-1.481190,E08000026,Coventry\n"
    )

    assert result.file_format == GazetteerFormat.SIMPLE
    assert (result.rows_read, result.created, result.updated) == (2, 2, 0)
    unit = Postcode.objects.get(postcode="CV1 5RR")
    assert (unit.kind, unit.district, unit.council_code, unit.council_name) == ("unit", "CV1", "E08000026", "Coventry")
    assert Postcode.objects.get(postcode="CV3").kind == Postcode.Kind.DISTRICT


def test_a_simple_file_without_a_header_is_read_by_position():
    result = import_text("GL50,51.899680,-2.079950,E10000013,Gloucestershire\nGL1 2TG,51.8638,-2.2475\n")

    assert result.created == 2
    assert Postcode.objects.get(postcode="GL50").council_name == "Gloucestershire"
    assert Postcode.objects.get(postcode="GL1 2TG").council_code == ""


def test_the_national_district_file_loads_every_district():
    if not NATIONAL_DISTRICTS.exists():
        pytest.skip(f"the national district file is not at {NATIONAL_DISTRICTS}")

    with NATIONAL_DISTRICTS.open(encoding="utf-8-sig", newline="") as lines:
        result = postcodes_import(lines=lines)

    assert result.created == 2848
    assert Postcode.objects.filter(kind=Postcode.Kind.DISTRICT).count() == 2848
    assert Postcode.objects.get(postcode="CV1").latitude == Decimal("52.409390")


def test_an_existing_postcode_is_updated_not_duplicated():
    PostcodeFactory(postcode="CV1 5RR", latitude=Decimal("52.000000"), council_code="")

    result = import_text("postcode,latitude,longitude,council_code\nCV1 5RR,52.4075,-1.5087,E08000026\n")

    assert (result.created, result.updated) == (0, 1)
    row = Postcode.objects.get(postcode="CV1 5RR")
    assert (row.latitude, row.council_code) == (Decimal("52.407500"), "E08000026")


def test_rows_are_written_in_batches_and_a_repeated_postcode_keeps_its_last_row(monkeypatch):
    monkeypatch.setattr(gazetteer, "BATCH_SIZE", 2)

    result = import_text(
        "postcode,latitude,longitude\nCV1,52.40,-1.50\nCV2,52.42,-1.46\nCV3,52.39,-1.48\nCV3,52.38,-1.48\nCV4,52.39,-1.56\n"
    )

    assert Postcode.objects.count() == 4
    assert Postcode.objects.get(postcode="CV3").latitude == Decimal("52.380000")
    assert result.rows_read == 5


# --- District centres worked out from full postcodes ------------------------------------------------


def test_a_district_without_a_row_gets_the_centre_and_main_council_of_its_postcodes():
    import_text(
        "postcode,latitude,longitude,council_code,council_name\n"
        "NE61 1AA,55.100000,-1.700000,E06000057,Northumberland\n"
        "NE61 2EF,55.200000,-1.600000,E06000057,Northumberland\n"
        "NE61 9ZZ,55.300000,-1.800000,E08000021,Newcastle upon Tyne\n"
    )

    district = Postcode.objects.get(postcode="NE61")
    assert district.kind == Postcode.Kind.DISTRICT
    assert (district.latitude, district.longitude) == (Decimal("55.200000"), Decimal("-1.700000"))
    assert (district.council_code, district.council_name) == ("E06000057", "Northumberland")


def test_a_district_already_in_the_gazetteer_or_the_file_keeps_its_own_centre():
    PostcodeFactory(postcode="CV1", latitude=Decimal("52.409390"))

    result = import_text(
        "postcode,latitude,longitude\nCV1 5RR,52.4075,-1.5087\nCV2 1AA,52.50,-1.40\nCV2,52.4227,-1.46467\n"
    )

    assert result.districts_derived == 0
    assert Postcode.objects.get(postcode="CV1").latitude == Decimal("52.409390")
    assert Postcode.objects.get(postcode="CV2").latitude == Decimal("52.422700")


# --- The ONS Postcode Directory -----------------------------------------------------------------------


def test_the_ons_directory_skips_terminated_postcodes_and_postcodes_without_a_grid_reference():
    text = "\n".join(
        [
            ONS_HEADER,
            ons_row("CV1 5RR", lat="52.407500", long="-1.508700"),
            ons_row("CV1 9XX", doterm="200512", lat="52.408000", long="-1.509000"),
            ons_row("CV1 9YY", lat="99.999999", long="0.000000"),
        ]
    )

    result = import_text(text)

    assert result.file_format == GazetteerFormat.ONS
    assert (result.created, result.skipped_terminated, result.skipped_without_location) == (1, 1, 1)
    assert set(Postcode.objects.values_list("postcode", flat=True)) == {"CV1 5RR", "CV1"}


def test_the_ons_directory_gives_the_county_where_there_is_one_and_else_the_district_council():
    text = "\n".join(
        [
            ONS_HEADER,
            ons_row("GL50 1PZ", oscty="E10000013", oslaua="E07000078", lat="51.898000", long="-2.075000"),
            ons_row("CV1 5RR", oscty="E99999999", oslaua="E08000026", lat="52.407500", long="-1.508700"),
        ]
    )

    import_text(text)

    assert Postcode.objects.get(postcode="GL50 1PZ").council_code == "E10000013"
    assert Postcode.objects.get(postcode="CV1 5RR").council_code == "E08000026"


def test_newer_ons_column_names_are_understood():
    import_text("pcd7,pcds,doterm,cty25cd,lad25cd,lat,long\nCV1 5RR,CV1 5RR,,E99999999,E08000026,52.4075,-1.5087\n")

    assert Postcode.objects.get(postcode="CV1 5RR").council_code == "E08000026"


# --- Errors: line numbers, and nothing saved -----------------------------------------------------------


def test_bad_rows_are_reported_by_line_and_nothing_is_saved():
    text = (
        "postcode,latitude,longitude,council_code\n"
        "CV1 5RR,52.4075,-1.5087,E08000026\n"  # line 2: good
        "CV1 2CI,52.4075,-1.5087,\n"  # line 3: not a postcode
        "CV2 1AA,12.5,-1.5,\n"  # line 4: not in the UK
        "CV3 1AA,north,-1.5,\n"  # line 5: not a number
        "CV4 1AA,52.39,-1.56,Coventry\n"  # line 6: not an area code
    )

    with pytest.raises(ImportFailed) as failure:
        import_text(text)

    lines = [line for line, _message in failure.value.errors]
    assert lines == [3, 4, 5, 6]
    messages = dict(failure.value.errors)
    assert "latitude" in messages[4] and "not in the UK" in messages[4]
    assert "latitude" in messages[5] and "not a number" in messages[5]
    assert "council_code" in messages[6]
    assert Postcode.objects.count() == 0


def test_a_bad_row_after_a_full_batch_still_leaves_nothing_saved(monkeypatch):
    monkeypatch.setattr(gazetteer, "BATCH_SIZE", 1)

    with pytest.raises(ImportFailed):
        import_text("postcode,latitude,longitude\nCV1,52.40,-1.50\nCV2,52.42,-1.46\nCV3,52.39,200\n")

    assert Postcode.objects.count() == 0


def test_a_file_that_names_no_known_columns_is_refused_at_line_one():
    with pytest.raises(ImportFailed) as failure:
        import_text("code,lat_deg,lon_deg\nCV1,52.40,-1.50\n")

    assert failure.value.errors[0][0] == 1


def test_a_dry_run_checks_and_counts_but_saves_nothing():
    result = import_text("postcode,latitude,longitude\nCV1,52.40,-1.50\nCV2,52.42,-1.46\n", dry_run=True)

    assert (result.created, result.dry_run) == (2, True)
    assert Postcode.objects.count() == 0


# --- The command ------------------------------------------------------------------------------------


def test_the_command_imports_a_file_and_reports_what_it_did(tmp_path):
    path = write_file(tmp_path, "postcode,latitude,longitude\nCV1 5RR,52.4075,-1.5087\n")
    stdout, stderr = StringIO(), StringIO()

    call_command("import_postcodes", str(path), stdout=stdout, stderr=stderr)

    assert "New postcodes: 1" in stdout.getvalue()
    assert "Added 1 district centres" in stdout.getvalue()
    assert stderr.getvalue() == "", "the progress bar must stay off when stderr is not a terminal"
    assert Postcode.objects.filter(postcode__in=["CV1 5RR", "CV1"]).count() == 2


def test_the_command_draws_a_progress_bar_on_a_terminal(tmp_path):
    path = write_file(tmp_path, "postcode,latitude,longitude\nCV1 5RR,52.4075,-1.5087\n")
    terminal = Terminal()

    call_command("import_postcodes", str(path), stdout=StringIO(), stderr=terminal)

    assert "Postcodes" in terminal.getvalue()


def test_the_command_lists_errors_with_line_numbers(tmp_path):
    path = write_file(tmp_path, "postcode,latitude,longitude\nCV1 5RR,52.4075,-1.5087\nnonsense,52.4,-1.5\n")

    with pytest.raises(CommandError, match="line 3: Enter a real postcode"):
        call_command("import_postcodes", str(path), stdout=StringIO(), stderr=StringIO())

    assert Postcode.objects.count() == 0


def test_the_command_dry_run_saves_nothing(tmp_path):
    path = write_file(tmp_path, "postcode,latitude,longitude\nCV1 5RR,52.4075,-1.5087\n")
    stdout = StringIO()

    call_command("import_postcodes", str(path), "--dry-run", stdout=stdout, stderr=StringIO())

    assert "nothing was saved" in stdout.getvalue()
    assert Postcode.objects.count() == 0
