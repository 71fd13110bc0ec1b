"""Council administration: organisations, users and memberships within the administrator's council."""

urlpatterns: list = []
