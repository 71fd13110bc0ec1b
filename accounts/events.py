"""Audit rows: who did what to which record, when, and why."""

from typing import Any

from django.db import models

from accounts.models import AuditEvent, Organisation, User


def audit_record(
    *,
    actor: User | None,
    action: str,
    target: models.Model,
    summary: str,
    council: Organisation | None = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if actor and actor.is_authenticated else None,
        council=council,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(getattr(target, "public_id", target.pk)),
        summary=summary[:300],
        reason=reason,
        data=data or {},
    )
