"""The weekly times of a plan's lines: what the package builder lays out as a timetable."""

from decimal import Decimal

from django.db import models
from django.db.models import F, Q

from brokerage.models.plans import PlanLine


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class PlanLineSlot(models.Model):
    """One weekly time a line's support happens: every <weekday> from <starts_at> to <ends_at>."""

    line = models.ForeignKey(PlanLine, on_delete=models.CASCADE, related_name="slots")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    starts_at = models.TimeField()
    ends_at = models.TimeField()

    class Meta:
        ordering = ["line", "weekday", "starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(starts_at__lt=F("ends_at")), name="slot_times_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M} to {self.ends_at:%H:%M}"

    @property
    def hours(self) -> Decimal:
        minutes = (self.ends_at.hour * 60 + self.ends_at.minute) - (self.starts_at.hour * 60 + self.starts_at.minute)
        return (Decimal(minutes) / 60).quantize(Decimal("0.01"))
