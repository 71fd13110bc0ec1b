"""Reading councils' single sign-on settings."""

from uuid import UUID

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import AuditEvent, CouncilSignOn, Organisation


def enabled_sign_ons() -> QuerySet[CouncilSignOn]:
    return CouncilSignOn.objects.filter(is_enabled=True, council__is_active=True).select_related("council")


def sign_ons_for_email(email: str) -> list[CouncilSignOn]:
    """The councils whose identity provider signs in people with this address's domain."""
    return [config for config in enabled_sign_ons() if config.allows_email(email)]


def sign_on_for_council(council: Organisation) -> CouncilSignOn | None:
    return CouncilSignOn.objects.filter(council=council).first()


def sign_on_get_for_council(*, council: Organisation, public_id: UUID) -> CouncilSignOn:
    """This council's settings; another council's answer 404."""
    return get_object_or_404(CouncilSignOn.objects.select_related("council"), council=council, public_id=public_id)


def sign_on_history(*, config: CouncilSignOn, limit: int = 20) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            council=config.council, target_type=CouncilSignOn._meta.label_lower, target_id=str(config.public_id)
        ).select_related("actor")[:limit]
    )
