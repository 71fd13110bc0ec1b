"""Background tasks for accounts. Each task takes plain ids, so any task backend can store it."""

from django_tasks import task

from accounts.notifications.delivery import notification_deliver


@task(queue_name="notifications")
def notification_deliver_task(notification_id: int) -> None:
    notification_deliver(notification_id=notification_id)
