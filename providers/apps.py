from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "providers"
    verbose_name = "Providers and personal assistants"

    def ready(self) -> None:
        from accounts import navigation
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
