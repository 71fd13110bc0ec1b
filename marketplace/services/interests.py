"""Brokers' declared interests: a broker organisation says which provider organisations or personal
assistants it runs, owns or is otherwise tied to, and withdraws a declaration that no longer holds.

An order a broker places with such a provider is never placed straight away (``interest_check``, called
by ``marketplace.services.orders.order_place``): with a declaration it goes to a budget-holding manager to
sign off; without one, when the tie can be seen (someone is an active member of both the broker's
organisation and the provider, or the personal assistant is a member of the broker's organisation), the
broker is asked to declare it first.
"""

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.events import audit_record
from accounts.models import Membership, Organisation, User
from accounts.roles import OrganisationKind, Role
from brokerage.exceptions import BrokerageError, NotAllowed
from marketplace.models.order_requests import InterestDeclaration
from providers.models import Offer, PersonalAssistantProfile


class InterestNotDeclared(NotAllowed):
    """The broker's organisation is tied to the provider and has not declared it."""


class InterestSignOffNeeded(NotAllowed):
    """The broker's organisation declared an interest in the provider: a manager must sign the order off."""

    def __init__(self, message: str, *, declaration: InterestDeclaration) -> None:
        super().__init__(message)
        self.declaration = declaration


def broker_organisations_of(user: User) -> QuerySet[Organisation]:
    """The broker organisations the user works for as a broker now."""
    memberships = Membership.objects.active().with_roles(Role.BROKER).filter(user=user)
    return Organisation.objects.filter(kind=OrganisationKind.BROKER, pk__in=memberships.values("organisation"))


def current_interests(organisations: QuerySet[Organisation]) -> QuerySet[InterestDeclaration]:
    return InterestDeclaration.objects.filter(broker_organisation__in=organisations, withdrawn_at__isnull=True)


def interest_declared(*, organisations: QuerySet[Organisation], offer: Offer) -> InterestDeclaration | None:
    interests = current_interests(organisations)
    if offer.personal_assistant_id:
        interests = interests.filter(personal_assistant_id=offer.personal_assistant_id)
    else:
        interests = interests.filter(provider_organisation_id=offer.organisation_id)
    return interests.select_related("broker_organisation", "provider_organisation", "personal_assistant").first()


def interest_detected(*, organisations: QuerySet[Organisation], offer: Offer) -> bool:
    """Whether a tie shows in the memberships: one person active in both the broker's organisation and the
    provider organisation, or the personal assistant active in the broker's organisation."""
    in_broker = Membership.objects.active().filter(organisation__in=organisations)
    if offer.personal_assistant_id:
        return in_broker.filter(user_id=offer.personal_assistant.user_id).exists()
    in_provider = Membership.objects.active().filter(organisation_id=offer.organisation_id).values("user")
    return in_broker.filter(user__in=in_provider).exists()


def interest_check(*, actor: User, offer: Offer) -> None:
    """Refuse an order by a broker with a provider their organisation is tied to (see the module's text)."""
    organisations = broker_organisations_of(actor)
    if not organisations.exists():
        return
    declaration = interest_declared(organisations=organisations, offer=offer)
    if declaration is not None:
        raise InterestSignOffNeeded(
            f"{declaration.broker_organisation} has declared an interest in {declaration.provider_name}: "
            "a budget-holding manager must sign this order off",
            declaration=declaration,
        )
    if interest_detected(organisations=organisations, offer=offer):
        raise InterestNotDeclared(
            f"Your organisation is connected with {offer.personal_assistant or offer.organisation}: "
            "declare your organisation's interest first"
        )


@transaction.atomic
def interest_declare(
    *,
    actor: User,
    broker_organisation: Organisation,
    nature: str,
    provider_organisation: Organisation | None = None,
    personal_assistant: PersonalAssistantProfile | None = None,
) -> InterestDeclaration:
    if not broker_organisations_of(actor).filter(pk=broker_organisation.pk).exists():
        raise NotAllowed("Only a broker of the organisation can declare its interests")
    same = current_interests(Organisation.objects.filter(pk=broker_organisation.pk)).filter(
        Q(provider_organisation=provider_organisation, provider_organisation__isnull=False)
        | Q(personal_assistant=personal_assistant, personal_assistant__isnull=False)
    )
    if same.exists():
        raise BrokerageError("Your organisation has already declared this interest")
    declaration = InterestDeclaration(
        broker_organisation=broker_organisation,
        provider_organisation=provider_organisation,
        personal_assistant=personal_assistant,
        nature=nature.strip(),
        declared_by=actor,
    )
    declaration.full_clean()
    declaration.save()
    audit_record(
        actor=actor,
        action="interest.declared",
        target=declaration,
        council=broker_organisation.council,
        summary=f"{broker_organisation} declared an interest in {declaration.provider_name}: {declaration.nature}",
    )
    return declaration


@transaction.atomic
def interest_withdraw(*, actor: User, declaration: InterestDeclaration) -> InterestDeclaration:
    declaration = InterestDeclaration.objects.select_for_update().get(pk=declaration.pk)
    if not broker_organisations_of(actor).filter(pk=declaration.broker_organisation_id).exists():
        raise NotAllowed("Only a broker of the organisation can withdraw its declaration")
    if declaration.withdrawn_at is not None:
        raise BrokerageError("This declaration has already been withdrawn")
    declaration.withdrawn_at = timezone.now()
    declaration.withdrawn_by = actor
    declaration.save(update_fields=["withdrawn_at", "withdrawn_by"])
    audit_record(
        actor=actor,
        action="interest.withdrawn",
        target=declaration,
        council=declaration.broker_organisation.council,
        summary=f"{declaration.broker_organisation} withdrew its interest in {declaration.provider_name}",
    )
    return declaration
