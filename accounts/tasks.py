"""Background tasks for accounts. Each task takes plain ids, so any task backend can store it."""

from django_tasks import task

from accounts.notifications.delivery import notification_deliver


@task(queue_name="notifications")
def notification_deliver_task(notification_id: int) -> None:
    notification_deliver(notification_id=notification_id)


@task()
def retention_apply_task() -> dict[str, int]:
    """The daily retention schedule (``manage.py apply_retention``): what each rule deleted or anonymised.

    Run once a day by the scheduler enqueuing this task, or by cron running the command; running it more
    often is harmless, since a record is dealt with once.
    """
    from django.utils import timezone

    from accounts.retention import retention_apply

    run = retention_apply(today=timezone.localdate())
    return {result.rule.key: result.changed for result in run.results}
