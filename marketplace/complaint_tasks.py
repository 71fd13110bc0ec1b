"""Background tasks for complaints. Each task takes plain values, so any task backend can store it."""

from dataclasses import asdict

from django_tasks import task

from marketplace.services.complaints import complaints_escalate_overdue


@task()
def complaints_escalate_overdue_task() -> dict[str, int]:
    """The daily escalation of complaints the provider did not respond to in time.

    Run once a day, by the scheduler enqueuing this task or by cron running ``manage.py
    complaints_escalate``; running it more often is harmless, since a complaint is escalated once.
    """
    return asdict(complaints_escalate_overdue())
