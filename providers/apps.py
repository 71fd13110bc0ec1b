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
        navigation.register(
            navigation.NavItem("Concerns", "providers:concerns", roles=frozenset({Role.QA_OFFICER}), order=41)
        )
        council_admin = frozenset({Role.COUNCIL_ADMIN})
        for label, url_name, order in (
            ("Directory import", "providers:bulk-council", 72),
            ("Taxonomy terms", "providers:taxonomy-terms", 73),
        ):
            navigation.register(navigation.NavItem(label, url_name, roles=council_admin, order=order))
