"""The retention schedule: how long each kind of record is kept, and what happens to it afterwards.

One table for the whole site. Each app describes its own records in a ``retention`` module
(``accounts/retention.py`` is this one, ``providers/retention.py``, ``brokerage/retention.py`` …) and
registers them with ``retention_register``; ``retention_rules()`` imports every app's module first, so
no lower app ever imports a higher one (the import layers in ``pyproject.toml``).

``retention_apply`` runs each rule in its own transaction and writes one audit row per rule that acted.
A rule either deletes what is due or anonymises it; records that must outlive their people (ledger
postings) are anonymised, never deleted, so the ledger always balances. See docs/data-protection.md.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.sessions.models import Session
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from accounts.models import AuditEvent, Notification, User

DELETE = "delete"
ANONYMISE = "anonymise"


@dataclass(frozen=True)
class RetentionRule:
    """One line of the schedule.

    ``due(today)`` returns the records whose time is up. ``apply(records)`` deletes or anonymises them and
    returns how many it changed; by default the records are deleted. ``due`` must not return a record
    again once ``apply`` has dealt with it, so that running the schedule twice changes nothing.
    """

    key: str
    record_type: str
    period: str
    reason: str
    action: str
    due: Callable[[date], models.QuerySet]
    apply: Callable[[models.QuerySet], int] | None = None
    order: int = 100

    def apply_to(self, records: models.QuerySet) -> int:
        if self.apply is not None:
            return self.apply(records)
        deleted, by_model = records.delete()
        return by_model.get(records.model._meta.label, deleted)


@dataclass
class RetentionResult:
    rule: RetentionRule
    due: int
    changed: int = 0


@dataclass
class RetentionRun:
    today: date
    dry_run: bool
    results: list[RetentionResult] = field(default_factory=list)

    @property
    def total_due(self) -> int:
        return sum(result.due for result in self.results)


_RULES: dict[str, RetentionRule] = {}


def retention_register(rule: RetentionRule) -> RetentionRule:
    """Add (or replace, on a module's re-import) one line of the schedule."""
    _RULES[rule.key] = rule
    return rule


def retention_rules() -> list[RetentionRule]:
    """Every app's rules, in the order they should run (records before the records they point at)."""
    autodiscover_modules("retention")
    return sorted(_RULES.values(), key=lambda rule: (rule.order, rule.key))


def retention_apply(
    *,
    today: date,
    dry_run: bool = False,
    only: list[str] | None = None,
    on_each: Callable[[RetentionResult], None] | None = None,
) -> RetentionRun:
    """Apply the schedule as of ``today``: each rule in its own transaction, audited when it changed something.

    With ``dry_run`` nothing changes: each rule reports how many records are due.
    """
    run = RetentionRun(today=today, dry_run=dry_run)
    for rule in retention_rules():
        if only and rule.key not in only:
            continue
        run.results.append(_apply_rule(rule, today=today, dry_run=dry_run))
        if on_each:
            on_each(run.results[-1])
    return run


def _apply_rule(rule: RetentionRule, *, today: date, dry_run: bool) -> RetentionResult:
    if dry_run:
        return RetentionResult(rule=rule, due=rule.due(today).count())
    with transaction.atomic():
        records = rule.due(today)
        result = RetentionResult(rule=rule, due=records.count())
        if result.due:
            result.changed = rule.apply_to(records)
            # The retention schedule is not a record of its own, so the audit row names the rule.
            AuditEvent.objects.create(
                action=f"retention.{rule.action}",
                target_type="retention_rule",
                target_id=rule.key[:64],
                summary=f"Retention schedule: {result.changed} {rule.record_type.lower()} {_verb(rule.action)}"[:300],
                reason=f"{rule.period}. {rule.reason}",
                data={"rule": rule.key, "due": result.due, "changed": result.changed, "as_of": today.isoformat()},
            )
    return result


def _verb(action: str) -> str:
    return "anonymised" if action == ANONYMISE else "deleted"


# --- Helpers for rules ---------------------------------------------------------------------------


def years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def financial_year_end_cutoff(today: date, years: int = 6) -> date:
    """The last day of the newest financial year (1 April to 31 March) that ended ``years`` full years ago.

    A record dated on or before it has been kept for six years after the end of its financial year, as
    HMRC requires of financial records.
    """
    year_end = date(today.year if today >= date(today.year, 4, 1) else today.year - 1, 3, 31)
    return years_before(year_end, years)


# --- This app's records --------------------------------------------------------------------------

AUDIT_YEARS = 6
NOTIFICATION_YEARS = 2
UNUSED_INVITATION_DAYS = 90


def _audit_due(today: date) -> models.QuerySet:
    return AuditEvent.objects.filter(created_at__lt=start_of_day(years_before(today, AUDIT_YEARS)))


def _notifications_due(today: date) -> models.QuerySet:
    return Notification.objects.filter(created_at__lt=start_of_day(years_before(today, NOTIFICATION_YEARS)))


def _sessions_due(today: date) -> models.QuerySet:
    return Session.objects.filter(expire_date__lt=timezone.now())


def _unused_invitations_due(today: date) -> models.QuerySet:
    """Accounts created by an invitation nobody accepted: never signed in, no password of their own."""
    cutoff = start_of_day(today - timedelta(days=UNUSED_INVITATION_DAYS))
    candidates = User.objects.filter(
        last_login__isnull=True, date_joined__lt=cutoff, is_staff=False, is_superuser=False
    ).filter(Q(password="") | Q(password__startswith=UNUSABLE_PASSWORD_PREFIX))
    return candidates


def _unused_invitations_delete(records: models.QuerySet) -> int:
    """Delete each account on its own: one that other records still point at (a consent, an enquiry) is kept,
    and its membership ended, rather than stopping the whole run."""
    deleted = 0
    for user in records.iterator():
        try:
            with transaction.atomic():
                user.delete()
        except (models.ProtectedError, models.RestrictedError):
            user.memberships.filter(is_active=True).update(is_active=False, ended_at=timezone.now())
            # Mark it as used so that the rule does not find it again: it can no longer sign in.
            User.objects.filter(pk=user.pk).update(is_active=False, last_login=timezone.now())
        else:
            deleted += 1
    return deleted


retention_register(
    RetentionRule(
        key="accounts.auditevent",
        record_type="Audit events",
        period="6 years after the event",
        reason="Long enough to answer a complaint, a claim or an audit about any decision (Limitation Act 1980).",
        action=DELETE,
        due=_audit_due,
        order=900,
    )
)
retention_register(
    RetentionRule(
        key="accounts.notification",
        record_type="Notifications",
        period="2 years after they were sent",
        reason="The decision a notification tells of is kept in its own record; the message itself is a copy.",
        action=DELETE,
        due=_notifications_due,
    )
)
retention_register(
    RetentionRule(
        key="sessions.session",
        record_type="Expired sign-in sessions",
        period="When they expire",
        reason="An expired session can never be used again and holds who was signed in.",
        action=DELETE,
        due=_sessions_due,
    )
)
retention_register(
    RetentionRule(
        key="accounts.user.unused_invitation",
        record_type="Unused invitations (accounts never signed in to)",
        period=f"{UNUSED_INVITATION_DAYS} days after the invitation",
        reason="Someone who never took up their account should not stay on the system; the inviter can invite again.",
        action=DELETE,
        due=_unused_invitations_due,
        apply=_unused_invitations_delete,
    )
)
