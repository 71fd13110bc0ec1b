"""PA recruitment (issue #13): adverts, replies, shortlists, meetings and the employer's checklist."""

import uuid

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0009_help_requests"),
        ("accounts", "0001_initial"),
        ("brokerage", "0001_initial"),
        ("providers", "0007_offer_ratings"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PAAdvert",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                (
                    "title",
                    models.CharField(help_text="For example, 'PA for a 12-year-old boy, after school'", max_length=120),
                ),
                (
                    "hours_per_week",
                    models.DecimalField(
                        decimal_places=2,
                        help_text="Hours a week",
                        max_digits=5,
                        validators=[django.core.validators.MinValueValidator(0.5)],
                    ),
                ),
                ("days_and_times", models.TextField(help_text="For example, 'Tuesday and Thursday, 4pm to 7pm'")),
                (
                    "postcode_district",
                    models.CharField(
                        help_text="The first half of your postcode, for example CV3. PAs never see more.",
                        max_length=4,
                        verbose_name="area",
                    ),
                ),
                ("tasks", models.TextField(help_text="What the PA will do")),
                ("skills_wanted", models.TextField(verbose_name="skills and experience wanted")),
                ("hourly_pay", models.DecimalField(decimal_places=2, help_text="£ an hour", max_digits=6)),
                ("start_date", models.DateField()),
                ("about_family", models.TextField(blank=True, verbose_name="what your family is like")),
                ("closing_date", models.DateField(help_text="The last day PAs can reply")),
                (
                    "status",
                    models.CharField(
                        choices=[("draft", "Draft"), ("open", "Open"), ("closed", "Closed")],
                        default="draft",
                        max_length=10,
                    ),
                ),
                (
                    "closed_reason",
                    models.CharField(
                        blank=True, choices=[("filled", "Filled"), ("withdrawn", "Withdrawn")], max_length=10
                    ),
                ),
                ("published_to_area", models.BooleanField(default=False)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("opened_at", models.DateTimeField(blank=True, null=True)),
                ("closed_at", models.DateTimeField(blank=True, null=True)),
                ("demand_counted_at", models.DateTimeField(blank=True, null=True)),
                (
                    "council",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="pa_adverts",
                        to="accounts.organisation",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="pa_adverts",
                        to="brokerage.personsupported",
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="PAAdvertRecipient",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("via", models.CharField(choices=[("chosen", "Chosen"), ("area", "Covers the area")], max_length=10)),
                ("sent_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "advert",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="recipients",
                        to="marketplace.paadvert",
                    ),
                ),
                (
                    "pa",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="providers.personalassistantprofile",
                    ),
                ),
                (
                    "sent_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="PAReply",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("message", models.TextField()),
                (
                    "availability",
                    models.TextField(blank=True, help_text="When you could work and when you could start"),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("received", "New"), ("shortlisted", "Shortlisted"), ("declined", "Declined")],
                        default="received",
                        max_length=12,
                    ),
                ),
                ("decline_message", models.TextField(blank=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "advert",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="replies", to="marketplace.paadvert"
                    ),
                ),
                (
                    "pa",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="pa_replies",
                        to="providers.personalassistantprofile",
                    ),
                ),
            ],
            options={
                "ordering": ["created_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="PAMeeting",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("starts_at", models.DateTimeField()),
                ("by_video", models.BooleanField(default=False, verbose_name="by video call")),
                ("place", models.CharField(blank=True, help_text="Where, or the video call link", max_length=200)),
                ("note", models.TextField(blank=True)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("proposed", "Waiting for the PA"),
                            ("accepted", "Accepted"),
                            ("another_time", "PA asked for another time"),
                        ],
                        default="proposed",
                        max_length=12,
                    ),
                ),
                ("pa_note", models.TextField(blank=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "arranged_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "reply",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="meetings", to="marketplace.pareply"
                    ),
                ),
            ],
            options={
                "ordering": ["-starts_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="EmployerChecklist",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("right_to_work_checked_on", models.DateField(blank=True, null=True)),
                (
                    "right_to_work_document",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("passport", "Passport"),
                            ("share_code", "Online check with a share code"),
                            ("birth_certificate", "Birth certificate with National Insurance number"),
                            ("other", "Another document on the Home Office list"),
                        ],
                        max_length=20,
                    ),
                ),
                ("dbs_umbrella_body", models.CharField(blank=True, max_length=120, verbose_name="DBS umbrella body")),
                ("dbs_applied_on", models.DateField(blank=True, null=True, verbose_name="DBS applied for on")),
                ("dbs_received_on", models.DateField(blank=True, null=True, verbose_name="DBS certificate seen on")),
                ("insurer", models.CharField(blank=True, max_length=120, verbose_name="employer's liability insurer")),
                ("insurance_ends_on", models.DateField(blank=True, null=True, verbose_name="policy end date")),
                ("payroll_service", models.CharField(blank=True, max_length=120)),
                ("contract_signed_on", models.DateField(blank=True, null=True)),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "updated_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "reply",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE, related_name="checklist", to="marketplace.pareply"
                    ),
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="paadvert",
            index=models.Index(fields=["status", "opened_at"], name="paadvert_status_opened"),
        ),
        migrations.AddIndex(
            model_name="paadvert",
            index=models.Index(fields=["postcode_district", "status"], name="paadvert_district"),
        ),
        migrations.AddConstraint(
            model_name="paadvertrecipient",
            constraint=models.UniqueConstraint(fields=("advert", "pa"), name="paadvertrecipient_once"),
        ),
        migrations.AddConstraint(
            model_name="pareply",
            constraint=models.UniqueConstraint(fields=("advert", "pa"), name="pareply_one_per_pa"),
        ),
    ]
