"""Recruiting a personal assistant (issue #13): a family's advert, the PAs it was sent to, their replies,
meetings to get to know each other, and the employer's checklist for a PA the family takes on.

An advert shows PAs only what the family wrote in it: never the child's surname, date of birth or needs
as recorded in their plan. The employer's checklist records that checks were made, never what they found:
no identity documents, DBS certificate numbers or conviction details are kept here.
"""

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone


class AdvertStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class ClosedReason(models.TextChoices):
    FILLED = "filled", "Filled"
    WITHDRAWN = "withdrawn", "Withdrawn"


class PAAdvert(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("brokerage.PersonSupported", on_delete=models.CASCADE, related_name="pa_adverts")
    council = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="pa_adverts")
    title = models.CharField(max_length=120, help_text="For example, 'PA for a 12-year-old boy, after school'")
    hours_per_week = models.DecimalField(
        max_digits=5, decimal_places=2, validators=[MinValueValidator(0.5)], help_text="Hours a week"
    )
    days_and_times = models.TextField(help_text="For example, 'Tuesday and Thursday, 4pm to 7pm'")
    postcode_district = models.CharField(
        "area", max_length=4, help_text="The first half of your postcode, for example CV3. PAs never see more."
    )
    tasks = models.TextField(help_text="What the PA will do")
    skills_wanted = models.TextField("skills and experience wanted")
    hourly_pay = models.DecimalField(max_digits=6, decimal_places=2, help_text="£ an hour")
    start_date = models.DateField()
    about_family = models.TextField("what your family is like", blank=True)
    closing_date = models.DateField(help_text="The last day PAs can reply")
    status = models.CharField(max_length=10, choices=AdvertStatus.choices, default=AdvertStatus.DRAFT)
    closed_reason = models.CharField(max_length=10, choices=ClosedReason.choices, blank=True)
    published_to_area = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Set once, when the advert had no replies after PA_ADVERT_NO_REPLY_DAYS and became a demand signal.
    demand_counted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "opened_at"], name="paadvert_status_opened"),
            models.Index(fields=["postcode_district", "status"], name="paadvert_district"),
        ]

    def __str__(self) -> str:
        return self.title


class PAAdvertRecipient(models.Model):
    """A PA the advert was sent to, chosen by the family or because their listing covers the area."""

    class Via(models.TextChoices):
        CHOSEN = "chosen", "Chosen"
        AREA = "area", "Covers the area"

    advert = models.ForeignKey(PAAdvert, on_delete=models.CASCADE, related_name="recipients")
    pa = models.ForeignKey("providers.PersonalAssistantProfile", on_delete=models.CASCADE, related_name="+")
    via = models.CharField(max_length=10, choices=Via.choices)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["advert", "pa"], name="paadvertrecipient_once")]


class ReplyStatus(models.TextChoices):
    RECEIVED = "received", "New"
    SHORTLISTED = "shortlisted", "Shortlisted"
    DECLINED = "declined", "Declined"


class PAReply(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    advert = models.ForeignKey(PAAdvert, on_delete=models.CASCADE, related_name="replies")
    pa = models.ForeignKey("providers.PersonalAssistantProfile", on_delete=models.CASCADE, related_name="pa_replies")
    message = models.TextField()
    availability = models.TextField(blank=True, help_text="When you could work and when you could start")
    status = models.CharField(max_length=12, choices=ReplyStatus.choices, default=ReplyStatus.RECEIVED)
    decline_message = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["advert", "pa"], name="pareply_one_per_pa")]

    def __str__(self) -> str:
        return f"{self.pa} on {self.advert}"


class MeetingStatus(models.TextChoices):
    PROPOSED = "proposed", "Waiting for the PA"
    ACCEPTED = "accepted", "Accepted"
    ANOTHER_TIME = "another_time", "PA asked for another time"


class PAMeeting(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reply = models.ForeignKey(PAReply, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField()
    by_video = models.BooleanField("by video call", default=False)
    place = models.CharField(max_length=200, blank=True, help_text="Where, or the video call link")
    note = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.PROPOSED)
    pa_note = models.TextField(blank=True)
    arranged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_at", "-pk"]


class RightToWorkDocument(models.TextChoices):
    PASSPORT = "passport", "Passport"
    SHARE_CODE = "share_code", "Online check with a share code"
    BIRTH_CERTIFICATE = "birth_certificate", "Birth certificate with National Insurance number"
    OTHER = "other", "Another document on the Home Office list"


class EmployerChecklist(models.Model):
    """What an employer must do before a PA starts, per PA the family takes on or is considering."""

    reply = models.OneToOneField(PAReply, on_delete=models.CASCADE, related_name="checklist")
    right_to_work_checked_on = models.DateField(null=True, blank=True)
    right_to_work_document = models.CharField(max_length=20, choices=RightToWorkDocument.choices, blank=True)
    dbs_umbrella_body = models.CharField("DBS umbrella body", max_length=120, blank=True)
    dbs_applied_on = models.DateField("DBS applied for on", null=True, blank=True)
    dbs_received_on = models.DateField("DBS certificate seen on", null=True, blank=True)
    insurer = models.CharField("employer's liability insurer", max_length=120, blank=True)
    insurance_ends_on = models.DateField("policy end date", null=True, blank=True)
    payroll_service = models.CharField(max_length=120, blank=True)
    contract_signed_on = models.DateField(null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    def items_done(self) -> dict[str, bool]:
        return {
            "right_to_work": bool(self.right_to_work_checked_on and self.right_to_work_document),
            "dbs": bool(self.dbs_umbrella_body and self.dbs_received_on),
            "insurance": bool(self.insurer and self.insurance_ends_on),
            "payroll": bool(self.payroll_service),
            "contract": bool(self.contract_signed_on),
        }
