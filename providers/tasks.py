"""Background tasks for providers. Each task takes plain values, so any task backend can store it."""

from dataclasses import asdict

from django.utils import timezone
from django_tasks import task

from providers.services.qa import lapse_warnings_send


@task()
def qa_lapse_warnings_task() -> dict[str, int]:
    """The daily lapse warnings: 60 and 30 days before a listing's checks or insurance lapse.

    Run once a day, by the scheduler enqueuing this task or by cron running ``manage.py
    qa_lapse_warnings``; running it more often is harmless, since each warning is sent once.
    """
    return asdict(lapse_warnings_send(today=timezone.localdate()))
