from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "providers"
    verbose_name = "Providers and personal assistants"

    def ready(self) -> None:
        from accounts import navigation
        from accounts.roles import Role

        navigation.register(
            navigation.NavItem("Frameworks", "providers:frameworks", roles=frozenset({Role.COMMISSIONER}), order=40)
        )
