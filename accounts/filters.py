"""Filters for the lists a council administrator works from; applied inside selectors."""

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.models import Membership, Organisation, User
from accounts.roles import OrganisationKind, Role


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Name")
    kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices, label="Kind", empty_label="Any kind")

    class Meta:
        model = Organisation
        fields = ["q", "kind"]


class CouncilUserFilter(django_filters.FilterSet):
    """Users of one council, by role and organisation, and searched by name or email.

    ``council_organisations`` are the organisations the council looks after; the organisation filter
    offers only those, so another council's organisations can neither be chosen nor named.
    """

    q = django_filters.CharFilter(method="filter_search", label="Name or email address")
    role = django_filters.ChoiceFilter(choices=Role.choices, label="Role", empty_label="Any role", method="filter_noop")
    organisation = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.none(),
        to_field_name="public_id",
        label="Organisation",
        empty_label="Any organisation",
        method="filter_noop",
    )

    class Meta:
        model = User
        fields = ["q", "role", "organisation"]

    def __init__(self, *args, council_organisations: QuerySet[Organisation], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.council_organisations = council_organisations
        self.filters["organisation"].queryset = council_organisations

    def filter_search(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        query = Q(email__icontains=value)
        for word in value.split():
            query |= Q(first_name__icontains=word) | Q(last_name__icontains=word)
        return queryset.filter(query)

    def filter_noop(self, queryset: QuerySet[User], name: str, value: object) -> QuerySet[User]:
        # Role and organisation are applied together in filter_queryset below.
        return queryset

    def filter_queryset(self, queryset: QuerySet[User]) -> QuerySet[User]:
        # Role and organisation must hold for the same membership: "provider staff at Acme" must
        # not match someone who is provider staff elsewhere and a broker at Acme.
        queryset = super().filter_queryset(queryset)
        memberships = Membership.objects.filter(user=OuterRef("pk"), organisation__in=self.council_organisations)
        if role := self.form.cleaned_data.get("role"):
            memberships = memberships.filter(role=role)
        if organisation := self.form.cleaned_data.get("organisation"):
            memberships = memberships.filter(organisation=organisation)
        return queryset.filter(Exists(memberships))
