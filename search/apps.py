from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    label = "directory_search"  # "search" is taken by wagtail.search
    verbose_name = "Directory search"
