from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "providers"
    verbose_name = "Providers and personal assistants"

    def ready(self) -> None:
        from accounts import navigation
        from accounts.permissions import acting_membership
        from accounts.roles import Role
        from providers.permissions import provider_context_for

        class ProviderNavItem(navigation.NavItem):
            # A personal assistant role without a PA profile has no listings: showing the link would
            # lead to a 403, so it shows only to someone the self-service pages will let in.
            def visible_to(self, request) -> bool:  # type: ignore[no-untyped-def]
                return super().visible_to(request) and provider_context_for(request) is not None

        navigation.register(
            ProviderNavItem(
                "Your listings",
                "providers:dashboard",
                roles=frozenset({Role.PROVIDER_STAFF, Role.PERSONAL_ASSISTANT}),
                order=20,
            )
        )
        navigation.register(
            navigation.NavItem("Frameworks", "providers:frameworks", roles=frozenset({Role.COMMISSIONER}), order=40)
        )
        council_admin = frozenset({Role.COUNCIL_ADMIN})
        for label, url_name, order in (
            ("Directory import", "providers:bulk-council", 72),
            ("Taxonomy terms", "providers:taxonomy-terms", 73),
        ):
            navigation.register(navigation.NavItem(label, url_name, roles=council_admin, order=order))
        navigation.register(
            navigation.NavItem("Concerns", "providers:concerns", roles=frozenset({Role.QA_OFFICER}), order=41)
        )
        navigation.register(
            navigation.NavItem("Quality checks", "providers:qa-queue", roles=frozenset({Role.QA_OFFICER}), order=42)
        )

        class CheckSubmitterNavItem(navigation.NavItem):
            # Shown only to someone the check pages will let in: a PA role without a PA profile would get 403.
            def visible_to(self, request) -> bool:  # type: ignore[no-untyped-def]
                return super().visible_to(request) and (
                    provider_context_for(request) is not None or acting_membership(request, Role.BROKER) is not None
                )

        navigation.register(
            CheckSubmitterNavItem(
                "Your checks",
                "providers:qa-my-checks",
                roles=frozenset({Role.PROVIDER_STAFF, Role.PERSONAL_ASSISTANT, Role.BROKER}),
                order=21,
            )
        )

        class ReporterNavItem(navigation.NavItem):
            # Anyone may report a concern; the link shows only to someone who has, so that the header
            # stays short for everyone else.
            def visible_to(self, request) -> bool:  # type: ignore[no-untyped-def]
                from providers.models import Concern

                return super().visible_to(request) and Concern.objects.filter(reporter=request.user).exists()

        navigation.register(ReporterNavItem("Concerns you reported", "providers:concerns-mine", order=85))
