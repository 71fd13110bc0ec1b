"""python manage.py complaints_escalate [--enqueue]: the daily escalation of unanswered complaints, run by cron."""

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from marketplace.complaint_tasks import complaints_escalate_overdue_task
from marketplace.services.complaints import complaints_escalate_overdue


class Command(BaseCommand):
    help = (
        "Send to the council every complaint the provider has not responded to within "
        "COMPLAINT_RESPONSE_WORKING_DAYS working days. A complaint is escalated once, however often this runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the work for the task worker instead of doing it now."
        )

    def handle(self, *args: object, enqueue: bool, **options: object) -> None:
        if enqueue:
            result = complaints_escalate_overdue_task.enqueue()
            self.stdout.write(f"Queued the escalation of overdue complaints (task {result.id}).")
            return
        run = complaints_escalate_overdue()
        self.stdout.write(
            f"{timezone.localdate():%d %B %Y}: checked {run.checked} overdue complaint(s); escalated {run.escalated}."
        )
