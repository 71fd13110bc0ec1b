from django.apps import AppConfig


class BrokerageConfig(AppConfig):
    name = "brokerage"
    verbose_name = "Budgets and support plans"

    def ready(self) -> None:
        from accounts import navigation
        from accounts.roles import Role

        navigation.register(
            navigation.NavItem(
                "Budget settings", "brokerage:settings", roles=frozenset({Role.COUNCIL_ADMIN}), order=74
            )
        )
        navigation.register(
            navigation.NavItem(
                "Resource allocation",
                "brokerage:ras",
                roles=frozenset({Role.LEAD_PROFESSIONAL, Role.BROKER, Role.FAMILY_MEMBER, Role.YOUNG_PERSON}),
                order=32,
            )
        )
