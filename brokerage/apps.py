from django.apps import AppConfig


class BrokerageConfig(AppConfig):
    name = "brokerage"
    verbose_name = "Budgets and support plans"

    def ready(self) -> None:
        from accounts import navigation
        from accounts.roles import Role

        navigation.register(
            navigation.NavItem("Budget settings", "brokerage:settings", roles=frozenset({Role.COUNCIL_ADMIN}), order=74)
        )
        navigation.register(
            navigation.NavItem(
                "Resource allocation",
                "brokerage:ras",
                roles=frozenset({Role.LEAD_PROFESSIONAL, Role.BROKER, Role.FAMILY_MEMBER, Role.YOUNG_PERSON}),
                order=32,
            )
        )
        casework = frozenset({Role.LEAD_PROFESSIONAL, Role.BROKER, Role.FAMILY_MEMBER, Role.YOUNG_PERSON})
        navigation.register(navigation.NavItem("People and plans", "brokerage:caseload", roles=casework, order=30))
        navigation.register(navigation.NavItem("Reviews due", "brokerage:reviews", roles=casework, order=31))
        navigation.register(
            navigation.NavItem(
                "Approvals", "brokerage:approvals", roles=frozenset({Role.BUDGET_HOLDING_MANAGER}), order=33
            )
        )
        navigation.register(
            navigation.NavItem(
                "Direct payments to review",
                "brokerage:monitoring",
                roles=frozenset({Role.BUDGET_HOLDING_MANAGER, Role.FINANCE_OFFICER}),
                order=34,
            )
        )
        navigation.register(
            navigation.NavItem(
                "Ledger postings", "brokerage:finance-postings", roles=frozenset({Role.FINANCE_OFFICER}), order=76
            )
        )
        navigation.register(
            navigation.NavItem(
                "Record access log", "brokerage:access-log", roles=frozenset({Role.COUNCIL_ADMIN}), order=75
            )
        )
