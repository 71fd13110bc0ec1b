import factory
from django.utils.text import slugify

from accounts.models import Membership, Notification, Organisation, User
from accounts.roles import OrganisationKind, Role

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create:
            obj.save()


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    kind = OrganisationKind.COUNCIL
    name = factory.Sequence(lambda n: f"Council {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.PROVIDER
    name = factory.Sequence(lambda n: f"Provider {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    council = factory.SubFactory(CouncilFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(CouncilFactory)
    role = Role.FAMILY_MEMBER


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    subject = factory.Sequence(lambda n: f"Something needs your attention ({n})")
    body = "Please have a look."


def user_with_role(role: str, organisation: Organisation | None = None, **user_fields) -> User:  # type: ignore[no-untyped-def]
    """A user holding one role, in ``organisation`` or a new organisation of the right kind."""
    if organisation is None:
        if role == Role.PROVIDER_STAFF:
            organisation = OrganisationFactory(kind=OrganisationKind.PROVIDER)
        elif role == Role.BROKER:
            organisation = OrganisationFactory(kind=OrganisationKind.BROKER)
        else:
            organisation = CouncilFactory()
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user
