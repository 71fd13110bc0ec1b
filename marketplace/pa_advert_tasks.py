"""Background task for PA recruitment. It takes plain values, so any task backend can store it."""

from dataclasses import asdict

from django_tasks import task

from marketplace.services.pa_adverts import pa_adverts_unanswered


@task()
def pa_adverts_unanswered_task() -> dict[str, int]:
    """The daily count of open PA adverts nobody replied to within PA_ADVERT_NO_REPLY_DAYS as demand signals.

    Run once a day, by the scheduler enqueuing this task or by cron running ``manage.py
    pa_adverts_unanswered``; running it more often is harmless, since an advert is counted once.
    """
    return asdict(pa_adverts_unanswered())
