from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and organisations"

    def ready(self) -> None:
        from accounts import navigation
        from accounts.notifications import checks  # noqa: F401  (registers the Notify settings check)

        navigation.register_accounts_items()
