from django.apps import AppConfig


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = "Marketplace"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from accounts.navigation import NavItem, register
        from accounts.roles import FAMILY_ROLES, PROVIDER_ROLES, Role
        from marketplace import complaint_selectors as complaints
        from marketplace.enquiry_selectors import REPORT_ROLES, THREAD_ROLES
        from marketplace.ordering_selectors import ORDER_ROLES
        from marketplace.services.reviews import MODERATOR_ROLES
        from marketplace.services.shortlists import shortlist_merge_on_sign_in

        user_logged_in.connect(shortlist_merge_on_sign_in, dispatch_uid="marketplace-shortlist-merge")
        shared_with = frozenset({Role.BROKER, Role.LEAD_PROFESSIONAL})
        register(NavItem("Shared shortlists", "marketplace:shortlists-shared", roles=shared_with, order=40))
        register(NavItem("Messages", "marketplace:enquiries", roles=frozenset(THREAD_ROLES), order=41))
        casework = frozenset({Role.BROKER, Role.LEAD_PROFESSIONAL})
        register(NavItem("Requests for help", "marketplace:help-requests", roles=casework, order=39))
        register(NavItem("Orders and invoices", "marketplace:orders", roles=frozenset(ORDER_ROLES), order=42))
        register(NavItem("Reported messages", "marketplace:enquiry-reports", roles=frozenset(REPORT_ROLES), order=72))
        complaint_pages = (
            ("Your complaints", "marketplace:complaints", FAMILY_ROLES, 45),
            ("Complaints about your services", "marketplace:complaints-received", PROVIDER_ROLES, 46),
            ("Complaints", "marketplace:complaints-council", complaints.COUNCIL_ROLES, 73),
            ("Complaints by provider", "marketplace:complaint-figures", complaints.FIGURES_ROLES, 80),
        )
        for label, url_name, roles, order in complaint_pages:
            register(NavItem(label, url_name, roles=frozenset(roles), order=order))
        finance = frozenset({Role.FINANCE_OFFICER})
        register(NavItem("Payment runs", "payments:runs", roles=finance, order=77))
        register(NavItem("Bank details to check", "bank_details:queue", roles=finance, order=76))
        register(NavItem("Top-ups and contributions", "top_ups:list", roles=finance, order=75))
        family = frozenset({Role.FAMILY_MEMBER, Role.YOUNG_PERSON})
        register(NavItem("Your family's support", "marketplace:my-home", roles=family, order=2))
        register(NavItem("Payments into your budget", "top_ups:yours", roles=family, order=45))
        payees = frozenset({Role.PROVIDER_STAFF, Role.PERSONAL_ASSISTANT})
        register(NavItem("Your payments", "payments:remittances", roles=payees, order=43))
        register(NavItem("Prompt payment", "payments:prompt-payment", roles=frozenset({Role.COMMISSIONER}), order=78))
        register(NavItem("Market insights", "marketplace:insights", roles=frozenset({Role.COMMISSIONER}), order=70))
        admins = frozenset({Role.COUNCIL_ADMIN})
        register(NavItem("Data protection", "marketplace:dataprotection-people", roles=admins, order=74))
        commissioners = frozenset({Role.COMMISSIONER})
        register(NavItem("Messages to providers", "marketplace:market-messages", roles=commissioners, order=71))
        register(NavItem("Messages from councils", "marketplace:market-messages-received", roles=payees, order=44))
        register(NavItem("Reviews to check", "marketplace:reviews-council", roles=frozenset(MODERATOR_ROLES), order=79))
        register(NavItem("Reviews of your services", "marketplace:reviews-provider", roles=payees, order=44))
        providers = frozenset({Role.PROVIDER_STAFF})
        register(NavItem("Individual service funds", "marketplace:isf-funds", roles=providers, order=47))
        register(NavItem("Service fund statements", "marketplace:isf-reconciliation", roles=finance, order=74))
        pa_advert_roles = frozenset({*FAMILY_ROLES, Role.BROKER, Role.LEAD_PROFESSIONAL})
        register(NavItem("PA adverts", "marketplace:pa-adverts", roles=pa_advert_roles, order=48))
        pa_only = frozenset({Role.PERSONAL_ASSISTANT})
        register(NavItem("Adverts for you", "marketplace:pa-adverts-for-you", roles=pa_only, order=48))
        managers = frozenset({Role.BUDGET_HOLDING_MANAGER})
        register(NavItem("Orders waiting for approval", "marketplace:order-requests", roles=managers, order=49))
        interest_roles = frozenset({Role.BROKER, Role.BUDGET_HOLDING_MANAGER, Role.COMMISSIONER})
        register(NavItem("Declared interests", "marketplace:interests", roles=interest_roles, order=50))

        class PublicNavItem(NavItem):
            # Finding support is for everyone, signed in or not: families mostly arrive without an account.
            def visible_to(self, request) -> bool:  # type: ignore[no-untyped-def]
                return True

        register(PublicNavItem("Find support", "marketplace:find-support", order=1))
