from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    label = "directory_search"  # "search" is taken by wagtail.search
    verbose_name = "Directory search"

    def ready(self) -> None:
        # Providers cannot import search (a higher layer), so search asks to be told about changes.
        from providers.changes import register_listing_listener
        from search.tasks import index_offers_enqueue

        register_listing_listener(index_offers_enqueue)
