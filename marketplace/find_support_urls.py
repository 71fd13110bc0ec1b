"""The find-support page: /search/."""

urlpatterns: list = []
